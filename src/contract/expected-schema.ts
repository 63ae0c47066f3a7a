// The schema `techspec export sql` writes for a spec, as tables and columns to compare with a live database. The
// DDL pieces (CREATE TABLE, column definitions, index and constraint names) are taken from exportSql's own output,
// so that a finding's fix is exactly what the exporter would write.
import { exportSql, type SqlDialect } from "../export/sql.js";
import type { Spec } from "../model/spec.js";
import { fieldReader } from "../types/field-info.js";
import { postgresOf, sqliteOf } from "../types/mappings.js";
import { relationalModel, sqlName, type SqlColumn, type SqlNaming, type SqlTable } from "../types/relational-model.js";

/** A column the Data Model expects. */
export interface ExpectedColumn {
  readonly column: SqlColumn;
  readonly name: string;
  /** Model path of the field: `dataModel/entities/<i>/fields/<k>`. */
  readonly path: string;
  /** The column type as exportSql writes it for the dialect. */
  readonly type: string;
  readonly notNull: boolean;
  /** The DEFAULT expression for the dialect, or null (DEFAULT NULL counts as none). */
  readonly defaultValue: string | null;
  /** The column's definition in CREATE TABLE (`"name" TEXT NOT NULL DEFAULT 'x'`). */
  readonly definition: string;
  /** Whether exportSql writes UNIQUE on it (a single-column primary key is unique already). */
  readonly unique: boolean;
  /** The UNIQUE constraint's name when exportSql names it. */
  readonly uniqueName: string | null;
  /** The CREATE INDEX exportSql writes for an Indexed field, or null. */
  readonly index: string | null;
  readonly foreignKeys: readonly { readonly table: string; readonly column: string }[];
}

/** A table the Data Model expects. */
export interface ExpectedTable {
  readonly table: SqlTable;
  readonly name: string;
  /** Model path of the entity: `dataModel/entities/<i>`. */
  readonly path: string;
  readonly columns: readonly ExpectedColumn[];
  readonly primaryKey: readonly string[];
  /** The PRIMARY KEY constraint's name when exportSql names it. */
  readonly primaryKeyName: string | null;
  /** What follows `CREATE TABLE "name"`: `("id" UUID PRIMARY KEY, …);`, on one line. */
  readonly body: string;
  /** The statements exportSql writes after the tables for this one: CREATE INDEX, and ALTER TABLE closing cycles. */
  readonly after: readonly string[];
}

const IDENT = String.raw`"(?:[^"]|"")*"`;
const CREATE_TABLE = new RegExp(String.raw`^CREATE TABLE (${IDENT}) \($`);
const CREATE_INDEX = new RegExp(String.raw`^CREATE INDEX ${IDENT} ON (${IDENT}) \((${IDENT})\);$`);
const ALTER_TABLE = new RegExp(String.raw`^ALTER TABLE (${IDENT}) `);
const COLUMN_LINE = new RegExp(String.raw`^(${IDENT}) `);
const NAMED = (what: string): RegExp => new RegExp(String.raw`CONSTRAINT (${IDENT}) ${what}`);

/** SQL identifier quoting, as exportSql writes it. */
export function quoteIdent(id: string): string {
  return `"${id.replace(/"/g, '""')}"`;
}

function unquote(q: string): string {
  return q.slice(1, -1).replace(/""/g, '"');
}

/** The pieces of exportSql's DDL, by table: column definitions, table-level lines, and the statements after. */
interface DdlTable {
  readonly columns: Map<string, string>;
  readonly lines: string[];
  readonly after: string[];
}

function readDdl(ddl: string): Map<string, DdlTable> {
  const tables = new Map<string, DdlTable>();
  const tableOf = (name: string): DdlTable => {
    let t = tables.get(name);
    if (!t) tables.set(name, (t = { columns: new Map(), lines: [], after: [] }));
    return t;
  };
  let current: DdlTable | null = null;
  for (const line of ddl.split("\n")) {
    if (current) {
      if (line === ");") current = null;
      else {
        const text = line.trim().replace(/,$/, "");
        current.lines.push(text);
        const col = COLUMN_LINE.exec(text);
        if (col) current.columns.set(unquote(col[1]!), text);
      }
      continue;
    }
    const create = CREATE_TABLE.exec(line);
    if (create) current = tableOf(unquote(create[1]!));
    else {
      const other = CREATE_INDEX.exec(line) ?? ALTER_TABLE.exec(line);
      if (other) tableOf(unquote(other[1]!)).after.push(line);
    }
  }
  return tables;
}

/**
 * The tables and columns `exportSql(spec, { dialect, naming })` creates, in the spec's order. The spec must be
 * exportable (`checkSql` empty): exportSql throws otherwise.
 */
export function expectedSchema(spec: Spec, dialect: SqlDialect, naming: SqlNaming): ExpectedTable[] {
  const ddl = readDdl(exportSql(spec, { dialect, naming }));
  const model = relationalModel(spec, fieldReader(spec.dataModel.entities.map((e) => e.name)));
  return model.tables.map((t) => {
    const name = sqlName(t.entity.name, naming);
    const pieces = ddl.get(name) ?? { columns: new Map<string, string>(), lines: [], after: [] };
    const single = t.primaryKey.length === 1;
    const columns = t.columns.map((c) => expectedColumn(t, c, pieces, { dialect, naming, single }));
    const pkLine = [...pieces.columns.values(), ...pieces.lines].find((l) => NAMED("PRIMARY KEY").test(l));
    return {
      table: t,
      name,
      path: `dataModel/entities/${t.index}`,
      columns,
      primaryKey: t.primaryKey.map((c) => sqlName(c.info.field.name, naming)),
      primaryKeyName: pkLine ? unquote(NAMED("PRIMARY KEY").exec(pkLine)![1]!) : null,
      body: `(${pieces.lines.join(", ")});`,
      after: pieces.after,
    };
  });
}

function expectedColumn(t: SqlTable, c: SqlColumn, pieces: DdlTable, o: { dialect: SqlDialect; naming: SqlNaming; single: boolean }): ExpectedColumn {
  const name = sqlName(c.info.field.name, o.naming);
  const definition = pieces.columns.get(name) ?? quoteIdent(name);
  const uniqueName = NAMED("UNIQUE").exec(definition);
  const indexLine = pieces.after.find((l) => l.startsWith("CREATE INDEX") && l.endsWith(`(${quoteIdent(name)});`));
  const defaultValue = c.defaultValue ? c.defaultValue[o.dialect] : null;
  return {
    column: c,
    name,
    path: `dataModel/entities/${t.index}/fields/${c.index}`,
    type: o.dialect === "postgres" ? postgresOf(c.type) : sqliteOf(c.type),
    notNull: c.notNull,
    defaultValue: defaultValue !== null && /^null$/i.test(defaultValue) ? null : defaultValue,
    definition,
    unique: c.unique && !(o.single && c.primaryKey),
    uniqueName: uniqueName ? unquote(uniqueName[1]!) : null,
    index: indexLine ?? null,
    foreignKeys: c.foreignKeys.map((fk) => ({ table: sqlName(fk.table.entity.name, o.naming), column: sqlName(fk.column.info.field.name, o.naming) })),
  };
}
