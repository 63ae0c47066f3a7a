// The schema of a live database as `verify --database-url` reads it: the same shape for both engines, so the
// comparison with the Data Model is written once.

/** A column as the database declares it. */
export interface DbColumn {
  readonly name: string;
  /** The type as the database spells it (`character varying(255)`, `INTEGER`). */
  readonly type: string;
  readonly notNull: boolean;
  /** The default expression as the database shows it, or null. */
  readonly defaultValue: string | null;
}

/** An index, including those behind PRIMARY KEY and UNIQUE constraints. */
export interface DbIndex {
  readonly name: string;
  /** Key columns in order; null for an expression. */
  readonly columns: readonly (string | null)[];
  readonly unique: boolean;
  readonly primary: boolean;
  /** Whether a PRIMARY KEY or UNIQUE constraint owns it (dropped with the constraint, not with DROP INDEX). */
  readonly constraint: boolean;
  /** Whether it has a WHERE clause (a partial index makes nothing unique for the whole table). */
  readonly partial: boolean;
}

/** A foreign key. */
export interface DbForeignKey {
  /** The constraint's name (SQLite's are unnamed: ""). */
  readonly name: string;
  readonly columns: readonly string[];
  /** The referenced table's schema when it is not the one read (PostgreSQL), else null. */
  readonly schema: string | null;
  /** The referenced table. */
  readonly table: string;
  /** The referenced columns; empty when SQLite's REFERENCES names none (the parent's primary key). */
  readonly refColumns: readonly string[];
}

/** A table. */
export interface DbTable {
  readonly name: string;
  readonly columns: readonly DbColumn[];
  /** The primary key's columns in key order; empty when there is none. */
  readonly primaryKey: readonly string[];
  /** The primary key constraint's name, when the database names it. */
  readonly primaryKeyName: string | null;
  readonly indexes: readonly DbIndex[];
  readonly foreignKeys: readonly DbForeignKey[];
}

/** The tables of one schema (`public`, or SQLite's `main`), internal ones left out. */
export interface DbSchema {
  readonly tables: readonly DbTable[];
}

/** An open, read-only look at a database. */
export interface DbSession {
  readonly engine: "postgres" | "sqlite";
  readonly schema: DbSchema;
  /**
   * Whether two default expressions that differ as text give the same value of a column type (PostgreSQL shows
   * `'2026-01-31 10:00:00'::timestamp without time zone` for `'2026-01-31T10:00:00Z'`). Only constant expressions are
   * evaluated, so nothing runs that could change the database.
   */
  sameDefault(expected: string, found: string, type: string): Promise<boolean>;
  close(): Promise<void>;
}
