// The review server's API is described by a techspec spec of its own (docs/api/technical-specification.md), which
// /api/openapi.json is compiled from: every route the server has must be in it, and every API in it must be a route.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { exportOpenApi } from "../src/export/openapi.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import { lintSpec } from "../src/rules/lint-spec.js";
import { buildServer } from "../src/server/app.js";
import { openSqlite } from "../src/store/sqlite.js";
import { defaultConfig } from "../src/workspace/config.js";
import { serverApiSpecPath } from "../src/cli/commands/serve.js";

const text = readFileSync(serverApiSpecPath(), "utf8");
const parsed = parseSpec(text, "docs/api/technical-specification.md");

test("the routes of the server and the APIs of its spec are the same set", async () => {
  const dir = mkdtempSync(join(tmpdir(), "techspec-routes-"));
  const store = await openSqlite(":memory:");
  const server = await buildServer({ config: defaultConfig(dir), store, now: () => new Date("2026-03-02T10:00:00Z"), pollMs: 0 });
  try {
    const served = server.routes.filter((r) => r.url.startsWith("/api/")).map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, "{$1}")}`).sort();
    const described = parsed.spec.apis.map((a) => `${a.method} ${a.endpoint}`).sort();
    assert.ok(served.length >= 16, served.join("\n"));
    assert.deepEqual(served.filter((r) => !described.includes(r)), [], "routes missing from docs/api/technical-specification.md");
    assert.deepEqual(described.filter((r) => !served.includes(r)), [], "APIs in the spec that the server does not have");
  } finally {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the API spec lints without errors and compiles to the OpenAPI document the server serves", () => {
  const errors = lintSpec(parsed).filter((d) => d.severity === "error");
  assert.deepEqual(errors.map((d) => `${d.line}: ${d.message}`), []);
  const doc = exportOpenApi(parsed.spec) as { openapi: string; paths: Record<string, unknown> };
  assert.equal(doc.openapi, "3.1.0");
  assert.ok("/api/specs/{id}/approvals" in doc.paths);
});
