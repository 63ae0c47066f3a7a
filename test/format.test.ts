import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { readFileSync } from "node:fs";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { Diagnostic } from "../src/model/diagnostic.js";
import { formatters, type LintReport } from "../src/format/index.js";
import { formatGithub } from "../src/format/github.js";
import { formatJson } from "../src/format/json.js";
import { formatJunit } from "../src/format/junit.js";
import { formatSarif } from "../src/format/sarif.js";
import { formatText } from "../src/format/text.js";
import { assertValidSarif } from "../test-support/sarif.js";

const ANSI = /\x1b\[[0-9;]*m/;
const ANSI_ALL = /\x1b\[[0-9;]*m/g;
const CWD = path.resolve("/repo/project");
const NASTY = `Use <b> & "quoted" 'text' — café ✓`;

const error: Diagnostic = {
  file: "docs/a.md",
  line: 12,
  column: 3,
  endLine: 12,
  endColumn: 9,
  rule: "heading-style",
  severity: "error",
  message: NASTY,
  fix: { range: [120, 126], text: "Title" },
};
const warning: Diagnostic = {
  file: "docs/a.md",
  line: 2,
  column: 1,
  endLine: 3,
  endColumn: 4,
  rule: "no-marker",
  severity: "warning",
  message: "Marker left in text",
};

/** Two files, one clean; diagnostics deliberately out of order. */
function sampleReport(overrides: Partial<LintReport> = {}): LintReport {
  return {
    files: ["docs/a.md", "docs/clean.md"],
    diagnostics: [error, warning],
    rules: [
      { id: "heading-style", description: "Headings use sentence case.", defaultSeverity: "error", helpUri: "https://example.com/rules/heading-style" },
      { id: "no-marker", description: "No leftover markers.", defaultSeverity: "warning" },
    ],
    toolVersion: "0.1.0",
    cwd: CWD,
    ...overrides,
  };
}

test("formatters registry has every format", () => {
  assert.deepEqual(Object.keys(formatters).sort(), ["github", "json", "junit", "sarif", "text"]);
  assert.equal(formatters.text, formatText);
  assert.equal(formatters.sarif, formatSarif);
});

test("text: grouped, sorted, aligned, no ANSI without color", () => {
  const out = formatText(sampleReport(), { color: false });
  assert.doesNotMatch(out, ANSI);
  const lines = out.split("\n");
  assert.equal(lines[0], "docs/a.md");
  // Columns padded to the widest cell: location 14, severity 7, message 34 code points.
  assert.equal([...NASTY].length, 34);
  assert.equal(lines[1], `  docs/a.md:2:1   warning  Marker left in text${" ".repeat(15)}  no-marker`);
  assert.equal(lines[2], `  docs/a.md:12:3  error    ${NASTY}  heading-style`);
  assert.equal(lines[3], "");
  assert.equal(lines[4], "✖ 2 problems (1 error, 1 warning)");
  assert.equal(lines[5], "  1 error and 0 warnings potentially fixable with the --fix option.");
  assert.equal(lines[6], "");
  assert.equal(lines.length, 7);
  assert.ok(!out.includes("docs/clean.md"), "clean files are not listed");
});

test("text: color adds ANSI codes only as decoration", () => {
  const plain = formatText(sampleReport(), { color: false });
  const colored = formatText(sampleReport(), { color: true });
  assert.match(colored, ANSI);
  assert.ok(colored.includes("\x1b[31merror"), "error in red");
  assert.ok(colored.includes("\x1b[33mwarning"), "warning in yellow");
  assert.ok(colored.includes("\x1b[2mno-marker\x1b[22m"), "rule id dimmed");
  assert.ok(colored.includes("\x1b[4mdocs/a.md\x1b[24m"), "file header underlined");
  assert.equal(colored.replace(ANSI_ALL, ""), plain);
});

test("text: summary without fixes, pluralisation, and the clean case", () => {
  const onlyWarning = formatText(sampleReport({ diagnostics: [warning] }), { color: false });
  assert.ok(onlyWarning.endsWith("\n✖ 1 problem (0 errors, 1 warning)\n"));
  assert.ok(!onlyWarning.includes("potentially fixable"));

  assert.equal(formatText(sampleReport({ diagnostics: [] }), { color: false }), "✔ 2 files checked, no problems\n");
  assert.equal(formatText(sampleReport({ files: ["x.md"], diagnostics: [] }), { color: false }), "✔ 1 file checked, no problems\n");
  const cleanColored = formatText(sampleReport({ diagnostics: [] }), { color: true });
  assert.match(cleanColored, ANSI);
  assert.equal(cleanColored.replace(ANSI_ALL, ""), "✔ 2 files checked, no problems\n");
});

test("text: control characters in messages cannot inject escapes or break lines", () => {
  const evil: Diagnostic = { ...warning, message: "a\x1b[31mb\nc" };
  const out = formatText(sampleReport({ diagnostics: [evil] }), { color: false });
  assert.doesNotMatch(out, ANSI);
  assert.ok(out.includes("a\\u001b[31mb c"));
});

test("json: summary and sorted diagnostics with fix", () => {
  const out = formatJson(sampleReport(), { color: false });
  assert.ok(out.startsWith('{\n  "summary": {\n    "files": 2,'), "2-space pretty print");
  const parsed = JSON.parse(out) as { summary: unknown; diagnostics: Diagnostic[] };
  assert.deepEqual(parsed.summary, { files: 2, errors: 1, warnings: 1 });
  assert.deepEqual(parsed.diagnostics, [warning, error]);
  assert.deepEqual(parsed.diagnostics[1]?.fix, { range: [120, 126], text: "Title" });
  assert.ok(!("fix" in (parsed.diagnostics[0] ?? {})));
  assert.ok(parsed.diagnostics[1]?.message === NASTY);
});

test("json: sorts across files", () => {
  const b: Diagnostic = { ...warning, file: "b.md", line: 1 };
  const parsed = JSON.parse(formatJson(sampleReport({ diagnostics: [error, b, warning] }), { color: false })) as {
    diagnostics: Diagnostic[];
  };
  assert.deepEqual(
    parsed.diagnostics.map((d) => `${d.file}:${d.line}`),
    ["b.md:1", "docs/a.md:2", "docs/a.md:12"],
  );
});

interface SarifLog {
  version: string;
  $schema: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: Record<string, unknown>[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    artifacts: { location: { uri: string; uriBaseId?: string } }[];
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId?: string; index: number };
          region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
        };
      }[];
    }[];
  }[];
}

test("sarif: valid against the 2.1.0 schema, with rules, results and artifacts", () => {
  const log = JSON.parse(formatSarif(sampleReport(), { color: false })) as SarifLog;
  assertValidSarif(log);
  assert.equal(log.version, "2.1.0");
  assert.equal(log.$schema, "https://json.schemastore.org/sarif-2.1.0.json");
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.name, "techspec");
  assert.equal(run.tool.driver.version, "0.1.0");
  assert.ok(URL.canParse(run.tool.driver.informationUri));
  assert.deepEqual(run.tool.driver.rules, [
    {
      id: "heading-style",
      shortDescription: { text: "Headings use sentence case." },
      defaultConfiguration: { level: "error" },
      helpUri: "https://example.com/rules/heading-style",
    },
    { id: "no-marker", shortDescription: { text: "No leftover markers." }, defaultConfiguration: { level: "warning" } },
  ]);
  const root = run.originalUriBaseIds["%SRCROOT%"]!.uri;
  assert.ok(root.startsWith("file:///") && root.endsWith("/"), root);
  assert.deepEqual(
    run.artifacts.map((a) => a.location),
    [
      { uri: "docs/a.md", uriBaseId: "%SRCROOT%" },
      { uri: "docs/clean.md", uriBaseId: "%SRCROOT%" },
    ],
  );
  assert.deepEqual(
    run.results.map((r) => [r.ruleId, r.ruleIndex, r.level]),
    [
      ["no-marker", 1, "warning"],
      ["heading-style", 0, "error"],
    ],
  );
  const errResult = run.results[1]!;
  assert.equal(errResult.message.text, NASTY);
  assert.deepEqual(errResult.locations[0]!.physicalLocation, {
    artifactLocation: { uri: "docs/a.md", uriBaseId: "%SRCROOT%", index: 0 },
    region: { startLine: 12, startColumn: 3, endLine: 12, endColumn: 9 },
  });
});

test("sarif: absolute, outside-cwd and unusual paths, unknown rules, clean run", () => {
  const report = sampleReport({
    files: [path.join(CWD, "docs", "my spec#1.md"), path.resolve("/elsewhere/x.md")],
    diagnostics: [
      { ...warning, file: path.join(CWD, "docs", "my spec#1.md"), rule: "not-registered" },
      { ...error, file: path.resolve("/elsewhere/x.md") },
    ],
  });
  const log = JSON.parse(formatSarif(report, { color: false })) as SarifLog;
  assertValidSarif(log);
  const run = log.runs[0]!;
  assert.deepEqual(run.artifacts[0]!.location, { uri: "docs/my%20spec%231.md", uriBaseId: "%SRCROOT%" });
  const outside = run.artifacts[1]!.location;
  assert.ok(outside.uri.startsWith("file:///") && outside.uri.endsWith("/elsewhere/x.md"), outside.uri);
  assert.equal(outside.uriBaseId, undefined);
  const unknown = run.results.find((r) => r.ruleId === "not-registered")!;
  assert.equal(run.tool.driver.rules[unknown.ruleIndex]?.["id"], "not-registered");

  const clean = JSON.parse(formatSarif(sampleReport({ diagnostics: [] }), { color: false })) as SarifLog;
  assertValidSarif(clean);
  assert.deepEqual(clean.runs[0]!.results, []);
});

type Attrs = Record<string, string>;
interface JunitCase {
  "@_name": string;
  "@_classname": string;
  failure?: (Attrs & { "#text": string })[];
}
interface JunitSuite extends Attrs {}

function parseJunit(xml: string): {
  testsuites: Attrs & { testsuite: (JunitSuite & { testcase: JunitCase[] })[] };
} {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseAttributeValue: false,
    parseTagValue: false,
    htmlEntities: true,
    isArray: (name) => ["testsuite", "testcase", "failure"].includes(name),
  });
  return parser.parse(xml) as ReturnType<typeof parseJunit>;
}

test("junit: well-formed, counts match, escaping round-trips", () => {
  const xml = formatJunit(sampleReport(), { color: false });
  assert.equal(XMLValidator.validate(xml), true);
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="techspec" tests="3" failures="2"'));
  assert.ok(xml.includes("&lt;b&gt; &amp; &quot;quoted&quot; &apos;text&apos;"));
  const doc = parseJunit(xml);
  assert.equal(doc.testsuites["@_tests"], "3");
  assert.equal(doc.testsuites["@_failures"], "2");
  const suites = doc.testsuites.testsuite;
  assert.deepEqual(
    suites.map((s) => [s["@_name"], s["@_tests"], s["@_failures"], s.testcase.length]),
    [
      ["docs/a.md", "2", "2", 2],
      ["docs/clean.md", "1", "0", 1],
    ],
  );
  const [w, e] = suites[0]!.testcase;
  assert.equal(w?.["@_name"], "no-marker 2:1");
  assert.equal(w?.["@_classname"], "docs/a.md");
  assert.equal(w?.failure?.[0]?.["@_type"], "warning");
  assert.equal(e?.["@_name"], "heading-style 12:3");
  assert.equal(e?.failure?.[0]?.["@_type"], "error");
  assert.equal(e?.failure?.[0]?.["@_message"], NASTY);
  assert.ok(e?.failure?.[0]?.["#text"].includes(NASTY));
  const cleanCase = suites[1]!.testcase[0]!;
  assert.equal(cleanCase["@_name"], "techspec");
  assert.equal(cleanCase["@_classname"], "docs/clean.md");
  assert.equal(cleanCase.failure, undefined);
});

test("junit: characters illegal in XML 1.0 are stripped, newlines kept", () => {
  const bad: Diagnostic = { ...warning, message: "a\u0001b\u0000c\uD800d\uFFFEe\nf" };
  const xml = formatJunit(sampleReport({ diagnostics: [bad] }), { color: false });
  assert.equal(XMLValidator.validate(xml), true);
  assert.doesNotMatch(xml, /[\u0000-\u0008\uD800\uFFFE]/);
  const failure = parseJunit(xml).testsuites.testsuite[0]!.testcase[0]!.failure![0]!;
  assert.equal(failure["@_message"], "abcde\nf");
});

test("junit: clean run has one passing testcase per file", () => {
  const xml = formatJunit(sampleReport({ diagnostics: [] }), { color: false });
  assert.equal(XMLValidator.validate(xml), true);
  const doc = parseJunit(xml);
  assert.equal(doc.testsuites["@_tests"], "2");
  assert.equal(doc.testsuites["@_failures"], "0");
  assert.equal(doc.testsuites.testsuite.length, 2);
});

test("github: one workflow command per diagnostic, sorted", () => {
  const out = formatGithub(sampleReport(), { color: false });
  assert.equal(
    out,
    "::warning file=docs/a.md,line=2,col=1,endLine=3,endColumn=4,title=no-marker::Marker left in text\n" +
      `::error file=docs/a.md,line=12,col=3,endLine=12,endColumn=9,title=heading-style::${NASTY}\n`,
  );
  assert.equal(formatGithub(sampleReport({ diagnostics: [] }), { color: false }), "");
});

test("github: escapes data and property values", () => {
  const d: Diagnostic = { ...error, file: "dir,x/a:b%.md", rule: "ns:rule,1", message: "100% done\r\nnext: a,b" };
  assert.equal(
    formatGithub(sampleReport({ diagnostics: [d] }), { color: false }),
    "::error file=dir%2Cx/a%3Ab%25.md,line=12,col=3,endLine=12,endColumn=9,title=ns%3Arule%2C1::100%25 done%0D%0Anext: a,b\n",
  );
});

test("columns count UTF-16 code units, as ESLint, LSP and SARIF's default do; SARIF declares it", async () => {
  const { lintSpec } = await import("../src/rules/lint-spec.js");
  const example = readFileSync(path.resolve("examples/specs/FEAT-0001-refund-processing/technical-specification.md"), "utf8");
  const text = example.replace("**Author**: Priya Raman, Staff Software Engineer", "**Author**: 😀 [Name and Role]");
  const line = text.split("\n").findIndex((l) => l.startsWith("**Author**")) + 1;
  const found = lintSpec(text, { path: "docs/emoji.md" }).filter((d) => d.line === line);
  assert.ok(found.length > 0, "the placeholder after the emoji is reported");
  for (const d of found) {
    // "**Author**: " is 12 code units, the emoji 2 (a surrogate pair), the space 1: the placeholder starts at 16 (15 in code points).
    assert.equal(d.column, 16, `${d.rule}: ${d.message}`);
    assert.equal(d.endColumn, 16 + "[Name and Role]".length);
  }
  const report = sampleReport({ files: ["docs/emoji.md"], diagnostics: found, rules: found.map((d) => ({ id: d.rule, description: d.rule, defaultSeverity: d.severity })) });
  const log = JSON.parse(formatSarif(report, { color: false })) as SarifLog & { runs: { columnKind: string }[] };
  assertValidSarif(log);
  assert.equal(log.runs[0]!.columnKind, "utf16CodeUnits");
  assert.deepEqual(log.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.region.startColumn), found.map(() => 16));
  assert.deepEqual((JSON.parse(formatJson(report, { color: false })) as { diagnostics: { column: number }[] }).diagnostics.map((d) => d.column), found.map(() => 16));
  assert.match(formatText(report, { color: false }), new RegExp(`docs/emoji\\.md:${line}:16 `));
});

test("info findings, docs URLs and suggestions: every format maps them, and an info never fails", () => {
  const info: Diagnostic = {
    file: "docs/a.md", line: 5, column: 1, endLine: 5, endColumn: 8, rule: "unknown-type", severity: "info", message: "Type \"Varchr(64)\" is not a known type",
    url: "file:///pkg/docs/rules.md#unknown-type",
    suggestions: [{ message: "Change the type to \"Varchar(64)\"", fix: { range: [40, 50], text: "Varchar(64)" } }],
  };
  const r: LintReport = { files: ["docs/a.md"], diagnostics: [info], rules: [{ id: "unknown-type", description: "Known types.", defaultSeverity: "info", helpUri: info.url! }], toolVersion: "1.0.0", cwd: CWD };
  const text = formatText(r, { color: false });
  assert.match(text, /docs\/a\.md:5:1 {2}info {2}Type "Varchr\(64\)" is not a known type {2}unknown-type/);
  assert.match(text, /✖ 1 problem \(0 errors, 0 warnings, 1 info\)/);
  const json = JSON.parse(formatJson(r, { color: false })) as { summary: Record<string, number>; diagnostics: Diagnostic[] };
  assert.deepEqual(json.summary, { files: 1, errors: 0, warnings: 0, infos: 1 });
  assert.equal(json.diagnostics[0]!.url, info.url);
  assert.deepEqual(json.diagnostics[0]!.suggestions, info.suggestions);
  const sarif = JSON.parse(formatSarif(r, { color: false }));
  assertValidSarif(sarif);
  const result = sarif.runs[0].results[0];
  assert.equal(result.level, "note");
  assert.equal(sarif.runs[0].tool.driver.rules[0].defaultConfiguration.level, "note");
  assert.equal(sarif.runs[0].tool.driver.rules[0].helpUri, info.url);
  assert.deepEqual(result.fixes[0].description, { text: "Change the type to \"Varchar(64)\"" });
  assert.deepEqual(result.fixes[0].artifactChanges[0].replacements[0], { deletedRegion: { charOffset: 40, charLength: 10 }, insertedContent: { text: "Varchar(64)" } });
  const junit = formatJunit(r, { color: false });
  assert.equal(XMLValidator.validate(junit), true);
  assert.match(junit, /<testsuites name="techspec" tests="1" failures="0"/);
  assert.match(junit, /<system-out>docs\/a\.md:5:1 info Type/);
  assert.match(formatGithub(r, { color: false }), /^::notice file=docs\/a\.md,line=5,/);
});
