import type { DataType } from "./data-type.js";

/** JSON Schema (2020-12) of a field type; entity references point at `#/$defs/<Entity>`. */
export function jsonSchemaOf(t: DataType): Record<string, unknown> {
  switch (t.kind) {
    case "uuid": return { type: "string", format: "uuid" };
    case "string": return t.maxLength === null ? { type: "string" } : { type: "string", maxLength: t.maxLength };
    case "text": return { type: "string" };
    case "integer": return { type: "integer" };
    case "float": return { type: "number" };
    case "decimal": return { type: "number" };
    case "boolean": return { type: "boolean" };
    case "date": return { type: "string", format: "date" };
    case "timestamp": return { type: "string", format: "date-time" };
    case "time": return { type: "string", format: "time" };
    case "json": return {};
    case "enum": return { type: "string", enum: [...t.values] };
    case "array": return { type: "array", items: jsonSchemaOf(t.items) };
    case "email": return { type: "string", format: "email" };
    case "url": return { type: "string", format: "uri" };
    case "objectId": return { type: "string", pattern: "^[0-9a-fA-F]{24}$" };
    case "reference": return { $ref: `#/$defs/${t.entity}` };
    case "unknown": return {};
  }
}

/** PostgreSQL column type (enum values are enforced with a CHECK by the SQL exporter). */
export function postgresOf(t: DataType): string {
  switch (t.kind) {
    case "uuid": return "UUID";
    case "string": return t.maxLength === null ? "TEXT" : `VARCHAR(${t.maxLength})`;
    case "text": return "TEXT";
    case "integer": return t.size === "smallint" ? "SMALLINT" : t.size === "bigint" ? "BIGINT" : "INTEGER";
    case "float": return "DOUBLE PRECISION";
    case "decimal": return t.precision === null ? "NUMERIC" : `NUMERIC(${t.precision}, ${t.scale ?? 0})`;
    case "boolean": return "BOOLEAN";
    case "date": return "DATE";
    case "timestamp": return t.timezone ? "TIMESTAMPTZ" : "TIMESTAMP";
    case "time": return "TIME";
    case "json": return "JSONB"; // JSON too: jsonb has equality and indexes, so UNIQUE and Indexed work
    case "enum": return "TEXT";
    case "array": return t.items.kind === "array" || t.items.kind === "json" ? "JSONB" : `${postgresOf(t.items)}[]`;
    case "email": return "TEXT";
    case "url": return "TEXT";
    case "objectId": return "CHAR(24)";
    case "reference": return "UUID";
    case "unknown": return "TEXT";
  }
}

/** SQLite column type (type affinity: INTEGER, REAL, NUMERIC, TEXT). */
export function sqliteOf(t: DataType): string {
  switch (t.kind) {
    case "integer":
    case "boolean": return "INTEGER";
    case "float": return "REAL";
    case "decimal": return "NUMERIC";
    default: return "TEXT";
  }
}

/** TypeScript type of a field; entity references use the entity's interface name. */
export function typescriptOf(t: DataType): string {
  switch (t.kind) {
    case "integer":
    case "float":
    case "decimal": return "number";
    case "boolean": return "boolean";
    case "json":
    case "unknown": return "unknown";
    case "enum": return t.values.map((v) => JSON.stringify(v)).join(" | ");
    case "array": {
      const inner = typescriptOf(t.items);
      return /[ |]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
    }
    case "reference": return t.entity;
    default: return "string";
  }
}

/** A type as an author would write it, for messages: `UUID`, `String(40)`, `BigInt`, `Array<Integer>`. */
export function typeLabel(t: DataType): string {
  switch (t.kind) {
    case "uuid": return "UUID";
    case "string": return t.maxLength === null ? "String" : `String(${t.maxLength})`;
    case "text": return "Text";
    case "integer": return t.size === "smallint" ? "SmallInt" : t.size === "bigint" ? "BigInt" : "Integer";
    case "float": return "Float";
    case "decimal": return t.precision === null ? "Decimal" : `Decimal(${t.precision},${t.scale ?? 0})`;
    case "boolean": return "Boolean";
    case "date": return "Date";
    case "timestamp": return t.timezone ? "Timestamptz" : "Timestamp";
    case "time": return "Time";
    case "json": return t.binary ? "JSONB" : "JSON";
    case "enum": return `Enum(${t.values.join(", ")})`;
    case "array": return `Array<${typeLabel(t.items)}>`;
    case "email": return "Email";
    case "url": return "URL";
    case "objectId": return "ObjectId";
    case "reference": return t.entity;
    case "unknown": return t.raw || "no type";
  }
}

/** Type spellings shown in docs/types.md, one per recognized form. */
export const TYPE_EXAMPLES: readonly string[] = [
  "UUID", "String", "String(255)", "Varchar(64)", "Text", "Integer", "Int", "BigInt", "SmallInt", "Float", "Double",
  "Decimal(12,2)", "Numeric", "Boolean", "Bool", "Date", "Timestamp", "DateTime", "Timestamptz", "Time", "JSON", "JSONB",
  "Number", "Real", "Enum(active, suspended)", "Array<String>", "List<String>", "Integer[]", "Email", "URL", "ObjectId", "Object",
  "Customer", "Blob",
];
