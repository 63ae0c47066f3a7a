// Signed approvals end to end: real git repositories, real ed25519 SSH keys (and GPG keys) made for the run,
// the built CLI as a real process. Each attack on an approval line is a test that names the finding it must get.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { assertValidSarif } from "../test-support/sarif.js";

const CLI = resolve("dist", "src", "cli", "main.js");
/** Today for every techspec run; every commit carries its own date, before it. */
const NOW = "2026-11-24";
const SPEC = "specs/FEAT-0001-badge-printer/technical-specification.md";
const SPEC2 = "specs/FEAT-0002-visitor-wifi/technical-specification.md";

const PEOPLE = {
  ana: { name: "Ana Admin", email: "ana@example.com" },
  marcus: { name: "Marcus Lee", email: "marcus@example.com" },
  daniel: { name: "Daniel Okafor", email: "daniel@example.com" },
  elena: { name: "Elena Kovacs", email: "elena@example.com" },
  mallory: { name: "Mallory Moe", email: "mallory@example.com" },
};
type Who = keyof typeof PEOPLE;
const person = (who: Who): string => `${PEOPLE[who].name} <${PEOPLE[who].email}>`;

/** Everyone but Mallory is an allowed signer; Marcus and Daniel hold the two roles every spec needs. */
const SIGNERS: readonly Who[] = ["ana", "marcus", "daniel", "elena"];
const ROLES = { "Engineering Lead": [person("marcus")], "Security Lead": [person("daniel")] };

const made: string[] = [];
const temp = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `techspec-sig-${prefix}-`));
  made.push(dir);
  return dir;
};

let keys = "";
/** The base repository: the spec, and the configuration with signatures and roles in a commit Ana signed (the anchor). */
let base = "";
/** The base with both approvals recorded by their holders in commits they signed; tagged in-review. */
let honest = "";
/** The honest repository after `techspec status … Approved`, committed signed by Ana. */
let approved = "";

// ---------------------------------------------------------------------------------------------
// Tools, keys and repositories

/** Fails (never skips) when a tool the suite needs is missing. */
function requireTool(tool: string, args: string[], why: string): void {
  const r = spawnSync(tool, args, { stdio: "ignore" });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    throw new Error(`${tool} is not installed (or not on PATH): the signed-approval tests need it ${why}; install it and run the tests again`);
  }
}

const BASE_ENV = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GNUPGHOME: join(keys, "gnupg-none") };
  for (const k of ["NODE_TEST_CONTEXT", "FORCE_COLOR", "CI", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"]) delete env[k];
  return env;
};

interface GitOptions {
  /** Who signs the commit with their SSH key; null or absent: unsigned. */
  readonly sign?: Who | null;
  /** The author the commit claims, when it is not the committer. */
  readonly author?: Who;
  /** YYYY-MM-DD of the commit. */
  readonly date?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs git in `dir` as `who` (committer; author too unless `author` says otherwise). */
function git(dir: string, who: Who, args: string[], o: GitOptions = {}): string {
  const date = `${o.date ?? "2026-11-20"}T10:00:00Z`;
  const a = PEOPLE[o.author ?? who];
  const c = PEOPLE[who];
  const signing = o.sign ? ["-c", "gpg.format=ssh", "-c", `user.signingkey=${join(keys, o.sign)}`] : ["-c", "commit.gpgsign=false"];
  return execFileSync("git", [...signing, ...args], {
    cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"],
    env: { ...BASE_ENV(), GIT_AUTHOR_NAME: a.name, GIT_AUTHOR_EMAIL: a.email, GIT_COMMITTER_NAME: c.name, GIT_COMMITTER_EMAIL: c.email,
      GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, ...o.env },
  });
}

/** Commits everything (or `paths`) as `who`, signed with `o.sign`'s key when given; returns the new commit. */
function commit(dir: string, who: Who, message: string, o: GitOptions & { readonly paths?: string[] } = {}): string {
  git(dir, who, ["add", ...(o.paths ?? ["-A"])], o);
  git(dir, who, ["commit", "-q", "--allow-empty", o.sign ? "-S" : "--no-gpg-sign", "-m", message, ...(o.paths ? ["--", ...o.paths] : [])], o);
  return git(dir, who, ["rev-parse", "HEAD"]).trim();
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs techspec in `dir` as `who` (their git identity), with the clock at NOW. */
function ts(dir: string, args: string[], who: Who = "ana", env: Readonly<Record<string, string>> = {}): Run {
  const p = PEOPLE[who];
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir, encoding: "utf8",
    env: { ...BASE_ENV(), NO_COLOR: "1", TECHSPEC_NOW: NOW, GIT_CONFIG_COUNT: "2", GIT_CONFIG_KEY_0: "user.name", GIT_CONFIG_VALUE_0: p.name,
      GIT_CONFIG_KEY_1: "user.email", GIT_CONFIG_VALUE_1: p.email, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly severity: "error" | "warning";
  readonly message: string;
}

/** The spec-wide approval-provenance finding while the chain of trust refuses a change to the configuration or the signers. */
const CONFIG_REFUSED = /^The configuration or the allowed signers were changed without a trusted signature, so no decision of this spec counts until the change is signed by an allowed signer or reverted \(refused by the chain of trust: /;

/**
 * `techspec lint --format json` in `dir`: the exit code and what it found, with the spec-wide finding of refused
 * configuration changes apart (`refused`), so that `found` holds the findings about each line.
 */
function lint(dir: string, args: string[] = [], env: Readonly<Record<string, string>> = {}): { code: number | null; found: Finding[]; refused: Finding[]; notes: string[] | undefined; stderr: string } {
  const r = ts(dir, ["lint", "--format", "json", ...args], "ana", env);
  assert.ok(r.stdout.startsWith("{"), `lint printed a JSON report (exit ${r.code}; stderr: ${r.stderr})`);
  const out = JSON.parse(r.stdout) as { diagnostics: Finding[]; notes?: string[] };
  const isRefused = (d: Finding): boolean => d.rule === "approval-provenance" && CONFIG_REFUSED.test(d.message);
  return { code: r.code, found: out.diagnostics.filter((d) => !isRefused(d)), refused: out.diagnostics.filter(isRefused), notes: out.notes, stderr: r.stderr };
}

/** The one finding of `rule` (failing when there is none or more than one), checked in full. */
function expectOne(found: readonly Finding[], want: { rule: string; severity: "error" | "warning"; file?: string; line: number; message: RegExp }): Finding {
  const hits = found.filter((d) => d.rule === want.rule && d.file === (want.file ?? SPEC));
  assert.equal(hits.length, 1, `one ${want.rule} finding in ${want.file ?? SPEC}, got ${JSON.stringify(found, null, 2)}`);
  const d = hits[0]!;
  assert.equal(d.severity, want.severity, d.message);
  assert.equal(d.line, want.line, d.message);
  assert.match(d.message, want.message);
  return d;
}

const provenance = (found: readonly Finding[]): Finding[] => found.filter((d) => d.rule === "approval-provenance");
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const short = (commitHash: string): string => commitHash.slice(0, 8);
const read = (dir: string, rel = SPEC): string => readFileSync(join(dir, rel), "utf8");
const lineOf = (dir: string, start: string, rel = SPEC): number => {
  const n = read(dir, rel).split("\n").findIndex((l) => l.startsWith(start));
  assert.ok(n >= 0, `${rel} has a line starting ${start}`);
  return n + 1;
};
const SECURITY = "**Security Lead**:";
const ENGINEERING = "**Engineering Lead**:";

/** A fresh copy of a repository (history included), for a test that changes it. */
function copy(from: string, name: string): string {
  const dir = temp(name);
  cpSync(from, dir, { recursive: true });
  return dir;
}

/** `techspec approve` for `role`: as the git identity of `who`, or, with `as`, for whoever `as` names. */
function approve(dir: string, role: string, who: Who, as?: Who, extra: string[] = []): void {
  const r = ts(dir, ["approve", "FEAT-0001", "--role", role, ...(as ? ["--as", person(as)] : []), ...extra], who);
  assert.equal(r.code, 0, r.stderr);
}

/** A folder for PATH holding node and the named tools (symbolic links to the real ones), and nothing else. */
function binWith(tools: readonly string[]): string {
  const bin = temp("bin");
  symlinkSync(process.execPath, join(bin, "node"));
  for (const tool of tools) {
    const real = execFileSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim();
    symlinkSync(real, join(bin, tool));
  }
  return bin;
}

/** The SSH key fingerprint (SHA256:…) of someone's key, as git reports it. */
const fingerprint = (who: Who): string => /\s(SHA256:\S+)\s/.exec(execFileSync("ssh-keygen", ["-l", "-f", join(keys, `${who}.pub`)], { encoding: "utf8" }))![1]!;
const signerLine = (who: Who): string => `${PEOPLE[who].email} ${readFileSync(join(keys, `${who}.pub`), "utf8").split(" ").slice(0, 2).join(" ")}`;

function writeConfig(dir: string, extra: Record<string, unknown> = {}, roles: Record<string, string[]> = ROLES): void {
  writeFileSync(join(dir, "techspec.config.json"), `${JSON.stringify({
    specs: ["specs/**/technical-specification.md"],
    approvalRoles: ["Engineering Lead", "Security Lead"],
    roles,
    signatures: { required: true, allowedSigners: ".techspec/allowed_signers" },
    ...extra,
  }, null, 2)}\n`);
}

/** A small spec of our own that lints clean at In Review and at Approved. */
function specText(id: string, title: string, status: string): string {
  return `# Technical Specification: ${title}

## Overview

**Feature ID**: ${id}  
**Author**: Ana Admin  
**Created Date**: 2026-11-02  
**Last Updated**: 2026-11-02  
**Status**: ${status}

## Introduction

Visitors at the front desk get a printed badge. A queue holds the print jobs until the lobby printer
reports that it is ready, so that a jammed printer loses no job.

## Related Documents

- [Desk notes](./desk-notes.md)

## Architecture

One small service sits between the check-in screen and the lobby printer.

### System Context

The check-in screen posts jobs; the printer pulls them when it is ready.

### Components

#### Component 1: Print Queue

- **Purpose**: Holds badge print jobs in arrival order.
- **Responsibilities**: Accept jobs, hand the oldest job to the printer, retry after a jam.
- **Interfaces**: One HTTP endpoint for new jobs.
- **Dependencies**: None

## Implementation Details

Jobs are kept in memory; a restart empties the queue, which the desk accepts.

### Security Considerations

Only the check-in screen on the lobby network may submit jobs.

## Testing Approach

The queue is tested against a fake printer that jams on every third job.

### Unit Testing

Ordering and retry of jobs.

### Integration Testing

The check-in screen against the service on a test printer.

## Deployment

One container on the lobby host.

### Migration

None: the queue starts empty.

### Rollback

Stop the container; the check-in screen prints directly again.

## Open Questions

- Resolved: badges print in black and white only.

## Approval

**Engineering Lead**: Marcus Lee - Pending  
**Security Lead**: Daniel Okafor - Pending  
`;
}

function writeSpec(dir: string, rel: string, id: string, title: string, status = "In Review"): void {
  const folder = join(dir, rel, "..");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(dir, rel), specText(id, title, status));
  writeFileSync(join(folder, "desk-notes.md"), "# Desk notes\n\nThe desk opens at eight.\n");
}

before(() => {
  requireTool("git", ["--version"], "to make repositories");
  requireTool("ssh-keygen", ["-?"], "to make SSH keys and signatures (OpenSSH)");
  keys = temp("keys");
  for (const who of Object.keys(PEOPLE) as Who[]) {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", PEOPLE[who].email, "-f", join(keys, who)]);
  }
  mkdirSync(join(keys, "gnupg-none"), { mode: 0o700 });

  base = temp("base");
  git(base, "ana", ["init", "-q", "-b", "main"]);
  writeSpec(base, SPEC, "FEAT-0001", "Badge Printer Queue");
  writeConfig(base);
  mkdirSync(join(base, ".techspec"));
  writeFileSync(join(base, ".techspec", "allowed_signers"), `# Who may sign approvals and changes to the roles\n${SIGNERS.map(signerLine).join("\n")}\n`);
  commit(base, "ana", "Badge printer spec in review; signed approvals", { sign: "ana", date: "2026-11-02" });

  honest = copy(base, "honest");
  // Marcus approves as his git identity, Daniel with --as; each commits signed with his own key.
  approve(honest, "Engineering Lead", "marcus");
  commit(honest, "marcus", "Engineering Lead approves FEAT-0001", { sign: "marcus", date: "2026-11-20" });
  approve(honest, "Security Lead", "daniel", "daniel");
  commit(honest, "daniel", "Security Lead approves FEAT-0001", { sign: "daniel", date: "2026-11-21" });
  git(honest, "ana", ["tag", "in-review"]);

  approved = copy(honest, "approved");
  const r = ts(approved, ["status", "FEAT-0001", "Approved"]);
  assert.equal(r.code, 0, `status Approved with both signed approvals: ${r.stderr}`);
  commit(approved, "ana", "FEAT-0001 approved", { sign: "ana", date: "2026-11-22" });
});

after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------

describe("signed approvals: the honest flow", () => {
  test("holders who sign their own approval commits lint clean, in review and approved", () => {
    for (const dir of [honest, approved]) {
      const r = lint(dir);
      assert.deepEqual(r.found, [], JSON.stringify(r.found, null, 2));
      assert.equal(r.code, 0);
      assert.equal(r.notes, undefined, "no note when signatures are required");
    }
    assert.match(read(approved), /^\*\*Status\*\*: Approved$/m);
    assert.match(read(approved), /^\*\*Security Lead\*\*: Daniel Okafor - Approved 2026-11-24 \(sha256:[0-9a-f]{64}\) {2}$/m);
  });

  test("a holder added, and a signer removed, by commits an allowed signer signed", () => {
    const dir = copy(honest, "rotate");
    // Ana adds Elena as a second Security Lead; Elena's signed approval then counts.
    writeConfig(dir, {}, { ...ROLES, "Security Lead": [person("daniel"), person("elena")] });
    commit(dir, "ana", "Elena joins the security leads", { sign: "ana", date: "2026-11-22" });
    approve(dir, "Security Lead", "elena");
    commit(dir, "elena", "Security Lead approves FEAT-0001", { sign: "elena", date: "2026-11-22" });
    let r = lint(dir);
    assert.deepEqual(r.found, [], JSON.stringify(r.found, null, 2));
    assert.equal(r.code, 0);
    // Elena, a holder, signs a line that names Daniel, the other holder: not hers to sign.
    approve(dir, "Security Lead", "elena", "daniel");
    const forged = commit(dir, "elena", "Security Lead approves FEAT-0001", { sign: "elena", author: "daniel", date: "2026-11-22" });
    r = lint(dir);
    expectOne(r.found, {
      rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
      message: new RegExp(`^The Security Lead's Approved line names Daniel Okafor but commit ${short(forged)} \\(2026-11-22, author Daniel Okafor <daniel@example\\.com>\\) is signed by elena@example\\.com: an approval counts only when signed by the person it names$`),
    });
    assert.equal(r.code, 1);
    // Ana removes Marcus from the allowed signers: his earlier approval no longer counts.
    const signers = join(dir, ".techspec", "allowed_signers");
    writeFileSync(signers, readFileSync(signers, "utf8").replace(`${signerLine("marcus")}\n`, ""));
    commit(dir, "ana", "Marcus leaves the signers", { sign: "ana", date: "2026-11-23" });
    r = lint(dir);
    assert.equal(provenance(r.found).length, 2, "Elena's line for Daniel still fails too");
    expectOne(r.found.filter((d) => d.line === lineOf(dir, ENGINEERING)), {
      rule: "approval-provenance", severity: "error", line: lineOf(dir, ENGINEERING),
      message: new RegExp(`^The Engineering Lead's Approved line was last written in commit [0-9a-f]{8} \\(2026-11-20, author Marcus Lee <marcus@example\\.com>\\), which is signed by an unknown key \\(${escape(fingerprint("marcus"))}\\), not one of the allowed signers`),
    });
  });
});

describe("signed approvals: forged lines", () => {
  test("the holder's name in --as and --author, but no signature: not signed", () => {
    const dir = copy(base, "unsigned");
    approve(dir, "Engineering Lead", "marcus");
    commit(dir, "marcus", "Engineering Lead approves FEAT-0001", { sign: "marcus", date: "2026-11-20" });
    approve(dir, "Security Lead", "mallory", "daniel");
    git(dir, "mallory", ["commit", "-q", "-a", "--no-gpg-sign", `--author=${person("daniel")}`, "-m", "Security Lead approves FEAT-0001"], { date: "2026-11-21" });
    const c = git(dir, "mallory", ["rev-parse", "HEAD"]).trim();
    assert.equal(git(dir, "mallory", ["log", "-1", "--format=%an <%ae>|%cn"]).trim(), `${person("daniel")}|Mallory Moe`, "the commit claims Daniel as its author");
    const r = lint(dir);
    expectOne(r.found, {
      rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
      message: new RegExp(`^The Security Lead's Approved line was last written in commit ${short(c)} \\(2026-11-21, author Daniel Okafor <daniel@example\\.com>\\), which is not signed: with signatures required, only a commit signed by the person the line names counts \\(the author field proves nothing; see docs/signatures\\.md\\)$`),
    });
    assert.equal(provenance(r.found).length, 1);
    assert.equal(r.code, 1);
    // Nor does status let it through.
    const s = ts(dir, ["status", "FEAT-0001", "Approved"]);
    assert.equal(s.code, 1);
    assert.match(s.stderr, /Security Lead's Approved line .* which is not signed/);
  });

  test("signed with the attacker's own key, which is not an allowed signer: unknown key", () => {
    const dir = copy(base, "ownkey");
    approve(dir, "Security Lead", "mallory", "daniel");
    const c = commit(dir, "mallory", "Security Lead approves FEAT-0001", { author: "daniel", sign: "mallory", date: "2026-11-21" });
    const r = lint(dir);
    expectOne(r.found, {
      rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
      message: new RegExp(`^The Security Lead's Approved line was last written in commit ${short(c)} \\(2026-11-21, author Daniel Okafor <daniel@example\\.com>\\), which is signed by an unknown key \\(${escape(fingerprint("mallory"))}\\), not one of the allowed signers: `),
    });
    assert.equal(r.code, 1);
  });

  test("signed by another allowed signer than the person the line names: signed by elena@…", () => {
    const dir = copy(base, "otherkey");
    approve(dir, "Security Lead", "elena", "daniel");
    const c = commit(dir, "elena", "Security Lead approves FEAT-0001", { author: "daniel", sign: "elena", date: "2026-11-21" });
    const r = lint(dir);
    expectOne(r.found, {
      rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
      message: new RegExp(`^The Security Lead's Approved line names Daniel Okafor but commit ${short(c)} \\(2026-11-21, author Daniel Okafor <daniel@example\\.com>\\) is signed by elena@example\\.com, who does not hold the Security Lead role: an approval counts only when signed by the person it names$`),
    });
    assert.equal(r.code, 1);
  });

  test("signed by the person it names, who does not hold the role: not a holder", () => {
    const dir = copy(base, "notholder");
    // Elena cannot approve as a Security Lead; she writes the line approve would write for Daniel, with her own name.
    approve(dir, "Security Lead", "elena", "daniel");
    writeFileSync(join(dir, SPEC), read(dir).replace(/^\*\*Security Lead\*\*: Daniel Okafor /m, "**Security Lead**: Elena Kovacs "));
    commit(dir, "elena", "Security Lead approves FEAT-0001", { sign: "elena", date: "2026-11-21" });
    const r = lint(dir);
    expectOne(r.found, {
      rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
      message: /^The Security Lead's Approved line is signed by elena@example\.com, but Elena Kovacs does not hold the Security Lead role \(held by Daniel Okafor <daniel@example\.com>\)$/,
    });
    assert.equal(r.code, 1);
  });

  test("a holder's signed rejection amended into an approval, author and message kept: not signed, or an unknown key", () => {
    for (const resign of [null, "mallory"] as const) {
      const dir = copy(base, "amend");
      const r0 = ts(dir, ["approve", "FEAT-0001", "--role", "Security Lead", "--reject", "--reason", "jobs hold visitor names in clear"], "daniel");
      assert.equal(r0.code, 0, r0.stderr);
      const signedByDaniel = commit(dir, "daniel", "Security Lead rejects FEAT-0001", { sign: "daniel", date: "2026-11-21" });
      assert.equal(provenance(lint(dir).found).length, 0, "Daniel's own signed rejection counts");
      // Mallory flips the decision (the digest does not cover it) and rewrites Daniel's commit in place.
      writeFileSync(join(dir, SPEC), read(dir).replace(/Daniel Okafor - Rejected (\S+ \S+): jobs hold visitor names in clear/, "Daniel Okafor - Approved $1"));
      git(dir, "mallory", ["add", "-A"]);
      git(dir, "mallory", ["commit", "-q", "--amend", "--reuse-message=HEAD", `--author=${person("daniel")}`, resign ? "-S" : "--no-gpg-sign"], { sign: resign, date: "2026-11-21" });
      const rewritten = git(dir, "mallory", ["rev-parse", "HEAD"]).trim();
      assert.notEqual(rewritten, signedByDaniel);
      assert.equal(git(dir, "mallory", ["log", "-1", "--format=%an <%ae>|%s"]).trim(), `${person("daniel")}|Security Lead rejects FEAT-0001`);
      const r = lint(dir);
      const failure = resign ? `is signed by an unknown key \\(${escape(fingerprint("mallory"))}\\), not one of the allowed signers` : "is not signed";
      expectOne(r.found, {
        rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
        message: new RegExp(`^The Security Lead's Approved line was last written in commit ${short(rewritten)} \\(2026-11-21, author Daniel Okafor <daniel@example\\.com>\\), which ${failure}: `),
      });
      assert.equal(r.code, 1);
    }
  });
});

describe("signed approvals: the chain of trust of roles and signers", () => {
  test("while signatures are required, approval-provenance cannot be turned down, not even in the working tree: exit 2, one line", () => {
    for (const extra of [{ rules: { "approval-provenance": "off" } }, { rules: { "approval-provenance": ["warn"] } }, { overrides: [{ status: ["Approved"], rules: { "approval-provenance": "off" } }] }]) {
      const dir = copy(approved, "provenance-off");
      writeConfig(dir, extra);
      const r = ts(dir, ["lint"]);
      assert.equal(r.code, 2, JSON.stringify(extra));
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /^techspec: .*techspec\.config\.json: "approval-provenance" must stay "error" while "signatures\.required" is true \(it is the rule that checks the signatures\); remove its setting from "rules" and "overrides"\n$/);
    }
  });

  test("an unsigned change to any other setting (a rule turned off, a required role dropped) is refused too: no decision counts until it is signed or reverted", () => {
    for (const [name, extra] of [["rule-off", { rules: { "approval-stale": "off" } }], ["role-dropped", { approvalRoles: ["Engineering Lead"] }]] as const) {
      const dir = copy(approved, name);
      writeConfig(dir, extra);
      const c = commit(dir, "mallory", "tidy the configuration", { date: "2026-11-25" });
      let r = lint(dir);
      assert.equal(r.refused.length, 1, `${name}: ${JSON.stringify(r.refused, null, 2)}`);
      assert.equal(r.refused[0]!.severity, "error");
      assert.match(r.refused[0]!.message, new RegExp(`commit ${short(c)} by Mallory Moe <mallory@example\\.com> \\(2026-11-25\\): a change to the roles or the allowed signers: it is not signed\\)$`));
      assert.equal(r.code, 1);
      // An allowed signer reverts it, signed: clean again.
      git(dir, "ana", ["revert", "--no-edit", "-S", "HEAD"], { sign: "ana", date: "2026-11-26" });
      r = lint(dir);
      assert.deepEqual([...r.refused, ...r.found], [], JSON.stringify(r, null, 2));
      assert.equal(r.code, 0);
    }
  });

  test("the attacker adds themselves to roles and their key to the signers, unsigned or self-signed, then approves signed: refused, naming the commit", () => {
    for (const escalation of [null, "mallory"] as const) {
      const dir = copy(base, "escalate");
      writeConfig(dir, {}, { ...ROLES, "Security Lead": [person("daniel"), person("mallory")] });
      writeFileSync(join(dir, ".techspec", "allowed_signers"), `${read(dir, ".techspec/allowed_signers")}${signerLine("mallory")}\n`);
      const grab = commit(dir, "mallory", "Tidy the configuration", { sign: escalation, date: "2026-11-21" });
      approve(dir, "Security Lead", "mallory");
      const c = commit(dir, "mallory", "Security Lead approves FEAT-0001", { sign: "mallory", date: "2026-11-22" });
      const why = escalation ? `it is signed by a key that was not allowed before it \\(${escape(fingerprint("mallory"))}\\)` : "it is not signed";
      const r = lint(dir);
      expectOne(r.found, {
        rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
        message: new RegExp(`^The Security Lead's Approved line was last written in commit ${short(c)} \\(2026-11-22, author Mallory Moe <mallory@example\\.com>\\), which is signed by an unknown key \\(${escape(fingerprint("mallory"))}\\), not one of the allowed signers: .* \\(refused by the chain of trust: commit ${short(grab)} by Mallory Moe <mallory@example\\.com> \\(2026-11-21\\): a change to the roles or the allowed signers: ${why}\\)$`),
      });
      assert.equal(r.code, 1);
    }
  });

  test("an allowed signer who adds themselves to roles without signing that change holds the role only through the refused commit", () => {
    const dir = copy(base, "selfrole");
    writeConfig(dir, {}, { ...ROLES, "Security Lead": [person("daniel"), person("elena")] });
    const grab = commit(dir, "elena", "Add myself", { date: "2026-11-21" });
    approve(dir, "Security Lead", "elena");
    commit(dir, "elena", "Security Lead approves FEAT-0001", { sign: "elena", date: "2026-11-22" });
    const r = lint(dir);
    expectOne(r.found, {
      rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
      message: new RegExp(`^The Security Lead's Approved line names Elena Kovacs, who holds the Security Lead role only through commit ${short(grab)} by Elena Kovacs <elena@example\\.com> \\(2026-11-21\\), which the chain of trust refused \\(a change to the roles or the allowed signers: it is not signed\\)$`),
    });
    assert.equal(r.code, 1);
    // Ana accepts the change the way docs/signatures.md says: revert it and apply it again, both signed.
    git(dir, "ana", ["revert", "--no-edit", "-S", grab], { sign: "ana", date: "2026-11-23" });
    git(dir, "ana", ["cherry-pick", "-S", grab], { sign: "ana", date: "2026-11-23" });
    const repaired = lint(dir);
    assert.deepEqual(provenance(repaired.found), [], JSON.stringify(repaired.found, null, 2));
    assert.equal(repaired.code, 0);
  });

  test("a signed change to the roles on a branch, merged by an unsigned merge commit of the same second, is replayed after its parent", () => {
    const dir = copy(base, "branch");
    // All on the anchor's day and second, as a script or a host's merge button makes them.
    const day = { date: "2026-11-02" };
    git(dir, "ana", ["checkout", "-q", "-b", "roles"], day);
    writeConfig(dir, {}, { ...ROLES, "Security Lead": [person("daniel"), person("elena")] });
    commit(dir, "ana", "Elena joins the security leads", { sign: "ana", ...day });
    writeFileSync(join(dir, "CODEOWNERS"), "techspec.config.json @ana\n");
    commit(dir, "ana", "Code owners", { sign: "ana", ...day });
    git(dir, "ana", ["checkout", "-q", "main"], day);
    writeFileSync(join(dir, "README.md"), "# Lobby services\n");
    commit(dir, "ana", "Readme", { sign: "ana", ...day });
    git(dir, "ana", ["merge", "-q", "--no-ff", "--no-gpg-sign", "-m", "Merge roles", "roles"], day);
    approve(dir, "Security Lead", "elena");
    commit(dir, "elena", "Security Lead approves FEAT-0001", { sign: "elena", date: "2026-11-21" });
    const r = lint(dir);
    assert.deepEqual(provenance(r.found), [], JSON.stringify(r.found, null, 2));
    assert.equal(r.code, 0);
  });

  test("the configuration pointed at another signers file, signed by a key only that file lists: refused like any other change", () => {
    const dir = copy(base, "repoint");
    mkdirSync(join(dir, "ops"));
    writeFileSync(join(dir, "ops", "signers"), `${signerLine("mallory")}\n`);
    writeConfig(dir, { signatures: { required: true, allowedSigners: "ops/signers" } }, { ...ROLES, "Security Lead": [person("mallory")] });
    const grab = commit(dir, "mallory", "Move the signers", { sign: "mallory", date: "2026-11-21" });
    approve(dir, "Security Lead", "mallory");
    const c = commit(dir, "mallory", "Security Lead approves FEAT-0001", { sign: "mallory", date: "2026-11-22" });
    const r = lint(dir);
    expectOne(r.found, {
      rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
      message: new RegExp(`^The Security Lead's Approved line was last written in commit ${short(c)} .* which is signed by an unknown key \\(${escape(fingerprint("mallory"))}\\), not one of the allowed signers: .* \\(refused by the chain of trust: commit ${short(grab)} by Mallory Moe <mallory@example\\.com> \\(2026-11-21\\): a change to the roles or the allowed signers: it is signed by a key that was not allowed before it \\(${escape(fingerprint("mallory"))}\\)\\)$`),
    });
    assert.equal(r.code, 1);
  });

  test("uncommitted changes to the roles and the signers are refused", () => {
    const dir = copy(base, "uncommitted-roles");
    writeConfig(dir, {}, { ...ROLES, "Security Lead": [person("daniel"), person("mallory")] });
    writeFileSync(join(dir, ".techspec", "allowed_signers"), `${read(dir, ".techspec/allowed_signers")}${signerLine("mallory")}\n`);
    approve(dir, "Security Lead", "mallory");
    commit(dir, "mallory", "Security Lead approves FEAT-0001", { sign: "mallory", date: "2026-11-22", paths: [SPEC] });
    const r = lint(dir);
    expectOne(r.found, {
      rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
      message: new RegExp(`which is signed by an unknown key \\(${escape(fingerprint("mallory"))}\\), not one of the allowed signers: .* \\(refused by the chain of trust: uncommitted changes: uncommitted changes to the roles or the allowed signers \\(commit them, signed\\)\\)$`),
    });
    assert.equal(r.code, 1);
  });

  test("an anchor commit that is not signed by a key its signers file lists trusts nothing", () => {
    const dir = temp("no-anchor");
    git(dir, "mallory", ["init", "-q", "-b", "main"]);
    writeSpec(dir, SPEC, "FEAT-0001", "Badge Printer Queue");
    writeConfig(dir);
    mkdirSync(join(dir, ".techspec"));
    writeFileSync(join(dir, ".techspec", "allowed_signers"), `${signerLine("daniel")}\n`);
    const anchor = commit(dir, "mallory", "Signed approvals", { sign: "mallory", date: "2026-11-02" });
    approve(dir, "Security Lead", "daniel");
    commit(dir, "daniel", "Security Lead approves FEAT-0001", { sign: "daniel", date: "2026-11-21" });
    const r = lint(dir);
    expectOne(r.found, {
      rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
      message: new RegExp(`^The Security Lead's Approved line cannot be verified: no commit that sets the allowed signers is signed by a key it lists \\(refused by the chain of trust: commit ${short(anchor)} by Mallory Moe <mallory@example\\.com> \\(2026-11-02\\): the first commit that sets the allowed signers: it is signed by a key that it does not list itself \\(${escape(fingerprint("mallory"))}\\)\\)$`),
    });
    assert.equal(r.code, 1);
  });
  test("allowed signers that were never committed trust nothing, and say so", () => {
    const dir = temp("signers-untracked");
    git(dir, "ana", ["init", "-q", "-b", "main"]);
    writeSpec(dir, SPEC, "FEAT-0001", "Badge Printer Queue");
    writeConfig(dir);
    mkdirSync(join(dir, ".techspec"));
    writeFileSync(join(dir, ".techspec", "allowed_signers"), `${SIGNERS.map(signerLine).join("\n")}\n`);
    commit(dir, "ana", "Signed approvals", { sign: "ana", date: "2026-11-02", paths: [SPEC, "specs/FEAT-0001-badge-printer/desk-notes.md", "techspec.config.json"] });
    approve(dir, "Security Lead", "daniel");
    commit(dir, "daniel", "Security Lead approves FEAT-0001", { sign: "daniel", date: "2026-11-21", paths: [SPEC] });
    const r = lint(dir);
    expectOne(r.found, {
      rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
      message: /^The Security Lead's Approved line cannot be verified: the allowed signers \(\.techspec\/allowed_signers\) are not committed: commit the file and the "signatures" settings that name it, in a commit signed by a key the file lists \(refused by the chain of trust: uncommitted changes: uncommitted changes to the roles or the allowed signers \(commit them, signed\)\)$/,
    });
    assert.equal(r.code, 1);
  });
});

describe("signed approvals: when git cannot vouch for the history", () => {
  const decisions = /^The 2 recorded decisions cannot be verified: /;

  test("a shallow clone is an error saying so, for approval-provenance and status-transition, also under --quiet", () => {
    for (const [from, status] of [["in-review", "In Review"], ["main", "Approved"]] as const) {
      const dir = temp("shallow");
      execFileSync("git", ["clone", "-q", "--depth", "1", "--branch", from, `file://${from === "main" ? approved : honest}`, dir], { env: BASE_ENV(), stdio: "ignore" });
      assert.equal(execFileSync("git", ["rev-parse", "--is-shallow-repository"], { cwd: dir, encoding: "utf8", env: BASE_ENV() }).trim(), "true");
      for (const quiet of [[], ["--quiet"]]) {
        const r = lint(dir, quiet);
        const shallow = "the repository is a shallow clone: its history is cut short, so who wrote each line cannot be known \\(fetch the whole history: git fetch --unshallow, or fetch-depth: 0 with actions/checkout\\)$";
        expectOne(r.found, { rule: "approval-provenance", severity: "error", line: lineOf(dir, ENGINEERING), message: new RegExp(`${decisions.source}${shallow}`) });
        expectOne(r.found, { rule: "status-transition", severity: "error", line: lineOf(dir, "**Status**:"), message: new RegExp(`^Status ${status} cannot be checked against the spec's history: ${shallow}`) });
        assert.equal(r.code, 1);
      }
    }
  });

  test("a repository git refuses (dubious ownership) is an error naming safe.directory", () => {
    const r = lint(approved, [], { GIT_TEST_ASSUME_DIFFERENT_OWNER: "1" });
    const refused = `git refuses to read the repository at ${escape(approved)} \\(it belongs to another user\\), so who wrote the approval lines cannot be verified: trust it with git config --global --add safe\\.directory ${escape(approved)}$`;
    expectOne(r.found, { rule: "approval-provenance", severity: "error", line: lineOf(approved, ENGINEERING), message: new RegExp(`${decisions.source}${refused}`) });
    expectOne(r.found, { rule: "status-transition", severity: "error", line: lineOf(approved, "**Status**:"), message: new RegExp(`^Status Approved cannot be checked against the spec's history: ${refused}`) });
    assert.equal(r.code, 1);
  });

  test("git missing from PATH is an error saying git is not installed", () => {
    const r = lint(approved, [], { PATH: binWith([]) });
    const missing = "git is not installed \\(or not on PATH\\), so who wrote the approval lines cannot be verified: install git$";
    expectOne(r.found, { rule: "approval-provenance", severity: "error", line: lineOf(approved, ENGINEERING), message: new RegExp(`${decisions.source}${missing}`) });
    expectOne(r.found, { rule: "status-transition", severity: "error", line: lineOf(approved, "**Status**:"), message: new RegExp(`^Status Approved cannot be checked against the spec's history: ${missing}`) });
    assert.equal(r.code, 1);
  });

  test("ssh-keygen missing from PATH: the signatures could not be checked, which is said (git alone calls them bad)", () => {
    const r = lint(approved, [], { PATH: binWith(["git"]) });
    const cause = "git could not run ssh-keygen \\(install OpenSSH's ssh-keygen where techspec runs\\)";
    for (const line of [ENGINEERING, SECURITY]) {
      expectOne(r.found.filter((d) => d.line === lineOf(approved, line)), {
        rule: "approval-provenance", severity: "error", line: lineOf(approved, line),
        message: new RegExp(`^The (Engineering|Security) Lead's Approved line cannot be verified: the signatures of the allowed signers' history could not be checked: ${cause} \\(refused by the chain of trust: commit [0-9a-f]{8} by Ana Admin <ana@example\\.com> \\(2026-11-02\\): the first commit that sets the allowed signers: its signature could not be checked: ${cause}\\)$`),
      });
    }
    assert.equal(r.code, 1);
  });

  test("a spec that is not committed, with a decided line: not committed", () => {
    const dir = copy(honest, "untracked");
    writeSpec(dir, SPEC2, "FEAT-0002", "Visitor Wi-Fi Vouchers");
    const r0 = ts(dir, ["approve", "FEAT-0002", "--role", "Security Lead"], "daniel");
    assert.equal(r0.code, 0, r0.stderr);
    const r = lint(dir);
    expectOne(r.found, {
      rule: "approval-provenance", severity: "error", file: SPEC2, line: lineOf(dir, SECURITY, SPEC2),
      message: /^The recorded decision cannot be verified: the spec is not committed, so who wrote its approval lines cannot be verified \(commit it: git add, then git commit\)$/,
    });
    assert.deepEqual(provenance(r.found).map((d) => d.file), [SPEC2], "the committed spec beside it is verified as before");
    assert.equal(r.code, 1);
  });

  test("an approval line not committed yet in a committed spec: not committed yet", () => {
    const dir = copy(base, "uncommitted-line");
    approve(dir, "Security Lead", "daniel");
    const r = lint(dir);
    expectOne(r.found, {
      rule: "approval-provenance", severity: "error", line: lineOf(dir, SECURITY),
      message: /^The Security Lead's Approved line is not committed yet, so no signature vouches for it: commit it signed \(git commit -S\)$/,
    });
    assert.equal(r.code, 1);
  });
});

describe("signed approvals: notes and old pins", () => {
  test("without signatures, one note per run (two specs decided) that identities are not verified, in text, json, sarif and github", () => {
    const dir = copy(base, "notes");
    writeConfig(dir, { signatures: undefined });
    writeSpec(dir, SPEC2, "FEAT-0002", "Visitor Wi-Fi Vouchers");
    commit(dir, "ana", "Second spec; no signatures", { date: "2026-11-03" });
    for (const id of ["FEAT-0001", "FEAT-0002"]) {
      const r = ts(dir, ["approve", id, "--role", "Security Lead"], "daniel");
      assert.equal(r.code, 0, r.stderr);
    }
    commit(dir, "daniel", "Security Lead approves both", { date: "2026-11-21" });
    const note = /^approver identities are not verified: without "signatures" in the configuration, an approval line proves only what git's author field says, which anyone can set \(require signed approvals: see docs\/signatures\.md\)$/;

    const text = ts(dir, ["lint"]);
    assert.equal(text.code, 0, text.stdout);
    assert.equal([...text.stdout.matchAll(/^note: /gm)].length, 1, text.stdout);
    assert.match(text.stdout.split("\n").find((l) => l.startsWith("note: "))!.slice("note: ".length), note);
    const json = lint(dir);
    assert.equal(json.notes?.length, 1);
    assert.match(json.notes![0]!, note);
    const sarif = JSON.parse(ts(dir, ["lint", "--format", "sarif"]).stdout) as { runs: { invocations?: { toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[] };
    assertValidSarif(sarif);
    const notifications = sarif.runs[0]!.invocations![0]!.toolExecutionNotifications;
    assert.equal(notifications.length, 1);
    assert.equal(notifications[0]!.level, "note");
    assert.match(notifications[0]!.message.text, note);
    const github = ts(dir, ["lint", "--format", "github"]).stdout;
    assert.equal([...github.matchAll(/^::notice title=techspec::approver identities are not verified/gm)].length, 1, github);
  });

  test("no note without a decided line, nor when signatures are required", () => {
    const pending = copy(base, "notes-pending");
    writeConfig(pending, { signatures: undefined });
    commit(pending, "ana", "No signatures", { date: "2026-11-03" });
    const clean = "\u2714 1 file checked, no problems\n";
    const pendingText = ts(pending, ["lint"]);
    assert.equal(pendingText.stdout, clean);
    assert.equal(pendingText.code, 0);
    assert.equal(lint(pending).notes, undefined);
    const signedText = ts(approved, ["lint"]);
    assert.equal(signedText.stdout, clean);
    assert.equal(signedText.code, 0);
    assert.equal(lint(approved).notes, undefined);
    const signedSarif = JSON.parse(ts(approved, ["lint", "--format", "sarif"]).stdout) as { runs: { invocations?: unknown }[] };
    assert.equal(signedSarif.runs[0]!.invocations, undefined);
    assert.equal(ts(approved, ["lint", "--format", "github"]).stdout, "");
  });

  test("an approval pinned with 8 hex digits, from before pins were whole, is an approval-format warning and never counts", () => {
    const dir = copy(base, "weak-pin");
    writeFileSync(join(dir, SPEC), read(dir).replace("**Security Lead**: Daniel Okafor - Pending", "**Security Lead**: Daniel Okafor - Approved 2026-11-05 (sha256:3f2a9c1e)"));
    commit(dir, "daniel", "Security Lead approves FEAT-0001", { sign: "daniel", date: "2026-11-05" });
    approve(dir, "Engineering Lead", "marcus");
    commit(dir, "marcus", "Engineering Lead approves FEAT-0001", { sign: "marcus", date: "2026-11-20" });
    const r = lint(dir);
    expectOne(r.found, {
      rule: "approval-format", severity: "warning", line: lineOf(dir, SECURITY),
      message: /^The Security Lead's Approved decision pins only 8 hex digits \(sha256:3f2a9c1e\); a pin needs at least 32 \(128 bits\) to prove what was decided, so it counts as no decision: decide again with techspec approve <spec> --role "Security Lead"$/,
    });
    assert.deepEqual(provenance(r.found), [], "Daniel signed it himself");
    assert.equal(r.code, 0);
    const s = ts(dir, ["status", "FEAT-0001", "Approved"]);
    assert.equal(s.code, 1);
    assert.match(s.stderr, /cannot be Approved yet: Security Lead: approval \(Daniel Okafor\) pins a digest shorter than 128 bits \(sha256:3f2a9c1e\); approve again with techspec approve\n$/);
  });
});

describe("signed approvals: GPG", () => {
  test("an approval signed with the holder's GPG key counts; a GPG key that claims the holder's name but is not in the verifier's keyring does not", () => {
    requireTool("gpg", ["--version"], "to make a GPG key and signatures (GnuPG)");
    const homes = { daniel: join(keys, "gnupg-daniel"), mallory: join(keys, "gnupg-mallory") };
    const fingerprints: Record<string, string> = {};
    try {
      for (const [who, home] of Object.entries(homes)) {
        mkdirSync(home, { mode: 0o700 });
        chmodSync(home, 0o700);
        // Mallory's key claims Daniel's user id; only the keyring tells them apart.
        execFileSync("gpg", ["--batch", "--passphrase", "", "--quick-gen-key", person("daniel"), "ed25519", "sign", "never"], { env: { ...BASE_ENV(), GNUPGHOME: home }, stdio: "ignore" });
        const listing = execFileSync("gpg", ["--list-secret-keys", "--with-colons"], { env: { ...BASE_ENV(), GNUPGHOME: home }, encoding: "utf8" });
        fingerprints[who] = /^fpr:+([0-9A-F]{40}):/m.exec(listing)![1]!;
      }
      const gpgCommit = (dir: string, who: "daniel" | "mallory", date: string): string => {
        const env = { GNUPGHOME: homes[who] };
        git(dir, who, ["add", "-A"], { env });
        git(dir, who, ["-c", "gpg.format=openpgp", "-c", `user.signingkey=${fingerprints[who]}`, "commit", "-q", "-S", "-m", "Security Lead approves FEAT-0001"], { author: "daniel", date, env });
        return git(dir, who, ["rev-parse", "HEAD"]).trim();
      };

      const good = copy(base, "gpg");
      approve(good, "Security Lead", "daniel");
      gpgCommit(good, "daniel", "2026-11-21");
      const withKeyring = { GNUPGHOME: homes.daniel };
      let r = lint(good, [], withKeyring);
      assert.deepEqual(provenance(r.found), [], JSON.stringify(r.found, null, 2));
      // Without Daniel's key in the verifier's keyring, his signature vouches for nothing.
      r = lint(good, []);
      expectOne(r.found, { rule: "approval-provenance", severity: "error", line: lineOf(good, SECURITY), message: new RegExp(`which is signed by an unknown key \\(${fingerprints["daniel"]!.slice(-16)}\\), not one of the allowed signers: `) });

      // Without gpg where techspec runs, the signature is unchecked (git alone would call the commit unsigned).
      r = lint(good, [], { ...withKeyring, PATH: binWith(["git", "ssh-keygen"]) });
      expectOne(r.found, { rule: "approval-provenance", severity: "error", line: lineOf(good, SECURITY), message: /which carries a signature that could not be checked: git could not run gpg \(install GnuPG where techspec runs\): / });

      const forged = copy(base, "gpg-forged");
      approve(forged, "Security Lead", "mallory", "daniel");
      const c = gpgCommit(forged, "mallory", "2026-11-21");
      r = lint(forged, [], withKeyring);
      expectOne(r.found, {
        rule: "approval-provenance", severity: "error", line: lineOf(forged, SECURITY),
        message: new RegExp(`^The Security Lead's Approved line was last written in commit ${short(c)} \\(2026-11-21, author Daniel Okafor <daniel@example\\.com>\\), which is signed by an unknown key \\(${fingerprints["mallory"]!.slice(-16)}\\), not one of the allowed signers: `),
      });
      assert.equal(r.code, 1);
    } finally {
      for (const home of Object.values(homes)) spawnSync("gpgconf", ["--kill", "gpg-agent"], { env: { ...BASE_ENV(), GNUPGHOME: home }, stdio: "ignore" });
    }
  });
});
