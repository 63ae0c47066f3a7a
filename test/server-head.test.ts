// A commit made outside the server changes no file but changes what git says of a spec (who wrote its approval
// line): the server sees the new HEAD and lints every spec again, without a restart.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { buildServer } from "../src/server/app.js";
import { openSqlite } from "../src/store/sqlite.js";
import { resolveConfig } from "../src/workspace/config.js";

test("a new HEAD makes the server lint again: an approval line committed by someone without the role is reported", async () => {
  const dir = mkdtempSync(join(tmpdir(), "techspec-head-"));
  mkdirSync(join(dir, "specs", "FEAT-0001"), { recursive: true });
  writeFileSync(join(dir, "specs", "FEAT-0001", "technical-specification.md"), `# Technical Specification: Badge Printer

## Overview

**Feature ID**: FEAT-0001
**Author**: Ann Example, Engineer
**Created Date**: 2026-01-05
**Last Updated**: 2026-01-06
**Status**: In Review

## Introduction

Visitors get a printed badge at the front desk.

## Approval

**Engineering Lead**: Ann Example - Approved 2026-01-06
`);
  writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ specs: ["specs/**/technical-specification.md"], approvalRoles: ["Engineering Lead"], roles: { "Engineering Lead": ["Ann Example <ann@example.com>"] } }));
  const git = (...args: string[]): void => void execFileSync("git", ["-c", "user.name=Mallory Moe", "-c", "user.email=mallory@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("add", "techspec.config.json");
  git("commit", "-q", "-m", "config");
  const store = await openSqlite(":memory:");
  const server = await buildServer({ config: await resolveConfig(dir), store, now: () => new Date("2026-03-02T10:00:00Z"), pollMs: 50, watch: false });
  const provenance = (): string[] => (server.index.get("FEAT-0001")?.diagnostics ?? []).filter((d) => d.rule === "approval-provenance").map((d) => d.message);
  try {
    assert.doesNotMatch(provenance().join("\n"), /Mallory/);
    git("add", ".");
    git("commit", "-q", "-m", "spec"); // the file does not change; only HEAD and its history do
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !/written by Mallory Moe/.test(provenance().join("\n"))) await new Promise((r) => setTimeout(r, 50));
    assert.match(provenance().join("\n"), /written by Mallory Moe <mallory@example.com>.*who does not hold the Engineering Lead role/);
  } finally {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
