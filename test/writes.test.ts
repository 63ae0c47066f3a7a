// What techspec writes, and what it keeps: real CLI processes on real files, compared byte for byte. Every other
// byte of a spec survives `status`, `approve`, `supersede` and `lint --fix`; concurrent runs lose no update; an
// interrupted or killed run leaves no temporary file behind (or the next run removes it); a symbolic link is written
// through, or refused when it leads out of the workspace; git never receives an option from a revision argument.
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { lockFile, lockPathOf } from "../src/workspace/file-lock.js";

const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
/** Today for every run (TECHSPEC_NOW): nothing here depends on the day the suite runs. */
const TODAY = "2027-01-15";
const made: string[] = [];

after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, TECHSPEC_NOW: TODAY, NO_COLOR: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", ...extra };
  for (const k of ["FORCE_COLOR", "NODE_TEST_CONTEXT", "CI"]) delete e[k];
  return e;
}

/** Starts the CLI; `done` settles when it exits, with no stack trace on either stream. */
function start(cwd: string, args: string[], extra: Record<string, string> = {}): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: env(extra), stdio: ["ignore", "pipe", "pipe"] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on("data", (b: Buffer) => out.push(b));
  child.stderr!.on("data", (b: Buffer) => err.push(b));
  const done = new Promise<Run>((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const r = { code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
      assert.ok(!`${r.stdout}${r.stderr}`.includes("    at "), `techspec ${args.join(" ")}: stack trace:\n${r.stderr}`);
      assert.ok(!r.stderr.includes("internal error"), `techspec ${args.join(" ")}: ${r.stderr}`);
      resolve(r);
    });
  });
  return { child, done };
}

const run = (cwd: string, args: string[], extra: Record<string, string> = {}): Promise<Run> => start(cwd, args, extra).done;

/** A run that failed with exit 2 and one line on stderr matching `pattern`. */
function assertOneLine(r: Run, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
  assert.ok(r.stderr.endsWith("\n") && !r.stderr.slice(0, -1).includes("\n"), `one line: ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, pattern);
}

const PEOPLE = {
  "Engineering Lead": "Ana Ruiz <ana@example.com>",
  "Security Lead": "Ben Cho <ben@example.com>",
  "Product Lead": "Cleo Park <cleo@example.com>",
  "Data Lead": "Dev Shah <dev@example.com>",
} as const;
type Role = keyof typeof PEOPLE;

const SPEC1 = "specs/FEAT-0101-locker-pickup/technical-specification.md";
const SPEC2 = "specs/FEAT-0102-locker-returns/technical-specification.md";

/** A spec of our own, as lines; the Approval block names three roles, all pending. */
function specLines(id: string, title: string, status = "In Review"): string[] {
  return [
    `# Technical Specification: ${title}`,
    "",
    "## Overview",
    "",
    `**Feature ID**: ${id}  `,
    "**Author**: Rosa Lind  ",
    "**Created Date**: 2026-10-01  ",
    "**Last Updated**: 2026-10-02  ",
    `**Status**: ${status}`,
    "",
    "## Introduction",
    "",
    "Customers collect parcels from a locker with a one-time code sent by text message.",
    "",
    "## Approval",
    "",
    "**Engineering Lead**: Ana Ruiz - Pending  ",
    "**Security Lead**: Ben Cho - Pending  ",
    "**Product Lead**: Cleo Park - Pending",
    "",
  ];
}

/**
 * The same spec with what an edit must keep: a UTF-8 byte order mark, one CRLF line among LF lines, trailing
 * spaces, a Latin-1 "é" (not valid UTF-8) and a NUL in the Introduction, and no final newline.
 */
function awkward(id: string, title: string, status = "In Review"): Buffer {
  const lines = specLines(id, title, status).slice(0, -1);
  const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf])];
  lines.forEach((l, i) => {
    let line = Buffer.from(l, "utf8");
    if (l.startsWith("Customers")) line = Buffer.concat([Buffer.from("Customers collect parcels at the caf"), Buffer.from([0xe9]), Buffer.from(" counter\0 or from a locker.   ")]);
    const eol = i === lines.length - 1 ? "" : l.startsWith("**Author**") ? "\r\n" : "\n";
    parts.push(line, Buffer.from(eol));
  });
  return Buffer.concat(parts);
}

/** A workspace with a configuration that names who holds each role, and the given specs. */
function workspace(specs: Record<string, string | Buffer>, config: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "techspec-writes-"));
  made.push(dir);
  writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify({
    specs: ["specs/**/*.md"], roles: Object.fromEntries(Object.entries(PEOPLE).map(([r, p]) => [r, [p]])), ...config,
  }, null, 2));
  for (const [rel, content] of Object.entries(specs)) {
    mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** `bytes` with each ASCII `from` replaced by `to`; every other byte exactly as it was. */
function replaced(bytes: Buffer, ...pairs: [string, string][]): Buffer {
  let s = bytes.toString("latin1");
  for (const [from, to] of pairs) {
    assert.ok(s.includes(from), `holds ${JSON.stringify(from)}`);
    s = s.replace(from, to);
  }
  return Buffer.from(s, "latin1");
}

const TEMP = /\.techspec-\d+-[0-9a-f]+\.tmp$/;

/** Temporary and lock files techspec makes, anywhere under `dir`. */
function leftovers(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (lstatSync(p).isDirectory()) walk(p);
      else if (TEMP.test(name) || name.endsWith(".techspec-lock") || name.endsWith(".techspec-lock.break")) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Waits until `check` returns something, polling. */
async function until<T>(check: () => T | null | undefined, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const tempsIn = (dir: string): string[] => readdirSync(dir).filter((n) => TEMP.test(n)).map((n) => path.join(dir, n));

const asRole = (role: Role): string[] => ["--role", role, "--as", PEOPLE[role]];

/** The process id of a process that has exited (and is not running any more). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("writes change only their own characters", () => {
  test("status keeps a BOM, a lone CRLF line, trailing spaces, an invalid byte, a NUL and the missing final newline", async () => {
    const before = awkward("FEAT-0101", "Locker Pickup");
    const dir = workspace({ [SPEC1]: before });
    const r = await run(dir, ["status", "FEAT-0101", "Draft"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `FEAT-0101: In Review → Draft (Last Updated ${TODAY}) in ${SPEC1}\n`);
    assert.deepEqual(readFileSync(path.join(dir, SPEC1)), replaced(before, ["**Last Updated**: 2026-10-02", `**Last Updated**: ${TODAY}`], ["**Status**: In Review", "**Status**: Draft"]));
    assert.deepEqual(leftovers(dir), []);
  });

  test("approve changes its role's line alone, and an added line takes the line ending of its neighbours", async () => {
    const before = awkward("FEAT-0101", "Locker Pickup");
    const dir = workspace({ [SPEC1]: before });
    let r = await run(dir, ["approve", "FEAT-0101", ...asRole("Security Lead"), "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const { digest } = JSON.parse(r.stdout) as { digest: string };
    const approved = replaced(before, ["**Security Lead**: Ben Cho - Pending  ", `**Security Lead**: Ben Cho - Approved ${TODAY} (${digest})  `]);
    assert.deepEqual(readFileSync(path.join(dir, SPEC1)), approved);
    // A role without a line yet: the new line follows the last one, which had no line ending (the end of the file).
    r = await run(dir, ["approve", "FEAT-0101", ...asRole("Data Lead")]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(path.join(dir, SPEC1)), replaced(approved,
      ["**Product Lead**: Cleo Park - Pending", `**Product Lead**: Cleo Park - Pending  \n**Data Lead**: Dev Shah - Approved ${TODAY} (${digest})`]));

    // In a CRLF file with one LF line, an inserted line ends as the lines around it do.
    const crlf = Buffer.from(specLines("FEAT-0102", "Locker Returns").map((l, i) => (i === 4 ? `${l}\n` : `${l}\r\n`)).join("").replace("**Last Updated**: 2026-10-02  \r\n", ""));
    const dir2 = workspace({ [SPEC2]: crlf });
    r = await run(dir2, ["status", "FEAT-0102", "Draft"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(path.join(dir2, SPEC2)), replaced(crlf, ["**Status**: In Review\r\n", `**Last Updated**: ${TODAY}  \r\n**Status**: Draft\r\n`]));
  });

  test("supersede edits both specs byte for byte, and a file without a final newline still ends without one", async () => {
    const one = awkward("FEAT-0101", "Locker Pickup");
    const two = Buffer.from(specLines("FEAT-0102", "Locker Returns", "Draft").slice(0, 9).join("\n"));
    const dir = workspace({ [SPEC1]: one, [SPEC2]: two });
    const r = await run(dir, ["supersede", "FEAT-0101", "FEAT-0102"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readFileSync(path.join(dir, SPEC1)), replaced(one, ["**Last Updated**: 2026-10-02", `**Last Updated**: ${TODAY}`],
      ["**Status**: In Review", "**Status**: Superseded by [FEAT-0102](../FEAT-0102-locker-returns/technical-specification.md)"]));
    assert.deepEqual(readFileSync(path.join(dir, SPEC2)), replaced(two,
      ["**Status**: Draft", "**Status**: Draft  \n**Supersedes**: [FEAT-0101](../FEAT-0101-locker-pickup/technical-specification.md)"]));
    assert.deepEqual(leftovers(dir), []);
  });

  test("lint --fix fixes a file with an invalid byte, a NUL, a BOM and a lone CRLF, and keeps all of them", async () => {
    const clean = awkward("FEAT-0101", "Locker Pickup");
    const dir = workspace({ [SPEC1]: replaced(clean, ["**Status**: In Review", "**Status**: in review"]) });
    const r = await run(dir, ["lint", "--fix", SPEC1, "--format", "json"]);
    assert.match(r.stderr, /^techspec: fixed 1 problem in 1 file\(s\)\n/);
    assert.deepEqual(readFileSync(path.join(dir, SPEC1)), clean);
    const rules = (JSON.parse(r.stdout) as { diagnostics: { rule: string }[] }).diagnostics.map((d) => d.rule);
    assert.deepEqual(rules.filter((x) => x === "text-encoding"), ["text-encoding", "text-encoding"], "the bytes that are not text are still reported");
    assert.deepEqual(leftovers(dir), []);
  });

  test("a UTF-16 spec stays UTF-16, its CRLF lines and an unpaired surrogate as they were", async () => {
    const utf16 = (s: string): Buffer => Buffer.from(s, "utf16le");
    const lines = specLines("FEAT-0101", "Locker Pickup");
    const body = lines.join("\r\n").replace("one-time code", "one-time code \uFFFF");
    // 0xD800 alone is not text: decoded as U+FFFD, and kept as its two bytes.
    const before = Buffer.concat([Buffer.from([0xff, 0xfe]), utf16(body.slice(0, body.indexOf("\uFFFF"))), Buffer.from([0x00, 0xd8]), utf16(body.slice(body.indexOf("\uFFFF") + 1))]);
    const dir = workspace({ [SPEC1]: before });
    const r = await run(dir, ["status", "FEAT-0101", "Draft"]);
    assert.equal(r.code, 0, r.stderr);
    const expected = (b: Buffer): Buffer => {
      const s = b.toString("latin1");
      const u = (x: string): string => utf16(x).toString("latin1");
      return Buffer.from(s.replace(u("**Last Updated**: 2026-10-02"), u(`**Last Updated**: ${TODAY}`)).replace(u("**Status**: In Review"), u("**Status**: Draft")), "latin1");
    };
    assert.deepEqual(readFileSync(path.join(dir, SPEC1)), expected(before));
  });

  test("the file keeps its mode: 0640, and executable bits", { skip: process.platform === "win32" }, async () => {
    const dir = workspace({ [SPEC1]: specLines("FEAT-0101", "Locker Pickup").join("\n"), [SPEC2]: specLines("FEAT-0102", "Locker Returns").join("\n") });
    chmodSync(path.join(dir, SPEC1), 0o640);
    chmodSync(path.join(dir, SPEC2), 0o755);
    assert.equal((await run(dir, ["status", "FEAT-0101", "Draft"])).code, 0);
    assert.equal((await run(dir, ["approve", "FEAT-0102", ...asRole("Product Lead")])).code, 0);
    assert.equal(statSync(path.join(dir, SPEC1)).mode & 0o7777, 0o640);
    assert.equal(statSync(path.join(dir, SPEC2)).mode & 0o7777, 0o755);
    assert.equal((await run(dir, ["supersede", "FEAT-0101", "FEAT-0102"])).code, 0);
    assert.equal(statSync(path.join(dir, SPEC1)).mode & 0o7777, 0o640);
    assert.equal(statSync(path.join(dir, SPEC2)).mode & 0o7777, 0o755);
    writeFileSync(path.join(dir, SPEC1), readFileSync(path.join(dir, SPEC1), "utf8").replace("**Last Updated**: 2027-01-15", "**Last Updated**: 2027/01/15"));
    const r = await run(dir, ["lint", "--fix", SPEC1]);
    assert.match(r.stderr, /fixed 1 problem/);
    assert.equal(statSync(path.join(dir, SPEC1)).mode & 0o7777, 0o640);
  });
});

describe("symbolic links", () => {
  test("a spec that is a link inside the workspace is written through it: the link stays a link", async () => {
    const text = specLines("FEAT-0101", "Locker Pickup").join("\n");
    const dir = workspace({ "store/pickup.md": text }, { specs: ["specs/**/*.md"] });
    mkdirSync(path.join(dir, "specs"));
    symlinkSync("../store/pickup.md", path.join(dir, "specs/pickup.md"));
    let r = await run(dir, ["status", "specs/pickup.md", "Draft"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(path.join(dir, "specs/pickup.md")).isSymbolicLink(), "still a link");
    assert.match(readFileSync(path.join(dir, "store/pickup.md"), "utf8"), /^\*\*Status\*\*: Draft$/m);
    r = await run(dir, ["approve", "FEAT-0101", ...asRole("Engineering Lead")]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(path.join(dir, "specs/pickup.md")).isSymbolicLink(), "still a link");
    assert.match(readFileSync(path.join(dir, "store/pickup.md"), "utf8"), /^\*\*Engineering Lead\*\*: Ana Ruiz - Approved 2027-01-15 /m);
    assert.deepEqual(leftovers(dir), []);
  });

  test("a link whose target is outside the workspace is refused with exit 2 and one line, and the target is untouched", async () => {
    const outside = mkdtempSync(path.join(tmpdir(), "techspec-outside-"));
    made.push(outside);
    const target = path.join(outside, "elsewhere.md");
    const text = specLines("FEAT-0101", "Locker Pickup").join("\n").replace("**Status**: In Review", "**Status**: in review");
    writeFileSync(target, text);
    const dir = workspace({ [SPEC2]: specLines("FEAT-0102", "Locker Returns").join("\n") });
    mkdirSync(path.join(dir, "specs/linked"));
    symlinkSync(target, path.join(dir, "specs/linked/technical-specification.md"));
    const refused = /^techspec: specs\/linked\/technical-specification\.md: is a symbolic link to .*elsewhere\.md, outside the workspace \(.*\); techspec does not write there/;
    assertOneLine(await run(dir, ["status", "specs/linked/technical-specification.md", "Draft"]), refused);
    assertOneLine(await run(dir, ["approve", "FEAT-0101", ...asRole("Security Lead")]), refused);
    assertOneLine(await run(dir, ["supersede", "FEAT-0101", "FEAT-0102"]), refused);
    const lint = await run(dir, ["lint", "--fix", "specs/linked/technical-specification.md"]);
    assert.equal(lint.code, 2);
    assert.match(lint.stderr, /^techspec: specs\/linked\/technical-specification\.md: is a symbolic link to .*outside the workspace .*; --fix left it as it was$/m);
    assert.equal(readFileSync(target, "utf8"), text);
    assert.deepEqual(readdirSync(outside), ["elsewhere.md"]);
    assert.deepEqual(leftovers(dir), []);
  });
});

describe("concurrent writers lose no update", () => {
  test("approvals of every role and a status move, started at the same moment, all land (many rounds)", async () => {
    const roles: Role[] = ["Engineering Lead", "Security Lead", "Product Lead"];
    for (let round = 0; round < 8; round++) {
      const dir = workspace({ [SPEC1]: Buffer.from(specLines("FEAT-0101", "Locker Pickup").join("\n")) });
      // Every other round, each write holds its lock a little longer, so more of them wait or find the file changed.
      const extra: Record<string, string> = round % 2 === 1 ? { TECHSPEC_TEST_PAUSE_BEFORE_RENAME: "40" } : {};
      const runs = await Promise.all([
        ...roles.map((role) => run(dir, ["approve", SPEC1, ...asRole(role)], extra)),
        run(dir, ["status", SPEC1, "Draft"], extra),
      ]);
      const text = readFileSync(path.join(dir, SPEC1), "utf8");
      runs.forEach((r, i) => {
        // Each run either landed, or said it raced and to run again: never a silent loss.
        if (r.code !== 0) {
          assertOneLine(r, /changed .*; nothing was written: run the command again$/);
          return;
        }
        if (i < roles.length) assert.match(text, new RegExp(`^\\*\\*${roles[i]}\\*\\*: .* - Approved ${TODAY} \\(sha256:[0-9a-f]{64}\\)`, "m"), `round ${round}: ${roles[i]} landed`);
        else assert.match(text, /^\*\*Status\*\*: Draft$/m, `round ${round}: the status move landed`);
      });
      assert.ok(runs.every((r) => r.code === 0), `round ${round}: every run landed (${runs.map((r) => r.stderr).join(" | ")})`);
      assert.deepEqual(leftovers(dir), []);
    }
  });

  test("a change made by someone else between the read and the rename is never overwritten", async () => {
    const dir = workspace({ [SPEC1]: specLines("FEAT-0101", "Locker Pickup").join("\n") });
    const file = path.join(dir, SPEC1);
    const writing = start(dir, ["approve", "FEAT-0101", ...asRole("Security Lead")], { TECHSPEC_TEST_PAUSE_BEFORE_RENAME: "700" });
    await until(() => (tempsIn(path.dirname(file)).length > 0 ? true : null), "the temporary file");
    // An editor saves the file while techspec waits to rename: techspec notices, and works again from the new text.
    writeFileSync(file, readFileSync(file, "utf8").replace("one-time code", "one-time code (valid for 24 hours)"));
    const r = await writing.done;
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(file, "utf8");
    assert.match(text, /valid for 24 hours/, "the editor's change is kept");
    assert.match(text, /^\*\*Security Lead\*\*: Ben Cho - Approved 2027-01-15 /m, "the approval landed on top of it");
    assert.deepEqual(leftovers(dir), []);
  });

  test("lint --fix leaves a file changed under its write as the other writer left it, and says so (exit 2)", async () => {
    const dir = workspace({ [SPEC1]: specLines("FEAT-0101", "Locker Pickup").join("\n").replace("**Status**: In Review", "**Status**: in review") });
    const file = path.join(dir, SPEC1);
    const fixing = start(dir, ["lint", "--fix", SPEC1], { TECHSPEC_TEST_PAUSE_BEFORE_RENAME: "700" });
    await until(() => (tempsIn(path.dirname(file)).length > 0 ? true : null), "the temporary file");
    const theirs = readFileSync(file, "utf8").replace("one-time code", "one-time code (valid for 24 hours)");
    writeFileSync(file, theirs);
    const r = await fixing.done;
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^techspec: ${SPEC1}: changed while techspec was fixing it \\(another program wrote it at the same moment\\), so --fix left it as it was; run techspec lint --fix again$`, "m"));
    assert.equal(readFileSync(file, "utf8"), theirs);
    assert.deepEqual(leftovers(dir), []);
  });

  test("a lock held by a running process is waited for; a lock of a process that is gone is broken", async () => {
    const dir = workspace({ [SPEC1]: specLines("FEAT-0101", "Locker Pickup").join("\n") });
    const file = path.join(dir, SPEC1);
    const lock = lockPathOf(file);
    const before = readFileSync(file);
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), time: new Date().toISOString(), token: "test" }));
    const waiting = start(dir, ["status", "FEAT-0101", "Draft"]);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(readFileSync(file), before, "nothing is written while another process holds the lock");
    unlinkSync(lock);
    const r = await waiting.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(file, "utf8"), /^\*\*Status\*\*: Draft$/m);

    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), time: new Date().toISOString(), token: "dead" }));
    const r2 = await run(dir, ["approve", "FEAT-0101", ...asRole("Product Lead")]);
    assert.equal(r2.code, 0, r2.stderr);
    assert.ok(!existsSync(lock), "the stale lock is gone");
    assert.deepEqual(leftovers(dir), []);
  });

  test("a lock that is not let go in time is an error naming its holder", async () => {
    const dir = workspace({ [SPEC1]: "x" });
    const file = path.join(dir, SPEC1);
    const held = await lockFile(file, SPEC1);
    await assert.rejects(lockFile(file, SPEC1, { timeoutMs: 200 }), (err: Error) => {
      assert.match(err.message, new RegExp(`^${SPEC1}: another techspec run \\(process ${process.pid}, since \\d{4}-\\d\\d-\\d\\dT[^)]*\\) is writing it; run the command again when it is done \\(if none is running, delete .*\\.techspec-lock\\)$`));
      return true;
    });
    held.release();
    assert.ok(!existsSync(lockPathOf(file)));
  });
});

describe("all or nothing, and nothing left behind", () => {
  test("supersede: when the second rename fails, the first spec gets its old bytes back", async () => {
    const one = awkward("FEAT-0101", "Locker Pickup");
    const two = Buffer.from(specLines("FEAT-0102", "Locker Returns").join("\n"));
    const dir = workspace({ [SPEC1]: one, [SPEC2]: two });
    const writing = start(dir, ["supersede", "FEAT-0101", "FEAT-0102"], { TECHSPEC_TEST_PAUSE_BEFORE_RENAME: "700" });
    // Both temporary files are written before either is renamed; the new spec's is renamed second.
    const second = await until(() => {
      const a = tempsIn(path.join(dir, path.dirname(SPEC1)));
      const b = tempsIn(path.join(dir, path.dirname(SPEC2)));
      return a.length === 1 && b.length === 1 ? b[0] : null;
    }, "both temporary files");
    unlinkSync(second!);
    const r = await writing.done;
    assertOneLine(r, new RegExp(`^techspec: ${SPEC2}: cannot write \\(ENOENT\\); ${SPEC1} got its old content back, so nothing changed\\n$`));
    assert.deepEqual(readFileSync(path.join(dir, SPEC1)), one);
    assert.deepEqual(readFileSync(path.join(dir, SPEC2)), two);
    assert.deepEqual(leftovers(dir), []);
  });

  test("SIGTERM during a write: the write completes or never happens, and no temporary or lock file is left", async () => {
    const before = Buffer.from(specLines("FEAT-0101", "Locker Pickup").join("\n"));
    const dir = workspace({ [SPEC1]: before });
    const file = path.join(dir, SPEC1);
    const writing = start(dir, ["status", "FEAT-0101", "Draft"], { TECHSPEC_TEST_PAUSE_BEFORE_RENAME: "1000" });
    await until(() => (tempsIn(path.dirname(file)).length > 0 ? true : null), "the temporary file");
    writing.child.kill("SIGTERM");
    const r = await writing.done;
    assert.ok(r.signal === "SIGTERM" || r.code === 143, `ended by the signal (${r.code}, ${r.signal})`);
    const after = readFileSync(file);
    const moved = replaced(before, ["**Last Updated**: 2026-10-02", `**Last Updated**: ${TODAY}`], ["**Status**: In Review", "**Status**: Draft"]);
    assert.ok(after.equals(before) || after.equals(moved), "the spec is the old one or the new one, never a mix");
    assert.deepEqual(leftovers(dir), []);
  });

  test("SIGINT while waiting for the second spec's lock removes the first lock, and writes nothing", async () => {
    const one = Buffer.from(specLines("FEAT-0101", "Locker Pickup").join("\n"));
    const two = Buffer.from(specLines("FEAT-0102", "Locker Returns").join("\n"));
    const dir = workspace({ [SPEC1]: one, [SPEC2]: two });
    // Locks are taken in path order: FEAT-0101's first, then FEAT-0102's, which this test holds.
    const held = await lockFile(path.join(dir, SPEC2), SPEC2);
    const writing = start(dir, ["supersede", "FEAT-0101", "FEAT-0102"]);
    await until(() => (existsSync(lockPathOf(path.join(dir, SPEC1))) ? true : null), "the first lock");
    writing.child.kill("SIGINT");
    const r = await writing.done;
    assert.ok(r.signal === "SIGINT" || r.code === 130, `ended by the signal (${r.code}, ${r.signal})`);
    assert.match(r.stderr, /^techspec: interrupted \(SIGINT\)/);
    assert.deepEqual(leftovers(dir), [path.relative(dir, lockPathOf(path.join(dir, SPEC2)))], "only the lock this test holds is left");
    assert.ok(held.held());
    held.release();
    assert.deepEqual(readFileSync(path.join(dir, SPEC1)), one);
    assert.deepEqual(readFileSync(path.join(dir, SPEC2)), two);
  });

  test("SIGKILL during a write leaves the spec as it was; the next run removes the dead run's files and writes", async () => {
    const before = Buffer.from(specLines("FEAT-0101", "Locker Pickup").join("\n"));
    const dir = workspace({ [SPEC1]: before });
    const file = path.join(dir, SPEC1);
    const writing = start(dir, ["approve", "FEAT-0101", ...asRole("Engineering Lead")], { TECHSPEC_TEST_PAUSE_BEFORE_RENAME: "5000" });
    await until(() => (tempsIn(path.dirname(file)).length > 0 ? true : null), "the temporary file");
    writing.child.kill("SIGKILL");
    await writing.done;
    assert.deepEqual(readFileSync(file), before, "killed before the rename: the spec is untouched");
    assert.equal(leftovers(dir).length, 2, "a killed process cannot clean up: its temporary file and its lock are there");
    const r = await run(dir, ["approve", "FEAT-0101", ...asRole("Engineering Lead")]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(file, "utf8"), /^\*\*Engineering Lead\*\*: Ana Ruiz - Approved 2027-01-15 /m);
    assert.deepEqual(leftovers(dir), []);
  });

  test("site: an interrupted build leaves no .site.tmp folder and the old site as it was; a killed one's is removed next time", async () => {
    const dir = workspace({ [SPEC1]: specLines("FEAT-0101", "Locker Pickup").join("\n") });
    let r = await run(dir, ["site", "--out", "portal"]);
    assert.equal(r.code, 0, r.stderr);
    const index = readFileSync(path.join(dir, "portal", "index.html"));
    const siteTemps = (): string[] => readdirSync(dir).filter((n) => n.startsWith(".portal."));
    const building = start(dir, ["site", "--out", "portal"], { TECHSPEC_TEST_PAUSE_BEFORE_RENAME: "5000" });
    await until(() => (siteTemps().length > 0 && existsSync(path.join(dir, siteTemps()[0]!, ".techspec-site")) ? true : null), "the finished build folder");
    building.child.kill("SIGTERM");
    r = await building.done;
    assert.ok(r.signal === "SIGTERM" || r.code === 143, `ended by the signal (${r.code}, ${r.signal})`);
    assert.deepEqual(siteTemps(), []);
    assert.deepEqual(readFileSync(path.join(dir, "portal", "index.html")), index);

    const killed = start(dir, ["site", "--out", "portal"], { TECHSPEC_TEST_PAUSE_BEFORE_RENAME: "5000" });
    await until(() => (siteTemps().length > 0 && existsSync(path.join(dir, siteTemps()[0]!, ".techspec-site")) ? true : null), "the finished build folder");
    killed.child.kill("SIGKILL");
    await killed.done;
    assert.equal(siteTemps().length, 1, "a killed build leaves its folder");
    r = await run(dir, ["site", "--out", "portal"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(siteTemps(), [], "the next build removes it");
  });
});

describe("git never receives an option from a revision argument", () => {
  function repo(): string {
    const dir = workspace({ [SPEC1]: specLines("FEAT-0101", "Locker Pickup").join("\n") });
    const git = (...args: string[]): string => execFileSync("git", args, {
      cwd: dir, encoding: "utf8",
      env: env({ GIT_AUTHOR_NAME: "Rosa Lind", GIT_AUTHOR_EMAIL: "rosa@example.com", GIT_COMMITTER_NAME: "Rosa Lind", GIT_COMMITTER_EMAIL: "rosa@example.com",
        GIT_AUTHOR_DATE: "2026-10-02T10:00:00Z", GIT_COMMITTER_DATE: "2026-10-02T10:00:00Z" }),
    });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "spec");
    writeFileSync(path.join(dir, SPEC1), readFileSync(path.join(dir, SPEC1), "utf8").replace("one-time code", "six-digit code"));
    return dir;
  }

  const tree = (dir: string): string[] => {
    const out: string[] = [];
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        if (name === ".git") continue;
        const p = path.join(d, name);
        out.push(path.relative(dir, p));
        if (lstatSync(p).isDirectory()) walk(p);
      }
    };
    walk(dir);
    return out.sort();
  };

  test("diff --from=--output=FILE and --to=-p are refused with exit 2, and no file is created", async () => {
    const dir = repo();
    const before = tree(dir);
    assertOneLine(await run(dir, ["diff", "FEAT-0101", "--from=--output=stolen.txt"]),
      /^techspec: diff: --from "--output=stolen\.txt" is not a git revision \(a revision does not start with "-"\); give a branch, tag or commit, e\.g\. --from main\n$/);
    assertOneLine(await run(dir, ["diff", "FEAT-0101", "--from=-p"]), /^techspec: diff: --from "-p" is not a git revision/);
    assertOneLine(await run(dir, ["diff", "FEAT-0101", "--to=--output=stolen.txt"]), /^techspec: diff: --to "--output=stolen\.txt" is not a git revision/);
    assertOneLine(await run(dir, ["diff", "FEAT-0101", "--from="]), /^techspec: diff: --from needs a git revision/);
    // A revision with a path of its own, or one that names no commit, is not read either.
    assertOneLine(await run(dir, ["diff", "FEAT-0101", "--from", "HEAD:techspec.config.json"]), /not found at HEAD:techspec\.config\.json \("HEAD:techspec\.config\.json" is not a revision of the repository at /);
    assertOneLine(await run(dir, ["diff", "FEAT-0101", "--from", "nope"]), /not found at nope/);
    assert.deepEqual(tree(dir), before, "no file was created");
    // A real revision still works.
    const r = await run(dir, ["diff", "FEAT-0101", "--from", "HEAD", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { from: string }).from, `${SPEC1}@HEAD`);
    const r2 = await run(dir, ["diff", "FEAT-0101", "--from", "main", "--to", "HEAD"]);
    assert.equal(r2.code, 0, r2.stderr);
  });
});
