// The default database lives inside the workspace: it must never show up as something to commit.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openStore } from "../src/store/open-store.js";

test("the default SQLite database and its folder stay out of git", async () => {
  const dir = mkdtempSync(join(tmpdir(), "techspec-store-open-"));
  try {
    execFileSync("git", ["init", "-q"], { cwd: dir });
    writeFileSync(join(dir, "techspec.config.json"), "{}");
    const store = await openStore({ workspace: dir });
    await store.addUser({ email: "ann@example.com", name: "Ann", passwordHash: null, now: "2026-03-02T10:00:00.000Z" });
    assert.ok(existsSync(join(dir, ".techspec", "techspec.db")));
    const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: dir, encoding: "utf8" });
    await store.close();
    assert.equal(status.trim(), "?? techspec.config.json", status);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
