// techspec mock over HTTP (a real socket): answers from the spec's examples, validation of requests, Prefer, CORS,
// unknown routes, the request log, and hostile requests.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { Contract } from "../src/contract/contract.js";
import { createMock } from "../src/contract/mock.js";
import { verifyHttp } from "../src/contract/verify-http.js";
import { parseSpec } from "../src/parse/parse-spec.js";

const FIXTURE = fileURLToPath(new URL("../../test/fixtures/contract/technical-specification.md", import.meta.url));
const TEXT = readFileSync(FIXTURE, "utf8");
const TOOL = "5b0e8c1d-2f3a-4b6c-8d7e-9f0a1b2c3d4e";
const LOAN_BODY = { toolId: TOOL, memberEmail: "grace@example.org", dueDate: "2026-12-20" };

const lineOf = (needle: string): number => TEXT.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("techspec mock", () => {
  let app: FastifyInstance;
  let base: string;
  const log: string[] = [];
  before(async () => {
    let clock = 0;
    app = createMock(new Contract(parseSpec(TEXT, "loans.md")), { log: (l) => log.push(l), timer: () => (clock += 2), bodyLimit: 64 * 1024 });
    await app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(() => app.close());

  const call = async (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; type: string; headers: Headers; body: any }> => {
    const res = await fetch(`${base}${path}`, { method, ...init });
    const text = await res.text();
    const type = (res.headers.get("content-type") ?? "").split(";")[0]!;
    return { status: res.status, type, headers: res.headers, body: text && /json/.test(type) ? JSON.parse(text) : text };
  };
  const json = (body: unknown): { headers: Record<string, string>; body: string } => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const exampleOf = (api: string): unknown => {
    const spec = parseSpec(TEXT, "loans.md").spec;
    return spec.apis.find((a) => a.name === api)!.response;
  };

  test("answers the lowest documented 2xx with the spec's example: 200, 201 for a creating POST, 204", async () => {
    const list = await call("GET", "/api/v1/tools");
    assert.equal(list.status, 200);
    assert.equal(list.type, "application/json");
    assert.deepEqual(list.body, exampleOf("List Tools"));
    const one = await call("GET", `/api/v1/tools/${TOOL}`);
    assert.deepEqual([one.status, one.body], [200, exampleOf("Get Tool")]);
    const created = await call("POST", "/api/v1/loans", json(LOAN_BODY));
    assert.deepEqual([created.status, created.body], [201, exampleOf("Create Loan")]);
    const ended = await call("DELETE", "/api/v1/loans/e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b");
    assert.deepEqual([ended.status, ended.body], [204, ""]);
    const head = await call("HEAD", "/api/v1/tools");
    assert.equal(head.status, 200);
  });

  test("an invalid request gets the spec's own 400 with errors: [{ location, message }]", async () => {
    const r = await call("POST", "/api/v1/loans", json({ toolId: "not-a-uuid", dueDate: 5 }));
    assert.equal(r.status, 400);
    assert.equal(r.type, "application/problem+json");
    assert.equal(r.body.title, "The body is not a loan request (a field is missing or of the wrong type)");
    const locations = (r.body.errors as { location: string; message: string }[]).map((e) => `${e.location}: ${e.message}`);
    assert.ok(locations.includes('body: missing required field "memberEmail"'), locations.join("\n"));
    assert.ok(locations.includes("body/toolId: expected a uuid, got \"not-a-uuid\""), locations.join("\n"));
    assert.ok(locations.includes("body/dueDate: expected string, got integer"), locations.join("\n"));
    const broken = await call("POST", "/api/v1/loans", { headers: { "content-type": "application/json" }, body: "{not json" });
    assert.equal(broken.status, 400);
    assert.match(broken.body.errors[0].message, /^not JSON/);
    const wrongType = await call("POST", "/api/v1/loans", { headers: { "content-type": "text/plain" }, body: JSON.stringify(LOAN_BODY) });
    assert.equal(wrongType.status, 400);
    assert.deepEqual(wrongType.body.errors, [{ location: "header.Content-Type", message: 'expected application/json, got "text/plain"' }]);
    const empty = await call("POST", "/api/v1/loans");
    assert.equal(empty.status, 400);
    assert.equal(empty.body.errors[0].location, "body");
  });

  test("without a documented 400 or 422, an invalid request is a 422 problem", async () => {
    const r = await call("GET", "/api/v1/tools/not-a-uuid");
    assert.equal(r.status, 422);
    assert.equal(r.type, "application/problem+json");
    assert.deepEqual(r.body.errors, [{ location: "path.toolId", message: 'expected a uuid, got "not-a-uuid"' }]);
  });

  test("Prefer: code= answers a documented status; an undocumented one is a 400 that lists them", async () => {
    const nf = await call("GET", `/api/v1/tools/${TOOL}`, { headers: { prefer: "code=404" } });
    assert.equal(nf.status, 404);
    assert.equal(nf.body.title, "No tool has this identifier");
    assert.equal(nf.headers.get("preference-applied"), "code=404");
    const teapot = await call("GET", `/api/v1/tools/${TOOL}`, { headers: { prefer: "code=418" } });
    assert.equal(teapot.status, 400);
    assert.match(teapot.body.detail, /documents status 200, 401, 404, not 418/);
    // A documented error is answered even for a request that would be refused: that is what was asked for.
    const conflict = await call("POST", "/api/v1/loans", { ...json({}), headers: { "content-type": "application/json", prefer: 'respond-async, code="409"' } });
    assert.equal(conflict.status, 409);
  });

  test("Prefer: example= picks an example by name; an unknown one is a 400 naming those there are", async () => {
    const r = await call("GET", "/api/v1/tools", { headers: { prefer: "example=default" } });
    assert.deepEqual([r.status, r.body], [200, exampleOf("List Tools")]);
    const unknown = await call("GET", "/api/v1/tools", { headers: { prefer: "example=big" } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.detail, /has the example default, not big/);
  });

  test("unknown routes get 404 with the closest documented route; another method gets 405 with Allow", async () => {
    const r = await call("GET", "/api/v1/tool");
    assert.equal(r.status, 404);
    assert.match(r.body.detail, /the closest documented route is GET \/api\/v1\/tools$/);
    const m = await call("PUT", `/api/v1/loans/${TOOL}`);
    assert.equal(m.status, 405);
    assert.equal(m.headers.get("allow"), "GET, DELETE");
  });

  test("CORS: every answer allows the origin; a preflight is answered with the path's methods", async () => {
    const r = await call("GET", "/api/v1/tools", { headers: { origin: "http://app.example" } });
    assert.equal(r.headers.get("access-control-allow-origin"), "http://app.example");
    const pre = await call("OPTIONS", `/api/v1/loans/${TOOL}`, { headers: { origin: "http://app.example", "access-control-request-method": "DELETE", "access-control-request-headers": "authorization" } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-methods"), "GET, HEAD, DELETE");
    assert.equal(pre.headers.get("access-control-allow-headers"), "authorization");
  });

  test("one log line per request, naming the API and its spec line", async () => {
    log.length = 0;
    await call("GET", `/api/v1/tools/${TOOL}`);
    await call("GET", "/nowhere");
    assert.deepEqual(log, [
      `GET /api/v1/tools/${TOOL} → 200 "Get Tool" loans.md:${lineOf("#### API 2: Get Tool")} (2 ms)`,
      "GET /nowhere → 404 (2 ms)",
    ]);
  });

  test("hostile requests: an oversized body, broken escapes, control characters, a raw malformed request", async () => {
    const big = await call("POST", "/api/v1/loans", { headers: { "content-type": "application/json" }, body: `"${"x".repeat(70 * 1024)}"` });
    assert.equal(big.status, 413);
    assert.equal(big.type, "application/problem+json");
    const escapes = await call("GET", "/api/v1/tools/%E0%A4%A");
    assert.deepEqual([escapes.status, escapes.type], [400, "application/problem+json"]);
    log.length = 0;
    const ctl = await call("GET", "/api/v1/%1b[31mred");
    assert.equal(ctl.status, 404);
    assert.ok(log.every((l) => !l.includes("\u001b")), log.join("\n"));
    const raw = await new Promise<string>((resolve) => {
      const socket = connect((app.server.address() as AddressInfo).port, "127.0.0.1", () => socket.write("GET /api/v1/tools HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n"));
      let got = "";
      socket.on("data", (d) => (got += d));
      socket.on("close", () => resolve(got));
      socket.on("error", () => resolve(got));
    });
    assert.match(raw, /^HTTP\/1\.1 400/);
    // Still serving.
    assert.equal((await call("GET", "/api/v1/tools")).status, 200);
  });

  test("verify against the mock: every answer matches the spec's schemas; only the probes a stateless mock cannot pass are found", async () => {
    const r = await verifyHttp(new Contract(parseSpec(TEXT, "loans.md")), { baseUrl: base, allowWrites: true });
    const rules = new Set(r.diagnostics.map((d) => d.rule));
    assert.deepEqual([...rules], ["errors-documented"], r.diagnostics.map((d) => d.message).join("\n"));
  });
});

test("mock: with both 400 and 422 documented, a schema violation is a 422 and an unreadable body a 400", async () => {
  const text = TEXT.replace("  - 409: The tool is already lent", "  - 409: The tool is already lent\n  - 422: The loan breaks a rule of the library");
  const app = createMock(new Contract(parseSpec(text, "loans.md")));
  try {
    const invalid = await app.inject({ method: "POST", url: "/api/v1/loans", headers: { "content-type": "application/json" }, payload: JSON.stringify({ toolId: TOOL }) });
    assert.equal(invalid.statusCode, 422);
    assert.equal(invalid.json().title, "The loan breaks a rule of the library");
    const unreadable = await app.inject({ method: "POST", url: "/api/v1/loans", headers: { "content-type": "application/json" }, payload: "{" });
    assert.equal(unreadable.statusCode, 400);
    const otherType = await app.inject({ method: "POST", url: "/api/v1/loans", headers: { "content-type": "application/xml" }, payload: "<loan/>" });
    assert.equal(otherType.statusCode, 400);
  } finally {
    await app.close();
  }
});

test("mock: several parameters in one segment route, and a hostile long segment is refused at once", async () => {
  const text = TEXT.replace("/api/v1/tools/{toolId}", "/api/v1/tools/{toolId}-{size}.{format}").replace("  - toolId: UUID - Identifier of the tool", "  - toolId: String - Identifier of the tool\n  - size: String - Size\n  - format: String - Format");
  const app = createMock(new Contract(parseSpec(text, "loans.md")));
  try {
    const ok = await app.inject({ method: "GET", url: "/api/v1/tools/drill-large.v2.json" });
    assert.equal(ok.statusCode, 200, ok.body);
    // 10,000 dashes and no dot: a backtracking match would try ~10^12 splits; the length bound refuses it.
    const hostile = await app.inject({ method: "GET", url: `/api/v1/tools/${"-".repeat(10_000)}` });
    assert.equal(hostile.statusCode, 404);
  } finally {
    await app.close();
  }
});
