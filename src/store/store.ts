// The review server's storage: one interface, implemented once over Kysely for SQLite and PostgreSQL
// (kysely-store.ts). Times are ISO-8601 UTC strings given by the caller (the injected clock), never read here.

/** An account. E-mail addresses are stored lower-cased and are unique. */
export interface User {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  /** argon2id PHC string, or null for an account that signs in only with OIDC or tokens. */
  readonly passwordHash: string | null;
  readonly createdAt: string;
}

/** An API token; only the SHA-256 of its secret is stored. */
export interface Token {
  readonly id: number;
  readonly userId: number;
  readonly name: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** A signed-in browser session; the cookie holds a secret whose SHA-256 is `idHash`. */
export interface Session {
  readonly idHash: string;
  readonly userId: number;
  /** The CSRF token every cookie-authenticated write must echo. */
  readonly csrf: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** Where a review comment points: a heading and a line range of the spec, with the text it quoted. */
export interface Anchor {
  readonly heading: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly quote: string;
}

export interface Comment {
  readonly id: number;
  /** The spec's Feature ID. */
  readonly specId: string;
  /** The comment it answers, or null for a thread's first comment. */
  readonly parentId: number | null;
  readonly authorId: number;
  readonly body: string;
  readonly anchor: Anchor;
  /** The revision of the spec the comment was written on. */
  readonly revision: string;
  /** True when the quoted text is no longer in the spec (the comment is kept and shown as outdated). */
  readonly outdated: boolean;
  readonly resolved: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One line of the audit log. There is no way to change or remove one. */
export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  /** The account that acted, or null (a failed sign-in for an unknown address). */
  readonly actorId: number | null;
  /** The e-mail address the actor used, as given. */
  readonly actor: string;
  /** "sign-in", "sign-in-failed", "sign-out", "token-create", "token-revoke", "user-add", "comment", "comment-resolve", "comment-reopen", "approve", "reject", "edit". */
  readonly action: string;
  readonly specId: string | null;
  readonly revision: string | null;
  readonly address: string | null;
  /** Free-form facts about the action (a role, a comment id), as JSON text. */
  readonly detail: string | null;
}

/** A spec as the search index holds it. */
export interface SearchDoc {
  readonly specId: string;
  readonly path: string;
  readonly title: string;
  readonly status: string | null;
  readonly body: string;
}

export interface SearchHit {
  readonly specId: string;
  readonly path: string;
  readonly title: string;
  readonly status: string | null;
  /** Higher is better; comparable only within one result list. */
  readonly rank: number;
  /** A short excerpt of the body around the match, plain text. */
  readonly snippet: string;
}

/**
 * A write of a spec file the server is about to make, recorded before the file is touched and removed once the
 * file is written, committed and audited: after a crash (kill -9) the next start finishes or forgets each one.
 */
export interface PendingWrite {
  readonly id: number;
  readonly specId: string;
  /** The file, absolute. */
  readonly path: string;
  /** "edit", "approve" or "reject": the audit action it becomes. */
  readonly action: string;
  readonly actorId: number;
  /** SHA-256 of the file's bytes before the write, and after it. */
  readonly base: string;
  readonly target: string;
  /** The commit message (without trailers). */
  readonly message: string;
  /** The audit entry's detail, as JSON text. */
  readonly detail: string | null;
  readonly address: string | null;
  readonly at: string;
}

/** A write the store refuses because it would break a uniqueness rule (an e-mail address already in use). */
export class StoreConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StoreConflict";
  }
}

export interface Store {
  readonly engine: "sqlite" | "postgres";
  /** Where the data is, for messages: a file path, or the PostgreSQL URL without its password. */
  readonly location: string;
  close(): Promise<void>;

  /** Throws StoreConflict when the e-mail address (compared lower-cased) is taken. */
  addUser(user: { email: string; name: string; passwordHash: string | null; now: string }): Promise<User>;
  userByEmail(email: string): Promise<User | null>;
  userById(id: number): Promise<User | null>;
  listUsers(): Promise<User[]>;
  setPassword(userId: number, passwordHash: string): Promise<void>;

  addToken(token: { userId: number; name: string; secretHash: string; now: string }): Promise<Token>;
  /** The live (not revoked) token with this secret hash and its user, or null. */
  tokenBySecretHash(secretHash: string): Promise<{ token: Token; user: User } | null>;
  listTokens(userId?: number): Promise<Token[]>;
  /** False when there is no such live token. */
  revokeToken(id: number, now: string): Promise<boolean>;
  touchToken(id: number, now: string): Promise<void>;

  addSession(session: Session): Promise<void>;
  /** The session and its user when it exists and has not expired at `now`. */
  sessionByHash(idHash: string, now: string): Promise<{ session: Session; user: User } | null>;
  deleteSession(idHash: string): Promise<void>;

  /** Sign-in attempts, for rate limiting: `key` is "email:<address>" or "ip:<address>". */
  recordSignIn(attempt: { key: string; ok: boolean; at: string }): Promise<void>;
  /** Failed attempts for `key` at or after `since`. */
  failuresSince(key: string, since: string): Promise<number>;

  addComment(comment: { specId: string; parentId: number | null; authorId: number; body: string; anchor: Anchor; revision: string; now: string }): Promise<Comment>;
  comment(id: number): Promise<Comment | null>;
  /** A spec's comments, oldest first. */
  comments(specId: string): Promise<Comment[]>;
  setResolved(id: number, resolved: boolean, now: string): Promise<Comment | null>;
  /** Moves comments to where their quoted text is now, or marks them outdated. */
  reanchor(updates: readonly { id: number; startLine: number; endLine: number; heading: string; outdated: boolean }[], now: string): Promise<void>;

  appendAudit(entry: Omit<AuditEntry, "id">): Promise<AuditEntry>;
  /** Newest first; `before` is an id to page from. */
  audit(query?: { specId?: string; limit?: number; before?: number }): Promise<AuditEntry[]>;

  addPending(write: Omit<PendingWrite, "id">): Promise<PendingWrite>;
  /** Every pending write, oldest first. */
  pendingWrites(): Promise<PendingWrite[]>;
  removePending(id: number): Promise<void>;

  /** Replaces the whole search index with these documents. */
  replaceSearch(docs: readonly SearchDoc[]): Promise<void>;
  upsertSearch(doc: SearchDoc): Promise<void>;
  removeSearch(specId: string): Promise<void>;
  /** Full-text search; a match in the title or the Feature ID ranks above one in the body only. */
  search(query: string, limit?: number): Promise<SearchHit[]>;
}
