// The README's lifecycle walkthrough is run as written, so it cannot drift from the code.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

test("the README's lifecycle block runs: approvals by two people, Approved, then a breaking edit in diff and stale approvals", () => {
  const readme = readFileSync("README.md", "utf8");
  const m = /<!-- lifecycle:start -->\n```sh\n([\s\S]*?)```\n<!-- lifecycle:end -->/.exec(readme);
  assert.ok(m, "README has the lifecycle block");
  const tmp = mkdtempSync(join(tmpdir(), "techspec-readme-"));
  try {
    const r = spawnSync("bash", ["-e", "-c", m[1]!], {
      cwd: process.cwd(), encoding: "utf8",
      // One fixed day for techspec and for git, so the walkthrough prints the same on any day (and at midnight).
      env: { ...process.env, TMPDIR: tmp, NO_COLOR: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1",
        TECHSPEC_NOW: "2026-11-24T10:00:00Z", GIT_AUTHOR_DATE: "2026-11-24T10:00:00Z", GIT_COMMITTER_DATE: "2026-11-24T10:00:00Z" },
    });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout;
    assert.match(out, /✔ 1 file checked, no problems/);
    assert.match(out, /^ {2}breaking {5}response field POST \/api\/v1\/reservations expiresAt removed {2}\(removed response field\)$/m);
    assert.match(out, /^diff exit 1$/m);
    assert.equal(out.match(/approval-stale/g)?.length, 3);
    assert.match(out, /^lint exit 1$/m);
    assert.equal(out.match(/^2026-11-24 {2}[0-9a-f]{8} {2}/gm)?.length, 6, "six log entries of that day");
    for (const line of [/Dana Dev <dana@example\.com> +created \(Draft\)/, /Marcus Lee <marcus@example\.com> +Engineering Lead: Approved by Marcus Lee \(sha256:[0-9a-f]{12}…\)/,
      /Daniel Okafor <daniel@example\.com> +Security Lead: Approved by Daniel Okafor/, /Dana Dev <dana@example\.com> +status In Review → Approved/]) {
      assert.match(out, line);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
