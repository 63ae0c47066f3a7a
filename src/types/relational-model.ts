import { spanOf, type PositionMap, type Span } from "../model/position.js";
import { excerpt } from "../parse/inline.js";
import { StringMemo } from "../model/memo.js";
import type { SpecSource } from "../model/source.js";
import type { Entity, Spec } from "../model/spec.js";
import { CHECK_GRAMMAR, parseCheck, typeCheck, type CheckNode } from "./check-expression.js";
import type { Constraint } from "./constraints.js";
import type { DataType } from "./data-type.js";
import type { FieldInfo } from "./field-info.js";
import { postgresOf, typeLabel } from "./mappings.js";
import { sqlDefault, type SqlDefault } from "./sql-default.js";

/** How entity and field names become table and column names. */
export type SqlNaming = "snake_case" | "preserve";

const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * `RefundCatalog` → `refund_catalog`, `createdAt` → `created_at`, `HTTPRequest` → `http_request`: a word break
 * before an upper-case letter that follows a lower-case letter or digit, or that ends a run of capitals before a
 * lower-case letter; anything but ASCII letters and digits is a break; breaks collapse to one `_`. One pass: lint
 * names every entity and field of every spec.
 */
export function snakeCase(name: string): string {
  return snakeNames.of(name, toSnakeCase);
}

// Field names repeat across the specs of a run ("id", "createdAt"): a bounded memo of a pure function (ARCHITECTURE.md).
const snakeNames = new StringMemo<string>(4000);

function toSnakeCase(name: string): string {
  let out = "";
  let pending = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const upper = isUpper(c);
    if (!upper && !isLower(c) && !isDigit(c)) {
      pending = true;
      continue;
    }
    if (upper) {
      const prev = i > 0 ? name.charCodeAt(i - 1) : -1;
      if (isLower(prev) || isDigit(prev) || (isUpper(prev) && isLower(i + 1 < name.length ? name.charCodeAt(i + 1) : -1))) pending = true;
    }
    if (pending && out !== "") out += "_";
    pending = false;
    out += upper ? String.fromCharCode(c + 32) : name[i];
  }
  return out || "_";
}

/** The SQL name of an entity or field under a naming. */
export function sqlName(name: string, naming: SqlNaming): string {
  return naming === "snake_case" ? snakeCase(name) : name;
}

/** PostgreSQL cuts longer identifiers (NAMEDATALEN - 1). */
export const POSTGRES_MAX_IDENTIFIER_BYTES = 63;

const encoder = new TextEncoder();

/** The length of a name in UTF-8 bytes, as PostgreSQL counts it. */
export function utf8Length(s: string): number {
  return /^[\x00-\x7f]*$/.test(s) ? s.length : encoder.encode(s).length;
}

/** Whether a name is longer than PostgreSQL keeps (a UTF-16 unit is at most 3 bytes, so short names never are). */
function tooLong(s: string): boolean {
  return s.length * 3 > POSTGRES_MAX_IDENTIFIER_BYTES && utf8Length(s) > POSTGRES_MAX_IDENTIFIER_BYTES;
}

/** Something that makes a faithful SQL schema impossible, where it is in the spec. */
export interface ModelProblem {
  /** Model path: `dataModel/entities/<i>` or `dataModel/entities/<i>/fields/<k>`. */
  readonly path: string;
  /** The cell of the field's row the problem is in. */
  readonly cell?: "name" | "type" | "constraints" | "required";
  readonly message: string;
}

/** A foreign key of a column. */
export interface SqlForeignKey {
  readonly table: SqlTable;
  readonly column: SqlColumn;
}

/** A column: the field read, its type with references resolved, and the constraints SQL can hold. */
export interface SqlColumn {
  readonly info: FieldInfo;
  /** Index of the field in its entity's `fields`. */
  readonly index: number;
  /** The type with entity references replaced by the referenced primary key's type. */
  readonly type: DataType;
  readonly primaryKey: boolean;
  readonly notNull: boolean;
  readonly unique: boolean;
  readonly indexed: boolean;
  readonly defaultValue: SqlDefault | null;
  readonly checks: readonly CheckNode[];
  readonly minLength: number | null;
  readonly maxLength: number | null;
  readonly foreignKeys: readonly SqlForeignKey[];
}

/** A table of one entity (the first declaration of a name: a second one is a lint warning and is not exported). */
export interface SqlTable {
  readonly entity: Entity;
  /** Index of the entity in `spec.dataModel.entities`. */
  readonly index: number;
  readonly columns: readonly SqlColumn[];
  readonly primaryKey: readonly SqlColumn[];
}

/** The relational reading of a Data Model and what stands in the way of exporting it. */
export interface RelationalModel {
  readonly tables: readonly SqlTable[];
  readonly problems: readonly ModelProblem[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
interface MutableColumn extends Mutable<Omit<SqlColumn, "checks" | "foreignKeys">> {
  checks: CheckNode[];
  foreignKeys: SqlForeignKey[];
}

/** Finds by name: exactly, then ignoring case, then by snake_case (`order_line` finds `OrderLine`). */
function findNamed<T>(items: readonly T[], nameOf: (t: T) => string, wanted: string): T | undefined {
  for (const t of items) if (nameOf(t) === wanted) return t;
  // The looser readings only when the exact name is not there (the usual case needs neither).
  const lower = wanted.toLowerCase();
  for (const t of items) if (nameOf(t).toLowerCase() === lower) return t;
  const snake = snakeCase(wanted);
  for (const t of items) if (snakeCase(nameOf(t)) === snake) return t;
  return undefined;
}

/**
 * Reads a spec's Data Model as tables: types resolved (an entity reference takes the type of the referenced
 * primary key), foreign keys resolved and checked against PostgreSQL's rules, defaults and CHECK expressions
 * validated. Every problem is one the author has to fix; naming collisions are `namingProblems`.
 */
export function relationalModel(spec: Spec, read: (field: Entity["fields"][number]) => FieldInfo): RelationalModel {
  const problems: ModelProblem[] = [];
  const tables: { table: SqlTable; columns: MutableColumn[] }[] = [];
  const byName = new Map<string, { table: SqlTable; columns: MutableColumn[] }>();
  spec.dataModel.entities.forEach((entity, i) => {
    const base = `dataModel/entities/${i}`;
    const name = entity.name.trim();
    if (name === "") {
      problems.push({ path: base, message: `Entity ${i + 1} has no name (write its heading as "Entity ${i + 1}: Name")` });
      return;
    }
    if (byName.has(name.toLowerCase())) return; // declared twice: entity-table warns, the first declaration is exported
    const columns: MutableColumn[] = [];
    const seen = new Map<string, string>();
    const fields = entity.fields;
    for (let k = 0; k < fields.length; k++) {
      const field = fields[k]!;
      if (field.name.trim() === "") {
        problems.push({ path: `${base}/fields/${k}`, cell: "name", message: `Row ${k + 1} of entity "${excerpt(name)}" has no field name (write it in the Field column, or remove the row)` });
        continue;
      }
      const lower = field.name.toLowerCase();
      const first = seen.get(lower);
      if (first !== undefined) {
        problems.push({ path: `${base}/fields/${k}`, cell: "name", message: `Field "${excerpt(field.name)}" of entity "${excerpt(name)}" is declared twice${first === field.name ? "" : ` (first as "${first}")`}: rename or remove one` });
        continue;
      }
      seen.set(lower, field.name);
      const info = read(field);
      if (field.type.trim() === "") problems.push({ path: `${base}/fields/${k}`, cell: "type", message: `Field "${excerpt(name)}.${excerpt(field.name)}" has no type (e.g. UUID, String(255), Integer, Timestamp)` });
      const typeError = info.type.kind === "string" || info.type.kind === "decimal" || info.type.kind === "array" ? typeParameterError(info.type) : null;
      if (typeError) problems.push({ path: `${base}/fields/${k}`, cell: "type", message: `Type "${field.type}" of "${excerpt(name)}.${excerpt(field.name)}" ${typeError}` });
      let unique = false;
      let indexed = false;
      for (const c of info.constraints) {
        if (c.kind === "unique") unique = true;
        else if (c.kind === "indexed") indexed = true;
      }
      columns.push({
        info, index: k, type: info.type, primaryKey: info.primaryKey, notNull: info.primaryKey || info.required, unique, indexed,
        defaultValue: null, checks: [], minLength: null, maxLength: null, foreignKeys: [],
      });
    }
    if (columns.length === 0) {
      problems.push({ path: base, message: `Entity "${name}" has no fields: a table needs at least one column (give it a | Field | Type | Description | Constraints | table with a row per field)` });
    }
    const table: SqlTable = { entity, index: i, columns, primaryKey: columns.filter((c) => c.primaryKey) };
    const entry = { table, columns };
    tables.push(entry);
    byName.set(name.toLowerCase(), entry);
  });
  const entries = tables.map((t) => t.table);
  const tableOf = (entityName: string): { table: SqlTable; columns: MutableColumn[] } | undefined =>
    byName.get(entityName.toLowerCase()) ?? tables.find((t) => snakeCase(t.table.entity.name) === snakeCase(entityName));

  // Entity references take the referenced primary key's type.
  const resolving = new Set<SqlColumn>();
  const resolved = new Set<SqlColumn>();
  const failed = new Map<SqlColumn, string>();
  const resolve = (col: MutableColumn, owner: SqlTable): string | null => {
    if (resolved.has(col)) return null;
    const known = failed.get(col);
    if (known !== undefined) return known;
    if (resolving.has(col)) return "cycle";
    resolving.add(col);
    try {
      const r = resolveType(col.type, owner);
      if (typeof r === "string") {
        failed.set(col, r);
        return r;
      }
      col.type = r;
      resolved.add(col);
      return null;
    } finally {
      resolving.delete(col);
    }
  };
  const resolveType = (t: DataType, owner: SqlTable): DataType | string => {
    if (t.kind === "array") {
      const items = resolveType(t.items, owner);
      return typeof items === "string" ? items : { kind: "array", items };
    }
    if (t.kind !== "reference") return t;
    const target = tableOf(t.entity);
    if (!target) return t; // not an entity after all (cannot happen: references are entity names)
    const keys = target.table.primaryKey;
    if (keys.length === 0) return { kind: "json", binary: true }; // a value object without a key is stored embedded, as JSON
    if (keys.length > 1) return `refers to entity "${target.table.entity.name}", whose primary key has ${keys.length} columns; one column cannot hold it (add a field per key column with a foreign key each)`;
    const key = target.columns.find((c) => c === keys[0])!;
    const err = resolve(key, target.table);
    if (err === "cycle") return `refers to entity "${target.table.entity.name}", whose primary key refers back to "${owner.entity.name}" (a loop of references: give one of the keys a type such as UUID)`;
    if (err) return `refers to entity "${target.table.entity.name}", whose primary key "${target.table.entity.name}.${key.info.field.name}" cannot be typed either`;
    return key.type;
  };
  for (const { table, columns } of tables) {
    for (const col of columns) {
      if (col.type.kind !== "reference" && col.type.kind !== "array") continue;
      const err = resolve(col, table);
      if (err) problems.push({ path: fieldPath(table, col), cell: "type", message: `Type "${col.info.field.type}" of "${excerpt(table.entity.name)}.${excerpt(col.info.field.name)}" ${err === "cycle" ? "refers to its own entity's key (give the key a type such as UUID)" : err}` });
    }
  }

  // Constraints: defaults, checks, lengths and foreign keys, now that every type is known.
  for (const { table, columns } of tables) {
    const typeOf = (field: string): DataType => columns.find((c) => c.info.field.name === field)?.type ?? { kind: "unknown", raw: "" };
    const fieldNamed = (name: string): string | null => findNamed(columns, (c) => c.info.field.name, name)?.info.field.name ?? null;
    for (const col of columns) {
      const f = col.info.field;
      if (col.info.constraints.length === 0) continue;
      if (f.type.trim() === "") continue; // "has no type" is the problem; its constraints cannot be checked against one
      const where = { path: fieldPath(table, col), cell: "constraints" as const };
      const label = `"${excerpt(table.entity.name)}.${excerpt(f.name)}"`;
      let defaults = 0;
      for (const c of col.info.constraints) {
        switch (c.kind) {
          case "default": {
            if (++defaults > 1) {
              problems.push({ ...where, message: `Field ${label} has more than one Default (keep one)` });
              break;
            }
            const d = sqlDefault(c, col.type, col.notNull);
            if ("error" in d) problems.push({ ...where, message: `Default ${excerpt(c.value.trim())} of ${label} ${d.error}` });
            else col.defaultValue = d;
            break;
          }
          case "check": {
            const parsed = parseCheck(c.expression, f.name, fieldNamed);
            const error = "error" in parsed ? parsed.error : typeCheck(parsed.node, typeOf);
            if (error !== null || "error" in parsed) {
              problems.push({ ...where, message: `Check "${excerpt(c.expression)}" of ${label} cannot be written as SQL: ${error} (expected ${CHECK_GRAMMAR})` });
            } else col.checks.push(parsed.node);
            break;
          }
          case "minLength":
          case "maxLength": {
            if (!isText(col.type)) {
              problems.push({ ...where, message: `${c.kind === "minLength" ? "Min" : "Max"} length on ${label} applies to String, Text, Email and URL fields, not ${typeLabel(col.type)}` });
              break;
            }
            if (c.kind === "minLength") col.minLength = c.value;
            else col.maxLength = c.value;
            if (col.minLength !== null && col.maxLength !== null && col.minLength > col.maxLength) {
              problems.push({ ...where, message: `Min length ${col.minLength} of ${label} is greater than its max length ${col.maxLength}` });
            }
            break;
          }
          case "foreignKey": {
            const fk = foreignKey(c, table, col, tableOf);
            if (typeof fk === "string") problems.push({ ...where, message: fk });
            else col.foreignKeys.push(fk);
            break;
          }
          default: break;
        }
      }
    }
  }
  return { tables: entries, problems };
}

function fieldPath(table: SqlTable, col: SqlColumn | MutableColumn): string {
  return `dataModel/entities/${table.index}/fields/${col.index}`;
}

function isText(t: DataType): boolean {
  return t.kind === "string" || t.kind === "text" || t.kind === "email" || t.kind === "url";
}

/** What is wrong with a type's parameters for PostgreSQL, or null. */
function typeParameterError(t: DataType): string | null {
  if (t.kind === "array") return typeParameterError(t.items);
  if (t.kind === "string" && t.maxLength !== null && (t.maxLength < 1 || t.maxLength > 10485760)) return `has length ${t.maxLength} (expected 1 to 10485760)`;
  if (t.kind === "decimal" && t.precision !== null && (t.precision < 1 || t.precision > 1000)) return `has precision ${t.precision} (expected 1 to 1000 digits)`;
  if (t.kind === "decimal" && t.scale !== null && t.scale > 1000) return `has scale ${t.scale} (expected at most 1000)`;
  return null;
}

function foreignKey(c: Constraint & { kind: "foreignKey" }, table: SqlTable, col: MutableColumn,
  tableOf: (name: string) => { table: SqlTable; columns: MutableColumn[] } | undefined): SqlForeignKey | string {
  const from = `"${table.entity.name}.${col.info.field.name}"`;
  const target = tableOf(c.entity);
  if (!target) return `Foreign key of ${from} names entity "${c.entity}", which is not in the Data Model`;
  const t = target.table;
  let key: MutableColumn | undefined;
  if (c.field !== null) {
    key = findNamed(target.columns, (x) => x.info.field.name, c.field);
    if (!key) return `Foreign key of ${from} names field "${c.entity}.${c.field}", which entity "${t.entity.name}" does not have`;
    const alone = t.primaryKey.length === 1 && t.primaryKey[0] === key;
    if (!alone && !key.unique) {
      return `Foreign key of ${from} references "${t.entity.name}.${key.info.field.name}", which is ${key.primaryKey ? `only part of a ${t.primaryKey.length}-column primary key` : "neither the primary key nor Unique"}; a foreign key must reference a unique column (mark it Unique or reference the primary key)`;
    }
  } else {
    if (t.primaryKey.length !== 1) {
      return `Foreign key of ${from} names entity "${t.entity.name}", which has ${t.primaryKey.length === 0 ? "no primary key" : `a ${t.primaryKey.length}-column primary key`}; name a unique field (Foreign key → ${t.entity.name}.field)`;
    }
    key = target.columns.find((x) => x === t.primaryKey[0])!;
  }
  if (!foreignKeyCompatible(col.type, key.type)) {
    const to = `"${t.entity.name}.${key.info.field.name}" (${typeLabel(key.type)})`;
    if (col.type.kind === "array" && key.type.kind !== "array") {
      return `Foreign key of ${from} (${typeLabel(col.type)}) references ${to}: a foreign key column holds one value, not an array (use an entity with one row per reference)`;
    }
    return `Foreign key of ${from} (${typeLabel(col.type)}) references ${to}: PostgreSQL refuses a foreign key from ${postgresOf(col.type).toLowerCase()} to ${postgresOf(key.type).toLowerCase()} (give both the same type, or type the field "${t.entity.name}")`;
  }
  return { table: t, column: key };
}

type KeyClass = "uuid" | "text" | "int" | "numeric" | "float" | "bool" | "datetime" | "time" | "jsonb" | `array ${string}`;

function keyClass(t: DataType): KeyClass {
  const pg = postgresOf(t);
  if (pg.endsWith("[]")) return `array ${pg}`;
  switch (t.kind) {
    case "uuid": return "uuid";
    case "integer": return "int";
    case "decimal": return "numeric";
    case "float": return "float";
    case "boolean": return "bool";
    case "date":
    case "timestamp": return "datetime";
    case "time": return "time";
    case "json":
    case "array": return "jsonb";
    default: return "text";
  }
}

/**
 * Whether PostgreSQL accepts a foreign key from a column of type `child` to one of type `parent` (both resolved),
 * as measured on PostgreSQL 18: the same family (smallint/integer/bigint; text/varchar/char; date/timestamp/
 * timestamptz), or a child that PostgreSQL converts implicitly to the parent's type (integer → numeric or double
 * precision, numeric → double precision); arrays only of the very same element type.
 */
export function foreignKeyCompatible(child: DataType, parent: DataType): boolean {
  const a = keyClass(child);
  const b = keyClass(parent);
  if (a === b) return true;
  return (a === "int" && (b === "numeric" || b === "float")) || (a === "numeric" && b === "float");
}

/** Names that collide or that a database refuses, for a naming (`relationalModel` problems do not depend on it). */
export function namingProblems(model: RelationalModel, naming: SqlNaming): ModelProblem[] {
  const problems: ModelProblem[] = [];
  // The model already keeps one entity per name and one field per name ignoring case, so kept names collide only
  // when a naming changes them.
  // snake_case names are lower-case already (letters, digits and "_"), so they are their own keys.
  const renames = naming !== "preserve";
  const tables = new Map<string, SqlTable>();
  for (const t of model.tables) {
    // Entity names are mostly unique to their spec: read directly, so they do not churn the memo of field names.
    const name = renames ? toSnakeCase(t.entity.name) : t.entity.name;
    const base = `dataModel/entities/${t.index}`;
    const other = renames ? tables.get(name) : undefined;
    if (other) problems.push({ path: base, message: `Entities "${other.entity.name}" and "${t.entity.name}" both become the SQL table "${name}" (rename one)` });
    else if (renames) tables.set(name, t);
    if (/^sqlite_/i.test(name)) problems.push({ path: base, message: `Entity "${t.entity.name}" becomes the SQL table "${name}", and SQLite reserves names that start with "sqlite_" (rename the entity)` });
    if (tooLong(name)) problems.push({ path: base, message: `Entity "${t.entity.name}" becomes the SQL table "${name}" of ${utf8Length(name)} bytes; PostgreSQL cuts names at ${POSTGRES_MAX_IDENTIFIER_BYTES} (shorten it)` });
    const columns = renames ? new Map<string, SqlColumn>() : null;
    for (const c of t.columns) {
      const f = c.info.field;
      const col = renames ? snakeCase(f.name) : f.name;
      const seen = columns?.get(col);
      if (seen) problems.push({ path: `${base}/fields/${c.index}`, cell: "name", message: `Fields "${seen.info.field.name}" and "${f.name}" of entity "${excerpt(t.entity.name)}" both become the SQL column "${col}" (rename one)` });
      else columns?.set(col, c);
      if (tooLong(col)) problems.push({ path: `${base}/fields/${c.index}`, cell: "name", message: `Field "${excerpt(t.entity.name)}.${excerpt(f.name)}" becomes the SQL column "${col}" of ${utf8Length(col)} bytes; PostgreSQL cuts names at ${POSTGRES_MAX_IDENTIFIER_BYTES} (shorten it)` });
    }
  }
  return problems;
}

/** Where a problem is in the text: the field's cell when the table has that column, else its row or heading. */
export function problemSpan(p: ModelProblem, pos: PositionMap, source: SpecSource): Span {
  const m = /^dataModel\/entities\/(\d+)\/fields\/(\d+)$/.exec(p.path);
  if (m && p.cell) {
    const et = source.entityTables.find((t) => t.entity === Number(m[1]));
    const row = et?.table?.rows[Number(m[2])];
    const k = et ? et.columns[p.cell] : -1;
    const c = row && k >= 0 ? row.cells[k] : undefined;
    if (row && c) return { line: row.line, column: c.column, endLine: row.line, endColumn: c.endColumn };
  }
  return spanOf(pos, p.path) ?? pos.get("title") ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
}
