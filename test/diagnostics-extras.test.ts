// What diagnostics carry for editors and code scanning: an "info" severity that never fails a run, the rule's
// documentation as a URL into the package's docs, and suggestions (fixes offered, not applied by --fix).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import type { Diagnostic } from "../src/model/diagnostic.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const EXAMPLES = fileURLToPath(new URL("../../examples", import.meta.url));
const SPEC = "specs/FEAT-0003-warehouse-stock-reservation/technical-specification.md";
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(rules: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "techspec-diag-"));
  dirs.push(dir);
  cpSync(EXAMPLES, dir, { recursive: true });
  const config = JSON.parse(readFileSync(path.join(dir, "techspec.config.json"), "utf8")) as Record<string, unknown>;
  config["rules"] = { ...(config["rules"] as object | undefined), ...rules };
  writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify(config));
  const file = path.join(dir, SPEC);
  writeFileSync(file, readFileSync(file, "utf8").replace("| sku | Varchar(64) | Stock keeping unit code | Not null, Indexed |", "| sku | Varchr(64) | Stock keeping unit code | Not null, Indexed |"));
  return dir;
}

const lint = (dir: string, ...args: string[]) => spawnSync(process.execPath, [CLI, "lint", SPEC, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, TECHSPEC_NOW: "2026-11-24" } });

test("a misspelt type: a suggestion with the likely type, not applied by --fix; the finding links to its docs", () => {
  const dir = workspace({});
  const r = lint(dir, "--format", "json");
  const report = JSON.parse(r.stdout) as { diagnostics: Diagnostic[] };
  const d = report.diagnostics.find((x) => x.rule === "unknown-type");
  assert.ok(d, r.stdout);
  assert.deepEqual(d.suggestions?.map((s) => [s.message, s.fix.text]), [['Change the type to "Varchar(64)"', "Varchar(64)"]]);
  const text = readFileSync(path.join(dir, SPEC), "utf8");
  assert.equal(text.slice(d.suggestions![0]!.fix.range[0], d.suggestions![0]!.fix.range[1]), "Varchr(64)");
  assert.match(d.url ?? "", /^file:\/\/.*\/docs\/rules\.md#unknown-type$/);
  const docs = fileURLToPath(d.url!.replace(/#.*$/, ""));
  assert.ok(existsSync(docs) && readFileSync(docs, "utf8").includes("\n## unknown-type\n"), "the URL names a shipped page with the rule's heading");
  lint(dir, "--fix");
  assert.ok(readFileSync(path.join(dir, SPEC), "utf8").includes("| sku | Varchr(64) |"), "--fix leaves a suggestion alone");
});

test('a rule set to "info" reports without failing the run or counting against --max-warnings', () => {
  const dir = workspace({ "unknown-type": "info" });
  const r = lint(dir, "--max-warnings", "0");
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /info {2}Type "Varchr\(64\)"/);
  assert.match(r.stdout, /\(0 errors, 0 warnings, 1 info\)/);
  const sarif = JSON.parse(lint(dir, "--format", "sarif").stdout);
  assert.equal(sarif.runs[0].results[0].level, "note");
});
