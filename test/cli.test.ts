// End-to-end tests of the techspec CLI: every test runs the built CLI (dist/src/cli/main.js) as a real
// Node process, in its own temporary folder, and checks stdout, stderr and the exit code.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { PARSE_RULE, ruleIds, TEXT_ENCODING_RULE, UNREADABLE_FILE_RULE } from "../src/rules/index.js";
import type { Diagnostic } from "../src/model/diagnostic.js";
import { assertValidSarif } from "../test-support/sarif.js";

// This file runs as dist/test/cli.test.js.
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const EXAMPLES = path.join(REPO, "examples");
const VERSION = (JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string }).version;

const FEAT1 = "specs/FEAT-0001-refund-processing/technical-specification.md";
const FEAT2 = "specs/FEAT-0002-notification-preferences/technical-specification.md";
const FEAT3 = "specs/FEAT-0003-warehouse-stock-reservation/technical-specification.md";
const TEMPLATE_FILES = ["technical-specification.md", "PRD.md", "ui-ux-design.md", "implementation-plan.md", "test-plan.md"];
const ANSI = /\x1b\[[0-9;]*m/;
const IS_ROOT = typeof process.getuid === "function" && process.getuid() === 0;
/** The 8-byte PNG signature and the start of an IHDR chunk: a real binary by its file signature. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01]);

// ---------------------------------------------------------------------------------------------
// Helpers

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

type Diag = Diagnostic;

interface JsonReport {
  summary: { files: number; errors: number; warnings: number };
  diagnostics: Diag[];
}

/** The date every CLI run takes as today (TECHSPEC_NOW), so no result depends on the day the suite runs. */
const TODAY = "2027-01-15";

/**
 * The environment of the CLI: the test's own, without colour switches or the test runner's markers,
 * with the clock fixed at TODAY. An `extra` value of null removes that variable.
 */
function baseEnv(extra: Record<string, string | null> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TECHSPEC_NOW: TODAY };
  for (const k of ["NO_COLOR", "FORCE_COLOR", "NODE_TEST_CONTEXT", "CI", "NODE_DISABLE_COLORS"]) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === null) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs the CLI in `cwd`; every run is checked for stack traces and internal errors. */
function run(cwd: string, args: string[], extraEnv: Record<string, string | null> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: baseEnv(extraEnv), stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const r = { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
      const what = `techspec ${args.join(" ")}`;
      assert.ok(!r.stderr.includes("    at "), `${what}: stack trace on stderr:\n${r.stderr}`);
      assert.ok(!r.stdout.includes("    at "), `${what}: stack trace on stdout:\n${r.stdout}`);
      assert.ok(!/internal error/i.test(r.stderr), `${what}: internal error:\n${r.stderr}`);
      resolve(r);
    });
  });
}

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A fresh empty temporary folder. */
function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "techspec-cli-"));
  temps.push(dir);
  return dir;
}

/** A fresh temporary copy of examples/ (config + 3 specs). */
function workspace(): string {
  const dir = tmp();
  cpSync(EXAMPLES, dir, { recursive: true });
  return dir;
}

/** Replaces the first occurrence of `from` in a file, failing loudly if the example changed. */
function plant(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes(from), `${file} no longer contains ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

/** Every file and folder under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const rel = path.relative(dir, path.join(d, e.name));
      out.push(e.isDirectory() ? `${rel}/` : rel);
      if (e.isDirectory()) walk(path.join(d, e.name));
    }
  };
  walk(dir);
  return out.sort();
}

/** Exit 2, nothing on stdout, exactly one line on stderr starting "techspec: ". */
function assertOneLineFailure(r: Run, pattern?: RegExp): string {
  assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
  assert.ok(r.stderr.endsWith("\n"), `stderr ends with a newline: ${JSON.stringify(r.stderr)}`);
  const lines = r.stderr.slice(0, -1).split("\n");
  assert.equal(lines.length, 1, `exactly one line on stderr, got:\n${r.stderr}`);
  const line = lines[0]!;
  assert.ok(line.startsWith("techspec: "), `stderr starts with "techspec: ": ${line}`);
  if (pattern) assert.match(line, pattern);
  assert.equal(r.stdout, "", "nothing on stdout");
  return line;
}

function parseJson<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    assert.fail(`not JSON (${(err as Error).message}):\n${text.slice(0, 500)}`);
  }
}

/** 1-based line number of the first line containing `needle`. */
function lineOf(file: string, needle: string): { line: number; column: number } {
  const lines = readFileSync(file, "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not in ${file}`);
  return { line: i + 1, column: lines[i]!.indexOf(needle) + 1 };
}

/** The system's local date as YYYY-MM-DD (only to check the CLI's own clock when TECHSPEC_NOW is unset). */
function systemDate(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/**
 * examples/ with planted problems:
 * FEAT-0001: a placeholder author, a request body with a trailing comma, a FETCH method (3 errors);
 * FEAT-0002: Approved with every approval Approved but two open questions (2 warnings).
 */
function brokenWorkspace(): { dir: string; expected: { author: { line: number; column: number }; json: number; fetch: { line: number; column: number } } } {
  const dir = workspace();
  const f1 = path.join(dir, FEAT1);
  plant(f1, "**Author**: Priya Raman, Staff Software Engineer", "**Author**: [Name and Role]");
  plant(f1, '"ticketId": "CS-48213"', '"ticketId": "CS-48213",');
  plant(f1, "- **Method**: GET", "- **Method**: FETCH");
  plantTwoWarnings(path.join(dir, FEAT2));
  const author = lineOf(f1, "[Name and Role]");
  const fetch = lineOf(f1, "FETCH");
  return { dir, expected: { author, json: lineOf(f1, '"ticketId": "CS-48213",').line, fetch } };
}

/** FEAT-0002 gets two field types techspec does not know: two unknown-type warnings. */
function plantTwoWarnings(file: string): void {
  plant(file, "| description | Text |", "| description | Prose |");
  plant(file, "| createdAt | Timestamp | Time the category", "| createdAt | Instant | Time the category");
}

/** The text report's groups: file header → the `file:line:column` locations listed under it. */
/** The note lint prints once per run when decisions are recorded and signatures are not required. */
const UNVERIFIED_NOTE = 'approver identities are not verified: without "signatures" in the configuration, an approval line proves only what git\'s author field says, which anyone can set (require signed approvals: see docs/signatures.md)';

function textGroups(text: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("note: ")) continue;
    if (line === "") {
      current = null;
    } else if (line.startsWith("  ")) {
      assert.ok(current, `row outside a file group: ${line}`);
      const loc = /^ {2}(\S+:\d+:\d+)\s/.exec(line);
      if (loc) current.push(loc[1]!);
    } else if (!line.startsWith("✖") && !line.startsWith("✔")) {
      assert.ok(!groups.has(line), `file ${line} appears as a group twice`);
      current = [];
      groups.set(line, current);
    }
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------

describe("techspec CLI", { concurrency: 4 }, () => {
  describe("basics", () => {
    test("--version and -v print package.json's version", async () => {
      const dir = tmp();
      for (const flag of ["--version", "-v"]) {
        const r = await run(dir, [flag]);
        assert.equal(r.code, 0);
        assert.equal(r.stdout, `${VERSION}\n`);
        assert.equal(r.stderr, "");
      }
    });

    test("--help lists the commands and exits 0", async () => {
      const dir = tmp();
      for (const flag of ["--help", "-h", "help"]) {
        const r = await run(dir, [flag]);
        assert.equal(r.code, 0);
        assert.equal(r.stderr, "");
        assert.match(r.stdout, /^Usage: techspec <command>/);
        for (const c of ["init", "new", "lint", "show", "list", "rules"]) assert.match(r.stdout, new RegExp(`^ {2}${c}\\s`, "m"));
      }
      const lint = await run(dir, ["lint", "--help"]);
      assert.equal(lint.code, 0);
      assert.equal(lint.stderr, "");
      assert.match(lint.stdout, /^Usage: techspec lint/);
      assert.match(lint.stdout, /--max-warnings/);
      assert.deepEqual(tree(dir), []);
    });

    test("no command shows the help with exit 2", async () => {
      const r = await run(tmp(), []);
      assert.equal(r.code, 2);
      assert.match(r.stdout + r.stderr, /Usage: techspec/);
    });

    test("an unknown command is one line on stderr and exit 2", async () => {
      const dir = tmp();
      const line = assertOneLineFailure(await run(dir, ["frobnicate"]), /frobnicate/);
      assert.match(line, /lint/);
      assert.deepEqual(tree(dir), []);
    });
  });

  describe("lint of the examples", () => {
    test("text: clean, exit 0", async () => {
      const r = await run(workspace(), ["lint"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.stderr, "");
      // The examples record approvals and require no signatures: lint says once that identities are not verified.
      assert.equal(r.stdout, `✔ 3 files checked, no problems\nnote: ${UNVERIFIED_NOTE}\n`);
    });

    test("the examples folder given as a path from outside lints clean", async () => {
      const dir = tmp();
      cpSync(EXAMPLES, path.join(dir, "examples"), { recursive: true });
      const r = await run(dir, ["lint", "examples"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.stderr, "");
      assert.match(r.stdout, /3 files checked, no problems/);
    });

    test("json: summary {files, errors, warnings} and a diagnostics array", async () => {
      const r = await run(workspace(), ["lint", "--format", "json"]);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, "");
      const report = parseJson<JsonReport>(r.stdout);
      assert.deepEqual(report.summary, { files: 3, errors: 0, warnings: 0 });
      assert.deepEqual(report.diagnostics, []);
    });

    test("sarif: version 2.1.0 with results", async () => {
      const r = await run(workspace(), ["lint", "-f", "sarif"]);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, "");
      const log = parseJson<{ version: string; runs: { tool: { driver: { name: string; version: string; rules: { id: string }[] } }; results: unknown[]; artifacts: unknown[] }[] }>(r.stdout);
      assert.equal(log.version, "2.1.0");
      assert.equal(log.runs.length, 1);
      assert.ok(Array.isArray(log.runs[0]!.results));
      assert.equal(log.runs[0]!.results.length, 0);
      assert.equal(log.runs[0]!.artifacts.length, 3);
      assert.equal(log.runs[0]!.tool.driver.name, "techspec");
      assert.equal(log.runs[0]!.tool.driver.version, VERSION);
      assert.deepEqual(log.runs[0]!.tool.driver.rules.map((x) => x.id).sort(), [...ruleIds].sort());
    });

    test("junit: well-formed XML with a passing test per file", async () => {
      const r = await run(workspace(), ["lint", "-f", "junit"]);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, "");
      assert.equal(XMLValidator.validate(r.stdout), true);
      const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" }).parse(r.stdout) as {
        testsuites: { "@_failures": string; testsuite: unknown[] };
      };
      assert.equal(xml.testsuites["@_failures"], "0");
      assert.equal(xml.testsuites.testsuite.length, 3);
    });

    test("github: no workflow commands when clean", async () => {
      const r = await run(workspace(), ["lint", "-f", "github"]);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, "");
      assert.equal(r.stdout, `::notice title=techspec::${UNVERIFIED_NOTE}\n`, "no error or warning, the one notice");
    });
  });

  describe("lint of a broken workspace", () => {
    test("text: exit 1, file:line:column of each finding, grouped by file", async () => {
      const { dir, expected } = brokenWorkspace();
      const [text, json] = await Promise.all([run(dir, ["lint"]), run(dir, ["lint", "-f", "json"])]);
      assert.equal(text.code, 1, text.stderr);
      assert.equal(json.code, 1, json.stderr);
      assert.equal(text.stderr, "");
      assert.doesNotMatch(text.stdout, ANSI);

      const report = parseJson<JsonReport>(json.stdout);
      assert.deepEqual(report.summary, { files: 3, errors: 3, warnings: 2 });
      const f1 = report.diagnostics.filter((d) => d.file === FEAT1);
      const f2 = report.diagnostics.filter((d) => d.file === FEAT2);
      assert.equal(f1.length + f2.length, report.diagnostics.length, "only FEAT-0001 and FEAT-0002 have findings");
      assert.deepEqual(f1.map((d) => d.rule).sort(), ["api-fields", "json-block", "no-placeholder"]);
      assert.ok(f1.every((d) => d.severity === "error"));
      assert.deepEqual(f2.map((d) => `${d.rule}/${d.severity}`), ["unknown-type/warning", "unknown-type/warning"]);

      const placeholder = f1.find((d) => d.rule === "no-placeholder")!;
      assert.deepEqual([placeholder.line, placeholder.column], [expected.author.line, expected.author.column]);
      assert.match(placeholder.message, /\[Name and Role\]/);
      const method = f1.find((d) => d.rule === "api-fields")!;
      assert.deepEqual([method.line, method.column], [expected.fetch.line, expected.fetch.column]);
      assert.match(method.message, /FETCH/);
      const badJson = f1.find((d) => d.rule === "json-block")!;
      // The trailing comma, or the token right after it.
      assert.ok([expected.json, expected.json + 1].includes(badJson.line), `json-block finding on line ${badJson.line}, expected ${expected.json}`);

      const groups = textGroups(text.stdout);
      assert.deepEqual([...groups.keys()], [FEAT1, FEAT2], "one group per file with findings, in path order");
      for (const d of report.diagnostics) {
        const loc = `${d.file}:${d.line}:${d.column}`;
        assert.ok(groups.get(d.file)!.includes(loc), `${loc} listed under ${d.file}`);
      }
      assert.deepEqual([...groups.values()].map((g) => g.length), [3, 2]);
      assert.match(text.stdout, /✖ 5 problems \(3 errors, 2 warnings\)/);
    });

    test("json, sarif, junit and github describe the same findings", async () => {
      const { dir } = brokenWorkspace();
      const [sarif, junit, github] = await Promise.all(["sarif", "junit", "github"].map((f) => run(dir, ["lint", "--format", f])));
      for (const r of [sarif!, junit!, github!]) {
        assert.equal(r.code, 1);
        assert.equal(r.stderr, "");
      }
      const log = parseJson<{ version: string; runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] }>(sarif!.stdout);
      assert.equal(log.version, "2.1.0");
      const results = log.runs[0]!.results;
      assert.equal(results.length, 5);
      assert.deepEqual(results.map((x) => x.level).sort(), ["error", "error", "error", "warning", "warning"]);
      assert.ok(results.every((x) => x.locations[0]!.physicalLocation.region.startLine >= 1));
      assert.deepEqual([...new Set(results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri))].sort(), [FEAT1, FEAT2]);

      assert.equal(XMLValidator.validate(junit!.stdout), true);
      const xml = new XMLParser({ ignoreAttributes: false }).parse(junit!.stdout) as { testsuites: { "@_failures": string } };
      assert.equal(xml.testsuites["@_failures"], "5");

      const all = github!.stdout.trimEnd().split("\n");
      assert.equal(all.filter((l) => l.startsWith("::notice ")).length, 1, "the note, once");
      const lines = all.filter((l) => !l.startsWith("::notice "));
      assert.equal(lines.length, 5);
      for (const line of lines) assert.match(line, /^::(error|warning) file=[^,]+,line=\d+,col=\d+/);
      assert.equal(lines.filter((l) => l.startsWith("::error ")).length, 3);
      assert.equal(lines.filter((l) => l.startsWith("::warning ")).length, 2);
    });

    test("--quiet hides warnings", async () => {
      const { dir } = brokenWorkspace();
      const [text, json] = await Promise.all([run(dir, ["lint", "--quiet"]), run(dir, ["lint", "-q", "-f", "json"])]);
      assert.equal(text.code, 1);
      assert.equal(text.stderr, "");
      assert.doesNotMatch(text.stdout, /:\d+:\d+\s+warning\s/, "no warning rows");
      assert.doesNotMatch(text.stdout, /FEAT-0002/);
      assert.match(text.stdout, /✖ 3 problems \(3 errors, 0 warnings\)/);
      assert.equal([...textGroups(text.stdout).keys()].join(), FEAT1);
      const report = parseJson<JsonReport>(json.stdout);
      assert.equal(report.diagnostics.length, 3);
      assert.ok(report.diagnostics.every((d) => d.severity === "error"));
    });

    test("warnings only: exit 0; --max-warnings 0 → exit 1; a higher limit → exit 0", async () => {
      const dir = workspace();
      plantTwoWarnings(path.join(dir, FEAT2));
      const [plain, zero, one, two, three, quiet] = await Promise.all([
        run(dir, ["lint"]),
        run(dir, ["lint", "--max-warnings", "0"]),
        run(dir, ["lint", "--max-warnings=1"]),
        run(dir, ["lint", "--max-warnings", "2"]),
        run(dir, ["lint", "--max-warnings", "3", "-f", "json"]),
        run(dir, ["lint", "--quiet"]),
      ]);
      assert.equal(plain.code, 0, plain.stdout);
      assert.equal(plain.stderr, "");
      assert.match(plain.stdout, /✖ 2 problems \(0 errors, 2 warnings\)/);
      assert.match(plain.stdout, new RegExp(`${FEAT2}:\\d+:\\d+\\s+warning`));

      assert.equal(zero.code, 1);
      assert.match(zero.stdout, /2 warnings/);
      assert.equal(zero.stderr.trimEnd().split("\n").length, 1);
      assert.match(zero.stderr, /^techspec: .*max-warnings 0/);
      assert.equal(one.code, 1);

      assert.equal(two.code, 0);
      assert.equal(two.stderr, "");
      assert.equal(three.code, 0);
      assert.deepEqual(parseJson<JsonReport>(three.stdout).summary, { files: 3, errors: 0, warnings: 2 });

      assert.equal(quiet.code, 0);
      assert.equal(quiet.stderr, "");
      assert.match(quiet.stdout, /no problems/);
    });

    test("-o writes the report to a file and nothing to stdout", async () => {
      const { dir } = brokenWorkspace();
      const before = tree(dir);
      const [toFile, toStdout] = await Promise.all([run(dir, ["lint", "-f", "json", "-o", "out.json"]), run(dir, ["lint", "-f", "json"])]);
      assert.equal(toFile.code, 1);
      assert.equal(toFile.stdout, "");
      assert.equal(toFile.stderr, "");
      const written = readFileSync(path.join(dir, "out.json"), "utf8");
      assert.deepEqual(parseJson<JsonReport>(written), parseJson<JsonReport>(toStdout.stdout));
      assert.deepEqual(tree(dir), [...before, "out.json"].sort(), "no temporary file left next to the report");

      const text = await run(dir, ["lint", "--output", "report.txt"], { FORCE_COLOR: "1" });
      assert.equal(text.code, 1);
      assert.equal(text.stdout, "");
      const report = readFileSync(path.join(dir, "report.txt"), "utf8");
      assert.match(report, /5 problems/);
      assert.doesNotMatch(report, ANSI, "no colour in a report file");
    });

    test("-o into a missing folder is one line on stderr, exit 2", async () => {
      const { dir } = brokenWorkspace();
      const before = tree(dir);
      const r = await run(dir, ["lint", "-f", "json", "-o", "missing/out.json"]);
      assertOneLineFailure(r, /out\.json/);
      assert.deepEqual(tree(dir), before);
    });
  });

  describe("lint --fix", () => {
    /** Plants the three fixable problems in FEAT-0002 (Created Date moved so the fixed date is consistent). */
    function fixable(dir: string, eol: "\n" | "\r\n", extra?: () => void): string {
      const file = path.join(dir, FEAT2);
      plant(file, "**Status**: In Review", "**Status**: in review");
      plant(file, "**Last Updated**: 2026-11-24", "**Last Updated**: 2026/4/5");
      plant(file, "**Created Date**: 2026-04-06", "**Created Date**: 2026-04-01");
      plant(file, "Sofia Lindqvist - Approved", "Sofia Lindqvist - approved");
      extra?.();
      if (eol === "\r\n") writeFileSync(file, readFileSync(file, "utf8").replace(/\n/g, "\r\n"));
      return file;
    }

    function assertFixed(before: string, after: string, eol: string): void {
      const a = before.split(eol);
      const b = after.split(eol);
      assert.equal(b.length, a.length, "same number of lines");
      const changed: number[] = [];
      for (let i = 0; i < a.length; i++) {
        if (a[i] === b[i]) continue;
        changed.push(i);
      }
      const changedText = changed.map((i) => [a[i], b[i]]);
      assert.deepEqual(changedText, [
        ["**Last Updated**: 2026/4/5  ", "**Last Updated**: 2026-04-05  "],
        ["**Status**: in review", "**Status**: In Review"],
        ["**Engineering Lead**: Sofia Lindqvist - approved  ", "**Engineering Lead**: Sofia Lindqvist - Approved  "],
      ]);
      assert.equal(after.split("\r\n").length, before.split("\r\n").length, "line endings kept");
    }

    test("rewrites status, date and decision in place, nothing else", async () => {
      const dir = workspace();
      const file = fixable(dir, "\n");
      const before = readFileSync(file, "utf8");
      const files = tree(dir);
      const check = await run(dir, ["lint"]);
      assert.equal(check.code, 1, "the non-ISO date is an error before fixing");
      assert.match(check.stdout, /potentially fixable with the --fix option/);

      const r = await run(dir, ["lint", "--fix"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /no problems/);
      assert.equal(r.stderr, "techspec: fixed 3 problems in 1 file(s)\n");
      assertFixed(before, readFileSync(file, "utf8"), "\n");
      assert.deepEqual(tree(dir), files, "no temporary files left");
      for (const other of [FEAT1, FEAT3]) assert.equal(readFileSync(path.join(dir, other), "utf8"), readFileSync(path.join(EXAMPLES, other), "utf8"));

      const again = await run(dir, ["lint", "--fix"]);
      assert.equal(again.code, 0);
      assert.equal(again.stderr, "", "nothing left to fix");
    });

    test("keeps CRLF line endings; the exit code reflects what is left", async () => {
      const dir = workspace();
      const file = fixable(dir, "\r\n", () => plant(path.join(dir, FEAT2), "- **Method**: GET", "- **Method**: FETCH"));
      const before = readFileSync(file, "utf8");
      const files = tree(dir);
      const r = await run(dir, ["lint", "--fix", "-f", "json"]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^techspec: fixed 3 problems in 1 file\(s\)\n$/);
      const report = parseJson<JsonReport>(r.stdout);
      assert.deepEqual(report.diagnostics.map((d) => `${d.file} ${d.rule}`), [`${FEAT2} api-fields`]);
      const after = readFileSync(file, "utf8");
      assert.doesNotMatch(after.replace(/\r\n/g, ""), /\n/, "no bare LF introduced");
      assertFixed(before, after, "\r\n");
      assert.deepEqual(tree(dir), files, "no temporary files left");
    });
  });

  describe("colour", () => {
    test("piped output and NO_COLOR have no ANSI escapes; FORCE_COLOR=1 adds them to text only", async () => {
      const { dir } = brokenWorkspace();
      const [piped, noColor, forced, forcedClean, forcedJson, forcedZero] = await Promise.all([
        run(dir, ["lint"]),
        run(dir, ["lint"], { NO_COLOR: "1" }),
        run(dir, ["lint"], { FORCE_COLOR: "1" }),
        run(workspace(), ["lint"], { FORCE_COLOR: "1" }),
        run(dir, ["lint", "-f", "json"], { FORCE_COLOR: "1" }),
        run(dir, ["lint"], { FORCE_COLOR: "0" }),
      ]);
      for (const r of [piped, noColor, forced, forcedJson, forcedZero]) assert.equal(r.code, 1);
      assert.doesNotMatch(piped.stdout + piped.stderr, ANSI);
      assert.doesNotMatch(noColor.stdout + noColor.stderr, ANSI);
      assert.doesNotMatch(forcedZero.stdout, ANSI);
      assert.match(forced.stdout, ANSI);
      assert.match(forced.stdout, /\x1b\[31merror\x1b\[39m/);
      assert.equal(forced.stdout.replace(/\x1b\[[0-9;]*m/g, ""), piped.stdout, "colour changes nothing but escapes");
      assert.equal(forcedClean.code, 0);
      assert.match(forcedClean.stdout, ANSI);
      assert.doesNotMatch(forcedJson.stdout, ANSI);
      parseJson(forcedJson.stdout);
    });
  });

  describe("bad input: exit 2, one line on stderr, nothing written", () => {
    /** Runs `lint args` in `dir` and checks the failure and that the folder did not change. */
    async function lintFails(dir: string, args: string[], pattern: RegExp): Promise<string> {
      const before = tree(dir);
      const r = await run(dir, ["lint", ...args]);
      assert.deepEqual(tree(dir), before, "no file written");
      return assertOneLineFailure(r, pattern);
    }

    test("a folder without specs", async () => {
      const dir = tmp();
      mkdirSync(path.join(dir, "docs"));
      writeFileSync(path.join(dir, "docs", "README.md"), "# Docs\n");
      await lintFails(dir, ["docs"], /no specs found in docs/);
    });

    test("no specs at all in the current folder", async () => {
      await lintFails(tmp(), [], /no specs found/);
    });

    test("a configuration that is not valid JSON", async () => {
      const dir = workspace();
      writeFileSync(path.join(dir, "techspec.config.json"), '{ "specs": [\n');
      await lintFails(dir, [], /techspec\.config\.json: not valid JSON/);
    });

    test("a configuration with an unknown key", async () => {
      const dir = workspace();
      writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify({ specz: ["specs/**/technical-specification.md"] }));
      await lintFails(dir, [], /unknown key "specz".*"specs"/);
    });

    test("a configuration with an unknown rule id", async () => {
      const dir = workspace();
      writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify({ rules: { "no-placeholdr": "off" } }));
      await lintFails(dir, [], /"rules\.no-placeholdr" is not a rule \(did you mean "no-placeholder"\?\)/);
    });

    test("a configuration with a bad severity", async () => {
      const dir = workspace();
      writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify({ rules: { metadata: "fatal" } }));
      await lintFails(dir, [], /"rules\.metadata".*fatal/);
      writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify({ rules: { "open-questions": ["fatal"] } }));
      await lintFails(dir, [], /"rules\.open-questions"/);
    });

    test("an explicit configuration file that does not exist", async () => {
      await lintFails(workspace(), ["--config", "nope.json"], /nope\.json/);
    });

    test("unknown option, bad --format, bad --max-warnings", async () => {
      const dir = workspace();
      await lintFails(dir, ["--frobnicate"], /--frobnicate/);
      await lintFails(dir, ["--format", "xml"], /"xml"/);
      await lintFails(dir, ["-f", "xml"], /"xml"/);
      await lintFails(dir, ["--max-warnings=-1"], /--max-warnings/);
      await lintFails(dir, ["--max-warnings", "many"], /--max-warnings/);
      await lintFails(dir, ["--max-warnings"], /--max-warnings/);
      await lintFails(dir, ["--max-warnings", "-1"], /--max-warnings/);
    });
  });

  describe("a file that cannot be read as a spec is a finding of its own (exit 2)", () => {
    /**
     * Runs `lint args` as text and as JSON in `dir`: exit 2, nothing written, one stderr line naming the file, and a
     * report whose only finding is the file's unreadable-file error at 1:1 with the reason.
     */
    async function reportsUnreadable(dir: string, args: string[], file: string, reason: RegExp): Promise<void> {
      const before = tree(dir);
      const [text, json] = await Promise.all([run(dir, ["lint", ...args]), run(dir, ["lint", ...args, "-f", "json"])]);
      assert.deepEqual(tree(dir), before, "no file written");
      for (const r of [text, json]) {
        assert.equal(r.code, 2, r.stderr);
        const lines = r.stderr.trimEnd().split("\n");
        assert.equal(lines.length, 1, `one line on stderr:\n${r.stderr}`);
        assert.ok(lines[0]!.startsWith(`techspec: ${file}: `), lines[0]);
        assert.match(lines[0]!.slice(`techspec: ${file}: `.length), reason);
      }
      assert.deepEqual([...textGroups(text.stdout)], [[file, [`${file}:1:1`]]]);
      assert.match(text.stdout, /  error  .+  unreadable-file\n\n✖ 1 problem \(1 error, 0 warnings\)\n$/);
      const report = parseJson<JsonReport>(json.stdout);
      assert.deepEqual(report.summary, { files: 1, errors: 1, warnings: 0 });
      assert.equal(report.diagnostics.length, 1);
      const { message, url, ...at } = report.diagnostics[0]!;
      assert.deepEqual(at, { file, line: 1, column: 1, endLine: 1, endColumn: 1, rule: UNREADABLE_FILE_RULE.id, severity: "error" });
      // The rule's documentation ships with the package.
      assert.match(url ?? "", /^file:\/\/.*\/docs\/rules\.md#unreadable-file$/);
      assert.match(message, reason);
    }

    test("a path that does not exist", async () => {
      await reportsUnreadable(tmp(), ["missing/technical-specification.md"], "missing/technical-specification.md", /^no such file or directory$/);
    });

    test("a binary file passed explicitly", async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, "technical-specification.md"), Buffer.from([0x23, 0x20, 0x54, 0x00, 0x01, 0x02, 0xff, 0x00, 0x0a]));
      await reportsUnreadable(dir, ["technical-specification.md"], "technical-specification.md", /^binary file, not Markdown text$/);
    });

    test("a PNG named like a spec is binary by its signature", async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, "technical-specification.md"), PNG);
      await reportsUnreadable(dir, ["technical-specification.md"], "technical-specification.md", /^binary file, not Markdown text \(a PNG image\)$/);
    });

    test("an empty file, and one of white space only", async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, "technical-specification.md"), "");
      writeFileSync(path.join(dir, "blank.md"), " \n\t\r\n");
      await reportsUnreadable(dir, ["technical-specification.md"], "technical-specification.md", /^empty file \(start from the template with: techspec new "Title"\)$/);
      await reportsUnreadable(dir, ["blank.md"], "blank.md", /^empty file /);
    });

    test("a Markdown file that is not a spec", async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, "notes.md"), "# Meeting notes\n\n- We talked about refunds.\n");
      await reportsUnreadable(dir, ["notes.md"], "notes.md", /^not a technical specification: no "# Technical Specification: <name>" title and no Overview metadata \(Feature ID or Status\)$/);
    });

    test("a 50 MB file", async () => {
      const dir = tmp();
      const size = 50 * 1024 * 1024;
      const big = Buffer.alloc(size, 0x61);
      big.write(readFileSync(path.join(EXAMPLES, FEAT1), "utf8"));
      writeFileSync(path.join(dir, "technical-specification.md"), big);
      assert.equal(statSync(path.join(dir, "technical-specification.md")).size, size);
      await reportsUnreadable(dir, ["technical-specification.md"], "technical-specification.md", /^file is 50\.0 MB, over the 10\.0 MB limit for a spec \(raise "maxFileSize"/);
    });

    test("a folder named like a spec file", async () => {
      const dir = tmp();
      mkdirSync(path.join(dir, "technical-specification.md"));
      await reportsUnreadable(dir, ["technical-specification.md"], "technical-specification.md", /^cannot read \(is a directory\)$/);
    });

    test("a FIFO named like a spec is refused without waiting for a writer", async () => {
      const dir = tmp();
      const made = spawnSync("mkfifo", [path.join(dir, "technical-specification.md")]);
      assert.equal(made.status, 0, `mkfifo: ${String(made.stderr)}`);
      await reportsUnreadable(dir, ["technical-specification.md"], "technical-specification.md", /^cannot read \(not a regular file\)$/);
    });

    test("a dangling symbolic link", async () => {
      const dir = tmp();
      symlinkSync(path.join(dir, "gone.md"), path.join(dir, "technical-specification.md"));
      await reportsUnreadable(dir, ["technical-specification.md"], "technical-specification.md", /^no such file or directory$/);
    });

    test(IS_ROOT ? "a symbolic link loop (running as root, who reads every file whatever its mode)" : "a file without read permission", async () => {
      const dir = tmp();
      const name = "technical-specification.md";
      if (IS_ROOT) {
        symlinkSync(name, path.join(dir, name));
        await reportsUnreadable(dir, [name], name, /^symbolic link loop$/);
      } else {
        cpSync(path.join(EXAMPLES, FEAT1), path.join(dir, name));
        chmodSync(path.join(dir, name), 0o000);
        try {
          await reportsUnreadable(dir, [name], name, /^cannot read \(permission denied\)$/);
        } finally {
          chmodSync(path.join(dir, name), 0o644);
        }
      }
    });

    test("-o writes the complete report", async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, "technical-specification.md"), Buffer.from([0x23, 0x20, 0x54, 0x00, 0x0a]));
      const r = await run(dir, ["lint", "technical-specification.md", "-f", "json", "-o", "out.json"]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.equal(r.stderr, "techspec: technical-specification.md: binary file, not Markdown text\n");
      const report = parseJson<JsonReport>(readFileSync(path.join(dir, "out.json"), "utf8"));
      assert.deepEqual(report.summary, { files: 1, errors: 1, warnings: 0 });
      assert.equal(report.diagnostics[0]!.rule, UNREADABLE_FILE_RULE.id);
    });

    test("the configuration may downgrade unreadable-file to a warning (still exit 2) but not turn it off", async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, "notes.md"), "# Notes\n");
      writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify({ rules: { "unreadable-file": "warn" } }));
      const r = await run(dir, ["lint", "notes.md", "-f", "json"]);
      assert.equal(r.code, 2);
      assert.deepEqual(parseJson<JsonReport>(r.stdout).summary, { files: 1, errors: 0, warnings: 1 });
      for (const off of ['"off"', '["off"]']) {
        writeFileSync(path.join(dir, "techspec.config.json"), `{ "rules": { "unreadable-file": ${off} } }`);
        assertOneLineFailure(await run(dir, ["lint", "notes.md"]), /"rules\.unreadable-file" cannot be "off" \(use "warn" or "error"\); to leave a file out, add it to "ignore"/);
      }
      writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify({ rules: { "unreadable-file": "fatal" } }));
      assertOneLineFailure(await run(dir, ["lint", "notes.md"]), /"rules\.unreadable-file"/);
    });
  });

  describe("a run over several files reports every one", () => {
    const NUL_SPEC = "specs/FEAT-0004-nul/technical-specification.md";
    const LATIN1_SPEC = "specs/FEAT-0005-latin1/technical-specification.md";
    const TITLE = "# Technical Specification: Warehouse Stock Reservation";

    /** A copy of FEAT-0003 as `id`, with `insert` (raw bytes) put into the title after "Warehouse". */
    function variant(dir: string, rel: string, id: string, insert: Buffer): void {
      const folder = path.join(dir, path.dirname(rel));
      cpSync(path.join(dir, path.dirname(FEAT3)), folder, { recursive: true });
      const text = readFileSync(path.join(dir, FEAT3), "utf8").replace("**Feature ID**: FEAT-0003", `**Feature ID**: ${id}`);
      assert.ok(text.startsWith(`${TITLE}\n`));
      const at = Buffer.byteLength("# Technical Specification: Warehouse");
      const bytes = Buffer.from(text);
      writeFileSync(path.join(dir, rel), Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(at)]));
    }

    /**
     * examples/ with, under specs/: a spec with a NUL and one with a Latin-1 "é" (both otherwise clean), a PNG, an
     * empty file, a note that is not a spec, a file over the configured maxFileSize, a file without read permission
     * (unless running as root), and a folder symlink back up the tree; beside it a symbolic link loop, a dangling
     * link and a folder named like a spec. `unreadable` maps each file that cannot be read to its reason.
     */
    function mixedWorkspace(): { dir: string; args: string[]; unreadable: Map<string, RegExp>; encoding: Map<string, { line: number; column: number; message: RegExp }> } {
      const dir = workspace();
      writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify({ specs: ["specs/**/technical-specification.md"], maxFileSize: 100_000 }));
      variant(dir, NUL_SPEC, "FEAT-0004", Buffer.from([0x00]));
      variant(dir, LATIN1_SPEC, "FEAT-0005", Buffer.from([0xe9]));
      const put = (rel: string, content: string | Buffer): void => {
        mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), content);
      };
      put("specs/diagram/technical-specification.md", PNG);
      put("specs/empty/technical-specification.md", "");
      // Named like a spec, but no title, no metadata and no template section: a note, not a spec.
      put("specs/notes/technical-specification.md", "Notes from Tuesday.\n\n- We talked about refunds.\n");
      put("specs/huge/technical-specification.md", `${readFileSync(path.join(EXAMPLES, FEAT1), "utf8")}\n${"More text. ".repeat(20_000)}\n`);
      symlinkSync("..", path.join(dir, path.dirname(FEAT2), "back-up"));
      symlinkSync("loop.md", path.join(dir, "loop.md"));
      symlinkSync("gone.md", path.join(dir, "dangling.md"));
      mkdirSync(path.join(dir, "folder.md"));
      const unreadable = new Map<string, RegExp>([
        ["specs/diagram/technical-specification.md", /^binary file, not Markdown text \(a PNG image\)$/],
        ["specs/empty/technical-specification.md", /^empty file /],
        ["specs/notes/technical-specification.md", /^not a technical specification: /],
        ["specs/huge/technical-specification.md", /^file is 2\d\d\.\d KB, over the 97\.7 KB limit for a spec/],
        ["missing/technical-specification.md", /^no such file or directory$/],
        ["loop.md", /^symbolic link loop$/],
        ["dangling.md", /^no such file or directory$/],
        ["folder.md", /^cannot read \(is a directory\)$/],
      ]);
      if (!IS_ROOT) {
        put("specs/locked/technical-specification.md", readFileSync(path.join(EXAMPLES, FEAT1)));
        chmodSync(path.join(dir, "specs/locked/technical-specification.md"), 0o000);
        unreadable.set("specs/locked/technical-specification.md", /^cannot read \(permission denied\)$/);
      }
      const column = TITLE.indexOf(" Stock") + 1;
      const encoding = new Map([
        [NUL_SPEC, { line: 1, column, message: /^A NUL character was read as U\+FFFD \(remove it\)$/ }],
        [LATIN1_SPEC, { line: 1, column, message: /^Byte 0xE9 \(not valid UTF-8\) was read as U\+FFFD \(save the file as UTF-8\)$/ }],
      ]);
      return { dir, args: ["specs", "missing/technical-specification.md", "loop.md", "dangling.md", "folder.md"], unreadable, encoding };
    }

    /** Every stderr line names one unreadable file with its reason, each once. */
    function assertSkippedOnStderr(stderr: string, unreadable: ReadonlyMap<string, RegExp>, only?: (file: string) => boolean): void {
      const expected = [...unreadable].filter(([f]) => !only || only(f));
      const lines = stderr.trimEnd().split("\n");
      assert.equal(lines.length, expected.length, stderr);
      for (const [file, reason] of expected) {
        const line = lines.find((l) => l.startsWith(`techspec: ${file}: `));
        assert.ok(line, `stderr names ${file}:\n${stderr}`);
        assert.match(line.slice(`techspec: ${file}: `.length), reason);
      }
    }

    test("text, json, sarif, junit and github name every file with its rule; summary.files counts them all; exit 2", async () => {
      const { dir, args, unreadable, encoding } = mixedWorkspace();
      const readable = [FEAT1, FEAT2, FEAT3, NUL_SPEC, LATIN1_SPEC];
      const all = [...readable, ...unreadable.keys()];
      const before = tree(dir);
      const [text, json, sarif, junit, github] = await Promise.all(
        (["text", "json", "sarif", "junit", "github"] as const).map((f) => run(dir, ["lint", ...args, "-f", f])),
      ) as [Run, Run, Run, Run, Run];
      assert.deepEqual(tree(dir), before, "no file written");
      for (const r of [text, json, sarif, junit, github]) {
        assert.equal(r.code, 2, r.stderr);
        assertSkippedOnStderr(r.stderr, unreadable);
      }

      // json: every file counted once (the folder link back up the tree adds none), one finding per unreadable file
      // at 1:1 with its reason, one text-encoding warning per decoded byte, nothing else.
      const report = parseJson<JsonReport>(json.stdout);
      assert.deepEqual(report.summary, { files: all.length, errors: unreadable.size, warnings: encoding.size });
      assert.equal(report.diagnostics.length, unreadable.size + encoding.size);
      for (const [file, reason] of unreadable) {
        const d = report.diagnostics.filter((x) => x.file === file);
        assert.equal(d.length, 1, `${file}: ${JSON.stringify(d)}`);
        assert.deepEqual([d[0]!.rule, d[0]!.severity, d[0]!.line, d[0]!.column], [UNREADABLE_FILE_RULE.id, "error", 1, 1]);
        assert.match(d[0]!.message, reason);
      }
      for (const [file, at] of encoding) {
        const d = report.diagnostics.filter((x) => x.file === file);
        assert.equal(d.length, 1, `${file}: ${JSON.stringify(d)}`);
        assert.deepEqual([d[0]!.rule, d[0]!.severity, d[0]!.line, d[0]!.column, d[0]!.endLine, d[0]!.endColumn],
          [TEXT_ENCODING_RULE.id, "warning", at.line, at.column, at.line, at.column + 1]);
        assert.match(d[0]!.message, at.message);
      }

      // text: one group per file with findings, at the same positions.
      const groups = textGroups(text.stdout);
      assert.deepEqual([...groups.keys()].sort(), [...unreadable.keys(), ...encoding.keys()].sort());
      for (const file of unreadable.keys()) assert.deepEqual(groups.get(file), [`${file}:1:1`]);
      for (const [file, at] of encoding) assert.deepEqual(groups.get(file), [`${file}:${at.line}:${at.column}`]);
      assert.match(text.stdout, new RegExp(`✖ ${unreadable.size + encoding.size} problems \\(${unreadable.size} errors, ${encoding.size} warnings\\)\\nnote: [^\\n]+\\n$`));
      assert.equal(text.stdout.split("\n").filter((l) => l === `note: ${UNVERIFIED_NOTE}`).length, 1, "the note, once");

      // sarif: valid against the schema, an artifact per file, a result per finding pointing at its artifact.
      const log = parseJson<{ runs: { artifacts: { location: { uri: string } }[]; tool: { driver: { rules: { id: string }[] } };
        results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; index: number }; region: { startLine: number; startColumn: number } } }[] }[] }[] }>(sarif.stdout);
      assertValidSarif(log);
      const run0 = log.runs[0]!;
      assert.deepEqual(run0.artifacts.map((a) => a.location.uri).sort(), [...all].sort());
      assert.ok(run0.tool.driver.rules.some((r) => r.id === UNREADABLE_FILE_RULE.id) && run0.tool.driver.rules.some((r) => r.id === TEXT_ENCODING_RULE.id));
      const results = run0.results.map((r) => {
        const loc = r.locations[0]!.physicalLocation;
        assert.equal(run0.artifacts[loc.artifactLocation.index]!.location.uri, loc.artifactLocation.uri);
        return `${loc.artifactLocation.uri}:${loc.region.startLine}:${loc.region.startColumn} ${r.level} ${r.ruleId}`;
      });
      assert.deepEqual(results.sort(), [
        ...[...unreadable.keys()].map((f) => `${f}:1:1 error ${UNREADABLE_FILE_RULE.id}`),
        ...[...encoding].map(([f, at]) => `${f}:${at.line}:${at.column} warning ${TEXT_ENCODING_RULE.id}`),
      ].sort());

      // junit: a testsuite per file; the unreadable ones and the decoded ones fail, the examples pass.
      assert.equal(XMLValidator.validate(junit.stdout), true);
      const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testsuite" || name === "testcase" }).parse(junit.stdout) as {
        testsuites: { "@_failures": string; testsuite: { "@_name": string; "@_failures": string; testcase: { failure?: { "@_message": string } }[] }[] };
      };
      assert.deepEqual(xml.testsuites.testsuite.map((s) => s["@_name"]).sort(), [...all].sort());
      assert.equal(xml.testsuites["@_failures"], String(unreadable.size + encoding.size));
      for (const s of xml.testsuites.testsuite) {
        const reason = unreadable.get(s["@_name"]);
        if (reason) assert.match(s.testcase[0]!.failure!["@_message"], reason);
        else assert.equal(s["@_failures"], encoding.has(s["@_name"]) ? "1" : "0");
      }

      // github: one annotation per finding, titled with its rule.
      const annotations = github.stdout.trimEnd().split("\n").filter((l) => !l.startsWith("::notice "));
      assert.equal(annotations.length, unreadable.size + encoding.size);
      for (const [file, reason] of unreadable) {
        const line = annotations.find((l) => l.startsWith(`::error file=${file},line=1,col=1,`));
        assert.ok(line, `annotation for ${file}`);
        assert.match(line, new RegExp(`,title=${UNREADABLE_FILE_RULE.id}::`));
        assert.match(line.slice(line.indexOf("::", 2) + 2), reason);
      }
      for (const [file, at] of encoding) {
        assert.ok(annotations.some((l) => l.startsWith(`::warning file=${file},line=${at.line},col=${at.column},`) && l.includes(`title=${TEXT_ENCODING_RULE.id}::`)), `annotation for ${file}`);
      }
      if (!IS_ROOT) chmodSync(path.join(dir, "specs/locked/technical-specification.md"), 0o644);
    });

    test("on worker threads (200 files and more) the report is the same as in one thread", async () => {
      const { dir } = mixedWorkspace();
      const base = readFileSync(path.join(dir, FEAT3), "utf8");
      for (let i = 0; i < 200; i++) {
        const rel = `specs/bulk-${String(i).padStart(3, "0")}/technical-specification.md`;
        mkdirSync(path.join(dir, path.dirname(rel)));
        writeFileSync(path.join(dir, rel), base.replace("**Feature ID**: FEAT-0003", `**Feature ID**: FEAT-${2000 + i}`));
      }
      const one = await run(dir, ["lint", "specs", "-f", "json", "--threads", "1"]);
      const two = await run(dir, ["lint", "specs", "-f", "json", "--threads", "2"]);
      assert.equal(two.code, 2, two.stderr);
      assert.equal(two.stdout, one.stdout);
      assert.equal(two.stderr, one.stderr);
      const report = parseJson<JsonReport>(two.stdout);
      assert.equal(report.summary.files, 200 + 5 + (IS_ROOT ? 4 : 5));
      assert.deepEqual(report.diagnostics.filter((d) => d.rule === UNREADABLE_FILE_RULE.id).map((d) => d.file).sort(),
        ["specs/diagram/technical-specification.md", "specs/empty/technical-specification.md", "specs/huge/technical-specification.md",
          ...(IS_ROOT ? [] : ["specs/locked/technical-specification.md"]), "specs/notes/technical-specification.md"]);
      assert.deepEqual(report.diagnostics.filter((d) => d.rule === TEXT_ENCODING_RULE.id).map((d) => d.file).sort(), [NUL_SPEC, LATIN1_SPEC]);
      if (!IS_ROOT) chmodSync(path.join(dir, "specs/locked/technical-specification.md"), 0o644);
    });

    /** `bytes` with ASCII `from` replaced by `to`, every other byte (a NUL, an invalid UTF-8 byte) as it was. */
    const replaced = (bytes: Buffer, ...pairs: [string, string][]): Buffer => {
      let s = bytes.toString("latin1");
      for (const [from, to] of pairs) {
        assert.ok(s.includes(from), `holds ${from}`);
        s = s.replace(from, to);
      }
      return Buffer.from(s, "latin1");
    };

    test("--fix fixes the files with a NUL or a Latin-1 byte too, and keeps those bytes as they were", async () => {
      const { dir } = mixedWorkspace();
      const clean = new Map([FEAT3, NUL_SPEC, LATIN1_SPEC].map((f) => [f, readFileSync(path.join(dir, f))]));
      for (const [f, bytes] of clean) writeFileSync(path.join(dir, f), replaced(bytes, ["**Status**: Draft", "**Status**: draft"]));
      const r = await run(dir, ["lint", "--fix", FEAT3, NUL_SPEC, LATIN1_SPEC, "-f", "json"]);
      assert.equal(r.code, 0, r.stderr);
      for (const [f, bytes] of clean) assert.deepEqual(readFileSync(path.join(dir, f)), bytes, `${f}: only the casing changed back`);
      assert.equal(r.stderr, "techspec: fixed 3 problems in 3 file(s)\n");
      // The fixed files still report what is not text, where it is.
      const left = parseJson<JsonReport>(r.stdout).diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`);
      assert.deepEqual(left.sort(), [`${NUL_SPEC}:1 text-encoding`, `${LATIN1_SPEC}:1 text-encoding`]);
    });

    test("status and supersede edit such a file and keep the bytes that are not text", async () => {
      const { dir } = mixedWorkspace();
      const before = new Map([FEAT3, NUL_SPEC, LATIN1_SPEC].map((f) => [f, readFileSync(path.join(dir, f))]));
      let r = await run(dir, ["status", NUL_SPEC, "In Review"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readFileSync(path.join(dir, NUL_SPEC)),
        replaced(before.get(NUL_SPEC)!, ["**Last Updated**: 2026-11-24", `**Last Updated**: ${TODAY}`], ["**Status**: Draft", "**Status**: In Review"]));
      r = await run(dir, ["supersede", "FEAT-0003", "FEAT-0005"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readFileSync(path.join(dir, LATIN1_SPEC)), replaced(before.get(LATIN1_SPEC)!,
        ["**Status**: Draft\n", "**Status**: Draft  \n**Supersedes**: [FEAT-0003](../FEAT-0003-warehouse-stock-reservation/technical-specification.md)\n"]));
      assert.deepEqual(readFileSync(path.join(dir, FEAT3)), replaced(before.get(FEAT3)!,
        ["**Last Updated**: 2026-11-24", `**Last Updated**: ${TODAY}`], ["**Status**: Draft", "**Status**: Superseded by [FEAT-0005](../FEAT-0005-latin1/technical-specification.md)"]));
      const show = await run(dir, ["show", "FEAT-0004", "--json"]);
      assert.equal(show.code, 0, show.stderr);
      assert.equal(parseJson<{ title: string }>(show.stdout).title, "Warehouse\uFFFD Stock Reservation");
      if (!IS_ROOT) chmodSync(path.join(dir, "specs/locked/technical-specification.md"), 0o644);
    });

    test("export writes the readable specs' artefacts, names the others on stderr and exits 2", async () => {
      const { dir, unreadable } = mixedWorkspace();
      const inSpecs = (f: string): boolean => f.startsWith("specs/");
      const r = await run(dir, ["export", "jsonschema", "specs", "-o", "out"]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, `Wrote 5 file(s) to out/; skipped ${[...unreadable.keys()].filter(inSpecs).length} file(s) that could not be read as specs\n`);
      assertSkippedOnStderr(r.stderr, unreadable, inSpecs);
      assert.deepEqual(readdirSync(path.join(dir, "out")).sort(), ["FEAT-0001", "FEAT-0002", "FEAT-0003", "FEAT-0004", "FEAT-0005"].map((id) => `${id}.schema.json`));
      const json = await run(dir, ["export", "jsonschema", "specs", "-o", "out2", "--json"]);
      assert.equal(json.code, 2);
      const result = parseJson<{ written: string[]; skipped: { spec: string; error: string }[] }>(json.stdout);
      assert.equal(result.written.length, 5);
      assert.deepEqual(result.skipped.map((s) => s.spec).sort(), [...unreadable.keys()].filter(inSpecs).sort());
      for (const s of result.skipped) assert.ok(s.error.startsWith(`${s.spec}: `));
      // One file that is not a spec, or a path that is not there: the one line, and nothing written.
      assertOneLineFailure(await run(dir, ["export", "openapi", "specs/diagram/technical-specification.md"]), /^techspec: specs\/diagram\/technical-specification\.md: binary file/);
      assertOneLineFailure(await run(dir, ["export", "openapi", "missing.md", "-o", "x.yaml"]), /^techspec: missing\.md: no such file or directory$/);
      assert.ok(!existsSync(path.join(dir, "x.yaml")));
      if (!IS_ROOT) chmodSync(path.join(dir, "specs/locked/technical-specification.md"), 0o644);
    });

    test("site builds from the readable specs, names every other path on stderr and on the index, and exits 2", async () => {
      const { dir, args, unreadable } = mixedWorkspace();
      const r = await run(dir, ["site", ...args, "--out", "portal"]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stdout, /^Built portal\/ in [\d.]+ s: 5 specs, /);
      assertSkippedOnStderr(r.stderr, unreadable);
      const index = readFileSync(path.join(dir, "portal", "index.html"), "utf8");
      assert.match(index, new RegExp(`${unreadable.size} file\\(s\\) could not be published`));
      for (const file of unreadable.keys()) assert.ok(index.includes(file), `the index names ${file}`);
      for (const id of ["FEAT-0001", "FEAT-0002", "FEAT-0003", "FEAT-0004", "FEAT-0005"]) assert.ok(existsSync(path.join(dir, "portal", "specs", `${id}.html`)), id);
      if (!IS_ROOT) chmodSync(path.join(dir, "specs/locked/technical-specification.md"), 0o644);
    });
  });

  describe("init", () => {
    test("creates techspec.config.json and specs/; again without --force is exit 2", async () => {
      const dir = tmp();
      const r = await run(dir, ["init", "proj"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      assert.match(r.stdout, /proj\/techspec\.config\.json/);
      const proj = path.join(dir, "proj");
      assert.ok(statSync(path.join(proj, "specs")).isDirectory());
      const configText = readFileSync(path.join(proj, "techspec.config.json"), "utf8");
      const config = parseJson<Record<string, unknown>>(configText);
      const schema = config["$schema"];
      assert.equal(typeof schema, "string");
      assert.ok(!path.isAbsolute(schema as string) && !/^[a-z]+:/i.test(schema as string), `$schema is relative: ${String(schema)}`);
      assert.ok(existsSync(path.resolve(proj, schema as string)), `${String(schema)} exists from ${proj}`);
      assert.equal(parseJson<{ title?: string }>(readFileSync(path.resolve(proj, schema as string), "utf8")).title !== undefined, true);
      assert.deepEqual(tree(dir), ["proj/", "proj/specs/", "proj/techspec.config.json"]);

      const again = await run(dir, ["init", "proj"]);
      assertOneLineFailure(again, /already exists.*--force/);
      assert.equal(readFileSync(path.join(proj, "techspec.config.json"), "utf8"), configText);

      const forced = await run(dir, ["init", "proj", "--force"]);
      assert.equal(forced.code, 0, forced.stderr);
      assert.deepEqual(tree(dir), ["proj/", "proj/specs/", "proj/techspec.config.json"]);

      // The created configuration is one lint accepts (it only complains that there are no specs yet).
      const lint = await run(proj, ["lint"]);
      assertOneLineFailure(lint, /no specs found/);
    });

    test("without a folder, initializes the current one", async () => {
      const dir = tmp();
      const r = await run(dir, ["init"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(tree(dir), ["specs/", "techspec.config.json"]);
      assertOneLineFailure(await run(dir, ["init"]), /already exists/);
    });
  });

  describe("new", () => {
    test("creates spec folders with the next free Feature ID, today's date, title and author", async () => {
      const dir = tmp();
      assert.equal((await run(dir, ["init"])).code, 0);
      const date = TODAY;

      const r = await run(dir, ["new", "Refund Processing", "--author", "Ada Lovelace, Staff Engineer"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      assert.match(r.stdout, /^Created FEAT-0001 in specs\/FEAT-0001-refund-processing\//);
      const folder = path.join(dir, "specs", "FEAT-0001-refund-processing");
      assert.deepEqual(readdirSync(folder).sort(), [...TEMPLATE_FILES].sort());
      for (const name of TEMPLATE_FILES) {
        const text = readFileSync(path.join(folder, name), "utf8");
        assert.match(text, /^# .*: Refund Processing$/m, `${name} title`);
        assert.match(text, /^\*\*Feature ID\*\*: FEAT-0001\s*$/m, `${name} Feature ID`);
        assert.match(text, /^\*\*Author\*\*: Ada Lovelace, Staff Engineer\s*$/m, `${name} author`);
        assert.match(text, new RegExp(`^\\*\\*Created Date\\*\\*: ${date}\\s*$`, "m"), `${name} Created Date`);
        assert.match(text, new RegExp(`^\\*\\*Last Updated\\*\\*: ${date}\\s*$`, "m"), `${name} Last Updated`);
        for (const token of ["[Feature Name]", "[ID]", "[YYYY-MM-DD]", "[Name and Role]"]) assert.ok(!text.includes(token), `${name} still has ${token}`);
      }
      const spec = readFileSync(path.join(folder, "technical-specification.md"), "utf8");
      assert.match(spec, /^# Technical Specification: Refund Processing$/m);
      assert.match(spec, /^\*\*Status\*\*: Draft\s*$/m);

      const second = await run(dir, ["new", "Notification Preferences"]);
      assert.equal(second.code, 0, second.stderr);
      assert.ok(existsSync(path.join(dir, "specs", "FEAT-0002-notification-preferences", "technical-specification.md")));

      const chosen = await run(dir, ["new", "Stock Reservation", "--id", "FEAT-0042"]);
      assert.equal(chosen.code, 0, chosen.stderr);
      assert.match(readFileSync(path.join(dir, "specs", "FEAT-0042-stock-reservation", "technical-specification.md"), "utf8"), /\*\*Feature ID\*\*: FEAT-0042/);

      const before = tree(dir);
      assertOneLineFailure(await run(dir, ["new", "Another Title", "--id", "FEAT-0042"]), /FEAT-0042/);
      assertOneLineFailure(await run(dir, ["new", "Another Title", "--id", "FEAT-0001"]), /FEAT-0001/);
      assertOneLineFailure(await run(dir, ["new", ""]), /title/);
      assertOneLineFailure(await run(dir, ["new", "   "]), /title/);
      assertOneLineFailure(await run(dir, ["new"]), /title/);
      assert.deepEqual(tree(dir), before, "failed runs create nothing");

      const other = await run(dir, ["new", "Audit Log", "--dir", "other"]);
      assert.equal(other.code, 0, other.stderr);
      assert.deepEqual(readdirSync(path.join(dir, "other")), ["FEAT-0043-audit-log"]);
      assert.deepEqual(readdirSync(path.join(dir, "other", "FEAT-0043-audit-log")).sort(), [...TEMPLATE_FILES].sort());
      assert.deepEqual(readdirSync(path.join(dir, "specs")).sort(), ["FEAT-0001-refund-processing", "FEAT-0002-notification-preferences", "FEAT-0042-stock-reservation"]);
      assert.ok(tree(dir).every((p) => !p.split("/").some((part) => part.startsWith("."))), "no temporary folders left");
    });
  });

  describe("the clock (TECHSPEC_NOW)", () => {
    const createdDate = (dir: string, id: string): string | undefined =>
      /^\*\*Created Date\*\*: (\S+)/m.exec(readFileSync(path.join(dir, "specs", id, "technical-specification.md"), "utf8"))?.[1];

    test("a date or a date-time sets today; without it, the system's date is used", async () => {
      const dir = tmp();
      assert.equal((await run(dir, ["init"])).code, 0);
      assert.equal((await run(dir, ["new", "A", "--id", "FEAT-0001"], { TECHSPEC_NOW: "2030-02-28" })).code, 0);
      assert.equal(createdDate(dir, "FEAT-0001-a"), "2030-02-28");
      // A local date-time keeps its date; an instant with an offset is today where the process runs.
      assert.equal((await run(dir, ["new", "B", "--id", "FEAT-0002"], { TECHSPEC_NOW: "2030-02-28T23:59:59" })).code, 0);
      assert.equal(createdDate(dir, "FEAT-0002-b"), "2030-02-28");
      assert.equal((await run(dir, ["new", "C", "--id", "FEAT-0003"], { TECHSPEC_NOW: "2030-02-28T23:30:00-05:00", TZ: "UTC" })).code, 0);
      assert.equal(createdDate(dir, "FEAT-0003-c"), "2030-03-01");
      assert.equal((await run(dir, ["new", "D", "--id", "FEAT-0004"], { TECHSPEC_NOW: "2030-03-01T02:00:00.250Z", TZ: "America/New_York" })).code, 0);
      assert.equal(createdDate(dir, "FEAT-0004-d"), "2030-02-28");
      // Unset (or empty): the system clock, read by the process itself.
      for (const [id, value] of [["FEAT-0005", null], ["FEAT-0006", ""]] as const) {
        const before = systemDate();
        assert.equal((await run(dir, ["new", "E", "--id", id], { TECHSPEC_NOW: value })).code, 0);
        assert.ok([before, systemDate()].includes(createdDate(dir, `${id}-e`)!), `${id} has the system's date`);
      }
    });

    test("an invalid TECHSPEC_NOW is one usage line and exit 2, for any command, and writes nothing", async () => {
      const dir = workspace();
      const before = tree(dir);
      const values = ["tomorrow", "2026-02-29", "2026-11-31", "2026-13-01", "2026-11-24T24:00", "2026-11-24 09:30", " 2026-11-24", "26-11-24", "2026-11-24T09:30:00+25:00", "0999-01-01", "x".repeat(500)];
      const runs = await Promise.all(values.map((value, i) => run(dir, i % 2 === 0 ? ["status", "FEAT-0003", "In Review"] : ["lint"], { TECHSPEC_NOW: value })));
      for (const r of runs) {
        const line = assertOneLineFailure(r, /^techspec: TECHSPEC_NOW=".*" is not an ISO date or date-time \(expected e\.g\. 2026-11-24 or 2026-11-24T09:30:00Z; unset it to use the system clock\)$/);
        assert.ok(line.length < 220, `short line: ${line}`);
      }
      assert.deepEqual(tree(dir), before);
      assert.equal(readFileSync(path.join(dir, FEAT3), "utf8"), readFileSync(path.join(EXAMPLES, FEAT3), "utf8"));
      // --version and --help do not read the clock.
      assert.equal((await run(dir, ["--version"], { TECHSPEC_NOW: "tomorrow" })).code, 0);
      assert.match((await run(dir, ["--help"], { TECHSPEC_NOW: "tomorrow" })).stdout, /^ {2}TECHSPEC_NOW {3}/m);
    });

    test("status, approve, supersede and list --stale follow it", async () => {
      const dir = workspace();
      writeFileSync(path.join(dir, "techspec.config.json"), `${JSON.stringify({ specs: ["specs/**/technical-specification.md"], roles: { "Security Lead": ["Dana Dev <dana@example.com>"] } })}\n`);
      const at = (date: string): Record<string, string> => ({ TECHSPEC_NOW: date });
      let r = await run(dir, ["status", "FEAT-0003", "In Review", "--json"], at("2027-05-02"));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(parseJson<{ lastUpdated: string }>(r.stdout).lastUpdated, "2027-05-02");
      r = await run(dir, ["approve", "FEAT-0003", "--role", "Security Lead", "--as", "Dana Dev <dana@example.com>", "--json"], at("2027-05-03T08:00:00"));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(parseJson<{ date: string }>(r.stdout).date, "2027-05-03");
      assert.match(readFileSync(path.join(dir, FEAT3), "utf8"), /\*\*Security Lead\*\*: Dana Dev - Approved 2027-05-03 \(sha256:[0-9a-f]{64}\)/);
      const stale = async (days: string, date: string): Promise<string[]> => {
        const out = await run(dir, ["list", "--stale", days, "--json"], at(date));
        assert.equal(out.code, 0, out.stderr);
        return parseJson<{ id: string }[]>(out.stdout).map((x) => x.id);
      };
      // FEAT-0001 is Approved and FEAT-0002 In Review, both last updated 2026-11-24; FEAT-0003 2027-05-02.
      assert.deepEqual(await stale("30", "2026-12-24"), []);
      assert.deepEqual(await stale("30", "2026-12-25"), ["FEAT-0001", "FEAT-0002"]);
      assert.deepEqual(await stale("0", "2027-05-02"), ["FEAT-0001", "FEAT-0002"]);
      assert.deepEqual(await stale("0", "2027-05-03T00:00:01"), ["FEAT-0001", "FEAT-0002", "FEAT-0003"]);
      assert.deepEqual(await stale("30", "2020-01-01"), [], "a Last Updated in the future is not stale");
      r = await run(dir, ["supersede", "FEAT-0002", "FEAT-0003", "--json"], at("2027-06-30"));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(parseJson<{ old: { lastUpdated: string } }>(r.stdout).old.lastUpdated, "2027-06-30");
      assert.match(readFileSync(path.join(dir, FEAT2), "utf8"), /^\*\*Last Updated\*\*: 2027-06-30\s*$/m);
    });
  });

  describe("show", () => {
    test("--json prints the model with its fixed keys", async () => {
      const r = await run(workspace(), ["show", "FEAT-0001", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      const model = parseJson<Record<string, unknown>>(r.stdout);
      assert.deepEqual(Object.keys(model), [
        "path", "title", "metadata", "introduction", "relatedDocuments", "architecture", "dataModel", "apis",
        "implementation", "testing", "deployment", "openQuestions", "references", "approvals", "sections",
      ]);
      assert.equal(model["path"], FEAT1);
      assert.equal(model["title"], "Refund Processing");
      assert.deepEqual(model["metadata"], {
        featureId: "FEAT-0001", author: "Priya Raman, Staff Software Engineer", createdDate: "2026-02-09", lastUpdated: "2026-11-24", status: "Approved",
      });
      assert.equal((model["apis"] as unknown[]).length, 4);
      assert.equal((model["approvals"] as unknown[]).length, 3);
    });

    test("a path prints a text summary with the title", async () => {
      const r = await run(workspace(), ["show", FEAT2]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      assert.equal(r.stdout.split("\n")[0], "Notification Preference Center");
      assert.match(r.stdout, /Feature ID\s+FEAT-0002/);
      assert.match(r.stdout, /Status\s+In Review/);
    });

    test("an unknown Feature ID is exit 2", async () => {
      const dir = workspace();
      assertOneLineFailure(await run(dir, ["show", "FEAT-0999"]), /FEAT-0999/);
      assertOneLineFailure(await run(dir, ["show"]), /show/);
    });
  });

  describe("list", () => {
    test("shows the example specs with status and approvals", async () => {
      const r = await run(workspace(), ["list"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, "");
      const rows = r.stdout.trimEnd().split("\n");
      assert.equal(rows.length, 4, r.stdout);
      assert.match(rows[0]!, /^ID\s+TITLE\s+STATUS/);
      assert.match(rows[1]!, /^FEAT-0001\s+Refund Processing\s+Approved\s.*\s3\/3\s/);
      assert.match(rows[2]!, /^FEAT-0002\s+Notification Preference Center\s+In Review\s.*\s1\/3\s/);
      assert.match(rows[3]!, /^FEAT-0003\s+Warehouse Stock Reservation\s+Draft\s.*\s0\/3\s/);
    });

    test("--status filters (case-insensitively)", async () => {
      const r = await run(workspace(), ["list", "--status", "in review"]);
      assert.equal(r.code, 0, r.stderr);
      const rows = r.stdout.trimEnd().split("\n");
      assert.equal(rows.length, 2, r.stdout);
      assert.match(rows[1]!, /^FEAT-0002\s/);
    });

    test("--json is an array of rows", async () => {
      const r = await run(workspace(), ["list", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const rows = parseJson<Record<string, unknown>[]>(r.stdout);
      assert.ok(Array.isArray(rows));
      assert.deepEqual(rows.map((x) => x["id"]), ["FEAT-0001", "FEAT-0002", "FEAT-0003"]);
      for (const row of rows) {
        for (const key of ["id", "title", "status", "author", "lastUpdated", "approvals", "completeness"]) assert.ok(key in row, `row has ${key}`);
        assert.equal(typeof row["completeness"], "number");
      }
      assert.deepEqual(rows.map((x) => x["status"]), ["Approved", "In Review", "Draft"]);
      type Approvals = { done: number; total: number; state: string; roles: { role: string; state: string; approval: { name: string } | null }[] };
      const approvals = rows.map((x) => x["approvals"] as Approvals);
      assert.deepEqual(approvals.map(({ done, total, state }) => ({ done, total, state })),
        [{ done: 3, total: 3, state: "approved" }, { done: 1, total: 3, state: "pending" }, { done: 0, total: 3, state: "pending" }]);
      // Each required role's standing, which done and state count (no roles are configured: hand-written approvals count).
      assert.deepEqual(approvals[1]!.roles.map((r) => [r.role, r.state, r.approval?.name]),
        [["Engineering Lead", "approved", "Sofia Lindqvist"], ["Architecture Lead", "pending", "Rahul Mehta"], ["Security Lead", "pending", "Grace Adeyemi"]]);
      assert.deepEqual(rows.map((x) => x["waitingOn"]), [[], ["Architecture Lead", "Security Lead"], []]);
      assert.equal(rows[0]!["title"], "Refund Processing");
      assert.equal(rows[0]!["author"], "Priya Raman, Staff Software Engineer");
      assert.equal(rows[0]!["lastUpdated"], "2026-11-24");
    });

    test("an unknown --status is exit 2", async () => {
      assertOneLineFailure(await run(workspace(), ["list", "--status", "Bogus"]), /Bogus/);
    });
  });

  describe("rules", () => {
    test("lists every rule id, as text and as JSON", async () => {
      const dir = tmp();
      const ids = [...ruleIds];
      assert.deepEqual(ids.slice(0, 3), [PARSE_RULE.id, UNREADABLE_FILE_RULE.id, TEXT_ENCODING_RULE.id]);
      const [text, json] = await Promise.all([run(dir, ["rules"]), run(dir, ["rules", "--json"])]);
      assert.equal(text.code, 0);
      assert.equal(text.stderr, "");
      const listed = text.stdout.trimEnd().split("\n").map((l) => l.split(/\s+/)[0]);
      assert.deepEqual(listed, ids);
      assert.equal(json.code, 0);
      const rules = parseJson<{ id: string; severity: string; fixable: boolean; description: string }[]>(json.stdout);
      assert.deepEqual(rules.map((x) => x.id), ids);
      for (const x of rules) {
        assert.ok(x.severity === "error" || x.severity === "warning");
        assert.equal(typeof x.description, "string");
      }
      assert.deepEqual(rules.filter((x) => x.fixable).map((x) => x.id).sort(), ["api-fields", "approval-format", "last-updated", "metadata"]);
    });
  });

  describe("workspace rules", () => {
    test("a Feature ID used by two specs is an error in both files", async () => {
      const dir = workspace();
      const copy = "specs/FEAT-0001-refund-processing-copy/technical-specification.md";
      cpSync(path.join(dir, "specs", "FEAT-0001-refund-processing"), path.join(dir, "specs", "FEAT-0001-refund-processing-copy"), { recursive: true });
      const [json, text] = await Promise.all([run(dir, ["lint", "-f", "json"]), run(dir, ["lint"])]);
      assert.equal(json.code, 1, json.stderr);
      assert.equal(text.code, 1);
      const report = parseJson<JsonReport>(json.stdout);
      assert.equal(report.summary.files, 4);
      const dup = report.diagnostics.filter((d) => d.rule === "unique-feature-id");
      assert.equal(dup.length, report.diagnostics.length, "no other findings");
      assert.deepEqual(dup.map((d) => d.file).sort(), [FEAT1, copy].sort());
      const featureIdAt = lineOf(path.join(dir, FEAT1), "FEAT-0001");
      for (const d of dup) {
        assert.equal(d.severity, "error");
        assert.equal(d.line, featureIdAt.line);
        assert.match(d.message, /FEAT-0001/);
        assert.ok(d.message.includes(d.file === FEAT1 ? copy : FEAT1), `message names the other file: ${d.message}`);
      }
      assert.deepEqual([...textGroups(text.stdout).keys()].sort(), [FEAT1, copy].sort());
    });
  });
});
