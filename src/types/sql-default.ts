import { isDate, isTime, isTimestamp, sqlString, UUID } from "./check-expression.js";
import type { Constraint } from "./constraints.js";
import type { DataType } from "./data-type.js";
import { postgresOf, typeLabel } from "./mappings.js";

/** A DEFAULT written for both dialects. */
export interface SqlDefault {
  readonly postgres: string;
  readonly sqlite: string;
}

const INTEGER_RANGE = { smallint: 32767n, integer: 2147483647n, bigint: 9223372036854775807n } as const;
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
// A version 4 UUID from SQLite's randomblob(), in the 8-4-4-4-12 form.
const SQLITE_UUID = "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || "
  + "substr('89ab', abs(random()) % 4 + 1, 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))";

/** Function defaults techspec writes for both dialects (besides now()), by the lower-cased spelling. */
const UUID_FUNCTIONS = new Set(["gen_random_uuid()", "uuid_generate_v4()", "uuid()", "random_uuid()"]);

/**
 * The DEFAULT of a column for both dialects, or what is wrong with it (to follow "Default <value> of <field> "): the value must be a literal of the column's
 * type (`type` is resolved: references are the referenced key's type), now() on dates and times, gen_random_uuid()
 * on UUIDs.
 */
export function sqlDefault(c: Constraint & { kind: "default" }, type: DataType, required: boolean): SqlDefault | { error: string } {
  const raw = c.value.trim();
  if (c.now) {
    if (type.kind === "date") return both("CURRENT_DATE");
    if (type.kind === "time") return both("CURRENT_TIME");
    // An unknown type is exported as text, which holds the current time as text in both databases.
    if (type.kind === "timestamp" || type.kind === "unknown") return both("CURRENT_TIMESTAMP");
    return { error: `fits Date, Time and Timestamp fields, not ${describe(type)}` };
  }
  if (/^null$/i.test(raw)) return required ? { error: "contradicts a required field" } : both("NULL");
  const lower = raw.toLowerCase().replace(/\s+/g, "");
  if (UUID_FUNCTIONS.has(lower)) {
    return type.kind === "uuid" ? { postgres: "gen_random_uuid()", sqlite: SQLITE_UUID } : { error: `fits UUID fields, not ${describe(type)}` };
  }
  const quoted = /^'((?:[^']|'')*)'$|^"((?:[^"]|"")*)"$/.exec(raw);
  const text = quoted ? (quoted[1] !== undefined ? quoted[1].replace(/''/g, "'") : quoted[2]!.replace(/""/g, '"')) : raw;
  return literalDefault(text, !!quoted, type);
}

function both(sql: string): SqlDefault {
  return { postgres: sql, sqlite: sql };
}

function describe(t: DataType): string {
  return t.kind === "unknown" ? "text" : typeLabel(t);
}

function literalDefault(text: string, quoted: boolean, type: DataType): SqlDefault | { error: string } {
  const bad = (expected: string): { error: string } => ({ error: `does not fit its type ${describe(type)} (expected ${expected})` });
  switch (type.kind) {
    case "integer": {
      if (!/^[-+]?\d+$/.test(text)) return bad("a whole number");
      const n = BigInt(text);
      const max = INTEGER_RANGE[type.size];
      if (n > max || n < -max - 1n) return bad(`a whole number from ${-max - 1n} to ${max}`);
      return both(n.toString());
    }
    case "float":
      if (!NUMBER.test(text) || !Number.isFinite(Number(text))) return bad("a number");
      return both(text.replace(/^\+/, ""));
    case "decimal": {
      if (!NUMBER.test(text) || !Number.isFinite(Number(text))) return bad("a number");
      if (type.precision !== null) {
        const scale = type.scale ?? 0;
        const limit = 10 ** (type.precision - scale);
        if (Math.abs(Number(Number(text).toFixed(Math.min(scale, 100)))) >= limit) return bad(`a number below ${limit} in absolute value, for ${type.precision} digits with ${scale} after the point`);
      }
      return both(text.replace(/^\+/, ""));
    }
    case "boolean": {
      const v = text.toLowerCase();
      if (v === "true" || v === "1") return { postgres: "TRUE", sqlite: "1" };
      if (v === "false" || v === "0") return { postgres: "FALSE", sqlite: "0" };
      return bad("true or false");
    }
    case "uuid":
      return UUID.test(text) ? both(sqlString(text.toLowerCase())) : bad("a UUID such as '5f0c8e2a-9b1d-4c3e-8f7a-6b5c4d3e2f10', or gen_random_uuid()");
    case "objectId":
      return /^[0-9a-f]{24}$/i.test(text) ? both(sqlString(text)) : bad("24 hexadecimal digits");
    case "date":
      return isDate(text) ? both(sqlString(text)) : bad("a date YYYY-MM-DD, or now()");
    case "time":
      return isTime(text) ? both(sqlString(text)) : bad("a time HH:MM:SS, or now()");
    case "timestamp":
      return isTimestamp(text) ? both(sqlString(text)) : bad("a timestamp such as 2026-01-31T10:00:00Z, or now()");
    case "json": {
      if (!validJson(text)) return bad("a JSON value such as '{}' or '[]'");
      return { postgres: `${sqlString(text)}::jsonb`, sqlite: sqlString(text) };
    }
    case "array": return arrayDefault(text, type);
    case "enum":
      return type.values.includes(text) ? both(sqlString(text)) : bad(`one of ${type.values.map((v) => `'${v}'`).join(", ")}`);
    case "string":
      if (!quoted && !/^[\w.:@/+-]+$/.test(text)) return bad("a value in quotes");
      if (type.maxLength !== null && [...text].length > type.maxLength) return bad(`at most ${type.maxLength} characters`);
      return both(sqlString(text));
    case "text":
    case "email":
    case "url":
    case "unknown":
    case "reference":
      if (!quoted && !/^[\w.:@/+-]+$/.test(text)) return bad("a value in quotes");
      return both(sqlString(text));
  }
}

/** A JSON array default: a native array literal in PostgreSQL (JSONB for nested arrays), the JSON text in SQLite. */
function arrayDefault(text: string, type: DataType & { kind: "array" }): SqlDefault | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === "{}" ? "[]" : text);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value)) return { error: `does not fit its type ${describe(type)} (expected a JSON array such as [] or ["a", "b"])` };
  const json = JSON.stringify(value);
  const pgType = postgresOf(type);
  if (pgType === "JSONB") return { postgres: `${sqlString(json)}::jsonb`, sqlite: sqlString(json) };
  const items: string[] = [];
  for (const item of value) {
    if (item === null || typeof item === "object") return { error: `does not fit its type ${describe(type)} (expected an array of ${typeLabel(type.items)} values)` };
    const d = literalDefault(String(item), typeof item === "string", type.items);
    if ("error" in d) return { error: `has the item ${JSON.stringify(item)}, which ${d.error}` };
    items.push(d.postgres);
  }
  return { postgres: items.length ? `ARRAY[${items.join(", ")}]::${pgType}` : `'{}'::${pgType}`, sqlite: sqlString(json) };
}

function validJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
