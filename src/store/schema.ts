// The tables as Kysely sees them: one shape for both engines. Times are ISO-8601 text; flags are
// integers 0/1 (SQLite has no boolean type, so PostgreSQL uses the same); ids are 32-bit integers.

import type { Generated } from "kysely";

/** Which engine a store or a migration runs on. */
export type Engine = "sqlite" | "postgres";

export interface UsersTable {
  id: Generated<number>;
  /** Lower-cased; unique. */
  email: string;
  name: string;
  password_hash: string | null;
  created_at: string;
}

export interface TokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** SHA-256 of the secret; unique. */
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf: string;
  created_at: string;
  expires_at: string;
}

export interface SignInAttemptsTable {
  id: Generated<number>;
  key: string;
  /** 1 for a successful sign-in, 0 for a failure. */
  ok: number;
  at: string;
}

export interface CommentsTable {
  id: Generated<number>;
  spec_id: string;
  parent_id: number | null;
  author_id: number;
  body: string;
  heading: string;
  start_line: number;
  end_line: number;
  quote: string;
  revision: string;
  /** 0 or 1. */
  outdated: number;
  /** 0 or 1. */
  resolved: number;
  created_at: string;
  updated_at: string;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  actor: string;
  action: string;
  spec_id: string | null;
  revision: string | null;
  address: string | null;
  detail: string | null;
}

/**
 * The search index: an FTS5 virtual table on SQLite; a plain table with a generated, weighted
 * `document` tsvector (not listed here, never written) on PostgreSQL.
 */
export interface SearchTable {
  spec_id: string;
  path: string;
  title: string;
  status: string | null;
  body: string;
}

export interface PendingWritesTable {
  id: Generated<number>;
  spec_id: string;
  path: string;
  action: string;
  actor_id: number;
  base: string;
  target: string;
  message: string;
  detail: string | null;
  address: string | null;
  at: string;
}

export interface Database {
  users: UsersTable;
  tokens: TokensTable;
  sessions: SessionsTable;
  sign_in_attempts: SignInAttemptsTable;
  comments: CommentsTable;
  audit: AuditTable;
  search: SearchTable;
  pending_writes: PendingWritesTable;
}
