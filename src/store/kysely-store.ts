// The Store, implemented once over Kysely for both engines. Every query goes through Kysely's query
// builder; only full-text search, where SQLite (FTS5) and PostgreSQL (tsvector) genuinely differ, is
// written per engine with the `sql` template.

import { sql } from "kysely";
import type { Kysely, Selectable } from "kysely";
import type { Database, Engine, AuditTable, CommentsTable, PendingWritesTable, TokensTable, UsersTable } from "./schema.js";
import { StoreConflict } from "./store.js";
import type { Anchor, AuditEntry, Comment, PendingWrite, SearchDoc, SearchHit, Session, Store, Token, User } from "./store.js";

/** The user's columns, selected beside a token's or a session's. */
const USER_COLUMNS = ["users.id", "users.email", "users.name", "users.password_hash", "users.created_at"] as const;

/** Audit lines returned when the query gives no limit, and the most one query returns. */
export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1000;
/** Search hits returned when the query gives no limit, and the most one query returns. */
export const SEARCH_DEFAULT_LIMIT = 20;
export const SEARCH_MAX_LIMIT = 100;
/** The longest snippet, in UTF-16 code units, ellipses included. */
export const SNIPPET_LENGTH = 200;
/** A search uses at most this many words, each cut to MAX_TERM_LENGTH characters. */
const MAX_TERMS = 16;
const MAX_TERM_LENGTH = 100;
/** Rows per INSERT when filling the search index (well under SQLite's bound-parameter limit). */
const SEARCH_BATCH = 200;

const WORD_EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

export class KyselyStore implements Store {
  readonly #db: Kysely<Database>;
  #closed: Promise<void> | undefined;

  /** Wraps a migrated database; openSqlite and openPostgres are the usual way in. */
  constructor(
    db: Kysely<Database>,
    readonly engine: Engine,
    readonly location: string,
  ) {
    this.#db = db;
  }

  /** The underlying Kysely instance, for tests and maintenance only: the server goes through the methods. */
  get raw(): Kysely<Database> {
    return this.#db;
  }

  /** Closes the connection (pool); calling it again does nothing. */
  close(): Promise<void> {
    this.#closed ??= this.#db.destroy();
    return this.#closed;
  }

  // --- Users ---

  async addUser(user: { email: string; name: string; passwordHash: string | null; now: string }): Promise<User> {
    const email = normalizeEmail(user.email);
    const row = await this.#db
      .insertInto("users")
      .values({ email, name: user.name, password_hash: user.passwordHash, created_at: user.now })
      .onConflict((oc) => oc.column("email").doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) throw new StoreConflict(`The e-mail address ${email} is already in use.`);
    return toUser(row);
  }

  async userByEmail(email: string): Promise<User | null> {
    const row = await this.#db.selectFrom("users").selectAll().where("email", "=", normalizeEmail(email)).executeTakeFirst();
    return row === undefined ? null : toUser(row);
  }

  async userById(id: number): Promise<User | null> {
    const row = await this.#db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : toUser(row);
  }

  async listUsers(): Promise<User[]> {
    const rows = await this.#db.selectFrom("users").selectAll().orderBy("id").execute();
    return rows.map(toUser);
  }

  async setPassword(userId: number, passwordHash: string): Promise<void> {
    await this.#db.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", userId).execute();
  }

  // --- Tokens ---

  async addToken(token: { userId: number; name: string; secretHash: string; now: string }): Promise<Token> {
    const row = await this.#db
      .insertInto("tokens")
      .values({ user_id: token.userId, name: token.name, secret_hash: token.secretHash, created_at: token.now })
      .onConflict((oc) => oc.column("secret_hash").doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) throw new StoreConflict("A token with this secret already exists.");
    return toToken(row);
  }

  async tokenBySecretHash(secretHash: string): Promise<{ token: Token; user: User } | null> {
    const row = await this.#db
      .selectFrom("tokens")
      .innerJoin("users", "users.id", "tokens.user_id")
      .select([
        "tokens.id as token_id",
        "tokens.name as token_name",
        "tokens.created_at as token_created_at",
        "tokens.revoked_at",
        "tokens.last_used_at",
        ...USER_COLUMNS,
      ])
      .where("tokens.secret_hash", "=", secretHash)
      .where("tokens.revoked_at", "is", null)
      .executeTakeFirst();
    if (row === undefined) return null;
    const token: Token = {
      id: row.token_id,
      userId: row.id,
      name: row.token_name,
      createdAt: row.token_created_at,
      revokedAt: row.revoked_at,
      lastUsedAt: row.last_used_at,
    };
    return { token, user: toUser(row) };
  }

  async listTokens(userId?: number): Promise<Token[]> {
    let query = this.#db.selectFrom("tokens").selectAll().orderBy("id");
    if (userId !== undefined) query = query.where("user_id", "=", userId);
    return (await query.execute()).map(toToken);
  }

  async revokeToken(id: number, now: string): Promise<boolean> {
    const result = await this.#db
      .updateTable("tokens")
      .set({ revoked_at: now })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async touchToken(id: number, now: string): Promise<void> {
    await this.#db.updateTable("tokens").set({ last_used_at: now }).where("id", "=", id).execute();
  }

  // --- Sessions ---

  async addSession(session: Session): Promise<void> {
    const row = await this.#db
      .insertInto("sessions")
      .values({
        id_hash: session.idHash,
        user_id: session.userId,
        csrf: session.csrf,
        created_at: session.createdAt,
        expires_at: session.expiresAt,
      })
      .onConflict((oc) => oc.column("id_hash").doNothing())
      .returning("id_hash")
      .executeTakeFirst();
    if (row === undefined) throw new StoreConflict("A session with this id already exists.");
  }

  async sessionByHash(idHash: string, now: string): Promise<{ session: Session; user: User } | null> {
    const row = await this.#db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .select([
        "sessions.id_hash",
        "sessions.csrf",
        "sessions.created_at as session_created_at",
        "sessions.expires_at",
        ...USER_COLUMNS,
      ])
      .where("sessions.id_hash", "=", idHash)
      // Times are ISO-8601 UTC text of one format, so text order is time order.
      .where("sessions.expires_at", ">", now)
      .executeTakeFirst();
    if (row === undefined) return null;
    const session: Session = {
      idHash: row.id_hash,
      userId: row.id,
      csrf: row.csrf,
      createdAt: row.session_created_at,
      expiresAt: row.expires_at,
    };
    return { session, user: toUser(row) };
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
  }

  // --- Sign-in attempts ---

  async recordSignIn(attempt: { key: string; ok: boolean; at: string }): Promise<void> {
    await this.#db.insertInto("sign_in_attempts").values({ key: attempt.key, ok: attempt.ok ? 1 : 0, at: attempt.at }).execute();
  }

  async failuresSince(key: string, since: string): Promise<number> {
    const row = await this.#db
      .selectFrom("sign_in_attempts")
      .select((eb) => eb.fn.countAll<number | string | bigint>().as("failures"))
      .where("key", "=", key)
      .where("ok", "=", 0)
      .where("at", ">=", since)
      .executeTakeFirstOrThrow();
    // PostgreSQL's count() is a bigint, which pg returns as a string.
    return Number(row.failures);
  }

  // --- Comments ---

  async addComment(comment: {
    specId: string;
    parentId: number | null;
    authorId: number;
    body: string;
    anchor: Anchor;
    revision: string;
    now: string;
  }): Promise<Comment> {
    const row = await this.#db
      .insertInto("comments")
      .values({
        spec_id: comment.specId,
        parent_id: comment.parentId,
        author_id: comment.authorId,
        body: comment.body,
        heading: comment.anchor.heading,
        start_line: comment.anchor.startLine,
        end_line: comment.anchor.endLine,
        quote: comment.anchor.quote,
        revision: comment.revision,
        outdated: 0,
        resolved: 0,
        created_at: comment.now,
        updated_at: comment.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toComment(row);
  }

  async comment(id: number): Promise<Comment | null> {
    const row = await this.#db.selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : toComment(row);
  }

  async comments(specId: string): Promise<Comment[]> {
    const rows = await this.#db
      .selectFrom("comments")
      .selectAll()
      .where("spec_id", "=", specId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toComment);
  }

  async setResolved(id: number, resolved: boolean, now: string): Promise<Comment | null> {
    const row = await this.#db
      .updateTable("comments")
      .set({ resolved: resolved ? 1 : 0, updated_at: now })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? null : toComment(row);
  }

  async reanchor(
    updates: readonly { id: number; startLine: number; endLine: number; heading: string; outdated: boolean }[],
    now: string,
  ): Promise<void> {
    if (updates.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (const update of updates) {
        await trx
          .updateTable("comments")
          .set({
            start_line: update.startLine,
            end_line: update.endLine,
            heading: update.heading,
            outdated: update.outdated ? 1 : 0,
            updated_at: now,
          })
          .where("id", "=", update.id)
          .execute();
      }
    });
  }

  // --- Audit ---

  async appendAudit(entry: Omit<AuditEntry, "id">): Promise<AuditEntry> {
    const row = await this.#db
      .insertInto("audit")
      .values({
        at: entry.at,
        actor_id: entry.actorId,
        actor: entry.actor,
        action: entry.action,
        spec_id: entry.specId,
        revision: entry.revision,
        address: entry.address,
        detail: entry.detail,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAuditEntry(row);
  }

  async audit(query: { specId?: string; limit?: number; before?: number } = {}): Promise<AuditEntry[]> {
    let select = this.#db
      .selectFrom("audit")
      .selectAll()
      .orderBy("id", "desc")
      .limit(clamp(query.limit, AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT));
    if (query.specId !== undefined) select = select.where("spec_id", "=", query.specId);
    if (query.before !== undefined) select = select.where("id", "<", query.before);
    return (await select.execute()).map(toAuditEntry);
  }

  // --- Search ---

  // --- Pending writes ---

  async addPending(write: Omit<PendingWrite, "id">): Promise<PendingWrite> {
    const row = await this.#db
      .insertInto("pending_writes")
      .values({
        spec_id: write.specId, path: write.path, action: write.action, actor_id: write.actorId, base: write.base, target: write.target,
        message: write.message, detail: write.detail, address: write.address, at: write.at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPending(row);
  }

  async pendingWrites(): Promise<PendingWrite[]> {
    return (await this.#db.selectFrom("pending_writes").selectAll().orderBy("id").execute()).map(toPending);
  }

  async removePending(id: number): Promise<void> {
    await this.#db.deleteFrom("pending_writes").where("id", "=", id).execute();
  }

  async replaceSearch(docs: readonly SearchDoc[]): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom("search").execute();
      for (let i = 0; i < docs.length; i += SEARCH_BATCH) {
        await trx.insertInto("search").values(docs.slice(i, i + SEARCH_BATCH).map(toSearchRow)).execute();
      }
    });
  }

  async upsertSearch(doc: SearchDoc): Promise<void> {
    // An FTS5 table has no unique key to conflict on, so both engines delete and insert.
    await this.#db.transaction().execute(async (trx) => {
      await this.#deleteSearch(trx, doc.specId);
      await trx.insertInto("search").values(toSearchRow(doc)).execute();
    });
  }

  async removeSearch(specId: string): Promise<void> {
    await this.#deleteSearch(this.#db, specId);
  }

  /** Deletes a spec's row: on SQLite found through the FTS index of its Feature ID, not by reading every row. */
  async #deleteSearch(db: Kysely<Database>, specId: string): Promise<void> {
    if (this.engine === "postgres") {
      await db.deleteFrom("search").where("spec_id", "=", specId).execute();
      return;
    }
    await sql`delete from search where rowid in (select rowid from search where search match ${`spec_id : ${ftsPhrase(specId)}`}) and spec_id = ${specId}`.execute(db);
  }

  /**
   * The query is plain words: each is matched as a quoted phrase, never as query syntax. A spec
   * matches when every word is in its title or body, or when a word is its Feature ID. Specs with a
   * word in the title or the Feature ID come first; within each group, by bm25 (SQLite, title
   * weighted 10 to the body's 1) or ts_rank (PostgreSQL, Feature ID and title 'A', body 'D').
   */
  async search(query: string, limit?: number): Promise<SearchHit[]> {
    const terms = searchTerms(query);
    if (terms.length === 0) return [];
    const max = clamp(limit, SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT);
    // Words that may be a Feature ID (they hold a digit) are looked up as one; the rest only as words.
    const idTerms = terms.filter((t) => /\p{N}/u.test(t)).map((t) => t.toLowerCase());
    // Ranking happens on row ids and scores; only the hits shown are read whole (their body gives the snippet).
    const found =
      this.engine === "sqlite"
        ? await sql<SearchRow>`
            with hits as (
              select rowid as rid, -bm25(search, 0, 0, 10, 0, 1) as score
              from search where search match ${`{title body} : (${terms.map(ftsPhrase).join(" ")})`}
            ), title_hits as (
              select rowid as rid from search where search match ${`title : (${terms.map(ftsPhrase).join(" OR ")})`}
            ), id_hits as (
              select rowid as rid from search
              where ${idTerms.length ? sql`search match ${`spec_id : (${idTerms.map(ftsPhrase).join(" OR ")})`} and lower(spec_id) in (${sql.join(idTerms)})` : sql`0`}
            ), ranked as (
              select rid, max(score) as score, max(tier) as tier from (
                select rid, score, case when rid in (select rid from title_hits) or rid in (select rid from id_hits) then 1 else 0 end as tier from hits
                union all
                select rid, 0 as score, 1 as tier from id_hits
              ) group by rid
              order by tier desc, score desc
              limit ${max}
            )
            select s.spec_id, s.path, s.title, s.status, s.body, r.score, r.tier
            from ranked r join search s on s.rowid = r.rid
            order by r.tier desc, r.score desc, s.spec_id`.execute(this.#db)
        : await sql<SearchRow>`
            with q as (
              select ${sql.join(terms.map(tsPhrase), sql` && `)} as all_words,
                ${sql.join(terms.map(tsPhrase), sql` || `)} as any_word
            ), candidates as (
              select s.spec_id from search s cross join q where s.document @@ q.all_words
              ${idTerms.length ? sql`union select s.spec_id from search s where lower(s.spec_id) in (${sql.join(idTerms)})` : sql``}
            ), ranked as (
              select s.spec_id,
                case when s.document @@ q.all_words then ts_rank(s.document, q.all_words) else 0 end as score,
                case when lower(s.spec_id) in (${idTerms.length ? sql.join(idTerms) : sql`''`}) or ts_filter(s.document, '{a}') @@ q.any_word then 1 else 0 end as tier
              from candidates c join search s on s.spec_id = c.spec_id cross join q
              order by tier desc, score desc, s.spec_id
              limit ${max}
            )
            select s.spec_id, s.path, s.title, s.status, s.body, r.score, r.tier
            from ranked r join search s on s.spec_id = r.spec_id
            order by r.tier desc, r.score desc, s.spec_id`.execute(this.#db);
    return found.rows.map((row) => {
      const score = Math.max(0, Number(row.score));
      return {
        specId: row.spec_id,
        path: row.path,
        title: row.title,
        status: row.status,
        // The tier dominates; the engine's score, squeezed into [0, 1), orders within it.
        rank: Number(row.tier) + score / (1 + score),
        snippet: snippet(row.body, terms),
      };
    });
  }
}

interface SearchRow {
  spec_id: string;
  path: string;
  title: string;
  status: string | null;
  body: string;
  score: number | string;
  tier: number | string;
}

/** E-mail addresses are compared and stored lower-cased. */
function normalizeEmail(email: string): string {
  return email.toLowerCase();
}

function clamp(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(1, Math.floor(value)));
}

/**
 * The words of a search query: split on white space, control characters and punctuation at either
 * end stripped, words without a letter or digit dropped, duplicates (ignoring case) dropped.
 */
export function searchTerms(query: string): string[] {
  const terms: string[] = [];
  for (const word of query.replace(/\p{Cc}/gu, " ").split(/\s+/u)) {
    const term = Array.from(word.replace(WORD_EDGES, "")).slice(0, MAX_TERM_LENGTH).join("");
    if (term === "" || terms.some((t) => t.toLowerCase() === term.toLowerCase())) continue;
    terms.push(term);
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

/** One word as an FTS5 string (a phrase): inside double quotes nothing is syntax; `"` is doubled. */
function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** One word as a PostgreSQL tsquery, built by the server from a bound parameter, so never parsed as syntax. */
function tsPhrase(term: string) {
  return sql`phraseto_tsquery('simple', ${term})`;
}

/**
 * A plain-text excerpt of `body` (white space collapsed, at most SNIPPET_LENGTH code units) around
 * the first place a term starts a word, or the start of the body when none does.
 */
export function snippet(body: string, terms: readonly string[], max: number = SNIPPET_LENGTH): string {
  const text = body.replace(/\s+/gu, " ").trim();
  if (text.length <= max) return text;
  let at = -1;
  for (const term of terms) {
    const match = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(term)}`, "iu").exec(text);
    if (match !== null && (at < 0 || match.index < at)) at = match.index;
  }
  // Up to 60 units of context before the match, more when the match is near the end.
  let start = Math.min(Math.max(0, at - 60), text.length - (max - 1));
  if (start > 0) {
    const space = text.indexOf(" ", start - 1);
    if (space >= 0 && space < at) start = space + 1; // start on a word
    if (isLowSurrogate(text, start)) start += 1;
  }
  const prefix = start > 0 ? "…" : "";
  if (text.length - start <= max - prefix.length) return prefix + text.slice(start);
  let end = start + max - prefix.length - 1; // leave room for the closing "…"
  const space = text.lastIndexOf(" ", end);
  if (space > Math.max(start, at)) end = space; // end on a word
  if (isLowSurrogate(text, end)) end -= 1;
  return `${prefix}${text.slice(start, end).trimEnd()}…`;
}

/** True when a cut at `index` would fall between the two halves of a surrogate pair. */
function isLowSurrogate(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function toSearchRow(doc: SearchDoc) {
  return { spec_id: doc.specId, path: doc.path, title: doc.title, status: doc.status, body: doc.body };
}

function toUser(row: Selectable<UsersTable>): User {
  return { id: row.id, email: row.email, name: row.name, passwordHash: row.password_hash, createdAt: row.created_at };
}

function toToken(row: Selectable<TokensTable>): Token {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

function toComment(row: Selectable<CommentsTable>): Comment {
  return {
    id: row.id,
    specId: row.spec_id,
    parentId: row.parent_id,
    authorId: row.author_id,
    body: row.body,
    anchor: { heading: row.heading, startLine: row.start_line, endLine: row.end_line, quote: row.quote },
    revision: row.revision,
    outdated: Boolean(row.outdated),
    resolved: Boolean(row.resolved),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toAuditEntry(row: Selectable<AuditTable>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actor: row.actor,
    action: row.action,
    specId: row.spec_id,
    revision: row.revision,
    address: row.address,
    detail: row.detail,
  };
}

/** The first line of an error's message, for one-line messages; an AggregateError (a refused connection to every address of a host) gives its first inner error. */
export function errorReason(error: unknown): string {
  if (error instanceof AggregateError && error.message === "" && error.errors.length > 0) return errorReason(error.errors[0]);
  const message = error instanceof Error ? error.message || String((error as { code?: unknown }).code ?? error.name) : String(error);
  return message.split("\n")[0] ?? "";
}

function toPending(row: Selectable<PendingWritesTable>): PendingWrite {
  return {
    id: Number(row.id), specId: row.spec_id, path: row.path, action: row.action, actorId: Number(row.actor_id), base: row.base, target: row.target,
    message: row.message, detail: row.detail, address: row.address, at: row.at,
  };
}
