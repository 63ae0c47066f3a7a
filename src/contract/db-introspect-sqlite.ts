// Reads the schema `main` of a SQLite file through the pragmas, opened read-only (a URI with mode=ro, and
// query_only on top), so that verifying never creates, changes or journals the file.
import { existsSync, statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import Sqlite from "libsql";
import type { DbColumn, DbForeignKey, DbIndex, DbSession, DbTable } from "./db-schema.js";
import { UnreachableError } from "./errors.js";

interface XInfoRow { cid: number; name: string; type: string; notnull: number; dflt_value: string | null; pk: number; hidden: number }
interface IndexListRow { name: string; unique: number; origin: string; partial: number }
interface IndexInfoRow { seqno: number; name: string | null }
interface ForeignKeyRow { id: number; seq: number; table: string; from: string; to: string | null }

/** Opens the SQLite file read-only and reads its schema; throws `UnreachableError` when it is missing or not a database. */
export async function openSqliteSession(file: string): Promise<DbSession> {
  if (!existsSync(file)) throw new UnreachableError(`The SQLite database ${file} does not exist (check the path; verify never creates it)`);
  if (!statSync(file).isFile()) throw new UnreachableError(`The SQLite database ${file} is not a file (give the path of the database file)`);
  let db: Sqlite.Database;
  try {
    db = new Sqlite(`${pathToFileURL(file).href}?mode=ro`);
  } catch (error) {
    throw new UnreachableError(`Cannot open the SQLite database ${file}: ${reason(error)} (check that it is readable)`, { cause: error });
  }
  try {
    db.exec("PRAGMA query_only = ON");
    const tables = readTables(db);
    return { engine: "sqlite", schema: { tables }, sameDefault: async () => false, close: async () => { db.close(); } };
  } catch (error) {
    db.close();
    throw new UnreachableError(`Cannot read the SQLite database ${file}: ${reason(error)} (is it a SQLite database?)`, { cause: error });
  }
}

function readTables(db: Sqlite.Database): DbTable[] {
  // table_list tells ordinary tables from views, virtual tables and their shadow tables.
  const names = (db.prepare("select name from pragma_table_list where schema = 'main' and type = 'table' order by name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !/^sqlite_/i.test(n));
  return names.map((name) => readTable(db, name));
}

function readTable(db: Sqlite.Database, name: string): DbTable {
  const info = (db.prepare("select * from pragma_table_xinfo(?) order by cid").all(name) as XInfoRow[]).filter((c) => c.hidden !== 1);
  const columns: DbColumn[] = info.map((c) => ({ name: c.name, type: c.type, notNull: c.notnull !== 0, defaultValue: c.dflt_value }));
  const primaryKey = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  const indexes = (db.prepare("select * from pragma_index_list(?)").all(name) as IndexListRow[]).map((i): DbIndex => ({
    name: i.name,
    columns: (db.prepare("select * from pragma_index_info(?) order by seqno").all(i.name) as IndexInfoRow[]).map((c) => c.name),
    unique: i.unique !== 0,
    primary: i.origin === "pk",
    constraint: i.origin === "pk" || i.origin === "u",
    partial: i.partial !== 0,
  }));
  return { name, columns, primaryKey, primaryKeyName: null, indexes, foreignKeys: foreignKeys(db, name) };
}

function foreignKeys(db: Sqlite.Database, table: string): DbForeignKey[] {
  const rows = db.prepare("select * from pragma_foreign_key_list(?) order by id, seq").all(table) as ForeignKeyRow[];
  const byId = new Map<number, ForeignKeyRow[]>();
  for (const r of rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  return [...byId.values()].map((parts) => ({
    name: "",
    schema: null,
    columns: parts.map((p) => p.from),
    table: parts[0]!.table,
    // REFERENCES parent without columns means the parent's primary key.
    refColumns: parts.every((p) => p.to !== null) ? parts.map((p) => p.to!) : [],
  }));
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split(/\r?\n/)[0] ?? "").trim() || "unknown error";
}
