// kill -9 during a save or an approval loses nothing: the real `techspec serve` process kills itself (SIGKILL) right
// after the file is written, or right after the commit; the next start finds the write it left, commits it with the
// right author if git does not have it yet, and audits it exactly once.
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";

const CLI = resolve("dist/src/cli/main.js");

const SPEC = `# Technical Specification: Refund Processing

## Overview

**Feature ID**: FEAT-0001
**Author**: Ann Example, Engineer
**Created Date**: 2026-01-05
**Last Updated**: 2026-01-06
**Status**: In Review

## Introduction

Refunds are written to the ledger first.

## Approval

**Engineering Lead**: Pending
`;

function workspace(): { dir: string; file: string; token: string } {
  const dir = mkdtempSync(join(tmpdir(), "techspec-crash-"));
  mkdirSync(join(dir, "specs", "FEAT-0001"), { recursive: true });
  const file = join(dir, "specs", "FEAT-0001", "technical-specification.md");
  writeFileSync(file, SPEC);
  writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ specs: ["specs/**/technical-specification.md"], approvalRoles: ["Engineering Lead"], roles: { "Engineering Lead": ["Ann Example <ann@example.com>"] } }));
  const g = (...args: string[]): void => void execFileSync("git", ["-c", "user.name=Setup", "-c", "user.email=setup@example.com", ...args], { cwd: dir, stdio: "ignore" });
  g("init", "-q", "-b", "main");
  g("add", ".");
  g("commit", "-q", "-m", "start");
  const env = { ...process.env, TECHSPEC_NOW: "2026-03-02" };
  execFileSync(process.execPath, [CLI, "users", "add", "ann@example.com", "--name", "Ann Example"], { cwd: dir, env, stdio: "ignore" });
  const token = execFileSync(process.execPath, [CLI, "tokens", "create", "ann@example.com"], { cwd: dir, env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  return { dir, file, token };
}

async function serve(dir: string, crashAfter?: string): Promise<{ child: ChildProcess; url: string; exited: Promise<{ code: number | null; signal: string | null }> }> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0"], {
    cwd: dir, env: { ...process.env, TECHSPEC_NOW: "2026-03-02", ...(crashAfter ? { TECHSPEC_TEST_CRASH_AFTER: crashAfter } : {}) }, stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((done) => child.on("close", (code, signal) => done({ code, signal })));
  let out = "";
  child.stdout!.on("data", (b: Buffer) => {
    out += b.toString();
  });
  child.stderr!.resume();
  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  while (!(url = /http:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0]) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  assert.ok(url, `serve printed no URL: ${out}`);
  return { child, url, exited };
}

const auditOf = async (url: string, token: string): Promise<{ action: string; detail: string | null }[]> =>
  ((await (await fetch(`${url}/api/audit`, { headers: { authorization: `Bearer ${token}` } })).json()) as { entries: { action: string; detail: string | null }[] }).entries;

for (const step of ["written", "committed"] as const) {
  test(`kill -9 right after an edit is ${step}: the file keeps the new text, git and the audit log agree after a restart`, async () => {
    const { dir, file, token } = workspace();
    try {
      const first = await serve(dir, step);
      const src = await fetch(`${first.url}/api/specs/FEAT-0001/source`, { headers: { authorization: `Bearer ${token}` } });
      const etag = src.headers.get("etag")!;
      const text = `${await src.text()}\nAdded before the crash.\n`;
      await fetch(`${first.url}/api/specs/FEAT-0001/source`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": "text/markdown", "if-match": etag }, body: text }).catch(() => null);
      assert.equal((await first.exited).signal, "SIGKILL", "the server died of SIGKILL");
      assert.equal(readFileSync(file, "utf8"), text, "the file holds the whole new text");
      assert.deepEqual(readdirSync(join(dir, "specs", "FEAT-0001")).filter((n) => n.endsWith(".tmp")), [], "no temporary file left");

      const second = await serve(dir);
      try {
        const log = execFileSync("git", ["log", "--format=%an <%ae>|%cn|%s"], { cwd: dir, encoding: "utf8" }).trim().split("\n");
        assert.equal(log.length, 2, log.join("\n"));
        assert.equal(log[0], "Ann Example <ann@example.com>|techspec serve|Edit FEAT-0001");
        assert.equal(execFileSync("git", ["status", "--porcelain", "--", "specs"], { cwd: dir, encoding: "utf8" }), "", "nothing left uncommitted");
        const edits = (await auditOf(second.url, token)).filter((e) => e.action === "edit");
        assert.equal(edits.length, 1, "audited exactly once");
        assert.match(edits[0]!.detail ?? "", /"reconciled":true/);
        // The spec reads as it is on disk.
        const now = await fetch(`${second.url}/api/specs/FEAT-0001/source`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(await now.text(), text);
      } finally {
        second.child.kill("SIGTERM");
        await second.exited;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("kill -9 right after an approval is written: committed as the approver and audited after a restart", async () => {
  const { dir, file, token } = workspace();
  try {
    const first = await serve(dir, "written");
    await fetch(`${first.url}/api/specs/FEAT-0001/approvals`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ role: "Engineering Lead", decision: "Approved" }) }).catch(() => null);
    assert.equal((await first.exited).signal, "SIGKILL");
    assert.match(readFileSync(file, "utf8"), /\*\*Engineering Lead\*\*: Ann Example - Approved 2026-03-02 \(sha256:/);
    const second = await serve(dir);
    try {
      assert.equal(execFileSync("git", ["log", "-1", "--format=%an|%s"], { cwd: dir, encoding: "utf8" }).trim(), "Ann Example|Approve FEAT-0001 as Engineering Lead");
      const approvals = (await auditOf(second.url, token)).filter((e) => e.action === "approve");
      assert.equal(approvals.length, 1);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
