// One meaning of "approved": for a spec in each standing, `list`, `list --json`, the portal's index row and
// approvals panel, and lint all say the same thing, because they all read the roles' standings.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { parseSpec } from "../src/parse/parse-spec.js";
import { contentDigest } from "../src/workflow/digest.js";
import type { RoleStanding } from "../src/workflow/standing.js";

const cli = resolve("dist", "src", "cli", "main.js");
const base = resolve("examples", "specs", "FEAT-0003-warehouse-stock-reservation");
let work = "";

type Standing = RoleStanding["state"];

/** The Security Lead's line for each standing (null: no line at all); the other two roles approve properly. */
const CASES: readonly { id: string; standing: Standing; line: (digest: string) => string | null; rule: string | null }[] = [
  { id: "FEAT-0101", standing: "approved", line: (d) => `**Security Lead**: Daniel Okafor - Approved 2026-11-20 (${d})`, rule: null },
  { id: "FEAT-0102", standing: "stale", line: () => `**Security Lead**: Daniel Okafor - Approved 2026-11-20 (sha256:${"0badc0de".repeat(8)})`, rule: "approval-stale" },
  // Eight digits of the right digest: written before pins were 128 bits long, it proves nothing.
  { id: "FEAT-0108", standing: "weak-pin", line: (d) => `**Security Lead**: Daniel Okafor - Approved 2026-11-20 (${d.slice(0, 15)})`, rule: "approval-consistent" },
  { id: "FEAT-0103", standing: "unpinned", line: () => "**Security Lead**: Daniel Okafor - Approved", rule: "approval-consistent" },
  { id: "FEAT-0104", standing: "not-a-holder", line: (d) => `**Security Lead**: Mallory Moe - Approved 2026-11-20 (${d})`, rule: "approver-role" },
  { id: "FEAT-0105", standing: "rejected", line: (d) => `**Security Lead**: Daniel Okafor - Rejected 2026-11-20 (${d}): no threat model`, rule: "approval-consistent" },
  { id: "FEAT-0106", standing: "pending", line: () => "**Security Lead**: Daniel Okafor - Pending", rule: "approval-consistent" },
  { id: "FEAT-0107", standing: "missing", line: () => null, rule: "approval-consistent" },
];

const APPROVAL_RULES = new Set(["approval-consistent", "approval-stale", "approver-role", "approval-format"]);

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const folder = (id: string): string => `specs/${id}-stock`;

before(() => {
  work = mkdtempSync(join(tmpdir(), "techspec-approvals-"));
  writeFileSync(join(work, "techspec.config.json"), `${JSON.stringify({
    specs: ["specs/**/technical-specification.md"],
    roles: {
      "Engineering Lead": ["Marcus Lee <marcus@example.com>"],
      "Architecture Lead": ["Elena Kovacs <elena@example.com>"],
      "Security Lead": ["Daniel Okafor <daniel@example.com>"],
    },
    // The workspace is not a git repository: who wrote the lines is not what these tests are about
    // (approval-provenance would report every recorded decision as unverifiable; test/signatures.test.ts covers it).
    rules: { "approval-provenance": "off" },
  }, null, 2)}\n`);
  const template = readFileSync(join(base, "technical-specification.md"), "utf8");
  for (const c of CASES) {
    cpSync(base, join(work, folder(c.id)), { recursive: true });
    // Approved, with its open questions answered, so the approvals are all that lint and status can object to.
    const text = template.replace("**Feature ID**: FEAT-0003", `**Feature ID**: ${c.id}`).replace("**Status**: Draft", "**Status**: Approved")
      .replace(/(## Open Questions\n\n)([\s\S]*?)(\n## )/, (_, head: string, list: string, next: string) => `${head}${list.replace(/^- /gm, "- Resolved: ")}${next}`);
    // The digest leaves the Approval block out, so it is the same before and after the lines are written.
    const digest = contentDigest(parseSpec(text));
    const lines = [`**Engineering Lead**: Marcus Lee - Approved 2026-11-20 (${digest})  `, `**Architecture Lead**: Elena Kovacs - Approved 2026-11-20 (${digest})  `];
    const security = c.line(digest);
    if (security !== null) lines.push(security);
    const approval = text.replace(/^\*\*Engineering Lead\*\*:[^\n]*\n\*\*Architecture Lead\*\*:[^\n]*\n\*\*Security Lead\*\*:[^\n]*\n/m, `${lines.join("\n")}\n`);
    assert.notEqual(approval, text, "the Approval block was replaced");
    writeFileSync(join(work, folder(c.id), "technical-specification.md"), approval);
  }
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

test("list, list --json, the portal and lint agree on every standing", () => {
  const text = run(["list"]);
  assert.equal(text.code, 0, text.stderr);
  const json = run(["list", "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const rows = JSON.parse(json.stdout) as { id: string; approvals: { done: number; total: number; state: string; roles: { role: string; state: string }[] }; waitingOn: string[] }[];
  const lint = run(["lint", "--format", "json"]);
  assert.equal(lint.code, 1, lint.stderr);
  const diagnostics = (JSON.parse(lint.stdout) as { diagnostics: { file: string; line: number; rule: string; severity: string; message: string }[] }).diagnostics;
  const site = run(["site", "--out", "portal"]);
  assert.equal(site.code, 0, site.stderr);
  const index = readFileSync(join(work, "portal", "index.html"), "utf8");

  for (const c of CASES) {
    const approved = c.standing === "approved";
    const state = approved ? "approved" : c.standing === "rejected" ? "rejected" : "pending";
    const done = approved ? 3 : 2;
    const why = `${c.id} (${c.standing})`;
    // list: the APPROVALS column.
    const row = text.stdout.split("\n").find((l) => l.startsWith(`${c.id} `));
    assert.match(row ?? "", new RegExp(`\\s${done}/3\\s`), why);
    // list --json: the counts, the state, each role's standing and what the spec waits on.
    const r = rows.find((x) => x.id === c.id)!;
    assert.deepEqual({ done: r.approvals.done, total: r.approvals.total, state: r.approvals.state }, { done, total: 3, state }, why);
    assert.deepEqual(r.approvals.roles.map((x) => x.state), ["approved", "approved", c.standing], why);
    assert.deepEqual(r.waitingOn, approved ? [] : ["Security Lead"], why);
    // The portal's index row: the approval filter's value and the badge.
    const tr = new RegExp(`<tr data-slug="${c.id}"[^>]*data-approval="([a-z]+)">[\\s\\S]*?<span class="badge approval-([a-z]+)">(\\d+)/(\\d+)</span>`).exec(index);
    assert.ok(tr, `${why}: index row`);
    assert.deepEqual(tr.slice(1), [state, state, String(done), "3"], why);
    // The spec page's approvals panel: one badge per role, the Security Lead's showing its standing.
    const page = readFileSync(join(work, "portal", "specs", `${c.id}.html`), "utf8");
    const panel = /<section class="panel" id="approvals">[\s\S]*?<\/section>/.exec(page)?.[0] ?? "";
    assert.deepEqual([...panel.matchAll(/class="badge standing-([a-z-]+)"/g)].map((m) => m[1]), ["approved", "approved", c.standing], why);
    assert.match(page, new RegExp(`<span class="badge approval-${state}">approvals ${done}/3</span>`), why);
    // lint: clean on approvals exactly when approved, else an error from the rule that owns the standing.
    const findings = diagnostics.filter((d) => d.file.startsWith(folder(c.id)) && APPROVAL_RULES.has(d.rule) && d.severity === "error");
    if (c.rule === null) assert.deepEqual(findings, [], why);
    else assert.ok(findings.some((d) => d.rule === c.rule && /Security Lead/.test(d.message)), `${why}: ${c.rule} reports the Security Lead (got ${JSON.stringify(findings)})`);
  }
});

test("status refuses Approved for exactly the specs list does not count as approved", () => {
  for (const c of CASES) {
    const file = join(work, folder(c.id), "technical-specification.md");
    const before = readFileSync(file, "utf8");
    writeFileSync(file, before.replace("**Status**: Approved", "**Status**: In Review"));
    const r = run(["status", c.id, "Approved"]);
    assert.equal(r.code, c.standing === "approved" ? 0 : 1, `${c.id} (${c.standing}): ${r.stderr}`);
    if (c.standing !== "approved") assert.match(r.stderr, /Security Lead: /, c.id);
    writeFileSync(file, before);
  }
});

test("without configured roles a hand-written approval counts, and a stale pin still does not", () => {
  const config = join(work, "techspec.config.json");
  const saved = readFileSync(config, "utf8");
  try {
    writeFileSync(config, `${JSON.stringify({ specs: ["specs/**/technical-specification.md"] })}\n`);
    const rows = JSON.parse(run(["list", "--json"]).stdout) as { id: string; approvals: { done: number; state: string; roles: { state: string }[] } }[];
    const states = Object.fromEntries(rows.map((r) => [r.id, r.approvals.roles[2]?.state ?? "none"]));
    assert.deepEqual(states, {
      "FEAT-0101": "approved", "FEAT-0102": "stale", "FEAT-0103": "approved", "FEAT-0104": "approved",
      "FEAT-0105": "rejected", "FEAT-0106": "pending", "FEAT-0107": "missing", "FEAT-0108": "weak-pin",
    });
    const lint = JSON.parse(run(["lint", "--format", "json"]).stdout) as { diagnostics: { file: string; rule: string }[] };
    const flagged = new Set(lint.diagnostics.filter((d) => APPROVAL_RULES.has(d.rule)).map((d) => d.file.split("/")[1]!.slice(0, 9)));
    assert.deepEqual([...flagged].sort(), ["FEAT-0102", "FEAT-0105", "FEAT-0106", "FEAT-0107", "FEAT-0108"]);
  } finally {
    writeFileSync(config, saved);
  }
});
