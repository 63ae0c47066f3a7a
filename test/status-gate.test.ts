// `techspec status` moves a spec to In Review or Approved only when lint at that status has no error.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";

const cli = resolve("dist", "src", "cli", "main.js");
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function ts(cwd: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", TECHSPEC_NOW: "2027-01-15" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("a scaffolded spec lints with warnings and exit 0, and cannot go to review until its errors at In Review are fixed", () => {
  const dir = mkdtempSync(join(tmpdir(), "techspec-gate-"));
  dirs.push(dir);
  assert.equal(ts(dir, ["new", "Refund Flow", "--author", "Ann Lee, Engineer"]).code, 0);
  const lint = ts(dir, ["lint", "--format", "json"]);
  assert.equal(lint.code, 0, lint.stderr);
  const report = JSON.parse(lint.stdout) as { summary: { errors: number; warnings: number } };
  assert.equal(report.summary.errors, 0);
  assert.ok(report.summary.warnings > 20, `${report.summary.warnings} warnings`);

  const folder = join(dir, "specs", readdirSync(join(dir, "specs"))[0]!);
  const file = join(folder, "technical-specification.md");
  const before = readFileSync(file, "utf8");
  const r = ts(dir, ["status", "FEAT-0001", "In Review"]);
  assert.equal(r.code, 1);
  const lines = r.stderr.trimEnd().split("\n");
  assert.match(lines[0]!, /^techspec: specs\/FEAT-0001-refund-flow\/technical-specification\.md: FEAT-0001 cannot move to In Review: lint reports (\d+) errors at that status/);
  const count = Number(/reports (\d+) errors/.exec(lines[0]!)![1]);
  assert.equal(count, report.summary.warnings, "every Draft warning of those rules is an error In Review");
  assert.equal(lines.length, 7, "the first five, then how many more");
  for (const l of lines.slice(1, 6)) assert.match(l, /^ {2}specs\/FEAT-0001-refund-flow\/technical-specification\.md:\d+:\d+ {2}.+ {2}\([a-z-]+\)$/);
  assert.equal(lines[6], `  … and ${count - 5} more`);
  assert.equal(readFileSync(file, "utf8"), before, "a refusal writes nothing");
  assert.deepEqual(readdirSync(folder).filter((f) => f.startsWith(".")), [], "no temporary file left behind");
});

test("a spec without lint errors at In Review moves", () => {
  const dir = mkdtempSync(join(tmpdir(), "techspec-gate-"));
  dirs.push(dir);
  const spec = readFileSync(resolve("examples/specs/FEAT-0003-warehouse-stock-reservation/technical-specification.md"), "utf8");
  writeFileSync(join(dir, "technical-specification.md"), spec);
  for (const doc of ["PRD.md", "ui-ux-design.md", "implementation-plan.md", "test-plan.md"]) {
    writeFileSync(join(dir, doc), readFileSync(resolve("examples/specs/FEAT-0003-warehouse-stock-reservation", doc), "utf8"));
  }
  const r = ts(dir, ["status", "technical-specification.md", "In Review"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(join(dir, "technical-specification.md"), "utf8"), /\*\*Status\*\*: In Review/);
});
