// The Store contract, defined once (storeContract) and run on both engines: SQLite in a temporary
// file and PostgreSQL (a real server from test-support/postgres.ts, or PGlite when there is none).
// One store per engine serves the whole contract, so each test uses its own e-mail addresses, spec ids
// and keys, and asserts only about what it wrote.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { KyselyStore, searchTerms, snippet } from "../src/store/kysely-store.js";
import { migrations } from "../src/store/migrations.js";
import { openStore, parseDatabase } from "../src/store/open-store.js";
import { migratePostgres, redactUrl } from "../src/store/postgres.js";
import { openSqlite } from "../src/store/sqlite.js";
import { StoreConflict } from "../src/store/store.js";
import type { Anchor, SearchDoc, Store } from "../src/store/store.js";
import { startPostgres } from "../test-support/postgres.js";
import type { TestPostgres } from "../test-support/postgres.js";


/** An ISO time `minutes` after a fixed start. */
function at(minutes: number): string {
  return new Date(Date.UTC(2025, 0, 1, 9, 0, 0) + minutes * 60_000).toISOString();
}

/** The Kysely instance behind a store, for the tests that go around the interface. */
function rawOf(store: Store) {
  assert.ok(store instanceof KyselyStore, "the store is a KyselyStore");
  return store.raw;
}

let unique = 0;
/** A name no other test uses. */
function fresh(prefix: string): string {
  unique += 1;
  return `${prefix}${unique}`;
}

const anchor: Anchor = { heading: "Overview", startLine: 3, endLine: 5, quote: "the quoted text" };

const HOSTILE_QUERIES = [
  '"', "*", "NEAR(", "NEAR(a b", "a OR", "OR", "AND NOT", "-x", ":", "title:", "'", "\\", "(", ")", "^a", "{title}: a",
  "a AND (b", "\u0000", "%_", "a & b | !c", "<->", "x:*", "'a':A", "😀", "a".repeat(10_000), "a* ".repeat(3_000),
  '"'.repeat(10_000), "", "   ", "-", "--", "!!!",
];

/** Registers the contract's tests for one engine; `open` gives a fresh, migrated, empty store. */
function storeContract(engine: "sqlite" | "postgres", open: () => Promise<Store>): void {
  let store: Store;
  before(async () => {
    store = await open();
  });
  after(async () => {
    await store.close();
  });

  test("reports its engine and location", () => {
    assert.equal(store.engine, engine);
    assert.ok(store.location.length > 0);
  });

  describe("users", () => {
    test("addUser stores the e-mail lower-cased and returns the user", async () => {
      const email = `${fresh("Ada")}@Example.COM`;
      const user = await store.addUser({ email, name: "Ada Lovelace", passwordHash: "$argon2id$x", now: at(0) });
      assert.equal(user.email, email.toLowerCase());
      assert.equal(user.name, "Ada Lovelace");
      assert.equal(user.passwordHash, "$argon2id$x");
      assert.equal(user.createdAt, at(0));
      assert.equal(typeof user.id, "number");
      assert.deepEqual(await store.userById(user.id), user);
      assert.deepEqual(await store.userByEmail(email.toUpperCase()), user);
      assert.deepEqual(await store.userByEmail(email.toLowerCase()), user);
    });

    test("a taken e-mail address, in any case, is a StoreConflict", async () => {
      const email = `${fresh("grace")}@example.com`;
      const first = await store.addUser({ email, name: "Grace", passwordHash: null, now: at(0) });
      for (const again of [email, email.toUpperCase(), `${email[0]!.toUpperCase()}${email.slice(1)}`]) {
        await assert.rejects(store.addUser({ email: again, name: "Other", passwordHash: null, now: at(1) }), (error: unknown) => {
          assert.ok(error instanceof StoreConflict, `StoreConflict for ${again}`);
          assert.match(error.message, /already in use/);
          return true;
        });
      }
      assert.deepEqual(await store.userByEmail(email), first, "the first account is unchanged");
    });

    test("unknown users are null", async () => {
      assert.equal(await store.userById(987_654), null);
      assert.equal(await store.userByEmail("nobody@example.com"), null);
    });

    test("listUsers lists every account in creation order", async () => {
      const a = await store.addUser({ email: `${fresh("list")}@example.com`, name: "A", passwordHash: null, now: at(0) });
      const b = await store.addUser({ email: `${fresh("list")}@example.com`, name: "B", passwordHash: null, now: at(1) });
      const users = await store.listUsers();
      const ids = users.map((u) => u.id);
      assert.ok(ids.indexOf(a.id) >= 0 && ids.indexOf(a.id) < ids.indexOf(b.id));
      assert.deepEqual(users.find((u) => u.id === b.id), b);
    });

    test("setPassword replaces the hash", async () => {
      const user = await store.addUser({ email: `${fresh("pw")}@example.com`, name: "P", passwordHash: null, now: at(0) });
      assert.equal(user.passwordHash, null);
      await store.setPassword(user.id, "$argon2id$new");
      assert.equal((await store.userById(user.id))?.passwordHash, "$argon2id$new");
    });
  });

  describe("tokens", () => {
    test("a token is found by its secret hash, with its user", async () => {
      const user = await store.addUser({ email: `${fresh("tok")}@example.com`, name: "T", passwordHash: null, now: at(0) });
      const secretHash = fresh("hash-");
      const token = await store.addToken({ userId: user.id, name: "ci", secretHash, now: at(1) });
      assert.deepEqual(token, { id: token.id, userId: user.id, name: "ci", createdAt: at(1), revokedAt: null, lastUsedAt: null });
      assert.deepEqual(await store.tokenBySecretHash(secretHash), { token, user });
      assert.equal(await store.tokenBySecretHash(fresh("no-such-hash-")), null);
      await assert.rejects(store.addToken({ userId: user.id, name: "again", secretHash, now: at(2) }), StoreConflict);
    });

    test("listTokens lists all tokens or one user's", async () => {
      const alice = await store.addUser({ email: `${fresh("alice")}@example.com`, name: "A", passwordHash: null, now: at(0) });
      const bob = await store.addUser({ email: `${fresh("bob")}@example.com`, name: "B", passwordHash: null, now: at(0) });
      const a1 = await store.addToken({ userId: alice.id, name: "a1", secretHash: fresh("h"), now: at(1) });
      const a2 = await store.addToken({ userId: alice.id, name: "a2", secretHash: fresh("h"), now: at(2) });
      const b1 = await store.addToken({ userId: bob.id, name: "b1", secretHash: fresh("h"), now: at(3) });
      assert.deepEqual(await store.listTokens(alice.id), [a1, a2]);
      assert.deepEqual(await store.listTokens(bob.id), [b1]);
      const all = (await store.listTokens()).map((t) => t.id);
      for (const t of [a1, a2, b1]) assert.ok(all.includes(t.id));
    });

    test("touchToken records the last use", async () => {
      const user = await store.addUser({ email: `${fresh("touch")}@example.com`, name: "T", passwordHash: null, now: at(0) });
      const secretHash = fresh("h");
      const token = await store.addToken({ userId: user.id, name: "t", secretHash, now: at(1) });
      await store.touchToken(token.id, at(5));
      assert.equal((await store.tokenBySecretHash(secretHash))?.token.lastUsedAt, at(5));
    });

    test("a revoked token is not found; revoking twice is false", async () => {
      const user = await store.addUser({ email: `${fresh("rev")}@example.com`, name: "R", passwordHash: null, now: at(0) });
      const secretHash = fresh("h");
      const token = await store.addToken({ userId: user.id, name: "r", secretHash, now: at(1) });
      assert.equal(await store.revokeToken(token.id, at(2)), true);
      assert.equal(await store.tokenBySecretHash(secretHash), null);
      assert.equal(await store.revokeToken(token.id, at(3)), false);
      assert.equal(await store.revokeToken(987_654, at(3)), false);
      const [listed] = await store.listTokens(user.id);
      assert.equal(listed?.revokedAt, at(2), "the first revocation time is kept");
    });
  });

  describe("sessions", () => {
    test("a session is found until it expires, and not after it is deleted", async () => {
      const user = await store.addUser({ email: `${fresh("sess")}@example.com`, name: "S", passwordHash: null, now: at(0) });
      const session = { idHash: fresh("sid-"), userId: user.id, csrf: "csrf-token", createdAt: at(0), expiresAt: at(60) };
      await store.addSession(session);
      assert.deepEqual(await store.sessionByHash(session.idHash, at(1)), { session, user });
      assert.deepEqual(await store.sessionByHash(session.idHash, at(59)), { session, user });
      assert.equal(await store.sessionByHash(session.idHash, at(60)), null, "expired at expiresAt");
      assert.equal(await store.sessionByHash(session.idHash, at(61)), null, "expired after expiresAt");
      assert.equal(await store.sessionByHash(fresh("no-such-"), at(1)), null);
      await assert.rejects(store.addSession(session), StoreConflict);
      await store.deleteSession(session.idHash);
      assert.equal(await store.sessionByHash(session.idHash, at(1)), null);
      await store.deleteSession(session.idHash); // deleting a missing session is fine
    });
  });

  describe("sign-in attempts", () => {
    test("failuresSince counts only failures at or after `since`, for that key", async () => {
      const key = `email:${fresh("rate")}@example.com`;
      const other = `ip:${fresh("10.0.0.")}`;
      await store.recordSignIn({ key, ok: false, at: at(1) });
      await store.recordSignIn({ key, ok: false, at: at(2) });
      await store.recordSignIn({ key, ok: true, at: at(2) });
      await store.recordSignIn({ key, ok: false, at: at(3) });
      await store.recordSignIn({ key: other, ok: false, at: at(3) });
      assert.equal(await store.failuresSince(key, at(0)), 3);
      assert.equal(await store.failuresSince(key, at(2)), 2, "at `since` counts");
      assert.equal(await store.failuresSince(key, at(3)), 1);
      assert.equal(await store.failuresSince(key, at(4)), 0);
      assert.equal(await store.failuresSince(other, at(0)), 1);
      assert.equal(await store.failuresSince(`email:${fresh("none")}`, at(0)), 0);
    });
  });

  describe("comments", () => {
    test("add, reply, read back oldest first, per spec", async () => {
      const author = await store.addUser({ email: `${fresh("c")}@example.com`, name: "C", passwordHash: null, now: at(0) });
      const specId = fresh("FEAT-C");
      // Written out of time order: the later one first.
      const later = await store.addComment({ specId, parentId: null, authorId: author.id, body: "later", anchor, revision: "r2", now: at(10) });
      const first = await store.addComment({ specId, parentId: null, authorId: author.id, body: "first", anchor, revision: "r1", now: at(5) });
      const reply = await store.addComment({ specId, parentId: first.id, authorId: author.id, body: "a reply", anchor, revision: "r1", now: at(11) });
      await store.addComment({ specId: fresh("FEAT-OTHER"), parentId: null, authorId: author.id, body: "elsewhere", anchor, revision: "r1", now: at(1) });

      assert.deepEqual(first, {
        id: first.id, specId, parentId: null, authorId: author.id, body: "first", anchor, revision: "r1",
        outdated: false, resolved: false, createdAt: at(5), updatedAt: at(5),
      });
      assert.equal(reply.parentId, first.id);
      assert.deepEqual(await store.comment(reply.id), reply);
      assert.equal(await store.comment(987_654), null);
      assert.deepEqual(await store.comments(specId), [first, later, reply]);
      assert.deepEqual(await store.comments(fresh("FEAT-EMPTY")), []);
    });

    test("resolve and reopen", async () => {
      const author = await store.addUser({ email: `${fresh("c")}@example.com`, name: "C", passwordHash: null, now: at(0) });
      const c = await store.addComment({ specId: fresh("FEAT-R"), parentId: null, authorId: author.id, body: "b", anchor, revision: "r", now: at(0) });
      const resolved = await store.setResolved(c.id, true, at(3));
      assert.deepEqual(resolved, { ...c, resolved: true, updatedAt: at(3) });
      assert.deepEqual(await store.comment(c.id), resolved);
      const reopened = await store.setResolved(c.id, false, at(4));
      assert.deepEqual(reopened, { ...c, resolved: false, updatedAt: at(4) });
      assert.equal(await store.setResolved(987_654, true, at(5)), null);
    });

    test("reanchor moves comments and marks them outdated", async () => {
      const author = await store.addUser({ email: `${fresh("c")}@example.com`, name: "C", passwordHash: null, now: at(0) });
      const specId = fresh("FEAT-A");
      const moved = await store.addComment({ specId, parentId: null, authorId: author.id, body: "moves", anchor, revision: "r", now: at(0) });
      const lost = await store.addComment({ specId, parentId: null, authorId: author.id, body: "loses its text", anchor, revision: "r", now: at(1) });
      const kept = await store.addComment({ specId, parentId: null, authorId: author.id, body: "untouched", anchor, revision: "r", now: at(2) });
      await store.reanchor(
        [
          { id: moved.id, startLine: 13, endLine: 15, heading: "Overview (renamed)", outdated: false },
          { id: lost.id, startLine: 3, endLine: 5, heading: "Overview", outdated: true },
        ],
        at(9),
      );
      await store.reanchor([], at(10));
      assert.deepEqual(await store.comment(moved.id), {
        ...moved,
        anchor: { heading: "Overview (renamed)", startLine: 13, endLine: 15, quote: anchor.quote },
        updatedAt: at(9),
      });
      assert.deepEqual(await store.comment(lost.id), { ...lost, outdated: true, updatedAt: at(9) });
      assert.deepEqual(await store.comment(kept.id), kept);
      // And back: the quote found again.
      await store.reanchor([{ id: lost.id, startLine: 30, endLine: 31, heading: "Later", outdated: false }], at(11));
      assert.equal((await store.comment(lost.id))?.outdated, false);
      assert.equal((await store.comment(lost.id))?.anchor.startLine, 30);
    });
  });

  describe("audit", () => {
    test("append, newest first, filter by spec, page with `before`", async () => {
      const specId = fresh("FEAT-AUD");
      const entries = [];
      for (let i = 0; i < 5; i++) {
        entries.push(
          await store.appendAudit({
            at: at(i), actorId: null, actor: "ops@example.com", action: i % 2 === 0 ? "comment" : "approve",
            specId, revision: `r${i}`, address: "127.0.0.1", detail: JSON.stringify({ i }),
          }),
        );
      }
      const other = await store.appendAudit({ at: at(9), actorId: null, actor: "x@example.com", action: "sign-in-failed", specId: null, revision: null, address: null, detail: null });
      assert.deepEqual(other, { id: other.id, at: at(9), actorId: null, actor: "x@example.com", action: "sign-in-failed", specId: null, revision: null, address: null, detail: null });
      assert.deepEqual(entries[0], {
        id: entries[0]!.id, at: at(0), actorId: null, actor: "ops@example.com", action: "comment", specId, revision: "r0", address: "127.0.0.1", detail: '{"i":0}',
      });
      const newestFirst = [...entries].reverse();
      assert.deepEqual(await store.audit({ specId }), newestFirst);
      const page1 = await store.audit({ specId, limit: 2 });
      assert.deepEqual(page1, newestFirst.slice(0, 2));
      const page2 = await store.audit({ specId, limit: 2, before: page1[1]!.id });
      assert.deepEqual(page2, newestFirst.slice(2, 4));
      const page3 = await store.audit({ specId, limit: 2, before: page2[1]!.id });
      assert.deepEqual(page3, newestFirst.slice(4));
      assert.deepEqual(await store.audit({ specId, before: entries[0]!.id }), []);
      const latest = await store.audit({ limit: 2 });
      assert.deepEqual(latest, [other, entries[4]], "unfiltered: the newest lines of all");
    });

    test("the engine refuses UPDATE and DELETE on the audit log", async () => {
      const entry = await store.appendAudit({ at: at(0), actorId: null, actor: "a@example.com", action: "edit", specId: fresh("FEAT-RO"), revision: null, address: null, detail: null });
      const db = rawOf(store);
      await assert.rejects(sql`update audit set actor = 'mallory' where id = ${entry.id}`.execute(db), /append-only/);
      await assert.rejects(sql`delete from audit where id = ${entry.id}`.execute(db), /append-only/);
      await assert.rejects(sql`delete from audit`.execute(db), /append-only/);
      await assert.rejects(db.updateTable("audit").set({ detail: "x" }).execute(), /append-only/);
      assert.deepEqual(await store.audit({ specId: entry.specId! }), [entry]);
    });
  });

  describe("search", () => {
    const doc = (specId: string, title: string, body: string, status: string | null = "Draft"): SearchDoc => ({
      specId, path: `specs/${specId.toLowerCase()}/technical-specification.md`, title, status, body,
    });
    const docs = [
      doc("FEAT-0001", "Session timeout", "How long a browser session lasts before the user signs in again."),
      doc("FEAT-0002", "Audit log", "Every sign-in and every approval is written to the log. The timeout of a session is written too. Timeout timeout timeout."),
      doc("FEAT-0003", "Comment threads", `${"Filler words about review. ".repeat(30)}The anchor follows the quoted text when lines move. ${"More filler text here. ".repeat(30)}`, null),
      doc("FEAT-0004", "Exports", "Nothing to see: this spec mentions FEAT-0001 in its body."),
    ];

    test("title matches rank above body-only matches", async () => {
      await store.replaceSearch(docs);
      const hits = await store.search("timeout");
      assert.deepEqual(hits.map((h) => h.specId), ["FEAT-0001", "FEAT-0002"]);
      assert.ok(hits[0]!.rank > hits[1]!.rank, "ranks descend");
      assert.deepEqual(
        { ...hits[0]!, rank: 0 },
        { specId: "FEAT-0001", path: "specs/feat-0001/technical-specification.md", title: "Session timeout", status: "Draft", rank: 0, snippet: docs[0]!.body },
      );
      assert.deepEqual((await store.search("TIMEOUT")).map((h) => h.specId), ["FEAT-0001", "FEAT-0002"], "case does not matter");
    });

    test("every word must match; words are not prefixes", async () => {
      await store.replaceSearch(docs);
      assert.deepEqual((await store.search("session timeout")).map((h) => h.specId), ["FEAT-0001", "FEAT-0002"]);
      assert.deepEqual((await store.search("approval session")).map((h) => h.specId), ["FEAT-0002"]);
      assert.deepEqual(await store.search("timeo"), []);
      assert.deepEqual(await store.search("zebra"), []);
    });

    test("the Feature ID finds its spec, first", async () => {
      await store.replaceSearch(docs);
      assert.deepEqual((await store.search("FEAT-0003")).map((h) => h.specId), ["FEAT-0003"]);
      assert.deepEqual((await store.search("feat-0003")).map((h) => h.specId), ["FEAT-0003"]);
      // FEAT-0004's body mentions FEAT-0001: the spec itself comes first.
      assert.deepEqual((await store.search("FEAT-0001")).map((h) => h.specId), ["FEAT-0001", "FEAT-0004"]);
      assert.deepEqual((await store.search("(FEAT-0002),")).map((h) => h.specId), ["FEAT-0002"], "punctuation around the id");
    });

    test("the snippet is plain text of at most 200 characters around the match", async () => {
      await store.replaceSearch(docs);
      const [hit] = await store.search("anchor");
      assert.equal(hit?.specId, "FEAT-0003");
      assert.equal(hit.status, null);
      assert.ok(hit.snippet.length <= 200, `snippet length ${hit.snippet.length}`);
      assert.match(hit.snippet, /The anchor follows the quoted text/);
      assert.ok(hit.snippet.startsWith("…") && hit.snippet.endsWith("…"), hit.snippet);
      assert.doesNotMatch(hit.snippet, /<|>/);
    });

    test("replaceSearch replaces the whole index", async () => {
      await store.replaceSearch(docs);
      await store.replaceSearch([doc("FEAT-0100", "Fresh start", "Only this one now.")]);
      assert.deepEqual(await store.search("timeout"), []);
      assert.deepEqual((await store.search("fresh")).map((h) => h.specId), ["FEAT-0100"]);
      await store.replaceSearch([]);
      assert.deepEqual(await store.search("fresh"), []);
    });

    test("upsertSearch adds or replaces one spec; removeSearch removes it", async () => {
      await store.replaceSearch(docs);
      await store.upsertSearch(doc("FEAT-0002", "Audit trail", "Renamed; no longer about that."));
      assert.deepEqual((await store.search("timeout")).map((h) => h.specId), ["FEAT-0001"]);
      assert.deepEqual((await store.search("trail")).map((h) => h.title), ["Audit trail"], "one row per spec");
      await store.upsertSearch(doc("FEAT-0200", "Timeout budget", "New.", "Approved"));
      const hits = await store.search("timeout");
      assert.deepEqual(hits.map((h) => h.specId).sort(), ["FEAT-0001", "FEAT-0200"]);
      assert.equal(hits.find((h) => h.specId === "FEAT-0200")?.status, "Approved");
      await store.removeSearch("FEAT-0001");
      assert.deepEqual((await store.search("timeout")).map((h) => h.specId), ["FEAT-0200"]);
      await store.removeSearch("FEAT-9999"); // removing a missing spec is fine
      assert.deepEqual((await store.search("FEAT-0001")).map((h) => h.specId), ["FEAT-0004"], "only the spec that mentions it is left");
    });

    test("limit caps the hits", async () => {
      await store.replaceSearch(Array.from({ length: 30 }, (_, i) => doc(`FEAT-1${String(i).padStart(3, "0")}`, `Widget ${i}`, "A widget.")));
      assert.equal((await store.search("widget", 5)).length, 5);
      assert.equal((await store.search("widget")).length, 20, "the default limit");
      assert.equal((await store.search("widget", 1000)).length, 30);
    });

    test("hostile queries never throw; empty or punctuation-only queries find nothing", async () => {
      await store.replaceSearch([...docs, doc("FEAT-0300", 'Quotes "and" stars*', "Text with NEAR(a b) and a OR b, -x, title: 'quoted' \\ back.")]);
      for (const query of HOSTILE_QUERIES) {
        const hits = await store.search(query);
        assert.ok(Array.isArray(hits), `search(${JSON.stringify(query.slice(0, 20))})`);
      }
      for (const query of ["", "   ", '"', "*", ":", "'", "\\", "-", "(", "!!!", "\u0000", '"'.repeat(10_000)]) {
        assert.deepEqual(await store.search(query), [], `search(${JSON.stringify(query.slice(0, 20))})`);
      }
      // The words inside the syntax still count as words.
      assert.deepEqual((await store.search("NEAR(")).map((h) => h.specId), ["FEAT-0300"]);
      assert.deepEqual((await store.search('"stars*"')).map((h) => h.specId), ["FEAT-0300"]);
      assert.deepEqual((await store.search("-x")).map((h) => h.specId), ["FEAT-0300"]);
      assert.deepEqual((await store.search("a OR")).map((h) => h.specId), ["FEAT-0300"], "OR is a word, and it must match");
    });
  });
}

describe("SQLite store", () => {
  const dir = mkdtempSync(join(tmpdir(), "techspec-store-"));
  const file = join(dir, "nested", "folder", "techspec.db");
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("contract", () => storeContract("sqlite", () => openSqlite(file)));

  test("creates the parent folder; WAL, foreign keys and the busy timeout are on", async () => {
    const store = await openSqlite(file);
    try {
      assert.ok(existsSync(file));
      assert.equal(store.location, file);
      const db = rawOf(store);
      const { rows: [mode] } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
      assert.equal(mode?.journal_mode, "wal");
      const { rows: [fk] } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
      assert.equal(fk?.foreign_keys, 1);
      const { rows: [busy] } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(db);
      assert.ok((busy?.timeout ?? 0) > 0);
      await assert.rejects(store.addToken({ userId: 987_654, name: "orphan", secretHash: fresh("h"), now: at(0) }), /FOREIGN KEY/i);
    } finally {
      await store.close();
    }
  });

  test("migrations are idempotent: the same file opens again with its data", async () => {
    const again = join(dir, "again.db");
    const first = await openSqlite(again);
    const user = await first.addUser({ email: "keep@example.com", name: "K", passwordHash: null, now: at(0) });
    await first.close();
    await first.close(); // closing twice is fine
    const second = await openSqlite(again);
    try {
      assert.deepEqual(await second.userByEmail("keep@example.com"), user);
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(rawOf(second));
      assert.deepEqual(rows.map((r) => r.name), Object.keys(migrations("sqlite")));
    } finally {
      await second.close();
    }
  });

  test(":memory: is a private database", async () => {
    const store = await openSqlite(":memory:");
    try {
      assert.equal(store.location, ":memory:");
      await store.addUser({ email: "m@example.com", name: "M", passwordHash: null, now: at(0) });
      assert.equal((await store.listUsers()).length, 1);
    } finally {
      await store.close();
    }
  });
});

describe("PostgreSQL store", () => {
  let server: TestPostgres;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server.stop();
    await server.stop(); // stopping twice is fine
  });

  test("runs on a PostgreSQL", (t) => {
    t.diagnostic(`PostgreSQL for these tests: ${server.kind}: ${server.description}`);
    assert.ok(server.kind === "server" || server.kind === "pglite");
  });

  describe("contract", () => storeContract("postgres", () => server.open()));

  test("migrations are idempotent and serialised: migrate again, and open twice at once", async () => {
    const store = await server.open();
    try {
      await migratePostgres(rawOf(store));
      await migratePostgres(rawOf(store));
      const [a, b] = await Promise.all([server.open(), server.open()]);
      await a.close();
      await b.close();
      const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(rawOf(store));
      assert.deepEqual(rows.map((r) => r.name), Object.keys(migrations("postgres")));
      const { rows: tables } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = 'search'`.execute(rawOf(store));
      assert.equal(tables[0]?.n, 1);
    } finally {
      await store.close();
    }
  });

  test("openStore opens the server's URL, and its location hides the password", async () => {
    if (server.kind === "server") {
      const withPassword = server.url.replace("postgres://postgres@", "postgres://postgres:s3cret-pw@");
      const store = await openStore({ db: withPassword.replace(/^postgres:/, "postgresql:"), workspace: tmpdir() });
      try {
        assert.equal(store.engine, "postgres");
        assert.doesNotMatch(store.location, /s3cret-pw/);
        assert.match(store.location, /^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/techspec_test$/);
        assert.equal(await store.userByEmail("nobody@example.com"), null);
      } finally {
        await store.close();
      }
    } else {
      // PGlite has no URL; openStore refuses its pseudo-URL with the one-line error.
      await assert.rejects(openStore({ db: server.url, workspace: tmpdir() }), /^Error: Unsupported database "pglite:memory"/);
    }
  });
});

describe("openStore", () => {
  const workspace = mkdtempSync(join(tmpdir(), "techspec-ws-"));
  after(() => rmSync(workspace, { recursive: true, force: true }));

  test("parses the accepted forms", () => {
    const sqlite = (file: string) => ({ engine: "sqlite", file });
    assert.deepEqual(parseDatabase(undefined, workspace), sqlite(join(workspace, ".techspec", "techspec.db")));
    assert.deepEqual(parseDatabase("sqlite:data/x.db", workspace), sqlite(join(workspace, "data", "x.db")));
    assert.deepEqual(parseDatabase("sqlite:/abs/x.db", workspace), sqlite("/abs/x.db"));
    assert.deepEqual(parseDatabase("file:y.db", workspace), sqlite(join(workspace, "y.db")));
    assert.deepEqual(parseDatabase("file:///abs/y.db", workspace), sqlite("/abs/y.db"));
    assert.deepEqual(parseDatabase("z.db", workspace), sqlite(join(workspace, "z.db")));
    assert.deepEqual(parseDatabase("./sub/z.db", workspace), sqlite(join(workspace, "sub", "z.db")));
    assert.deepEqual(parseDatabase("/var/lib/techspec.db", workspace), sqlite("/var/lib/techspec.db"));
    assert.deepEqual(parseDatabase(":memory:", workspace), sqlite(":memory:"));
    assert.deepEqual(parseDatabase("sqlite::memory:", workspace), sqlite(":memory:"));
    assert.deepEqual(parseDatabase("postgres://u:p@h/db", workspace), { engine: "postgres", url: "postgres://u:p@h/db" });
    assert.deepEqual(parseDatabase("postgresql://h/db", workspace), { engine: "postgres", url: "postgresql://h/db" });
  });

  test("without db, opens <workspace>/.techspec/techspec.db", async () => {
    const store = await openStore({ db: undefined, workspace });
    try {
      assert.equal(store.engine, "sqlite");
      assert.equal(store.location, join(workspace, ".techspec", "techspec.db"));
      assert.ok(existsSync(store.location));
    } finally {
      await store.close();
    }
  });

  test("a sqlite: path is relative to the workspace", async () => {
    const store = await openStore({ db: "sqlite:db/review.db", workspace });
    try {
      assert.equal(store.location, join(workspace, "db", "review.db"));
      assert.ok(existsSync(store.location));
    } finally {
      await store.close();
    }
  });

  test("an unsupported scheme is one line saying what was given and what is accepted", async () => {
    for (const db of ["mysql://root:hunter2@db/techspec", "http://example.com/db", "redis:x", ""]) {
      await assert.rejects(openStore({ db, workspace }), (error: Error) => {
        assert.doesNotMatch(error.message, /\n/);
        assert.doesNotMatch(error.message, /hunter2/);
        assert.match(error.message, /^Unsupported database "/);
        assert.ok(error.message.includes(`"${db.replace(":hunter2", "")}"`), error.message);
        assert.match(error.message, /postgres:\/\/.*sqlite:<path>.*file:<path>.*file path/);
        return true;
      });
    }
  });

  test("an unreachable PostgreSQL is one line naming it, without the password", async () => {
    const port = await closedPort();
    const url = `postgres://techspec:hunter2@127.0.0.1:${port}/techspec`;
    await assert.rejects(openStore({ db: url, workspace }), (error: Error) => {
      assert.doesNotMatch(error.message, /\n/);
      assert.doesNotMatch(error.message, /hunter2/);
      assert.equal(error.message, `Cannot connect to PostgreSQL at postgres://techspec@127.0.0.1:${port}/techspec: connect ECONNREFUSED 127.0.0.1:${port}`);
      return true;
    });
  });

  test("a SQLite file that cannot be opened is one line naming it", async () => {
    // The path is a folder.
    await assert.rejects(openStore({ db: workspace, workspace }), (error: Error) => {
      assert.doesNotMatch(error.message, /\n/);
      assert.ok(error.message.startsWith(`Cannot open the SQLite database ${workspace}: `), error.message);
      return true;
    });
  });

  test("redactUrl removes the password wherever it is", () => {
    assert.equal(redactUrl("postgres://u:pw@h:5432/db"), "postgres://u@h:5432/db");
    assert.equal(redactUrl("postgres://u@h/db?password=pw&sslmode=require"), "postgres://u@h/db?sslmode=require");
    assert.equal(redactUrl("postgres://h/db"), "postgres://h/db");
  });
});

describe("search helpers", () => {
  test("searchTerms keeps words, drops syntax", () => {
    assert.deepEqual(searchTerms('  "Login"  timeout* NEAR( -x : \' \\ (FEAT-0001), login '), ["Login", "timeout", "NEAR", "x", "FEAT-0001"]);
    assert.deepEqual(searchTerms(""), []);
    assert.deepEqual(searchTerms("!!! ... --"), []);
    assert.equal(searchTerms("w ".repeat(100) + "a b c d e f g h i j k l m n o p q r s t").length, 16);
    assert.equal(searchTerms("a".repeat(10_000))[0]?.length, 100);
  });

  test("snippet is the whole short body, or ≤ 200 characters around the first match", () => {
    assert.equal(snippet("  short \n body  ", ["body"]), "short body");
    const body = `${"lorem ipsum ".repeat(40)}needle in the haystack ${"dolor sit ".repeat(40)}`;
    const s = snippet(body, ["needle"]);
    assert.ok(s.length <= 200 && s.includes("needle in the haystack") && s.startsWith("…") && s.endsWith("…"), s);
    const start = snippet(body, ["absent"]);
    assert.ok(start.startsWith("lorem ipsum") && start.length <= 200 && start.endsWith("…"), start);
    const end = snippet(`${"lorem ipsum ".repeat(40)}needle.`, ["needle"]);
    assert.ok(end.endsWith("needle.") && end.length <= 200 && end.startsWith("…"), end);
    const emoji = snippet("😀".repeat(300), ["x"]);
    assert.ok(emoji.length <= 200 && !/[\ud800-\udbff]…$/.test(emoji), "no half surrogate pair");
  });
});

/** A port on 127.0.0.1 that nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 1));
    });
  });
}
