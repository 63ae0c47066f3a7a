/**
 * Time linear in the input, on inputs built to defeat it: what every command that reads a spec does to one spec (parse,
 * lint, list's summary, every export target, the portal's spec page and index, the status and approval edits) grows
 * linearly over n, 2n, 4n, 8n (see test-support/linear-time.ts for the criterion); and the CLI finishes on the full
 * sizes with no internal error. The content digest is left out here: workflow/digest.ts has its own tests.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { diffSpecs } from "../src/diff/spec-diff.js";
import { ExportError } from "../src/export/export-error.js";
import { checkExport, exporters } from "../src/export/exporter.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import { lintSpec } from "../src/rules/lint-spec.js";
import { renderIndex } from "../src/site/index-page.js";
import { renderSpecPage } from "../src/site/spec-page.js";
import { applyEdits, EditError, setApproval, setStatus } from "../src/workflow/edit.js";
import { defaultConfig } from "../src/workspace/config.js";
import { summarize } from "../src/workspace/summary.js";
import { api, jsonExample, lines, OVERVIEW, spec, specWithApis } from "../test-support/large-specs.js";
import { linearGrowth, MAX_EXPONENT } from "../test-support/linear-time.js";

// Roles configured, so that the rules about who approved (they read the approval lines' names) run too.
const BASE = defaultConfig(tmpdir());
const CONFIG = { ...BASE, settings: { ...BASE.settings, roles: { "Engineering Lead": ["A B <a@example.com>"] } } };
const PATH = "specs/FEAT-0001-x/technical-specification.md";

/** Everything the commands do with one spec's text, but the content digest. */
function commands(text: string): void {
  const parsed = parseSpec(text, PATH);
  const diagnostics = lintSpec(parsed, { path: PATH, settings: CONFIG.settings });
  const summary = summarize(parsed, CONFIG, PATH);
  for (const e of exporters) {
    checkExport(e, parsed, {});
    try {
      e.run(parsed.spec, {});
    } catch (err) {
      if (!(err instanceof ExportError)) throw err; // an export the spec cannot have: what lint reports
    }
  }
  exporters.find((e) => e.id === "openapi")!.run(parsed.spec, { format: "json" });
  renderIndex([{ slug: "x", url: "x.html", summary, errors: diagnostics.length, warnings: 0, introduction: parsed.spec.introduction }], "Specs", []).toString();
  diffSpecs(parsed.spec, parsed.spec);
  for (const edit of [() => applyEdits(text, setStatus(parsed, "In Review", "2026-02-01")), () => applyEdits(text, setApproval(parsed, "Engineering Lead", "A B - Approved 2026-02-01"))]) {
    try {
      edit();
    } catch (err) {
      if (!(err instanceof EditError)) throw err;
    }
  }
}

/** The portal's page of one spec (markdown-it's rendering included). */
function specPage(text: string): void {
  const parsed = parseSpec(text, PATH);
  renderSpecPage({ slug: "x", path: join(tmpdir(), PATH), display: PATH, parsed, diagnostics: [], summary: summarize(parsed, CONFIG, PATH) },
    "specs/x.html", [], () => ({ href: "#" })).html.toString();
}

/** A spec with `p` in every place user text goes: metadata, headings, prose, quotes, tables, lists, labels, types, APIs, approvals. */
function everywhere(p: string): string {
  return `# Technical Specification: Lin ${p}

${OVERVIEW(`Ann ${p} Example`)}**${p}**: x

## Introduction

${p}

> ${p}

- ${p}
  - **${p}**: ${p}

| a | b |
|---|---|
| ${p} | x |

## Related Documents

- [${p}](./PRD.md)
- ${p}

## Architecture

### Components

#### Component 1: Api ${p}

- **Purpose**: ${p}
- **Dependencies**: ${p}

## Data Model

### Entity 1: Item ${p}

| Field | Type | Description | Constraints | Required |
|---|---|---|---|---|
| id | UUID | d | Primary key | Yes |
| f${p} | Enum(${p}) | ${p} | Default ${p}, Check ${p}, Foreign key ${p} | Yes ${p}(x) |
| g | String${p} | d | ${p} | ${p} |

## API Design

### API 1: Get ${p}

- **Endpoint**: \`/a/${p}\`
- **Method**: GET
- **Request Parameters**:
  - id: ${p} - d
  - ${p}
- **Error Responses**:
  - 404 ${p}: x

### ${p}

## Open Questions

- ${p}

## Approval

**Engineering Lead**: A ${p} - Approved
**Security Lead**: ${p}
`;
}

const run = (s: string) => (n: number): string => s.repeat(Math.ceil(n / s.length)).slice(0, n);
function deepJson(depth: number, open: string, close: string): string {
  const v = open.repeat(depth) + "1" + close.repeat(depth);
  return spec(`## API Design\n\n### API 1: Create\n\n- **Endpoint**: \`/items\`\n- **Method**: POST\n- **Request Body**:\n  \`\`\`json\n  ${v}\n  \`\`\`\n- **Response**:\n  \`\`\`json\n  ${v}\n  \`\`\`\n`);
}

/** [name, make(n), n]: 8n is the size the name gives where that runs fast enough to time four sizes three times. */
const INPUTS: [string, (n: number) => string, number][] = [
  ["one Introduction paragraph of `[](` (64,000 at 8n)", (n) => spec(`## Introduction\n\n${"[](".repeat(n)}\n`), 8_000],
  // 70,000: from 2n on the Introduction is past 128 KB (see the runs below: V8's large-object space).
  ["`[` in the Introduction (560,000 at 8n)", (n) => spec(`## Introduction\n\n${"[".repeat(n)}\n`), 70_000],
  ["a run of `<` in the Introduction and the Author", (n) => spec(`## Introduction\n\n${"<".repeat(n)}\n`, `A ${"<".repeat(n)}`), 70_000],
  ["a JSON example of arrays nested n deep (2,500 at 8n)", (n) => deepJson(n, "[", "]"), 312],
  ["a JSON example of objects nested n deep (2,500 at 8n)", (n) => deepJson(n, '{"a":', "}"), 312],
  ["API Design with n APIs", specWithApis, 250],
  ["n APIs of one name (unique operation ids and type names)", (n) => spec(`## API Design\n\n${lines(n, (i) => api(i, "Same"))}`), 250],
  ["n APIs whose names no heading ends with (the portal's API links)", (n) => spec(`## API Design\n\n${lines(n, (i) => api(i, `[Op ${i}](x)`))}\n\n${lines(n, (i) => `#### Note ${i}\n\ntext`)}`), 250],
  ["a JSON example of n items (512 KB at 8n)", (n) => jsonExample(n), 800],
  ["n headings", (n) => spec(`## Introduction\n\nx\n\n${lines(n, (i) => `### H ${i}`)}`), 2_500],
  ["a list nested n deep", (n) => spec(`## Open Questions\n\n${lines(n, (i) => `${"  ".repeat(i % 200)}- item ${i}`)}`), 2_000],
  ["a blockquote nested n deep, and n lines of quotes", (n) => spec(`## Introduction\n\n${"> ".repeat(n)}x\n\n${lines(n / 10, (i) => `${"> ".repeat(i % 50)}x`)}`), 4_000],
  ["n dependencies mentioned nowhere else", (n) => spec(`## Architecture\n\n### Components\n\n#### Component 1: Api\n\n- **Purpose**: p\n- **Dependencies**: ${lines(n, (i) => `the dep${i}`).replace(/\n/g, ", ")}\n`), 1_000],
  ["n constraints of a field of an entity with a long name", (n) => spec(`## Data Model\n\n### Entity 1: E${"e".repeat(n)}\n\n| Field | Type | Description | Constraints |\n|---|---|---|---|\n| id | UUID | d | Primary key |\n| f${"f".repeat(n)} | String | d | ${run("a, ")(n)} |\n`), 2_000],
  ["a Check of n terms and a type nesting n arrays", (n) => spec(`## Data Model\n\n### Entity 1: E\n\n| Field | Type | Description | Constraints |\n|---|---|---|---|\n| id | UUID | d | Primary key |\n| a | Integer | d | Check ${run("a - ")(n)}a |\n| b | ${"Array<".repeat(n / 8)}String${">".repeat(n / 8)} | d | c |\n| c | String${"[]".repeat(n / 4)} | d | c |\n`), 4_000],
];

/** Runs of one character (or a short pattern) put in every place of a spec at once, n long each. */
const RUNS: [string, (n: number) => string][] = [
  ["spaces", (n) => `a${" ".repeat(n)}b`],
  ["tabs", (n) => `a${"\t".repeat(n)}b`],
  ["spaces, then a line separator", (n) => `a${" ".repeat(n)}b\u2028`],
  ["`*`", run("*")],
  ["`_`", run("_")],
  ["backticks", run("`")],
  ["backtick runs of two lengths", run("` ``")],
  ["`|`", run("|")],
  ["`[`", run("[")],
  ["`](`", run("](")],
  ["`<`", run("<")],
  ["`{`", run("{")],
  ["`/`", run("/")],
  ["`(` and spaces", run("( ")],
  ["`'`", run("'")],
  ["words and commas", run("a, ")],
  ["a `-` between runs of spaces", (n) => `${" ".repeat(n / 2)}-${" ".repeat(n / 2)}x`],
];

function assertLinear(t: { diagnostic(message: string): void }, make: (n: number) => string, op: (text: string) => void, n: number): void {
  const g = linearGrowth(make, op, n);
  t.diagnostic(`n=${n}: ${g.times.map((ms) => ms.toFixed(2)).join(", ")} ms; exponent ${g.exponent.toFixed(2)}`);
  assert.ok(g.exponent < MAX_EXPONENT, `time grows as n^${g.exponent.toFixed(2)} (${g.times.map((ms) => ms.toFixed(1)).join(", ")} ms at n, 2n, 4n, 8n), want linear (exponent < ${MAX_EXPONENT})`);
}

describe("commands take time linear in the input", () => {
  for (const [name, make, n] of INPUTS) {
    test(`${name}: commands`, (t) => assertLinear(t, make, commands, n));
    test(`${name}: spec page`, (t) => assertLinear(t, make, specPage, n));
  }
  // 2,500: from 2n on, the spec's texts are past 128 KB, where V8 allocates each string in its large-object space, a
  // step of several times in the cost of every copy (a fit from 3,000 to 12,000 straddled it and read 1.5 on linear work).
  for (const [name, payload] of RUNS) {
    test(`a run of ${name} in every place of a spec: commands`, (t) => assertLinear(t, (n) => everywhere(payload(n)), commands, 2_500));
    test(`a run of ${name} in every place of a spec: spec page`, (t) => assertLinear(t, (n) => everywhere(payload(n)), specPage, 2_500));
  }
});

// ---------------------------------------------------------------------------------------------
// The CLI on the full sizes
// ---------------------------------------------------------------------------------------------

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

/**
 * The full-size inputs, one spec each. A command is given 120 s before it is stopped: not a bound on its speed (each
 * takes about a second), only so that a regression fails instead of hanging the suite.
 */
const FULL: [string, string][] = [
  ["links", spec(`## Introduction\n\n${"[](".repeat(64_000)}\n`)],
  ["brackets", spec(`## Introduction\n\n${"[".repeat(200_000)}\n\n${"<".repeat(200_000)}\n`, `A ${"<".repeat(100_000)}`)],
  ["deep-json", deepJson(2_500, '{"a":', "}")],
  ["apis", specWithApis(10_000)],
  ["big-json", jsonExample(80_000)],
  ["runs", spec(`## Introduction\n\n${"*".repeat(100_000)}\n\n${"_".repeat(100_000)}\n\n${"`".repeat(100_000)}\n\n| a | b |\n|---|---|\n| ${"|".repeat(50_000)} |\n\n${lines(100_000, (i) => `### H ${i}`)}\n\n${"> ".repeat(10_000)}x\n`)],
  ["spaces", everywhere(`a${" ".repeat(100_000)}b`)],
];

function cli(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, TECHSPEC_NOW: "2026-02-01", NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), killed });
    });
  });
}

describe("the CLI on the full-size inputs", () => {
  const root = mkdtempSync(join(tmpdir(), "techspec-linear-"));
  const config = { specs: ["specs/**/technical-specification.md"], roles: { "Engineering Lead": ["A B <a@example.com>"] } };
  writeFileSync(join(root, "techspec.config.json"), JSON.stringify(config));
  FULL.forEach(([name, text], i) => {
    const dir = join(root, "specs", `FEAT-${String(i + 1).padStart(4, "0")}-${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "technical-specification.md"), text.replace("FEAT-0001", `FEAT-${String(i + 1).padStart(4, "0")}`));
  });

  const check = async (args: string[], codes: readonly number[]): Promise<void> => {
    const r = await cli(root, args);
    const what = `techspec ${args.join(" ")}`;
    assert.ok(!r.killed, `${what} did not finish in 120 s`);
    assert.ok(!/internal error|Maximum call stack|    at /.test(r.stderr + r.stdout), `${what}: ${r.stderr.slice(0, 500)}`);
    assert.ok(codes.includes(r.code ?? -1), `${what} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
  };

  test("lint and list", async () => {
    await check(["lint", "--format", "json", "-o", join(root, "lint.json")], [1]);
    await check(["list", "--json"], [0]);
  });

  test("export to every target", async () => {
    for (const e of exporters) {
      // 2: the deep example is refused by openapi and types (reported as file:line:column), or a Data Model cannot be SQL.
      await check(["export", e.id, "specs", "-o", join(root, "out", e.id)], [0, 2]);
    }
    await check(["export", "openapi", "specs", "--format", "json", "-o", join(root, "out", "openapi-json")], [0, 2]);
  });

  test("site", async () => {
    await check(["site", "--out", join(root, "site")], [0]);
  });

  // Two of the specs (status and approve lint and summarize a spec as the commands above do); the spaces spec is not
  // one of them: the content digest (workflow/digest.ts) has its own tests.
  test("status and approve", async () => {
    for (const [i, [name]] of FULL.entries()) {
      if (name !== "links" && name !== "big-json") continue;
      const id = `FEAT-${String(i + 1).padStart(4, "0")}`;
      await check(["status", id, "In Review"], [0, 1]);
      await check(["approve", id, "--role", "Engineering Lead", "--as", "A B <a@example.com>"], [0, 1]);
    }
  });

  test("clean up", () => {
    rmSync(root, { recursive: true, force: true });
  });
});
