// verify --base-url against a real HTTP service written from the fixture spec (test-support/loan-service.ts): the
// conforming service is clean, and each mutation is found by the right check at the right spec line.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { Contract } from "../src/contract/contract.js";
import { UnreachableError } from "../src/contract/errors.js";
import { verifyHttp, type HttpVerifyOptions } from "../src/contract/verify-http.js";
import type { Diagnostic } from "../src/model/diagnostic.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import { startLoanService, TOKEN, type Mutation } from "../test-support/loan-service.js";

const FIXTURE = fileURLToPath(new URL("../../test/fixtures/contract/technical-specification.md", import.meta.url));
const TEXT = readFileSync(FIXTURE, "utf8");
const contract = new Contract(parseSpec(TEXT, "loans.md"));
const AUTH: [string, string][] = [["Authorization", TOKEN]];

/** The 1-based line of the first line containing `needle` after the line containing `after`. */
function lineOf(needle: string, afterText?: string): number {
  const lines = TEXT.split("\n");
  const start = afterText === undefined ? 0 : lines.findIndex((l) => l.includes(afterText));
  assert.ok(start >= 0, `fixture has "${afterText}"`);
  const i = lines.findIndex((l, n) => n >= start && l.includes(needle));
  assert.ok(i >= 0, `fixture has "${needle}" after "${afterText}"`);
  return i + 1;
}

async function verifyAgainst(mutation: Mutation, options: Partial<HttpVerifyOptions> = {}): Promise<{ diagnostics: Diagnostic[]; notes: string[]; requests: string[] }> {
  const service = await startLoanService(mutation);
  try {
    const result = await verifyHttp(contract, { baseUrl: service.url, headers: AUTH, ...options });
    return { diagnostics: result.diagnostics, notes: result.notes, requests: service.requests };
  } finally {
    await service.close();
  }
}

const brief = (ds: readonly Diagnostic[]): string[] => ds.map((d) => `${d.line} ${d.rule} ${d.severity}`);

describe("verify --base-url: the conforming service", () => {
  test("is clean with writes allowed, and every API was sent", async () => {
    const r = await verifyAgainst("none", { allowWrites: true });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.notes, []);
    for (const sent of ["GET /api/v1/tools", "GET /api/v1/tools/5b0e8c1d-2f3a-4b6c-8d7e-9f0a1b2c3d4e", "POST /api/v1/loans", "GET /api/v1/loans/e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", "DELETE /api/v1/loans/e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"]) {
      assert.ok(r.requests.includes(sent), `${sent} was sent (${r.requests.join(", ")})`);
    }
    // The probes: an unknown id (404) and no credentials (401).
    assert.ok(r.requests.includes("GET /api/v1/tools/00000000-0000-4000-8000-00000000dead"), "the unknown-id probe was sent");
    // The delete comes after every read of the same loan.
    assert.ok(r.requests.lastIndexOf("GET /api/v1/loans/e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b") < r.requests.indexOf("DELETE /api/v1/loans/e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"));
  });

  test("is safe by default: no write is sent, and the note says which were left out", async () => {
    const r = await verifyAgainst("none");
    assert.deepEqual(r.diagnostics, []);
    assert.ok(r.requests.every((x) => x.startsWith("GET ")), r.requests.join(", "));
    assert.equal(r.notes.length, 1);
    assert.match(r.notes[0]!, /2 APIs that write not sent \(POST \/api\/v1\/loans, DELETE \/api\/v1\/loans\/\{loanId\}\): give --allow-writes/);
  });
});

describe("verify --base-url: each mutation found by the right check at the right line", () => {
  const cases: [Mutation, string, number, RegExp][] = [
    ["renamed-field", "response-schema", lineOf("| name |", "Entity 1: Tool"), /missing required field "name"/],
    ["changed-type", "response-schema", lineOf("| dailyFeeCents |"), /dailyFeeCents: expected integer, got string/],
    ["bad-enum", "response-schema", lineOf("| category |"), /expected one of "power", "hand", "garden", "ladder", got "electric"/],
    ["undocumented-status", "status-documented", lineOf("#### API 1: List Tools"), /answered 206, which the spec does not document \(documented: 200, 401\)/],
    ["missing-endpoint", "status-documented", lineOf("#### API 4: Get Loan"), /answered 404 .* expected 200: the endpoint may be missing/],
    ["server-error", "not-a-server-error", lineOf("#### API 2: Get Tool"), /answered 500/],
    ["wrong-content-type", "content-type", lineOf("```json", "#### API 4: Get Loan") , /Content-Type "text\/plain", expected application\/json/],
    ["no-auth", "errors-documented", lineOf("- 401:", "#### API 1: List Tools"), /without credentials; the spec documents 401/],
    ["no-404", "errors-documented", lineOf("- 404:", "#### API 2: Get Tool"), /unknown toolId .* the spec documents 404/],
  ];
  for (const [mutation, rule, line, message] of cases) {
    test(`${mutation}: ${rule} at line ${line}`, async () => {
      const r = await verifyAgainst(mutation);
      // A renamed field is also an extra one (the next test); every other mutation is one finding.
      const errors = r.diagnostics.filter((d) => d.severity === "error" && !/has the field "title"/.test(d.message));
      assert.equal(errors.length, 1, brief(r.diagnostics).join("; "));
      const d = errors[0]!;
      assert.equal(d.rule, rule);
      assert.equal(d.line, line, `${d.message}`);
      assert.equal(d.file, "loans.md");
      assert.match(d.message, message);
      assert.match(d.message, /; reproduce: curl -sS -i -X (GET|POST|DELETE) 'http:\/\/127\.0\.0\.1:\d+\/api\/v1\//);
    });
  }

  test("a renamed field is also the extra field, at the response example", async () => {
    const r = await verifyAgainst("renamed-field");
    const extra = r.diagnostics.find((d) => /has the field "title"/.test(d.message));
    assert.ok(extra, brief(r.diagnostics).join("; "));
    assert.equal(extra.line, lineOf("```json", "#### API 2: Get Tool"));
  });

  test("--checks and --exclude-checks select what runs", async () => {
    assert.deepEqual((await verifyAgainst("server-error", { checks: new Set(["response-schema"]) })).diagnostics, []);
    const only = await verifyAgainst("no-404", { checks: new Set(["errors-documented"]) });
    assert.deepEqual(only.diagnostics.map((d) => d.rule), ["errors-documented"]);
  });
});

describe("verify --base-url: requests and their limits", () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  });
  const listen = async (handler: Parameters<typeof createServer>[1]): Promise<{ url: string; hits: string[] }> => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      handler!(req, res);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
  };

  test("a redirect to another origin is not followed and is a finding; one on the same origin is followed", async () => {
    const other = await listen((_req, res) => res.end("{}"));
    const service = await startLoanService("none");
    try {
      const front = await listen((req, res) => {
        if (req.url === "/api/v1/tools") res.writeHead(302, { location: `${other.url}/steal` }).end();
        else res.writeHead(307, { location: `${service.url}${req.url}` }).end(); // another port is another origin
      });
      const r = await verifyHttp(contract, { baseUrl: front.url, headers: AUTH });
      assert.deepEqual(other.hits, [], "nothing reached the other host");
      assert.ok(r.diagnostics.some((d) => d.rule === "status-documented" && /redirect to another origin/.test(d.message)));
      const same = await listen((req, res) => {
        if (req.url!.startsWith("/moved")) res.writeHead(200, { "content-type": "application/json" }).end('[{"id":"5b0e8c1d-2f3a-4b6c-8d7e-9f0a1b2c3d4e","name":"x","category":"hand","dailyFeeCents":1}]');
        else if (req.url!.startsWith("/api/v1/tools?")) res.writeHead(301, { location: "/moved" }).end();
        else res.writeHead(404, { "content-type": "application/json" }).end('{"message":"no"}');
      });
      const followed = await verifyHttp(contract, { baseUrl: same.url, checks: new Set(["response-schema", "content-type"]) });
      assert.ok(same.hits.includes("GET /moved"), same.hits.join(", "));
      assert.deepEqual(followed.diagnostics.filter((d) => d.line === lineOf("#### API 1: List Tools")), []);
    } finally {
      await service.close();
    }
  });

  test("a request that takes too long is a not-a-server-error finding, after the timeout", async () => {
    const slow = await listen((req, res) => {
      if (req.url!.startsWith("/api/v1/tools?")) return; // never answers
      res.writeHead(404, { "content-type": "application/json" }).end('{"message":"no"}');
    });
    const r = await verifyHttp(contract, { baseUrl: slow.url, timeoutMs: 300, checks: new Set(["not-a-server-error"]) });
    assert.equal(r.diagnostics.length, 1, brief(r.diagnostics).join("; "));
    assert.match(r.diagnostics[0]!.message, /GET \/api\/v1\/tools got no answer: no answer within 300 ms/);
  });

  test("no more requests in flight than --concurrency", async () => {
    let inFlight = 0;
    let most = 0;
    const counting = await listen((_req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(404, { "content-type": "application/json" }).end('{"message":"no"}');
      }, 50);
    });
    await verifyHttp(contract, { baseUrl: counting.url, concurrency: 1, headers: AUTH });
    assert.equal(most, 1);
    assert.ok(counting.hits.length >= 3);
  });

  test("a service that cannot be reached is an UnreachableError, not findings", async () => {
    const closed = await listen(() => {});
    const url = closed.url;
    servers.pop()!.close();
    await assert.rejects(verifyHttp(contract, { baseUrl: url }), (err: unknown) => err instanceof UnreachableError && /cannot be reached \(ECONNREFUSED/.test((err as Error).message));
  });

  test("--param and --header reach the request; credentials are redacted in the reproduce line", async () => {
    const service = await startLoanService("none");
    try {
      const r = await verifyHttp(contract, { baseUrl: `${service.url}/`, headers: [["Authorization", TOKEN], ["X-Trace", "t-1"]], params: { toolId: "nope-id" }, checks: new Set(["status-documented"]) });
      assert.ok(service.requests.includes("GET /api/v1/tools/nope-id"));
      const d = r.diagnostics.find((x) => x.line === lineOf("#### API 2: Get Tool"))!;
      assert.ok(d, brief(r.diagnostics).join("; "));
      assert.match(d.message, /-H 'Authorization: <redacted>' -H 'X-Trace: t-1'/);
      assert.doesNotMatch(d.message, /desk-secret/);
    } finally {
      await service.close();
    }
  });

  test("a path parameter without a value is a note, not a guess", async () => {
    // No example has a field named like the parameter, and an id of the path's own response is not this one's.
    const spec = parseSpec(TEXT.replace("/api/v1/tools/{toolId}", "/api/v1/tools/{barcode}").replace("  - toolId: UUID - Identifier of the tool", "  - barcode: String - Label barcode"), "loans.md");
    const service = await startLoanService("none");
    try {
      const r = await verifyHttp(new Contract(spec), { baseUrl: service.url, headers: AUTH });
      assert.ok(r.notes.some((n) => /GET \/api\/v1\/tools\/\{barcode\} \(loans\.md:\d+\) not sent: no value for the path parameter \{barcode\}.*--param barcode=VALUE/.test(n)), r.notes.join("\n"));
    } finally {
      await service.close();
    }
  });

  test("hostile answers: a huge body, broken JSON, a body that never ends", async () => {
    const hostile = await listen((req, res) => {
      if (req.url!.startsWith("/api/v1/tools?")) {
        res.writeHead(200, { "content-type": "application/json" });
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        for (let i = 0; i < 11; i++) res.write(chunk);
        res.end("[]");
      } else if (req.url!.startsWith("/api/v1/tools/")) {
        res.writeHead(200, { "content-type": "application/json" }).end('{"id": "5b0e8c1d-2f3a-4b6c-8d7e-9f0a1b2c3d4e", ');
      } else res.writeHead(200, { "content-type": "application/json" }).write("{");
    });
    const r = await verifyHttp(contract, { baseUrl: hostile.url, timeoutMs: 500 });
    const text = brief(r.diagnostics).join("; ");
    assert.ok(r.diagnostics.some((d) => d.rule === "not-a-server-error" && /larger than 10 MiB/.test(d.message)), text);
    assert.ok(r.diagnostics.some((d) => d.rule === "response-schema" && /not JSON/.test(d.message)), text);
    assert.ok(r.diagnostics.some((d) => d.rule === "not-a-server-error" && /no answer within 500 ms/.test(d.message)), text);
  });
});

describe("verify --base-url: a 50-API spec", () => {
  test("the conforming catalog service is clean, every API sent (writes allowed)", async () => {
    const { catalogSpec, startCatalogService } = await import("../test-support/catalog-service.js");
    const spec = parseSpec(catalogSpec(10), "catalog.md");
    assert.equal(spec.spec.apis.length, 50);
    const service = await startCatalogService(10);
    try {
      const r = await verifyHttp(new Contract(spec), { baseUrl: service.url, allowWrites: true });
      assert.deepEqual(r.diagnostics.map((d) => d.message), []);
      assert.deepEqual(r.notes, []);
      assert.equal(r.operations, 50);
      // 50 example requests and a 404 probe for each of the 30 item APIs.
      assert.equal(r.requests, 80);
    } finally {
      await service.close();
    }
  });
});
