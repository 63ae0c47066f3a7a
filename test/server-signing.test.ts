// Signed approvals through the review server: the server signs its commits with its own SSH key, and lint counts
// such a commit for the account its Techspec-Account trailer names — only when the key's principal is listed in
// signatures.servers, only for a holder of the role, and never for a change to the roles or the signers.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildServer } from "../src/server/app.js";
import { newToken } from "../src/server/auth.js";
import { openSqlite } from "../src/store/sqlite.js";
import { resolveConfig } from "../src/workspace/config.js";

const CLI = resolve("dist/src/cli/main.js");
const SPEC_PATH = "specs/FEAT-0001/technical-specification.md";
const SPEC = `# Technical Specification: Badge Printer

## Overview

**Feature ID**: FEAT-0001
**Author**: Ann Example, Engineer
**Created Date**: 2026-01-05
**Last Updated**: 2026-01-06
**Status**: In Review

## Introduction

Visitors get a printed badge at the front desk.

## Approval

**Engineering Lead**: Pending
`;

describe("review server signatures", () => {
  let dir: string;
  let keys: string;
  const env = (): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", TECHSPEC_NOW: "2026-03-02" };
    for (const k of ["NODE_TEST_CONTEXT", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"]) delete e[k];
    return e;
  };
  const git = (args: string[], sign: string | null, who = "Ann Example <ann@example.com>", extraEnv: Record<string, string> = {}): string => {
    const [, name, email] = /^(.*) <(.*)>$/.exec(who)!;
    const signing = sign ? ["-c", "gpg.format=ssh", "-c", `user.signingkey=${join(keys, sign)}`, "-c", "commit.gpgsign=true"] : ["-c", "commit.gpgsign=false"];
    return execFileSync("git", ["-c", `user.name=${name}`, "-c", `user.email=${email}`, ...signing, ...args], { cwd: dir, env: { ...env(), ...extraEnv }, encoding: "utf8" });
  };
  const lint = (): { rule: string; message: string; severity: string }[] => {
    const r = spawnSync(process.execPath, [CLI, "lint", "--format", "json"], { cwd: dir, env: env(), encoding: "utf8" });
    return (JSON.parse(r.stdout) as { diagnostics: { rule: string; message: string; severity: string }[] }).diagnostics;
  };
  const provenance = (): string[] => lint().filter((d) => d.rule === "approval-provenance" && d.severity === "error").map((d) => d.message);

  before(async () => {
    keys = mkdtempSync(join(tmpdir(), "techspec-serve-keys-"));
    for (const k of ["ann", "server"]) execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", k, "-f", join(keys, k)]);
    const pub = (k: string): string => readFileSync(join(keys, `${k}.pub`), "utf8").trim().split(" ").slice(0, 2).join(" ");
    dir = mkdtempSync(join(tmpdir(), "techspec-serve-signed-"));
    mkdirSync(join(dir, "specs", "FEAT-0001"), { recursive: true });
    writeFileSync(join(dir, SPEC_PATH), SPEC);
    writeFileSync(join(dir, "allowed_signers"), `ann@example.com ${pub("ann")}\nreview-server@example.com ${pub("server")}\n`);
    writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({
      specs: ["specs/**/technical-specification.md"], approvalRoles: ["Engineering Lead"],
      roles: { "Engineering Lead": ["Ann Example <ann@example.com>"] },
      signatures: { required: true, allowedSigners: "allowed_signers", servers: ["review-server@example.com"] },
    }, null, 2));
    writeFileSync(join(dir, ".gitignore"), ".techspec/\n");
    git(["init", "-q", "-b", "main"], null);
    git(["add", "."], null);
    git(["commit", "-q", "-m", "Anchor: signers and roles"], "ann");
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(keys, { recursive: true, force: true });
  });

  test("an approval the server signs for the signed-in holder counts", async () => {
    const store = await openSqlite(join(dir, ".techspec", "techspec.db"));
    const ann = await store.addUser({ email: "ann@example.com", name: "Ann Example", passwordHash: null, now: "2026-03-02T10:00:00.000Z" });
    const { secret, secretHash } = newToken();
    await store.addToken({ userId: ann.id, name: "t", secretHash, now: "2026-03-02T10:00:00.000Z" });
    const saved = { ...process.env };
    Object.assign(process.env, { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" });
    const server = await buildServer({ config: await resolveConfig(dir), store, now: () => new Date("2026-03-02T10:00:00Z"), pollMs: 0, watch: false, signingKey: join(keys, "server"), committer: { name: "Review Server", email: "review-server@example.com" } });
    try {
      const r = await server.app.inject({ method: "POST", url: "/api/specs/FEAT-0001/approvals", headers: { authorization: `Bearer ${secret}` }, payload: { role: "Engineering Lead", decision: "Approved" } });
      assert.equal(r.statusCode, 201, r.body);
      assert.ok("commit" in (r.json() as object), r.body);
    } finally {
      await server.close();
      await store.close();
      process.env = saved;
    }
    const show = git(["-c", `gpg.ssh.allowedSignersFile=${join(dir, "allowed_signers")}`, "log", "-1", "--format=%G?|%GS|%(trailers:key=Techspec-Account,valueonly)"], null).trim();
    assert.equal(show, "G|review-server@example.com|ann@example.com");
    assert.deepEqual(provenance(), []);
  });

  test("a server-signed commit without an account, or for someone else, counts for nobody", () => {
    const text = readFileSync(join(dir, SPEC_PATH), "utf8");
    // Without a trailer.
    writeFileSync(join(dir, SPEC_PATH), text.replace("Ann Example - Approved 2026-03-02", "Ann Example - Approved 2026-03-01"));
    git(["commit", "-q", "-am", "Approve again"], "server", "Review Server <review-server@example.com>");
    assert.match(provenance().join("\n"), /signed by the review server review-server@example.com, whose commit names no account/);
    // For an account that is not the person the line names.
    writeFileSync(join(dir, SPEC_PATH), text.replace("Ann Example - Approved 2026-03-02", "Ann Example - Approved 2026-02-28"));
    git(["commit", "-q", "-am", "Approve\n\nTechspec-Account: mallory@example.com"], "server", "Review Server <review-server@example.com>");
    assert.match(provenance().join("\n"), /signed by the review server review-server@example.com for the account mallory@example.com, who does not hold the Engineering Lead role/);
    writeFileSync(join(dir, SPEC_PATH), text);
    git(["commit", "-q", "-am", "Back\n\nTechspec-Account: ann@example.com"], "server", "Review Server <review-server@example.com>");
    assert.deepEqual(provenance(), []);
  });

  test("the server's key cannot vouch for a change to the roles", () => {
    const config = JSON.parse(readFileSync(join(dir, "techspec.config.json"), "utf8")) as { roles: Record<string, string[]> };
    config.roles["Engineering Lead"]!.push("Mallory Moe <mallory@example.com>");
    writeFileSync(join(dir, "techspec.config.json"), JSON.stringify(config, null, 2));
    git(["commit", "-q", "-am", "Add a role holder"], "server", "Review Server <review-server@example.com>");
    const messages = lint().filter((d) => d.severity === "error").map((d) => d.message).join("\n");
    assert.match(messages, /a review server's key, which cannot vouch for changes to the roles or the signers/);
  });
});
