// End-to-end tests of the techspec CLI: every test runs the built CLI (dist/src/cli/main.js) as a real
// Node process, in its own temporary folder, and checks stdout, stderr and the exit code.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { PARSE_RULE, ruleIds } from "../src/rules/index.js";
import type { Diagnostic } from "../src/model/diagnostic.js";

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
  makeApprovedWithOpenQuestions(path.join(dir, FEAT2));
  const author = lineOf(f1, "[Name and Role]");
  const fetch = lineOf(f1, "FETCH");
  return { dir, expected: { author, json: lineOf(f1, '"ticketId": "CS-48213",').line, fetch } };
}

/** FEAT-0002 becomes Approved with all approvals Approved; its two open questions then are warnings. */
function makeApprovedWithOpenQuestions(file: string): void {
  plant(file, "**Status**: In Review", "**Status**: Approved");
  plant(file, "Rahul Mehta - Pending", "Rahul Mehta - Approved");
  plant(file, "Grace Adeyemi - Pending", "Grace Adeyemi - Approved");
}

/** The text report's groups: file header → the `file:line:column` locations listed under it. */
function textGroups(text: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of text.split("\n")) {
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
      assert.equal(r.stdout, "✔ 3 files checked, no problems\n");
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
      assert.deepEqual(log.runs[0]!.tool.driver.rules.map((x) => x.id).sort(), [PARSE_RULE.id, ...ruleIds].sort());
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
      for (const line of r.stdout.split("\n").filter(Boolean)) assert.match(line, /^::(error|warning) /);
      assert.equal(r.stdout, "");
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
      assert.deepEqual(f2.map((d) => `${d.rule}/${d.severity}`), ["open-questions/warning", "open-questions/warning"]);

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

      const lines = github!.stdout.trimEnd().split("\n");
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
      makeApprovedWithOpenQuestions(path.join(dir, FEAT2));
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

    test("a path that does not exist", async () => {
      await lintFails(tmp(), ["missing/technical-specification.md"], /missing\/technical-specification\.md/);
    });

    test("a folder without specs", async () => {
      const dir = tmp();
      mkdirSync(path.join(dir, "docs"));
      writeFileSync(path.join(dir, "docs", "README.md"), "# Docs\n");
      await lintFails(dir, ["docs"], /no specs found in docs/);
    });

    test("no specs at all in the current folder", async () => {
      await lintFails(tmp(), [], /no specs found/);
    });

    test("a binary file passed explicitly", async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, "technical-specification.md"), Buffer.from([0x23, 0x20, 0x54, 0x00, 0x01, 0x02, 0xff, 0x00, 0x0a]));
      await lintFails(dir, ["technical-specification.md"], /technical-specification\.md: binary file/);
    });

    test("a binary file with -o writes no report file", async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, "technical-specification.md"), Buffer.from([0x23, 0x20, 0x54, 0x00, 0x0a]));
      await lintFails(dir, ["technical-specification.md", "-f", "json", "-o", "out.json"], /binary file/);
    });

    test("an empty file", async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, "technical-specification.md"), "");
      await lintFails(dir, ["technical-specification.md"], /empty file/);
    });

    test("a Markdown file that is not a spec", async () => {
      const dir = tmp();
      writeFileSync(path.join(dir, "notes.md"), "# Meeting notes\n\n- We talked about refunds.\n");
      await lintFails(dir, ["notes.md"], /notes\.md: not a technical specification/);
    });

    test("a 50 MB file", async () => {
      const dir = tmp();
      const size = 50 * 1024 * 1024;
      const big = Buffer.alloc(size, 0x61);
      big.write(readFileSync(path.join(EXAMPLES, FEAT1), "utf8"));
      writeFileSync(path.join(dir, "technical-specification.md"), big);
      assert.equal(statSync(path.join(dir, "technical-specification.md")).size, size);
      await lintFails(dir, ["technical-specification.md"], /50(\.0)? MB.*10(\.0)? MB limit/);
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

    test(IS_ROOT ? "a dangling symlink passed explicitly (running as root)" : "an unreadable file", async () => {
      const dir = tmp();
      const name = "technical-specification.md";
      if (IS_ROOT) {
        // root reads every file whatever its mode: a link to nowhere is the unreadable file here.
        symlinkSync(path.join(dir, "gone.md"), path.join(dir, name));
        await lintFails(dir, [name], /technical-specification\.md/);
      } else {
        cpSync(path.join(EXAMPLES, FEAT1), path.join(dir, name));
        chmodSync(path.join(dir, name), 0o000);
        try {
          await lintFails(dir, [name], /technical-specification\.md: cannot read \(permission denied\)/);
        } finally {
          chmodSync(path.join(dir, name), 0o644);
        }
      }
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
      assert.match(readFileSync(path.join(dir, FEAT3), "utf8"), /\*\*Security Lead\*\*: Dana Dev - Approved 2027-05-03 \(sha256:[0-9a-f]{8}\)/);
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
      assert.deepEqual(rows.map((x) => x["approvals"]), [{ done: 3, total: 3, state: "approved" }, { done: 1, total: 3, state: "pending" }, { done: 0, total: 3, state: "pending" }]);
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
      const ids = [PARSE_RULE.id, ...ruleIds];
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
      assert.deepEqual(rules.filter((x) => x.fixable).map((x) => x.id).sort(), ["approval-format", "last-updated", "metadata"]);
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
