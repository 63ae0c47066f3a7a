// Opens (creating if needed) a SQLite database file through libsql, a better-sqlite3-compatible driver
// whose statements have the `reader` flag Kysely's SqliteDialect needs, so no adapter is required.

import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Kysely, SqliteDialect } from "kysely";
import Sqlite from "libsql";
import { errorReason as reason, KyselyStore } from "./kysely-store.js";
import { migrate } from "./migrations.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";

/** How long a writer waits for another process's lock before giving up, in milliseconds. */
export const SQLITE_BUSY_TIMEOUT = 5000;

/**
 * Opens the SQLite database at `file` (":memory:" for a private in-memory one): creates the parent
 * folder, turns on WAL, a busy timeout and foreign keys, and runs the migrations. Throws one line
 * naming the file and the reason when it cannot.
 */
export async function openSqlite(file: string): Promise<Store> {
  const memory = file === ":memory:";
  const location = memory ? file : resolve(file);
  let database: Sqlite.Database;
  try {
    if (!memory) mkdirSync(dirname(location), { recursive: true });
    database = new Sqlite(location);
  } catch (error) {
    throw new Error(`Cannot open the SQLite database ${location}: ${reason(error)}`, { cause: error });
  }
  try {
    database.exec(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT}`);
    database.exec("PRAGMA journal_mode = WAL");
    database.exec("PRAGMA foreign_keys = ON");
  } catch (error) {
    database.close();
    throw new Error(`Cannot open the SQLite database ${location}: ${reason(error)}`, { cause: error });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  try {
    await migrate(db, "sqlite");
  } catch (error) {
    await db.destroy();
    throw new Error(`Cannot prepare the SQLite database ${location}: ${reason(error)}`, { cause: error });
  }
  return new KyselyStore(db, "sqlite", location);
}
