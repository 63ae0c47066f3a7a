// Opens a PostgreSQL database through a pg Pool and Kysely's PostgresDialect, and migrates it under
// an advisory lock so that two servers starting together do not race.

import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { errorReason, KyselyStore } from "./kysely-store.js";
import { migrate } from "./migrations.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";

/** The advisory-lock key held while migrating ("tech" in ASCII); Kysely's Migrator takes its own lock inside. */
export const MIGRATION_LOCK_KEY = 0x74656368;
/** How long to wait for a connection from the server, in milliseconds. */
export const CONNECT_TIMEOUT = 10_000;

/**
 * Connects to the PostgreSQL database at `url` (postgres:// or postgresql://) and runs the migrations.
 * Throws one line naming the database (without its password) and the driver's reason when it cannot.
 */
export async function openPostgres(url: string): Promise<Store> {
  const location = redactUrl(url);
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT });
  } catch (error) {
    throw new Error(`Cannot connect to PostgreSQL at ${location}: ${errorReason(error)}`, { cause: error });
  }
  // An idle connection the server drops (a restart) must not crash the process; the next query
  // takes a new connection and reports any failure itself.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw new Error(`Cannot connect to PostgreSQL at ${location}: ${errorReason(error)}`, { cause: error });
  }
  return preparePostgres(db, location);
}

/**
 * Migrates a PostgreSQL database reached through any Kysely dialect (a pg Pool, or PGlite in tests)
 * while holding a session advisory lock, and returns the store over it. Closes `db` on failure.
 */
export async function preparePostgres(db: Kysely<Database>, location: string): Promise<KyselyStore> {
  try {
    await migratePostgres(db);
  } catch (error) {
    await db.destroy();
    throw new Error(`Cannot prepare the PostgreSQL database at ${location}: ${errorReason(error)}`, { cause: error });
  }
  return new KyselyStore(db, "postgres", location);
}

/** Runs the migrations on one connection that holds the advisory lock for the whole run. */
export async function migratePostgres(db: Kysely<Database>): Promise<void> {
  await db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(connection);
    try {
      await migrate(connection, "postgres");
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK_KEY)})`.execute(connection);
    }
  });
}

/** The URL without its password (in the authority or as a `password` parameter), for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "";
    if (parsed.searchParams.has("password")) parsed.searchParams.delete("password");
    return parsed.toString();
  } catch {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1@").replace(/([?&]password=)[^&]*/gi, "$1");
  }
}
