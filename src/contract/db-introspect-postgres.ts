// Reads the schema `public` of a PostgreSQL database from the catalogs, on a connection set to read-only.
import pg from "pg";
import { passwordOf } from "./database-url.js";
import type { DbColumn, DbForeignKey, DbIndex, DbSession, DbTable } from "./db-schema.js";
import { isConstantExpression } from "./default-expression.js";
import { UnreachableError } from "./errors.js";

/** How long connecting may take before the database counts as unreachable, in milliseconds. */
export const POSTGRES_CONNECT_TIMEOUT = 10_000;
const QUERY_TIMEOUT = 60_000;
const SCHEMA = "public";

// Ordinary and partitioned tables; partitions are read through their parent.
const TABLE_FILTER = "n.nspname = $1 and t.relkind in ('r', 'p') and not t.relispartition";

const TABLES_SQL = `select t.relname as name from pg_class t join pg_namespace n on n.oid = t.relnamespace
where ${TABLE_FILTER} order by t.relname`;

const COLUMNS_SQL = `select t.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
  a.attnotnull as not_null, pg_get_expr(d.adbin, d.adrelid) as default, a.attidentity as identity, a.attgenerated as generated
from pg_class t join pg_namespace n on n.oid = t.relnamespace
join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
left join pg_attrdef d on d.adrelid = t.oid and d.adnum = a.attnum
where ${TABLE_FILTER} order by t.relname, a.attnum`;

const INDEXES_SQL = `select t.relname as table, i.relname as name, x.indisunique as unique, x.indisprimary as primary,
  x.indpred is not null as partial,
  exists (select 1 from pg_constraint k where k.conindid = x.indexrelid and k.conrelid = t.oid and k.contype in ('p', 'u', 'x')) as constraint,
  array(select a.attname::text from generate_subscripts(x.indkey, 1) s(k)
    left join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[s.k] where s.k < x.indnkeyatts order by s.k) as columns
from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
join pg_namespace n on n.oid = t.relnamespace
where ${TABLE_FILTER} order by t.relname, i.relname`;

const FOREIGN_KEYS_SQL = `select t.relname as table, k.conname as name,
  array(select a.attname::text from unnest(k.conkey) with ordinality u(n, o)
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.o) as columns,
  rn.nspname as ref_schema, r.relname as ref_table,
  array(select a.attname::text from unnest(k.confkey) with ordinality u(n, o)
    join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.o) as ref_columns
from pg_constraint k join pg_class t on t.oid = k.conrelid join pg_namespace n on n.oid = t.relnamespace
join pg_class r on r.oid = k.confrelid join pg_namespace rn on rn.oid = r.relnamespace
where ${TABLE_FILTER} and k.contype = 'f' order by t.relname, k.conname`;

interface ColumnRow { table: string; name: string; type: string; not_null: boolean; default: string | null; identity: string; generated: string }
interface IndexRow { table: string; name: string; unique: boolean; primary: boolean; partial: boolean; constraint: boolean; columns: (string | null)[] }
interface ForeignKeyRow { table: string; name: string; columns: string[]; ref_schema: string; ref_table: string; ref_columns: string[] }

/** Connects to the PostgreSQL database at `url` read-only and reads its schema; throws `UnreachableError` when it cannot. */
export async function openPostgresSession(url: string, location: string): Promise<DbSession> {
  const client = new pg.Client({
    connectionString: url, connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT, query_timeout: QUERY_TIMEOUT, application_name: "techspec verify",
  });
  // A connection the server drops later must not crash the process; the next query reports it.
  client.on("error", () => {});
  const secret = passwordOf(url);
  try {
    await client.connect();
    // Every statement of this session runs in a read-only transaction: verifying never writes.
    await client.query("set session characteristics as transaction read only");
  } catch (error) {
    await client.end().catch(() => {});
    throw new UnreachableError(`Cannot connect to PostgreSQL at ${location}: ${reason(error, secret)} (check that the server is running and that the URL's host, port, database, user and password are right)`, { cause: error });
  }
  try {
    const tables = await readTables(client);
    return {
      engine: "postgres",
      schema: { tables },
      sameDefault: (expected, found, type) => sameValue(client, expected, found, type),
      close: () => client.end().catch(() => {}),
    };
  } catch (error) {
    await client.end().catch(() => {});
    throw new UnreachableError(`Cannot read the schema "${SCHEMA}" of PostgreSQL at ${location}: ${reason(error, secret)} (the user needs to read the system catalogs)`, { cause: error });
  }
}

async function readTables(client: pg.Client): Promise<DbTable[]> {
  const names = (await client.query<{ name: string }>(TABLES_SQL, [SCHEMA])).rows.map((r) => r.name);
  const columns = groupBy((await client.query<ColumnRow>(COLUMNS_SQL, [SCHEMA])).rows);
  const indexes = groupBy((await client.query<IndexRow>(INDEXES_SQL, [SCHEMA])).rows);
  const foreignKeys = groupBy((await client.query<ForeignKeyRow>(FOREIGN_KEYS_SQL, [SCHEMA])).rows);
  return names.map((name) => {
    const idx = (indexes.get(name) ?? []).map(toIndex);
    const primary = idx.find((i) => i.primary);
    return {
      name,
      columns: (columns.get(name) ?? []).map(toColumn),
      primaryKey: primary ? primary.columns.filter((c): c is string => c !== null) : [],
      primaryKeyName: primary?.name ?? null,
      indexes: idx,
      foreignKeys: (foreignKeys.get(name) ?? []).map(toForeignKey),
    };
  });
}

function groupBy<T extends { table: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.table);
    if (list) list.push(r);
    else out.set(r.table, [r]);
  }
  return out;
}

function toColumn(r: ColumnRow): DbColumn {
  // An identity or generated column has no DEFAULT; show what it has instead, so that it differs from any default.
  let defaultValue = r.default;
  if (r.identity === "a" || r.identity === "d") defaultValue = `GENERATED ${r.identity === "a" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`;
  else if (r.generated === "s") defaultValue = `GENERATED ALWAYS AS (${r.default ?? ""}) STORED`;
  return { name: r.name, type: r.type, notNull: r.not_null, defaultValue };
}

function toIndex(r: IndexRow): DbIndex {
  return { name: r.name, columns: r.columns, unique: r.unique, primary: r.primary, constraint: r.constraint, partial: r.partial };
}

function toForeignKey(r: ForeignKeyRow): DbForeignKey {
  return { name: r.name, columns: r.columns, schema: r.ref_schema === SCHEMA ? null : r.ref_schema, table: r.ref_table, refColumns: r.ref_columns };
}

/** Evaluates two constant defaults as the column's type; anything else, or any error, counts as different. */
async function sameValue(client: pg.Client, expected: string, found: string, type: string): Promise<boolean> {
  if (!isConstantExpression(expected) || !isConstantExpression(found)) return false;
  try {
    const r = await client.query<{ same: boolean }>(`select ((${expected})::${type}) is not distinct from ((${found})::${type}) as same`);
    return r.rows[0]?.same === true;
  } catch {
    return false;
  }
}

/** One line saying why, without the password. */
function reason(error: unknown, secret: string | null): string {
  const e = error as { message?: unknown; code?: unknown; errors?: { message?: unknown }[] };
  let text = typeof e?.message === "string" && e.message.trim() !== "" ? e.message : "";
  // Node reports a refused connection to a name with several addresses as an AggregateError without a message.
  if (text === "" && Array.isArray(e?.errors)) text = e.errors.map((x) => String(x?.message ?? "")).filter(Boolean).join("; ");
  if (text === "") text = typeof e?.code === "string" ? e.code : String(error);
  text = text.split(/\r?\n/)[0]!.trim();
  return secret ? text.split(secret).join("***") : text;
}
