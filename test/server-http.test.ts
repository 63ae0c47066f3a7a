// The review server's HTTP API, route by route, through Fastify's inject (no socket): sessions and tokens, CSRF,
// rate limits, edits with If-Match, comments, approvals written to the file and committed, audit, and the error
// statuses each situation calls for.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildServer, SIGN_IN_LIMITS } from "../src/server/app.js";
import { hashPassword, newToken } from "../src/server/auth.js";
import { openSqlite } from "../src/store/sqlite.js";
import type { Store } from "../src/store/store.js";
import { resolveConfig } from "../src/workspace/config.js";
import { startPostgres } from "../test-support/postgres.js";

const SPEC = (status: string, extra = ""): string => `# Technical Specification: Refund Processing

## Overview

**Feature ID**: FEAT-0001
**Author**: Ann Example, Engineer
**Created Date**: 2026-01-05
**Last Updated**: 2026-01-06
**Status**: ${status}

## Introduction

Refunds are issued from the ledger so that the processor and the books agree.${extra}

## Architecture

### Components

#### Component 1: Refund API

- **Purpose**: Accepts refund requests
- **Responsibilities**: Validates and records refunds
- **Interfaces**: REST
- **Dependencies**: None

## Approval

**Engineering Lead**: Pending
`;

interface Ctx {
  dir: string;
  store: Store;
  app: FastifyInstance;
  close: () => Promise<void>;
  clock: { now: Date };
  file: string;
}

async function setup(options: { git?: boolean; publicRead?: boolean; open?: () => Promise<Store> } = {}): Promise<Ctx> {
  const dir = mkdtempSync(join(tmpdir(), "techspec-serve-"));
  mkdirSync(join(dir, "specs", "FEAT-0001-refunds"), { recursive: true });
  const file = join(dir, "specs", "FEAT-0001-refunds", "technical-specification.md");
  writeFileSync(file, SPEC("In Review"));
  writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({
    specs: ["specs/**/technical-specification.md"], approvalRoles: ["Engineering Lead"],
    roles: { "Engineering Lead": ["Ann Example <ann@example.com>"] },
  }));
  if (options.git) {
    const g = (...args: string[]): void => void execFileSync("git", args, { cwd: dir, stdio: "ignore" });
    g("init", "-q", "-b", "main");
    g("-c", "user.name=Setup", "-c", "user.email=setup@example.com", "add", ".");
    g("-c", "user.name=Setup", "-c", "user.email=setup@example.com", "commit", "-q", "-m", "start");
  }
  const config = await resolveConfig(dir);
  const store = options.open ? await options.open() : await openSqlite(join(dir, ".techspec", "techspec.db"));
  const clock = { now: new Date("2026-03-02T10:00:00Z") };
  const password = await hashPassword("correct horse battery");
  await store.addUser({ email: "ann@example.com", name: "Ann Example", passwordHash: password, now: clock.now.toISOString() });
  await store.addUser({ email: "bob@example.com", name: "Bob Other", passwordHash: password, now: clock.now.toISOString() });
  const server = await buildServer({ config, store, now: () => clock.now, publicRead: !!options.publicRead, pollMs: 0, openapi: () => ({ openapi: "3.1.0" }) });
  return {
    dir, store, app: server.app, clock, file,
    close: async () => {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function signIn(app: FastifyInstance, email = "ann@example.com", password = "correct horse battery"): Promise<{ cookie: string; csrf: string }> {
  const r = await app.inject({ method: "POST", url: "/api/session", payload: { email, password } });
  assert.equal(r.statusCode, 200, r.body);
  const setCookie = String(r.headers["set-cookie"]);
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Lax/);
  return { cookie: setCookie.split(";")[0]!, csrf: (r.json() as { csrf: string }).csrf };
}

const problemOf = (r: { headers: Record<string, unknown>; json: () => unknown }): { status: number; detail: string } => {
  assert.match(String(r.headers["content-type"]), /^application\/problem\+json/);
  return r.json() as { status: number; detail: string };
};

const engines: readonly { name: string; start: () => Promise<{ open?: () => Promise<Store>; stop: () => Promise<void> }> }[] = [
  { name: "SQLite", start: async () => ({ stop: async () => {} }) },
  {
    name: "PostgreSQL",
    start: async () => {
      const pg = await startPostgres();
      return { open: () => pg.open(), stop: () => pg.stop() };
    },
  },
];

for (const engine of engines) describe(`review server HTTP API on ${engine.name}`, () => {
  let c: Ctx;
  let stopEngine = async (): Promise<void> => {};
  before(async () => {
    const started = await engine.start();
    stopEngine = started.stop;
    c = await setup({ git: true, ...(started.open ? { open: started.open } : {}) });
  });
  after(async () => {
    await c.close();
    await stopEngine();
  });

  test("reads need an account: 401 as problem+json", async () => {
    for (const url of ["/api/specs", "/api/specs/FEAT-0001", "/api/specs/FEAT-0001/source", "/api/search?q=refund", "/api/audit", "/api/specs/FEAT-0001/comments"]) {
      const r = await c.app.inject({ url });
      assert.equal(r.statusCode, 401, url);
      assert.equal(problemOf(r).status, 401);
    }
  });

  test("sign-in: wrong password 401, session cookie, GET /api/session, sign-out", async () => {
    const bad = await c.app.inject({ method: "POST", url: "/api/session", payload: { email: "ann@example.com", password: "wrong password!" } });
    assert.equal(bad.statusCode, 401);
    const unknown = await c.app.inject({ method: "POST", url: "/api/session", payload: { email: "nobody@example.com", password: "wrong password!" } });
    assert.equal(unknown.statusCode, 401);
    assert.equal(problemOf(unknown).detail, problemOf(bad).detail, "an unknown account is not told apart");
    const malformed = await c.app.inject({ method: "POST", url: "/api/session", payload: { email: 1 } });
    assert.equal(malformed.statusCode, 400);
    const { cookie, csrf } = await signIn(c.app);
    const me = await c.app.inject({ url: "/api/session", headers: { cookie } });
    assert.equal(me.statusCode, 200);
    assert.deepEqual((me.json() as { user: { email: string }; csrf: string }).user.email, "ann@example.com");
    assert.equal((me.json() as { csrf: string }).csrf, csrf);
    // Sign-out is a write: it needs the CSRF token.
    assert.equal((await c.app.inject({ method: "DELETE", url: "/api/session", headers: { cookie } })).statusCode, 403);
    const out = await c.app.inject({ method: "DELETE", url: "/api/session", headers: { cookie, "x-csrf-token": csrf } });
    assert.equal(out.statusCode, 204);
    assert.equal((await c.app.inject({ url: "/api/session", headers: { cookie } })).statusCode, 401);
  });

  test("every write needs an account: 401 without one, whatever the route", async () => {
    const writes: [string, string][] = [["DELETE", "/api/session"], ["PUT", "/api/specs/FEAT-0001/source"], ["POST", "/api/specs/FEAT-0001/comments"],
      ["POST", "/api/comments/1/resolve"], ["POST", "/api/comments/1/reopen"], ["POST", "/api/specs/FEAT-0001/approvals"]];
    for (const [method, url] of writes) {
      const r = await c.app.inject({ method: method as "POST", url, payload: {} });
      assert.equal(r.statusCode, 401, `${method} ${url}`);
    }
    for (const url of ["/api/specs/FEAT-0001/history", "/api/lint"]) assert.equal((await c.app.inject({ method: url === "/api/lint" ? "POST" : "GET", url, headers: { "content-type": "text/markdown" }, payload: "x" })).statusCode, 401, url);
  });

  test("unknown Feature IDs are 404 on every spec route; a Feature ID is never a path", async () => {
    const { cookie, csrf } = await signIn(c.app);
    for (const id of ["FEAT-9999", "..%2F..%2Fetc%2Fpasswd", "%2E%2E", "FEAT-0001%00"]) {
      for (const [method, url] of [["GET", `/api/specs/${id}`], ["GET", `/api/specs/${id}/source`], ["GET", `/api/specs/${id}/history`], ["GET", `/api/specs/${id}/comments`], ["POST", `/api/specs/${id}/approvals`]] as const) {
        const r = await c.app.inject({ method, url, headers: { cookie, "x-csrf-token": csrf }, ...(method === "POST" ? { payload: { role: "Engineering Lead", decision: "Approved" } } : {}) });
        assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
      }
    }
  });

  test("behind a proxy only when told: X-Forwarded-For is ignored by default", async () => {
    await c.app.inject({ method: "POST", url: "/api/session", payload: { email: "nobody@example.com", password: "wrong password!" }, headers: { "x-forwarded-for": "203.0.113.9" } });
    const last = (await c.store.audit({ limit: 1 }))[0]!;
    assert.equal(last.action, "sign-in-failed");
    assert.notEqual(last.address, "203.0.113.9");
  });

  test("a session expires", async () => {
    const { cookie } = await signIn(c.app);
    const saved = c.clock.now;
    c.clock.now = new Date(saved.getTime() + 13 * 3_600_000);
    try {
      assert.equal((await c.app.inject({ url: "/api/specs", headers: { cookie } })).statusCode, 401);
    } finally {
      c.clock.now = saved;
    }
  });

  test("bearer tokens: no CSRF needed; unknown or revoked → 401; malformed header → 401", async () => {
    const ann = (await c.store.userByEmail("ann@example.com"))!;
    const { secret, secretHash } = newToken();
    const token = await c.store.addToken({ userId: ann.id, name: "ci", secretHash, now: c.clock.now.toISOString() });
    const ok = await c.app.inject({ url: "/api/specs", headers: { authorization: `Bearer ${secret}` } });
    assert.equal(ok.statusCode, 200);
    assert.equal(((ok.json() as { specs: { id: string }[] }).specs)[0]!.id, "FEAT-0001");
    const lint = await c.app.inject({ method: "POST", url: "/api/lint", headers: { authorization: `Bearer ${secret}`, "content-type": "text/markdown" }, payload: "# Nothing" });
    assert.equal(lint.statusCode, 200);
    assert.equal((await c.app.inject({ url: "/api/specs", headers: { authorization: "Bearer tsp_nope" } })).statusCode, 401);
    assert.equal((await c.app.inject({ url: "/api/specs", headers: { authorization: "Basic abc" } })).statusCode, 401);
    await c.store.revokeToken(token.id, c.clock.now.toISOString());
    assert.equal((await c.app.inject({ url: "/api/specs", headers: { authorization: `Bearer ${secret}` } })).statusCode, 401);
  });

  test("GET spec, source with ETag, 404 for an unknown Feature ID, unknown route 404", async () => {
    const { cookie } = await signIn(c.app);
    const spec = await c.app.inject({ url: "/api/specs/FEAT-0001", headers: { cookie } });
    assert.equal(spec.statusCode, 200);
    const body = spec.json() as { spec: { title: string }; summary: { approvals: { state: string } }; diagnostics: unknown[]; revision: string };
    assert.equal(body.spec.title, "Refund Processing");
    assert.equal(body.summary.approvals.state, "pending");
    const src = await c.app.inject({ url: "/api/specs/FEAT-0001/source", headers: { cookie } });
    assert.equal(src.statusCode, 200);
    assert.match(String(src.headers["content-type"]), /^text\/markdown/);
    assert.equal(src.headers.etag, `"${body.revision}"`);
    assert.equal(src.body, readFileSync(c.file, "utf8"));
    assert.equal((await c.app.inject({ url: "/api/specs/FEAT-9999", headers: { cookie } })).statusCode, 404);
    const none = await c.app.inject({ url: "/api/nothing", headers: { cookie } });
    assert.equal(none.statusCode, 404);
    assert.equal(problemOf(none).status, 404);
  });

  test("edit: If-Match required (428), stale base 409 with the current text, 415 for JSON, saved and committed", async () => {
    const { cookie, csrf } = await signIn(c.app);
    const h = { cookie, "x-csrf-token": csrf, "content-type": "text/markdown" };
    const src = await c.app.inject({ url: "/api/specs/FEAT-0001/source", headers: { cookie } });
    const etag = String(src.headers.etag);
    const text = `${src.body}\nOne more line.\n`;
    assert.equal((await c.app.inject({ method: "PUT", url: "/api/specs/FEAT-0001/source", headers: h, payload: text })).statusCode, 428);
    assert.equal((await c.app.inject({ method: "PUT", url: "/api/specs/FEAT-0001/source", headers: { ...h, "content-type": "application/json", "if-match": etag }, payload: JSON.stringify({ text }) })).statusCode, 415);
    assert.equal((await c.app.inject({ method: "PUT", url: "/api/specs/FEAT-0001/source", headers: { cookie, "content-type": "text/markdown", "if-match": etag }, payload: text })).statusCode, 403, "no CSRF token");
    const saved = await c.app.inject({ method: "PUT", url: "/api/specs/FEAT-0001/source", headers: { ...h, "if-match": etag }, payload: text });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(readFileSync(c.file, "utf8"), text);
    const log = execFileSync("git", ["log", "-1", "--format=%an <%ae>|%cn|%B"], { cwd: c.dir, encoding: "utf8" });
    assert.match(log, /^Ann Example <ann@example.com>\|techspec serve\|Edit FEAT-0001/);
    assert.match(log, /Techspec-Account: ann@example.com/);
    // The same base again is stale now.
    const stale = await c.app.inject({ method: "PUT", url: "/api/specs/FEAT-0001/source", headers: { ...h, "if-match": etag }, payload: `${text}x\n` });
    assert.equal(stale.statusCode, 409);
    assert.equal((stale.json() as { text: string }).text, text);
    assert.equal(readFileSync(c.file, "utf8"), text, "a stale save writes nothing");
  });

  test("an edit made outside the server is seen without a restart", async () => {
    const { cookie } = await signIn(c.app);
    const before = readFileSync(c.file, "utf8");
    writeFileSync(c.file, before.replace("Refund Processing", "Refund Handling"));
    const r = await c.app.inject({ url: "/api/specs/FEAT-0001", headers: { cookie } });
    assert.equal((r.json() as { spec: { title: string } }).spec.title, "Refund Handling");
    writeFileSync(c.file, before);
  });

  test("the watcher sees a change on disk with no request at all (search reflects it)", async () => {
    const before = readFileSync(c.file, "utf8");
    writeFileSync(c.file, before.replace("Refund Processing", "Refund Zeppelin"));
    try {
      const deadline = Date.now() + 5000;
      let hits: unknown[] = [];
      while (Date.now() < deadline && (hits = await c.store.search("zeppelin")).length === 0) await new Promise((r) => setTimeout(r, 50));
      assert.equal(hits.length, 1, "the search index was updated from the file watcher");
    } finally {
      writeFileSync(c.file, before);
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && (await c.store.search("zeppelin")).length > 0) await new Promise((r) => setTimeout(r, 50));
    }
  });

  test("comments: anchored, replies, resolve and reopen, re-anchored after an edit, outdated when the quote is gone", async () => {
    const { cookie, csrf } = await signIn(c.app);
    const h = { cookie, "x-csrf-token": csrf };
    const text = readFileSync(c.file, "utf8");
    const line = text.split("\n").findIndex((l) => l.startsWith("Refunds are issued")) + 1;
    const bad = await c.app.inject({ method: "POST", url: "/api/specs/FEAT-0001/comments", headers: h, payload: { body: "x", anchor: { heading: "Introduction", startLine: 9999, endLine: 9999, quote: "Refunds" } } });
    assert.equal(bad.statusCode, 400);
    const made = await c.app.inject({ method: "POST", url: "/api/specs/FEAT-0001/comments", headers: h, payload: { body: "Which ledger?", anchor: { heading: "Introduction", startLine: line, endLine: line, quote: "issued from the ledger" } } });
    assert.equal(made.statusCode, 201, made.body);
    const first = made.json() as { id: number; author: { email: string } };
    assert.equal(first.author.email, "ann@example.com");
    const reply = await c.app.inject({ method: "POST", url: "/api/specs/FEAT-0001/comments", headers: h, payload: { body: "The general ledger.", parentId: first.id } });
    assert.equal(reply.statusCode, 201);
    assert.equal((await c.app.inject({ method: "POST", url: `/api/comments/${first.id}/resolve`, headers: h })).statusCode, 200);
    const reopened = await c.app.inject({ method: "POST", url: `/api/comments/${first.id}/reopen`, headers: h });
    assert.equal((reopened.json() as { resolved: boolean }).resolved, false);
    assert.equal((await c.app.inject({ method: "POST", url: "/api/comments/99999/resolve", headers: h })).statusCode, 404);
    // Three lines inserted above: the comment moves with its text.
    writeFileSync(c.file, text.replace("## Introduction\n", "## Introduction\n\nA new paragraph.\n\n"));
    let list = (await c.app.inject({ url: "/api/specs/FEAT-0001/comments", headers: { cookie } })).json() as { comments: { id: number; anchor: { startLine: number }; outdated: boolean; parentId: number | null }[] };
    assert.equal(list.comments.length, 2);
    assert.equal(list.comments[0]!.anchor.startLine, line + 3);
    assert.equal(list.comments[0]!.outdated, false);
    writeFileSync(c.file, text.replace("issued from the ledger", "sent by the processor"));
    list = (await c.app.inject({ url: "/api/specs/FEAT-0001/comments", headers: { cookie } })).json() as typeof list;
    assert.equal(list.comments.length, 2, "an outdated comment is kept");
    assert.ok(list.comments.every((x) => x.outdated));
    writeFileSync(c.file, text);
    await c.app.inject({ url: "/api/specs", headers: { cookie } });
  });

  test("approvals: 403 for someone without the role, 400 for a bad body, written and committed for the holder", async () => {
    const bob = await signIn(c.app, "bob@example.com");
    const refused = await c.app.inject({ method: "POST", url: "/api/specs/FEAT-0001/approvals", headers: { cookie: bob.cookie, "x-csrf-token": bob.csrf }, payload: { role: "Engineering Lead", decision: "Approved" } });
    assert.equal(refused.statusCode, 403);
    assert.match(problemOf(refused).detail, /does not hold the Engineering Lead role/);
    const ann = await signIn(c.app);
    const h = { cookie: ann.cookie, "x-csrf-token": ann.csrf };
    assert.equal((await c.app.inject({ method: "POST", url: "/api/specs/FEAT-0001/approvals", headers: h, payload: { role: "Engineering Lead", decision: "Maybe" } })).statusCode, 400);
    assert.equal((await c.app.inject({ method: "POST", url: "/api/specs/FEAT-0001/approvals", headers: h, payload: { role: "Chief Wizard", decision: "Approved" } })).statusCode, 400);
    assert.equal((await c.app.inject({ method: "POST", url: "/api/specs/FEAT-0001/approvals", headers: h, payload: { role: "Engineering Lead", decision: "Rejected" } })).statusCode, 400, "a rejection needs a reason");
    // A request cannot choose whose name is written: extra fields are ignored, the account decides.
    const ok = await c.app.inject({ method: "POST", url: "/api/specs/FEAT-0001/approvals", headers: h, payload: { role: "engineering lead", decision: "Approved", name: "Mallory", email: "mallory@example.com" } });
    assert.equal(ok.statusCode, 201, ok.body);
    const text = readFileSync(c.file, "utf8");
    assert.match(text, /\*\*Engineering Lead\*\*: Ann Example - Approved 2026-03-02 \(sha256:[0-9a-f]{64}\)/);
    assert.doesNotMatch(text, /Mallory/);
    const log = execFileSync("git", ["log", "-1", "--format=%an|%cn|%B"], { cwd: c.dir, encoding: "utf8" });
    assert.match(log, /^Ann Example\|techspec serve\|Approve FEAT-0001 as Engineering Lead/);
    const spec = (await c.app.inject({ url: "/api/specs/FEAT-0001", headers: { cookie: ann.cookie } })).json() as { summary: { approvals: { state: string } } };
    assert.equal(spec.summary.approvals.state, "approved");
  });

  test("history: the commits that changed status or decisions, and what changed since each decision", async () => {
    const { cookie, csrf } = await signIn(c.app);
    // A change after the approval: a new API.
    const src = await c.app.inject({ url: "/api/specs/FEAT-0001/source", headers: { cookie } });
    const text = src.body.replace("## Approval", "## API Design\n\n### API 1: List Refunds\n\n- **Endpoint**: `/refunds`\n- **Method**: GET\n- **Response**:\n  ```json\n  {\"items\": []}\n  ```\n\n## Approval");
    const saved = await c.app.inject({ method: "PUT", url: "/api/specs/FEAT-0001/source", headers: { cookie, "x-csrf-token": csrf, "content-type": "text/markdown", "if-match": String(src.headers.etag) }, payload: text });
    assert.equal(saved.statusCode, 200, saved.body);
    const r = await c.app.inject({ url: "/api/specs/FEAT-0001/history", headers: { cookie } });
    assert.equal(r.statusCode, 200);
    const h = r.json() as { entries: { events: { type: string; role?: string }[] }[]; sinceDecision: { role: string; changes: { area: string; subject: string; kind: string }[] }[]; problem: string | null };
    assert.equal(h.problem, null);
    assert.ok(h.entries.some((e) => e.events.some((ev) => ev.type === "approval" && ev.role === "Engineering Lead")));
    assert.equal(h.sinceDecision.length, 1);
    assert.ok(h.sinceDecision[0]!.changes.some((ch) => ch.area === "api" && ch.kind === "added" && ch.subject === "GET /refunds"), JSON.stringify(h.sinceDecision[0]!.changes));
    const page = await c.app.inject({ url: "/specs/FEAT-0001", headers: { cookie } });
    assert.match(page.body, /Since each decision/);
    assert.match(page.body, /api GET \/refunds added/);
  });

  test("audit: every write is there, newest first; there is no route to change it", async () => {
    const { cookie, csrf } = await signIn(c.app);
    const r = await c.app.inject({ url: "/api/audit?limit=1000", headers: { cookie } });
    const entries = (r.json() as { entries: { action: string; actor: string; address: string | null; id: number }[] }).entries;
    const actions = new Set(entries.map((e) => e.action));
    for (const a of ["sign-in", "sign-in-failed", "sign-out", "edit", "comment", "comment-resolve", "comment-reopen", "approve"]) assert.ok(actions.has(a), a);
    assert.ok(entries[0]!.id > entries[entries.length - 1]!.id, "newest first");
    for (const method of ["PUT", "PATCH", "DELETE"] as const) {
      const w = await c.app.inject({ method, url: "/api/audit", headers: { cookie, "x-csrf-token": csrf } });
      assert.ok(w.statusCode === 404 || w.statusCode === 405, `${method} /api/audit → ${w.statusCode}`);
    }
    const page = (await c.app.inject({ url: `/api/audit?before=${entries[0]!.id}&limit=2`, headers: { cookie } })).json() as { entries: { id: number }[] };
    assert.ok(page.entries.every((e) => e.id < entries[0]!.id));
    assert.equal((await c.app.inject({ url: "/api/audit?before=abc", headers: { cookie } })).statusCode, 400);
  });

  test("search ranks the title and finds the Feature ID; hostile queries are plain words", async () => {
    const { cookie } = await signIn(c.app);
    const hits = (await c.app.inject({ url: "/api/search?q=refund", headers: { cookie } })).json() as { hits: { specId: string }[] };
    assert.equal(hits.hits[0]?.specId, "FEAT-0001");
    for (const q of ['"', "NEAR(", "a OR", "*", "-x", ":", "'; DROP TABLE users; --"]) {
      const r = await c.app.inject({ url: `/api/search?q=${encodeURIComponent(q)}`, headers: { cookie } });
      assert.equal(r.statusCode, 200, q);
    }
    assert.equal((await c.app.inject({ url: `/api/search?q=${"a".repeat(2000)}`, headers: { cookie } })).statusCode, 400);
  });

  test("lint any text: diagnostics from the same engine; 415 for another type", async () => {
    const { cookie, csrf } = await signIn(c.app);
    const r = await c.app.inject({ method: "POST", url: "/api/lint", headers: { cookie, "x-csrf-token": csrf, "content-type": "text/markdown" }, payload: SPEC("In Review", "\n\n[Describe the rollback plan here]") });
    assert.equal(r.statusCode, 200);
    const ds = (r.json() as { diagnostics: { rule: string }[] }).diagnostics;
    assert.ok(ds.some((d) => d.rule === "no-placeholder"), JSON.stringify(ds.map((d) => d.rule)));
    assert.equal((await c.app.inject({ method: "POST", url: "/api/lint", headers: { cookie, "content-type": "application/xml" }, payload: "<x/>" })).statusCode, 415);
  });

  test("a body over the limit is 413", async () => {
    const { cookie, csrf } = await signIn(c.app);
    const r = await c.app.inject({ method: "POST", url: "/api/specs/FEAT-0001/comments", headers: { cookie, "x-csrf-token": csrf, "content-type": "application/json" }, payload: JSON.stringify({ body: "x".repeat(2 << 20) }) });
    assert.equal(r.statusCode, 413);
    assert.equal(problemOf(r).status, 413);
  });

  test("sign-in is rate-limited per account (429 with Retry-After), and the limit counts only failures", async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i++) {
      await c.app.inject({ method: "POST", url: "/api/session", payload: { email: "bob@example.com", password: `wrong ${i} password` } });
    }
    const blocked = await c.app.inject({ method: "POST", url: "/api/session", payload: { email: "bob@example.com", password: "correct horse battery" } });
    assert.equal(blocked.statusCode, 429);
    assert.ok(Number(blocked.headers["retry-after"]) > 0);
    // Another account from the same address still signs in (the address limit is higher).
    await signIn(c.app);
    const saved = c.clock.now;
    c.clock.now = new Date(saved.getTime() + (SIGN_IN_LIMITS.windowMinutes + 1) * 60_000);
    try {
      await signIn(c.app, "bob@example.com");
    } finally {
      c.clock.now = saved;
    }
  });

  test("openapi.json is served", async () => {
    const r = await c.app.inject({ url: "/api/openapi.json" });
    assert.equal(r.statusCode, 200);
    assert.equal((r.json() as { openapi: string }).openapi, "3.1.0");
  });
});

describe("review server with --public-read", () => {
  let c: Ctx;
  before(async () => {
    c = await setup({ publicRead: true });
  });
  after(async () => c.close());

  test("reads without an account, writes still 401; outside git, an approval is written and not committed", async () => {
    assert.equal((await c.app.inject({ url: "/api/specs" })).statusCode, 200);
    assert.equal((await c.app.inject({ method: "POST", url: "/api/specs/FEAT-0001/comments", payload: { body: "x" } })).statusCode, 401);
    const { cookie, csrf } = await signIn(c.app);
    const r = await c.app.inject({ method: "POST", url: "/api/specs/FEAT-0001/approvals", headers: { cookie, "x-csrf-token": csrf }, payload: { role: "Engineering Lead", decision: "Rejected", reason: "needs   a rollback\nplan" } });
    assert.equal(r.statusCode, 201, r.body);
    assert.match((r.json() as { skipped: string }).skipped, /not a git repository/);
    assert.match(readFileSync(c.file, "utf8"), /Ann Example - Rejected 2026-03-02 \(sha256:[0-9a-f]{64}\): needs a rollback plan/);
  });
});
