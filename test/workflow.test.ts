// The review lifecycle in real temporary git repositories with commits by several authors.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";

const cli = resolve("dist", "src", "cli", "main.js");
const examples = resolve("examples");
const SPEC = "specs/FEAT-0003-warehouse-stock-reservation/technical-specification.md";
const made: string[] = [];
/** Today for every techspec run (TECHSPEC_NOW); commits are dated by their own GIT_*_DATE, on or before it unless a test says otherwise. */
const NOW = "2026-11-24";

const PEOPLE = {
  dana: { name: "Dana Dev", email: "dana@example.com" },
  marcus: { name: "Marcus Lee", email: "marcus@example.com" },
  elena: { name: "Elena Kovacs", email: "elena@example.com" },
  daniel: { name: "Daniel Okafor", email: "daniel@example.com" },
  mallory: { name: "Mallory Moe", email: "mallory@example.com" },
};
type Who = keyof typeof PEOPLE;

/** A git repository holding the examples, committed by Dana, with roles configured. */
function repo(extraConfig: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "techspec-flow-"));
  made.push(dir);
  cpSync(examples, dir, { recursive: true });
  writeFileSync(join(dir, "techspec.config.json"), `${JSON.stringify({
    specs: ["specs/**/technical-specification.md"],
    roles: {
      "Engineering Lead": ["Marcus Lee <marcus@example.com>"],
      "Architecture Lead": ["Elena Kovacs <elena@example.com>"],
      "Security Lead": ["Daniel Okafor <daniel@example.com>"],
    },
    ...extraConfig,
  }, null, 2)}\n`);
  git(dir, "dana", ["init", "-q", "-b", "main"]);
  commit(dir, "dana", "examples");
  return dir;
}

function git(dir: string, who: Who, args: string[], date = "2026-11-20T10:00:00Z"): string {
  const p = PEOPLE[who];
  return execFileSync("git", args, {
    cwd: dir, encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: p.name, GIT_AUTHOR_EMAIL: p.email, GIT_COMMITTER_NAME: p.name, GIT_COMMITTER_EMAIL: p.email,
      GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
  });
}

function commit(dir: string, who: Who, message: string, date?: string): void {
  git(dir, who, ["add", "-A"], date);
  git(dir, who, ["commit", "-q", "--allow-empty", "-m", message], date);
}

/** Runs techspec as `who` (their git identity, through the environment git reads). */
function ts(dir: string, args: string[], who: Who = "dana"): { code: number | null; stdout: string; stderr: string } {
  const p = PEOPLE[who];
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir, encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", TECHSPEC_NOW: NOW, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_0: "user.name", GIT_CONFIG_VALUE_0: p.name, GIT_CONFIG_KEY_1: "user.email", GIT_CONFIG_VALUE_1: p.email },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lintJson(dir: string): { rule: string; message: string; line: number; file: string }[] {
  const r = ts(dir, ["lint", "--format", "json"]);
  return (JSON.parse(r.stdout) as { diagnostics: { rule: string; message: string; line: number; file: string }[] }).diagnostics;
}

const read = (dir: string): string => readFileSync(join(dir, SPEC), "utf8");
const edit = (dir: string, from: string, to: string): void => {
  const text = read(dir);
  assert.ok(text.includes(from), `spec contains ${from}`);
  writeFileSync(join(dir, SPEC), text.replace(from, to));
};

/** Marks FEAT-0003's open questions resolved (an open question blocks Approved). */
function resolveOpenQuestions(dir: string): void {
  const text = read(dir);
  const from = text.indexOf("## Open Questions");
  const to = text.indexOf("## Appendix");
  writeFileSync(join(dir, SPEC), text.slice(0, from) + text.slice(from, to).replace(/^- /gm, "- Resolved: ") + text.slice(to));
}

/** Takes FEAT-0003 through review to Approved, committing each step as the person who made it. */
function approveAll(dir: string): void {
  assert.equal(ts(dir, ["status", "FEAT-0003", "In Review"]).code, 0);
  commit(dir, "dana", "FEAT-0003 in review");
  resolveOpenQuestions(dir);
  commit(dir, "dana", "FEAT-0003 questions answered");
  for (const [who, role] of [["marcus", "Engineering Lead"], ["elena", "Architecture Lead"], ["daniel", "Security Lead"]] as const) {
    const r = ts(dir, ["approve", "FEAT-0003", "--role", role], who);
    assert.equal(r.code, 0, r.stderr);
    commit(dir, who, `${role} approves FEAT-0003`);
  }
  const r = ts(dir, ["status", "FEAT-0003", "Approved"]);
  assert.equal(r.code, 0, r.stderr);
  commit(dir, "dana", "FEAT-0003 approved");
}

after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe("status", () => {
  test("legal moves pass and set Last Updated; illegal ones are refused with the allowed moves", () => {
    const dir = repo();
    edit(dir, "**Last Updated**: 2026-11-24", "**Last Updated**: 2026-11-01");
    commit(dir, "dana", "older date");
    const before = read(dir);
    let r = ts(dir, ["status", "FEAT-0003", "Approved"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^techspec: .*FEAT-0003 cannot move from Draft to Approved; from Draft it may move to In Review or Superseded\n$/);
    assert.equal(read(dir), before, "a refusal writes nothing");
    r = ts(dir, ["status", "FEAT-0003", "in review", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { spec: SPEC, featureId: "FEAT-0003", from: "Draft", to: "In Review", lastUpdated: NOW });
    // Only the Status and Last Updated lines changed.
    const changed = read(dir).split("\n").map((l, i) => (l === before.split("\n")[i] ? null : l)).filter((l) => l !== null);
    assert.deepEqual(changed, [`**Last Updated**: ${NOW}  `, "**Status**: In Review"]);
    assert.equal(ts(dir, ["status", "FEAT-0003", "Draft"]).code, 0, "In Review → Draft is allowed");
    r = ts(dir, ["status", "FEAT-0003", "Draft"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already Draft/);
    r = ts(dir, ["status", "FEAT-0003", "Superseded"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /techspec supersede OLD NEW/);
  });

  test("Approved is refused while an approval is missing, naming each role that is not done", () => {
    const dir = repo();
    assert.equal(ts(dir, ["status", "FEAT-0003", "In Review"]).code, 0);
    assert.equal(ts(dir, ["approve", "FEAT-0003", "--role", "Security Lead"], "daniel").code, 0);
    const r = ts(dir, ["status", "FEAT-0003", "Approved"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot be Approved yet: Engineering Lead: pending \(Fatima Haddad\); Architecture Lead: pending \(Stefan Novak\)\n$/);
  });
});

describe("approve", () => {
  test("records name, date and content digest for a role holder; refuses anyone else", () => {
    const dir = repo();
    let r = ts(dir, ["approve", "FEAT-0003", "--role", "security lead"], "mallory");
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "techspec: Mallory Moe <mallory@example.com> does not hold the Security Lead role (held by Daniel Okafor <daniel@example.com>)\n");
    r = ts(dir, ["approve", "FEAT-0003", "--role", "Security Lead", "--json"], "daniel");
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { digest: string; date: string; decision: string; name: string; email: string };
    assert.equal(out.decision, "Approved");
    assert.equal(out.name, "Daniel Okafor");
    assert.match(out.digest, /^sha256:[0-9a-f]{64}$/);
    assert.ok(read(dir).includes(`**Security Lead**: Daniel Okafor - Approved ${out.date} (${out.digest})  \n`));
    r = ts(dir, ["approve", "FEAT-0003", "--role", "Engineering Lead", "--reject", "--reason", "no load test for the\nreservation sweep"], "marcus");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(out.date, NOW);
    assert.match(read(dir), /\*\*Engineering Lead\*\*: Marcus Lee - Rejected 2026-11-24 \(sha256:[0-9a-f]{64}\): no load test for the reservation sweep {2}\n/);
    // The model reads what approve wrote.
    const show = JSON.parse(ts(dir, ["show", "FEAT-0003", "--json"]).stdout) as { approvals: { role: string; decision: string; digest: string | null; reason: string | null }[] };
    assert.deepEqual(show.approvals.map((a) => [a.role, a.decision, !!a.digest, a.reason]), [
      ["Engineering Lead", "Rejected", true, "no load test for the reservation sweep"], ["Architecture Lead", "Pending", false, null], ["Security Lead", "Approved", true, null]]);
  });

  test("usage: a role is required, --reject needs --reason, an unknown role lists the roles", () => {
    const dir = repo();
    assert.match(ts(dir, ["approve", "FEAT-0003"]).stderr, /--role/);
    assert.match(ts(dir, ["approve", "FEAT-0003", "--role", "Security Lead", "--reject"], "daniel").stderr, /--reject needs --reason/);
    const r = ts(dir, ["approve", "FEAT-0003", "--role", "Chief Vibes Officer"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"Chief Vibes Officer" is not an approval role of .* \(roles: Engineering Lead, Architecture Lead, Security Lead\)/);
    assert.match(ts(dir, ["approve", "FEAT-0003", "--role", "Security Lead", "--as", "Daniel"]).stderr, /--as needs "Name <email>"/);
  });

  test("a role required by configuration (a spec with a Data Model needs a Data Lead) is asked for", () => {
    const dir = repo({ roles: { "Engineering Lead": ["Marcus Lee <marcus@example.com>"], "Data Lead": ["Elena Kovacs <elena@example.com>"] }, requiredApprovals: [{ role: "Data Lead", when: { dataModel: true } }] });
    assert.equal(ts(dir, ["status", "FEAT-0003", "In Review"]).code, 0);
    const r = ts(dir, ["status", "FEAT-0003", "Approved"]);
    assert.match(r.stderr, /Data Lead: no approval yet/);
    assert.equal(ts(dir, ["approve", "FEAT-0003", "--role", "Data Lead"], "elena").code, 0);
    assert.match(read(dir), /\*\*Security Lead\*\*: Olga Petrenko - Pending {2}\n\*\*Data Lead\*\*: Elena Kovacs - Approved /);
  });
});

describe("lint in git", () => {
  test("the full lifecycle lints clean", () => {
    const dir = repo();
    approveAll(dir);
    const spec = lintJson(dir).filter((d) => d.file === SPEC);
    assert.deepEqual(spec, []);
  });

  test("a forged approval is caught and names who really wrote it", () => {
    const dir = repo();
    approveAll(dir);
    // Mallory rewrites the Security Lead's line (a rejection turned into an approval would look the same).
    const text = read(dir);
    const line = /\*\*Security Lead\*\*: .*/.exec(text)![0];
    edit(dir, line, line.replace(/Approved (\d{4}-\d\d-\d\d)/, "Approved 2026-11-21"));
    commit(dir, "mallory", "tidy approval", "2026-11-22T09:00:00Z");
    const found = lintJson(dir).filter((d) => d.rule === "approval-provenance" && d.file === SPEC);
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, /^The Security Lead's Approved line was written by Mallory Moe <mallory@example\.com> in commit [0-9a-f]{8} \(2026-11-22\), who does not hold the Security Lead role \(held by Daniel Okafor <daniel@example\.com>\)/);
  });

  test("an approval made stale by a later edit is caught, and status Approved is then refused", () => {
    const dir = repo();
    approveAll(dir);
    edit(dir, "two customers can buy the last unit", "two customers can still buy the last unit");
    commit(dir, "dana", "wording", "2026-11-23T09:00:00Z");
    const stale = lintJson(dir).filter((d) => d.rule === "approval-stale");
    assert.deepEqual(stale.map((d) => d.message.slice(0, 40)), ["The Engineering Lead's approval by Marcu", "The Architecture Lead's approval by Elen", "The Security Lead's approval by Daniel O"]);
  });

  test("a status that jumped in a commit is caught against the previous commit", () => {
    const dir = repo();
    edit(dir, "**Status**: Draft", "**Status**: Approved");
    commit(dir, "dana", "approve it myself");
    const found = lintJson(dir).filter((d) => d.rule === "status-transition");
    assert.equal(found.length, 1);
    assert.equal(found[0]!.message, "Status moved from Draft to Approved since the previous commit; from Draft a spec may move to In Review or Superseded (use techspec status)");
    // Uncommitted, the working file is compared with HEAD.
    const dir2 = repo();
    edit(dir2, "**Status**: Draft", "**Status**: Implemented");
    assert.equal(lintJson(dir2).filter((d) => d.rule === "status-transition").length, 1);
  });

  test("Last Updated older than the last content commit is a warning that --fix sets to that commit's date", () => {
    const dir = repo();
    edit(dir, "two customers can buy the last unit", "two customers could buy the last unit");
    commit(dir, "dana", "edit", "2026-12-02T12:00:00Z");
    let found = lintJson(dir).filter((d) => d.rule === "last-updated" && d.file === SPEC);
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, /^Last Updated is 2026-11-24 but the content was changed on 2026-12-02 \(commit [0-9a-f]{8} by Dana Dev\)$/);
    // A commit that only touches the approval block is not a content change.
    edit(dir, "**Security Lead**: Olga Petrenko - Pending", "**Security Lead**: Olga Petrenko - Pending ");
    commit(dir, "dana", "spacing", "2026-12-09T12:00:00Z");
    ts(dir, ["lint", "--fix"]);
    assert.match(read(dir), /\*\*Last Updated\*\*: 2026-12-02 {2}\n/);
    found = lintJson(dir).filter((d) => d.rule === "last-updated" && d.file === SPEC);
    assert.deepEqual(found, []);
  });

  test("outside git with roles configured, a recorded decision cannot be verified: an error that says why, never a silent pass", () => {
    const dir = mkdtempSync(join(tmpdir(), "techspec-nogit-"));
    made.push(dir);
    cpSync(examples, dir, { recursive: true });
    writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ roles: { "Security Lead": ["Olga Petrenko <olga@example.com>"] } }));
    // Pending lines only: nothing to verify, and a spec outside git has no history for the other lifecycle rules.
    let r = ts(dir, ["lint", "specs/FEAT-0003-warehouse-stock-reservation"]);
    assert.equal(r.code, 0, r.stdout);
    const file = join(dir, SPEC);
    writeFileSync(file, readFileSync(file, "utf8").replace("Olga Petrenko - Pending", `Olga Petrenko - Approved 2026-11-24 (sha256:${"0".repeat(64)})`));
    for (const quiet of [[], ["--quiet"]]) {
      r = ts(dir, ["lint", "specs/FEAT-0003-warehouse-stock-reservation", "-f", "json", ...quiet]);
      assert.equal(r.code, 1, r.stdout);
      const found = (JSON.parse(r.stdout) as { diagnostics: { rule: string; severity: string; message: string }[] }).diagnostics.filter((d) => d.rule === "approval-provenance");
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.equal(found[0]!.severity, "error");
      assert.equal(found[0]!.message, "The recorded decision cannot be verified: the spec is not in a git repository, so who wrote its approval lines cannot be verified (commit it to one)");
    }
  });
});

describe("supersede", () => {
  test("links both ways, sets the old status, and refuses twice", () => {
    const dir = repo();
    let r = ts(dir, ["supersede", "FEAT-0002", "FEAT-0003", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const old = readFileSync(join(dir, "specs/FEAT-0002-notification-preferences/technical-specification.md"), "utf8");
    assert.match(old, /^\*\*Status\*\*: Superseded by \[FEAT-0003\]\(\.\.\/FEAT-0003-warehouse-stock-reservation\/technical-specification\.md\)$/m);
    assert.match(read(dir), /^\*\*Status\*\*: Draft {2}\n\*\*Supersedes\*\*: \[FEAT-0002\]\(\.\.\/FEAT-0002-notification-preferences\/technical-specification\.md\)\n/m);
    const show = JSON.parse(ts(dir, ["show", "FEAT-0002", "--json"]).stdout) as { metadata: { status: string } };
    assert.equal(show.metadata.status, "Superseded");
    r = ts(dir, ["supersede", "FEAT-0002", "FEAT-0001"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already superseded/);
    // Both files still lint without errors from the new lines.
    const errors = lintJson(dir).filter((d) => (d.file.includes("FEAT-0002") || d.file.includes("FEAT-0003")) && ["parse", "metadata", "related-document-link", "approval-format", "approval-consistent"].includes(d.rule));
    assert.deepEqual(errors, []);
  });
});

describe("insight", () => {
  test("list --waiting-on a role, a holder's name or e-mail; --stale DAYS; JSON rows say what they wait on", () => {
    const dir = repo();
    assert.equal(ts(dir, ["status", "FEAT-0003", "In Review"]).code, 0);
    assert.equal(ts(dir, ["approve", "FEAT-0003", "--role", "Security Lead"], "daniel").code, 0);
    const ids = (args: string[]): string[] => (JSON.parse(ts(dir, ["list", "--json", ...args]).stdout) as { id: string }[]).map((r) => r.id);
    // FEAT-0002 is In Review too; FEAT-0001 is Approved with unpinned approvals, so it waits on every role again.
    assert.deepEqual(ids(["--waiting-on", "Engineering Lead"]), ["FEAT-0001", "FEAT-0002", "FEAT-0003"]);
    assert.deepEqual(ids(["--waiting-on", "daniel@example.com"]), ["FEAT-0001", "FEAT-0002"]);
    assert.deepEqual(ids(["--waiting-on", "Marcus Lee", "--status", "In Review"]), ["FEAT-0002", "FEAT-0003"]);
    const rows = JSON.parse(ts(dir, ["list", "--json", "--status", "In Review"]).stdout) as { id: string; waitingOn: string[] }[];
    assert.deepEqual(rows.find((r) => r.id === "FEAT-0003")!.waitingOn, ["Engineering Lead", "Architecture Lead"]);
    const text = ts(dir, ["list", "--waiting-on", "Security Lead"]).stdout;
    assert.match(text, /WAITING ON\n/);
    // Every example was last updated on NOW (FEAT-0003 by the status move above): none is stale, until FEAT-0003 is.
    assert.deepEqual(ids(["--stale", "0"]), []);
    edit(dir, `**Last Updated**: ${NOW}`, "**Last Updated**: 2026-10-24");
    assert.deepEqual(ids(["--stale", "30"]), ["FEAT-0003"]);
    assert.deepEqual(ids(["--stale", "31"]), []);
    assert.equal(ts(dir, ["list", "--stale", "soon"]).code, 2);
  });

  test("log: creation, status changes and approvals with author, date and commit", () => {
    const dir = repo();
    approveAll(dir);
    const r = ts(dir, ["log", "FEAT-0003", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const entries = JSON.parse(r.stdout) as { commit: string; author: { name: string }; events: { type: string; to?: string; role?: string; decision?: string }[] }[];
    const events = entries.flatMap((e) => e.events.map((ev) => `${e.author.name}: ${ev.type} ${ev.to ?? ev.role ?? ""} ${ev.decision ?? ""}`.trim()));
    assert.deepEqual(events, ["Dana Dev: created", "Dana Dev: status In Review", "Marcus Lee: approval Engineering Lead Approved",
      "Elena Kovacs: approval Architecture Lead Approved", "Daniel Okafor: approval Security Lead Approved", "Dana Dev: status Approved"]);
    assert.ok(entries.every((e) => /^[0-9a-f]{40}$/.test(e.commit)));
    const text = ts(dir, ["log", "FEAT-0003"]).stdout.split("\n");
    assert.match(text[1]!, /^2026-11-20 {2}[0-9a-f]{8} {2}Dana Dev <dana@example\.com> +status Draft → In Review$/);
  });
});

test("every command has --help, and each offers --json", () => {
  const help = ts(examples, ["--help"]).stdout;
  const commands = [...help.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1]!);
  assert.deepEqual(commands, ["init", "new", "lint", "show", "list", "export", "site", "status", "approve", "supersede", "log", "diff", "mock", "verify", "serve", "users", "tokens", "rules", "lsp"]);
  for (const cmd of commands) {
    const r = ts(examples, [cmd, "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`^Usage: techspec ${cmd}`));
    // The language server's output is the protocol itself (JSON-RPC on stdout): it has no report to print as JSON.
    if (cmd !== "lsp") assert.match(r.stdout, /--json\b/, `${cmd} --help mentions --json`);
  }
  const dir = mkdtempSync(join(tmpdir(), "techspec-json-"));
  made.push(dir);
  assert.deepEqual(Object.keys(JSON.parse(ts(dir, ["init", "--json"]).stdout) as object), ["config", "specsDir"]);
  const created = JSON.parse(ts(dir, ["new", "Gift cards", "--json"]).stdout) as { id: string; files: string[] };
  assert.equal(created.id, "FEAT-0001");
  assert.equal(created.files.length, 5);
  const exported = JSON.parse(ts(dir, ["export", "jsonschema", created.files[0]!, "--json"]).stdout) as { target: string; output: string };
  assert.equal(exported.target, "jsonschema");
  const lint = JSON.parse(ts(dir, ["lint", "--json"]).stdout) as { diagnostics: unknown[] };
  assert.ok(Array.isArray(lint.diagnostics));
  const site = JSON.parse(ts(dir, ["site", "--json", "-o", "portal"]).stdout) as { specs: number };
  assert.equal(site.specs, 1);
});
