// `techspec verify <spec> --database-url URL`: the live schema of a PostgreSQL or SQLite database compared with the
// Data Model, through the same reading `techspec export sql` uses. Each finding sits on the entity's or the field's
// line and ends with the DDL that would bring the database to the spec.
import { InputError } from "../workspace/errors.js";
import picomatch from "picomatch";
import { checkSql, type SqlDialect } from "../export/sql.js";
import { sortDiagnostics, type Diagnostic, type Severity } from "../model/diagnostic.js";
import type { ParseResult } from "../parse/parse-spec.js";
import type { SqlNaming } from "../types/relational-model.js";
import { parseDatabaseUrl } from "./database-url.js";
import { openPostgresSession } from "./db-introspect-postgres.js";
import { openSqliteSession } from "./db-introspect-sqlite.js";
import type { DbColumn, DbForeignKey, DbIndex, DbSession, DbTable } from "./db-schema.js";
import { normalizeDefault } from "./default-expression.js";
import { expectedSchema, quoteIdent as q, type ExpectedColumn, type ExpectedTable } from "./expected-schema.js";
import { DATABASE_CHECKS } from "./checks.js";
import { findingAt } from "./finding.js";


const CHECK_BY_ID = new Map(DATABASE_CHECKS.map((c) => [c.id, c]));

/** What verifying a database found. */
export interface DatabaseVerification {
  readonly diagnostics: Diagnostic[];
  readonly engine: "postgres" | "sqlite";
  /** How many tables the database has (schema `public`, or SQLite's `main`). */
  readonly tables: number;
}

/**
 * Compares the live schema at `url` (tables matching an `ignoreTables` glob left out unless an entity declares them) (postgres://…, postgresql://…, sqlite:path, sqlite://path, file:path; relative
 * paths against the working folder) with the spec's Data Model. Reads only: SQLite is opened read-only, PostgreSQL
 * in read-only transactions. Throws `InputError` for a URL it does not accept or a Data Model that cannot
 * be written as SQL, `UnreachableError` when the database cannot be opened.
 */
export async function verifyDatabase(parsed: ParseResult, url: string, options: { naming: SqlNaming; checks?: ReadonlySet<string>; ignoreTables?: readonly string[] }): Promise<DatabaseVerification> {
  const target = parseDatabaseUrl(url, process.cwd());
  const dialect: SqlDialect = target.engine;
  const problems = checkSql(parsed.spec, { dialect, naming: options.naming });
  if (problems.length > 0) {
    throw new InputError(`The Data Model cannot be written as SQL: ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}; fix the spec first (techspec export sql shows all)`);
  }
  const expected = expectedSchema(parsed.spec, dialect, options.naming);
  const session = target.engine === "postgres" ? await openPostgresSession(target.url, target.location) : await openSqliteSession(target.file);
  try {
    const diagnostics: Diagnostic[] = [];
    const on = (id: string): boolean => options.checks === undefined || options.checks.has(id);
    const ctx: Context = {
      session,
      on,
      report: (path, id, message, severity) => {
        if (on(id)) diagnostics.push(findingAt(parsed, path, CHECK_BY_ID.get(id)!, message, severity));
      },
      same: session.engine === "sqlite" ? (a, b) => a.toLowerCase() === b.toLowerCase() : (a, b) => a === b,
    };
    // Tables the spec does not own (a migration tool's bookkeeping): left out unless an entity declares them.
    const ignored = picomatch([...(options.ignoreTables ?? [])], { nocase: true, dot: true });
    const tables = session.schema.tables.filter((d) => !ignored(d.name) || expected.some((t) => ctx.same(t.name, d.name)));
    await compareSchemas(ctx, expected, tables);
    return { diagnostics: sortDiagnostics(diagnostics), engine: session.engine, tables: session.schema.tables.length };
  } finally {
    await session.close();
  }
}

interface Context {
  readonly session: DbSession;
  on(id: string): boolean;
  report(path: string, id: string, message: string, severity?: Severity): void;
  /** Whether two identifiers name the same thing (SQLite ignores case). */
  same(a: string, b: string): boolean;
}

/** One expected table with the database's table of that name. */
interface Pair {
  readonly t: ExpectedTable;
  readonly d: DbTable;
}

async function compareSchemas(ctx: Context, expected: readonly ExpectedTable[], found: readonly DbTable[]): Promise<void> {
  const missing = expected.filter((t) => !found.some((d) => ctx.same(t.name, d.name)));
  const extra = found.filter((d) => !expected.some((t) => ctx.same(t.name, d.name)));
  for (const t of missing) {
    const ddl = [`CREATE TABLE ${q(t.name)} ${t.body}`, ...t.after].join(" ");
    ctx.report(t.path, "db-table", `Table ${q(t.name)} of entity ${q(t.table.entity.name)} is missing from the database${renamed(extra.map((d) => d.name), [t.name])}; fix: ${ddl}`);
  }
  for (const d of extra) {
    ctx.report("dataModel", "db-table", `Table ${q(d.name)} is in the database but no entity of the Data Model declares it${renamed([d.name], missing.map((t) => t.name))}; fix: DROP TABLE ${q(d.name)};`);
  }
  for (const t of expected) {
    const d = found.find((x) => ctx.same(t.name, x.name));
    if (d) await compareTable(ctx, { t, d });
  }
}

/** `(if "a" was renamed to "b", that shows as a drop plus an add)` when there is a drop and an add, else "". */
function renamed(from: readonly string[], to: readonly string[]): string {
  if (from.length === 0 || to.length === 0) return "";
  return ` (if ${orList(from)} was renamed to ${orList(to)}, that shows as a drop plus an add)`;
}

function orList(names: readonly string[]): string {
  const shown = names.slice(0, 3).map(q);
  if (names.length > 3) shown.push(`${names.length - 3} more`);
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1]}`;
}

async function compareTable(ctx: Context, p: Pair): Promise<void> {
  const columnOf = (name: string): DbColumn | undefined => p.d.columns.find((c) => ctx.same(c.name, name));
  const missing = p.t.columns.filter((c) => !columnOf(c.name));
  const extra = p.d.columns.filter((d) => !p.t.columns.some((c) => ctx.same(c.name, d.name)));
  for (const c of missing) {
    ctx.report(c.path, "db-column", `Column ${label(p, c.name)} is missing from the database${renamed(extra.map((d) => d.name), [c.name])}; fix: ${addColumn(ctx, p, c)}`);
  }
  for (const d of extra) {
    ctx.report(p.t.path, "db-column", `Column ${label(p, d.name)} is in the database but entity ${q(p.t.table.entity.name)} has no such field${renamed([d.name], missing.map((c) => c.name))}; fix: ${dropColumn(ctx, p, d.name)}`);
  }
  for (const c of p.t.columns) {
    const d = columnOf(c.name);
    if (d) await compareColumn(ctx, p, c, d);
  }
  const present = p.t.columns.filter((c) => columnOf(c.name));
  comparePrimaryKey(ctx, p, !missing.some((c) => c.column.primaryKey));
  compareUnique(ctx, p, present);
  compareForeignKeys(ctx, p, present);
  compareIndexes(ctx, p, present);
}

function label(p: Pair, column: string): string {
  return `${q(p.d.name)}.${q(column)}`;
}

// --- Columns ---

async function compareColumn(ctx: Context, p: Pair, c: ExpectedColumn, d: DbColumn): Promise<void> {
  const engine = ctx.session.engine;
  if (!sameType(c.type, d.type, engine)) {
    const fix = engine === "postgres" ? `ALTER TABLE ${q(p.d.name)} ALTER COLUMN ${q(d.name)} TYPE ${c.type} USING ${q(d.name)}::${c.type};` : rebuild(p, "SQLite cannot change a column's type in place");
    ctx.report(c.path, "db-type", `Column ${label(p, d.name)} has type ${d.type || "(none)"}, expected ${c.type}; fix: ${fix}`);
  }
  if (c.notNull !== d.notNull) {
    const fix = engine === "postgres" ? `ALTER TABLE ${q(p.d.name)} ALTER COLUMN ${q(d.name)} ${c.notNull ? "SET" : "DROP"} NOT NULL;` : rebuild(p, `SQLite cannot ${c.notNull ? "add" : "drop"} NOT NULL in place`);
    const what = c.notNull ? "allows NULL, expected NOT NULL (the field is required)" : "is NOT NULL, expected to allow NULL (the field is optional)";
    ctx.report(c.path, "db-nullable", `Column ${label(p, d.name)} ${what}; fix: ${fix}`);
  }
  if (ctx.on("db-default") && !(await sameDefault(ctx, c, d))) {
    const fix = engine === "postgres" ? postgresDefaultFix(p, c, d) : rebuild(p, "SQLite cannot change a default in place");
    const found = d.defaultValue === null ? "no default" : `DEFAULT ${d.defaultValue}`;
    const wanted = c.defaultValue === null ? "none" : `DEFAULT ${c.defaultValue}`;
    ctx.report(c.path, "db-default", `Column ${label(p, d.name)} has ${found}, expected ${wanted}; fix: ${fix}`);
  }
}

/** Type names as PostgreSQL's format_type spells them, for the spellings exportSql writes. */
const POSTGRES_TYPE_NAMES: ReadonlyMap<string, string> = new Map([
  ["varchar", "character varying"], ["char", "character"], ["bpchar", "character"], ["timestamptz", "timestamp with time zone"],
  ["timestamp", "timestamp without time zone"], ["time", "time without time zone"], ["timetz", "time with time zone"],
  ["int", "integer"], ["int4", "integer"], ["int8", "bigint"], ["int2", "smallint"], ["float8", "double precision"],
  ["float4", "real"], ["bool", "boolean"], ["decimal", "numeric"],
]);

/** A PostgreSQL type in format_type's spelling: `NUMERIC(10, 2)` → `numeric(10,2)`, `TIMESTAMPTZ[]` → `timestamp with time zone[]`. */
export function canonicalPostgresType(type: string): string {
  const t = type.trim().toLowerCase().replace(/\s+/g, " ").replace(/\s*([(),])\s*/g, "$1").replace(/\s*\[\s*\]/g, "[]");
  const m = /^([a-z_ ][a-z0-9_ ]*?)(\([0-9,]*\))?((?:\[\])*)$/.exec(t);
  if (!m) return t;
  const base = POSTGRES_TYPE_NAMES.get(m[1]!) ?? m[1]!;
  return `${base}${m[2] ?? ""}${m[3]}`;
}

function sameType(expected: string, found: string, engine: "postgres" | "sqlite"): boolean {
  if (engine === "postgres") return canonicalPostgresType(expected) === canonicalPostgresType(found);
  const norm = (s: string): string => s.trim().replace(/\s+/g, " ").toUpperCase();
  return norm(expected) === norm(found);
}

async function sameDefault(ctx: Context, c: ExpectedColumn, d: DbColumn): Promise<boolean> {
  const engine = ctx.session.engine;
  const a = normalizeDefault(c.defaultValue, engine);
  const b = normalizeDefault(d.defaultValue, engine);
  if (a === b) return true;
  if (a === null || b === null || c.defaultValue === null || d.defaultValue === null) return false;
  return ctx.session.sameDefault(c.defaultValue, d.defaultValue, c.type);
}

function postgresDefaultFix(p: Pair, c: ExpectedColumn, d: DbColumn): string {
  const alter = `ALTER TABLE ${q(p.d.name)} ALTER COLUMN ${q(d.name)}`;
  const found = d.defaultValue ?? "";
  const drop = /^GENERATED .* IDENTITY$/.test(found) ? "DROP IDENTITY" : /^GENERATED ALWAYS AS \(/.test(found) ? "DROP EXPRESSION" : "DROP DEFAULT";
  if (c.defaultValue === null) return `${alter} ${drop};`;
  return drop === "DROP DEFAULT" ? `${alter} SET DEFAULT ${c.defaultValue};` : `${alter} ${drop}; ${alter} SET DEFAULT ${c.defaultValue};`;
}

function addColumn(ctx: Context, p: Pair, c: ExpectedColumn): string {
  const table = q(p.d.name);
  const index = c.index === null ? [] : [c.index];
  if (ctx.session.engine === "postgres") {
    const fks = c.foreignKeys.map((fk) => `ALTER TABLE ${table} ADD FOREIGN KEY (${q(c.name)}) REFERENCES ${q(fk.table)} (${q(fk.column)});`);
    return [`ALTER TABLE ${table} ADD COLUMN ${c.definition};`, ...fks, ...index].join(" ");
  }
  const refused = sqliteRefusesToAdd(c);
  if (refused !== null) return rebuild(p, `SQLite cannot add ${refused} with ALTER TABLE`);
  const fk = c.foreignKeys[0];
  const references = fk ? ` REFERENCES ${q(fk.table)} (${q(fk.column)})` : "";
  return [`ALTER TABLE ${table} ADD COLUMN ${c.definition}${references};`, ...index].join(" ");
}

/** What SQLite's ALTER TABLE ADD COLUMN refuses about a column (keys, UNIQUE, NOT NULL without a default…), or null. */
function sqliteRefusesToAdd(c: ExpectedColumn): string | null {
  const d = c.defaultValue;
  if (c.column.primaryKey) return "a primary key column";
  if (c.unique) return "a UNIQUE column";
  if (c.notNull && d === null) return "a NOT NULL column without a default";
  if (d !== null && (/^\(/.test(d) || /^CURRENT_/i.test(d))) return "a column whose default is not a constant";
  if (c.foreignKeys.length > 1 || (c.foreignKeys.length === 1 && d !== null)) return "a column with a foreign key and a default";
  return null;
}

function dropColumn(ctx: Context, p: Pair, column: string): string {
  const drop = `ALTER TABLE ${q(p.d.name)} DROP COLUMN ${q(column)};`;
  if (ctx.session.engine === "postgres") return drop;
  // SQLite refuses to drop a column that a key, an index or a foreign key uses.
  const used = p.d.primaryKey.some((c) => ctx.same(c, column))
    || p.d.indexes.some((i) => i.columns.some((c) => c !== null && ctx.same(c, column)))
    || p.d.foreignKeys.some((f) => f.columns.some((c) => ctx.same(c, column)));
  return used ? rebuild(p, "SQLite cannot drop a column that a key, an index or a foreign key uses") : drop;
}

/**
 * SQLite's way to change what ALTER TABLE cannot (its documented procedure): foreign keys off, create the table anew
 * as exportSql writes it, copy the rows of the columns both have, drop the old table, rename, create its indexes again,
 * check the foreign keys, commit. `why` is the reason, "SQLite cannot …".
 */
function rebuild(p: Pair, why: string): string {
  const name = q(p.d.name);
  const next = q(`${p.d.name}_new`);
  const shared = p.t.columns.filter((c) => p.d.columns.some((d) => d.name.toLowerCase() === c.name.toLowerCase())).map((c) => q(c.name)).join(", ");
  const copy = shared === "" ? [] : [`INSERT INTO ${next} (${shared}) SELECT ${shared} FROM ${name};`];
  const steps = [
    "PRAGMA foreign_keys = OFF;", "BEGIN;", `CREATE TABLE ${next} ${p.t.body}`, ...copy, `DROP TABLE ${name};`, `ALTER TABLE ${next} RENAME TO ${name};`,
    ...p.t.after, "PRAGMA foreign_key_check;", "COMMIT;", "PRAGMA foreign_keys = ON;",
  ];
  return `rebuild the table, as ${why}: ${steps.join(" ")}`;
}

// --- Keys and indexes ---

function columnList(columns: readonly (string | null)[]): string {
  return `(${columns.map((c) => (c === null ? "<expression>" : q(c))).join(", ")})`;
}

function sameSet(ctx: Context, a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => ctx.same(x, y)));
}

function comparePrimaryKey(ctx: Context, p: Pair, comparable: boolean): void {
  // A missing key column is reported as missing; the key cannot be compared without it.
  if (!comparable || sameSet(ctx, p.t.primaryKey, p.d.primaryKey)) return;
  const want = p.t.primaryKey;
  const have = p.d.primaryKey;
  const single = p.t.columns.find((c) => want.length === 1 && c.name === want[0]);
  const path = single ? single.path : p.t.path;
  const found = have.length === 0 ? "has no primary key" : `has PRIMARY KEY ${columnList(have)}`;
  const wanted = want.length === 0 ? `no primary key (entity ${q(p.t.table.entity.name)} has no Primary key field)` : `PRIMARY KEY ${columnList(want)}`;
  let fix: string;
  if (ctx.session.engine === "sqlite") fix = rebuild(p, "SQLite cannot change a primary key in place");
  else {
    const steps: string[] = [];
    if (have.length > 0) steps.push(`DROP CONSTRAINT ${q(p.d.primaryKeyName ?? `${p.d.name}_pkey`)}`);
    if (want.length > 0) steps.push(`ADD ${p.t.primaryKeyName ? `CONSTRAINT ${q(p.t.primaryKeyName)} ` : ""}PRIMARY KEY ${columnList(want)}`);
    fix = `ALTER TABLE ${q(p.d.name)} ${steps.join(", ")};`;
  }
  ctx.report(path, "db-primary-key", `Table ${q(p.d.name)} ${found}, expected ${wanted}; fix: ${fix}`);
}

/** Indexes that make their columns unique for the whole table: UNIQUE constraints and unique indexes, not the primary key. */
function uniqueIndexes(d: DbTable): DbIndex[] {
  return d.indexes.filter((i) => i.unique && !i.primary && !i.partial && i.columns.every((c) => c !== null));
}

function compareUnique(ctx: Context, p: Pair, present: readonly ExpectedColumn[]): void {
  const uniques = uniqueIndexes(p.d);
  const table = q(p.d.name);
  for (const c of present) {
    if (!c.unique || uniques.some((i) => i.columns.length === 1 && ctx.same(i.columns[0]!, c.name))) continue;
    const fix = ctx.session.engine === "postgres"
      ? `ALTER TABLE ${table} ADD ${c.uniqueName ? `CONSTRAINT ${q(c.uniqueName)} ` : ""}UNIQUE (${q(c.name)});`
      : `CREATE UNIQUE INDEX ${q(c.uniqueName ?? `${p.d.name}_${c.name}_key`)} ON ${table} (${q(c.name)});`;
    ctx.report(c.path, "db-unique", `Column ${label(p, c.name)} is not UNIQUE, expected UNIQUE (the field is Unique); fix: ${fix}`);
  }
  for (const i of uniques) {
    const cols = i.columns as string[];
    const fix = dropIndex(ctx, p, i);
    if (cols.length === 1) {
      const c = present.find((x) => ctx.same(x.name, cols[0]!));
      const isKey = p.t.primaryKey.length === 1 && c !== undefined && c.name === p.t.primaryKey[0];
      if (c && !c.unique && !isKey) ctx.report(c.path, "db-unique", `Column ${label(p, c.name)} is UNIQUE (${kindOf(i)} ${q(i.name)}), expected not unique (the field is not Unique); fix: ${fix}`);
    } else if (!sameSet(ctx, cols, p.t.primaryKey)) {
      ctx.report(p.t.path, "db-unique", `Table ${table} has UNIQUE ${columnList(cols)} (${kindOf(i)} ${q(i.name)}), which the Data Model does not declare (it declares Unique fields one at a time); fix: ${fix}`, "warning");
    }
  }
}

function kindOf(i: DbIndex): string {
  return i.constraint ? "constraint" : "index";
}

function dropIndex(ctx: Context, p: Pair, i: DbIndex): string {
  if (!i.constraint) return `DROP INDEX ${q(i.name)};`;
  return ctx.session.engine === "postgres" ? `ALTER TABLE ${q(p.d.name)} DROP CONSTRAINT ${q(i.name)};` : rebuild(p, "SQLite cannot drop a UNIQUE constraint in place");
}

function compareForeignKeys(ctx: Context, p: Pair, present: readonly ExpectedColumn[]): void {
  const used = new Set<DbForeignKey>();
  const table = q(p.d.name);
  const add = (c: ExpectedColumn, fk: ExpectedColumn["foreignKeys"][number]): string => `ADD FOREIGN KEY (${q(c.name)}) REFERENCES ${q(fk.table)} (${q(fk.column)})`;
  for (const c of present) {
    const candidates = p.d.foreignKeys.filter((f) => f.columns.length === 1 && ctx.same(f.columns[0]!, c.name));
    for (const fk of c.foreignKeys) {
      const match = candidates.find((f) => !used.has(f) && f.schema === null && ctx.same(f.table, fk.table) && (f.refColumns.length === 0 || ctx.same(f.refColumns[0]!, fk.column)));
      if (match) {
        used.add(match);
        continue;
      }
      const other = candidates.find((f) => !used.has(f));
      const wanted = `REFERENCES ${q(fk.table)} (${q(fk.column)})`;
      if (other) {
        used.add(other);
        const fix = ctx.session.engine === "postgres" ? `ALTER TABLE ${table} DROP CONSTRAINT ${q(other.name)}, ${add(c, fk)};` : rebuild(p, "SQLite cannot add, change or drop a foreign key in place");
        ctx.report(c.path, "db-foreign-key", `Column ${label(p, c.name)} references ${references(other)}, expected ${wanted}; fix: ${fix}`);
      } else {
        const fix = ctx.session.engine === "postgres" ? `ALTER TABLE ${table} ${add(c, fk)};` : rebuild(p, "SQLite cannot add, change or drop a foreign key in place");
        ctx.report(c.path, "db-foreign-key", `Column ${label(p, c.name)} has no foreign key, expected ${wanted}; fix: ${fix}`);
      }
    }
  }
  for (const f of p.d.foreignKeys) {
    if (used.has(f)) continue;
    const c = f.columns.length === 1 ? present.find((x) => ctx.same(x.name, f.columns[0]!)) : undefined;
    // A foreign key on a column the entity does not have goes with that column (reported as extra).
    if (f.columns.length === 1 && !c) continue;
    const fix = ctx.session.engine === "postgres" ? `ALTER TABLE ${table} DROP CONSTRAINT ${q(f.name)};` : rebuild(p, "SQLite cannot add, change or drop a foreign key in place");
    const what = `FOREIGN KEY ${columnList(f.columns)} ${references(f)}, which the Data Model does not declare`;
    ctx.report(c ? c.path : p.t.path, "db-foreign-key", `${c ? `Column ${label(p, c.name)}` : `Table ${table}`} has ${what}; fix: ${fix}`);
  }
}

function references(f: DbForeignKey): string {
  return `REFERENCES ${f.schema === null ? "" : `${q(f.schema)}.`}${q(f.table)}${f.refColumns.length ? ` ${columnList(f.refColumns)}` : ""}`;
}

function compareIndexes(ctx: Context, p: Pair, present: readonly ExpectedColumn[]): void {
  const leads = (i: DbIndex, column: string): boolean => i.columns[0] != null && ctx.same(i.columns[0], column);
  for (const c of present) {
    if (c.index === null || p.d.indexes.some((i) => !i.partial && leads(i, c.name))) continue;
    ctx.report(c.path, "db-index", `Column ${label(p, c.name)} has no index, expected one (the field is Indexed); fix: ${c.index}`);
  }
  for (const i of p.d.indexes) {
    if (i.unique || i.constraint || present.some((c) => c.index !== null && leads(i, c.name))) continue;
    const c = i.columns.length === 1 ? present.find((x) => i.columns[0] != null && ctx.same(x.name, i.columns[0])) : undefined;
    // An index on a column the entity does not have goes with that column (reported as extra).
    if (i.columns.length === 1 && i.columns[0] !== null && !c) continue;
    const what = c ? `(field ${q(`${p.t.table.entity.name}.${c.column.info.field.name}`)} is not Indexed)` : "(no Indexed field declares it)";
    ctx.report(c ? c.path : p.t.path, "db-index", `Index ${q(i.name)} on ${q(p.d.name)} ${columnList(i.columns)} is not in the Data Model ${what}; fix: DROP INDEX ${q(i.name)};`, "warning");
  }
}
