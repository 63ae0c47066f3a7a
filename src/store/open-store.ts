// Chooses the engine from the --db value: a PostgreSQL URL, or a SQLite file (the default).

import { existsSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { openPostgres, redactUrl } from "./postgres.js";
import { openSqlite } from "./sqlite.js";
import type { Store } from "./store.js";

/** The SQLite file used when no database is given, relative to the workspace. */
export const DEFAULT_SQLITE_FILE = join(".techspec", "techspec.db");

/** What `db` may be, for messages. */
export const ACCEPTED_DATABASES =
  "a PostgreSQL URL (postgres://… or postgresql://…), sqlite:<path>, file:<path>, or a file path";

/** Where a `db` value points; throws one line when it is none of the accepted forms. */
export function parseDatabase(
  db: string | undefined,
  workspace: string,
): { engine: "postgres"; url: string } | { engine: "sqlite"; file: string } {
  if (db === undefined) return { engine: "sqlite", file: resolve(workspace, DEFAULT_SQLITE_FILE) };
  const value = db.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) return { engine: "postgres", url: value };
  let file: string;
  if (/^file:\/\//i.test(value)) {
    try {
      file = fileURLToPath(value);
    } catch (error) {
      throw new Error(`Unsupported database "${value}": ${(error as Error).message}; use ${ACCEPTED_DATABASES}.`, { cause: error });
    }
  } else if (/^(sqlite|file):/i.test(value)) {
    file = value.replace(/^(sqlite|file):/i, "");
  } else if (/^[a-z][a-z0-9+.-]+:/i.test(value) || value === "") {
    // Some other scheme (mysql://, http:…); a one-letter "scheme" is a Windows drive, a path.
    throw new Error(`Unsupported database "${redactUrl(value)}": use ${ACCEPTED_DATABASES}.`);
  } else {
    file = value;
  }
  if (file === "") throw new Error(`Unsupported database "${value}": the path is empty; use ${ACCEPTED_DATABASES}.`);
  if (file === ":memory:") return { engine: "sqlite", file };
  return { engine: "sqlite", file: resolve(workspace, file) };
}

/**
 * Opens the database `db` names (see parseDatabase) and migrates it: undefined is the workspace's
 * SQLite file. Throws one line, without any password, when `db` is not understood or cannot be opened.
 */
export async function openStore(options: { db?: string | undefined; workspace: string }): Promise<Store> {
  const target = parseDatabase(options.db, options.workspace);
  if (target.engine === "postgres") return openPostgres(target.url);
  const store = await openSqlite(target.file);
  // The default database lives in the workspace, beside files that are committed (an allowed signers file, say):
  // keep it, its WAL and its shared-memory file out of git.
  if (options.db === undefined) {
    const ignore = join(dirname(target.file), ".gitignore");
    if (!existsSync(ignore)) {
      try {
        writeFileSync(ignore, "# the review server's database (techspec serve), never committed; this file ignores itself\ntechspec.db\ntechspec.db-*\n.gitignore\n", { flag: "wx" });
      } catch {
        // written by another process at the same moment, or a read-only folder: nothing to add
      }
    }
  }
  return store;
}
