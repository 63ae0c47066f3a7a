/** A Data Model field type, recognized from how authors write it (case-insensitive, common spellings). */
export type DataType =
  | { readonly kind: "uuid" }
  | { readonly kind: "string"; readonly maxLength: number | null }
  | { readonly kind: "text" }
  | { readonly kind: "integer"; readonly size: "smallint" | "integer" | "bigint" }
  | { readonly kind: "float" }
  | { readonly kind: "decimal"; readonly precision: number | null; readonly scale: number | null }
  | { readonly kind: "boolean" }
  | { readonly kind: "date" }
  | { readonly kind: "timestamp"; readonly timezone: boolean }
  | { readonly kind: "time" }
  | { readonly kind: "json"; readonly binary: boolean }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "array"; readonly items: DataType }
  | { readonly kind: "email" }
  | { readonly kind: "url" }
  /** A MongoDB ObjectId: 24 hexadecimal digits. */
  | { readonly kind: "objectId" }
  | { readonly kind: "reference"; readonly entity: string }
  /** `tooDeep`: arrays nested more than MAX_TYPE_NESTING levels, which is read no further. */
  | { readonly kind: "unknown"; readonly raw: string; readonly tooDeep?: true };

const SIMPLE_TABLE: Readonly<Record<string, DataType>> = {
  uuid: { kind: "uuid" }, guid: { kind: "uuid" },
  string: { kind: "string", maxLength: null }, varchar: { kind: "string", maxLength: null },
  text: { kind: "text" },
  integer: { kind: "integer", size: "integer" }, int: { kind: "integer", size: "integer" }, int4: { kind: "integer", size: "integer" },
  bigint: { kind: "integer", size: "bigint" }, int8: { kind: "integer", size: "bigint" }, long: { kind: "integer", size: "bigint" },
  smallint: { kind: "integer", size: "smallint" }, int2: { kind: "integer", size: "smallint" },
  float: { kind: "float" }, double: { kind: "float" }, "double precision": { kind: "float" }, real: { kind: "float" },
  number: { kind: "float" }, float32: { kind: "float" }, float64: { kind: "float" }, float4: { kind: "float" }, float8: { kind: "float" },
  int32: { kind: "integer", size: "integer" }, int64: { kind: "integer", size: "bigint" }, int16: { kind: "integer", size: "smallint" },
  str: { kind: "string", maxLength: null },
  object: { kind: "json", binary: false }, map: { kind: "json", binary: false }, any: { kind: "json", binary: false },
  objectid: { kind: "objectId" },
  decimal: { kind: "decimal", precision: null, scale: null }, numeric: { kind: "decimal", precision: null, scale: null },
  boolean: { kind: "boolean" }, bool: { kind: "boolean" },
  date: { kind: "date" },
  timestamp: { kind: "timestamp", timezone: false }, datetime: { kind: "timestamp", timezone: false },
  timestamptz: { kind: "timestamp", timezone: true }, "timestamp with time zone": { kind: "timestamp", timezone: true },
  time: { kind: "time" },
  json: { kind: "json", binary: false }, jsonb: { kind: "json", binary: true },
  email: { kind: "email" }, url: { kind: "url" }, uri: { kind: "url" },
};
const SIMPLE = new Map(Object.entries(SIMPLE_TABLE));

/** A field's type with whether the type itself says the value may be null (`T?`, `T | null`, `Nullable<T>`). */
export interface FieldType {
  readonly type: DataType;
  readonly nullable: boolean;
}

const NULLABLE_WRAPPER = /^(?:nullable|optional|maybe)\s*<(.+)>$/i;

/** Reads a field type, taking a nullable marker off it first: `UUID?`, `string | null`, `null | Integer`, `Nullable<T>`. */
export function parseFieldType(raw: string, entities: readonly string[] = []): FieldType {
  let t = (raw.indexOf("`") >= 0 ? raw.replace(/`/g, "") : raw).trim();
  let nullable = false;
  if (t.endsWith("?") && t.length > 1) {
    nullable = true;
    t = t.slice(0, -1).trim();
  }
  if (t.indexOf("|") >= 0) {
    const parts = t.split("|").map((p) => p.trim());
    const rest = parts.filter((p) => !/^(?:null|undefined|none|nil)$/i.test(p));
    if (rest.length < parts.length && rest.length > 0) {
      nullable = true;
      t = rest.join(" | ");
    }
  }
  const wrapped = NULLABLE_WRAPPER.exec(t);
  if (wrapped) {
    nullable = true;
    t = wrapped[1]!.trim();
  }
  return { type: parseType(t, entities), nullable };
}

/**
 * Reads a type as written in an entity table: `UUID`, `String(255)`, `Varchar(64)`, `Decimal(12,2)`,
 * `Enum(a, b)`, `Array<T>`, `List<T>`, `T[]`, or the name of an entity (`entities` lists the spec's entity names).
 * A nullable marker is not part of the type: see `parseFieldType`.
 */
export function parseType(raw: string, entities: readonly string[] = []): DataType {
  return parseNested(raw, entities, 0);
}

/**
 * How many arrays a type may nest (`Array<Array<T>>`, `T[][]`). Every reader of a type (the mappings, the exporters,
 * the diff) recurses once per level, and each level here reads the rest of the text again: past this depth a type is
 * unknown (and the unknown-type rule says why) instead of a stack overflow or quadratic work.
 */
export const MAX_TYPE_NESTING = 32;

function parseNested(raw: string, entities: readonly string[], depth: number): DataType {
  if (depth > MAX_TYPE_NESTING) return { kind: "unknown", raw, tooDeep: true };
  const t = (raw.indexOf("`") >= 0 ? raw.replace(/`/g, "") : raw).trim();
  let lower = t.toLowerCase();
  if (/\s\s|\t/.test(lower)) lower = lower.replace(/\s+/g, " ");
  const simple = SIMPLE.get(lower);
  if (simple) return simple;
  if (lower.endsWith("[]")) return nestedArray(t.slice(0, -2), raw, entities, depth);
  let m = /^(?:array|list|set|sequence|vec)\s*<(.+)>$/i.exec(t);
  if (m) return nestedArray(m[1]!, raw, entities, depth);
  m = /^(?:map|record|dict|dictionary|object)\s*<.+>$/i.exec(t);
  if (m) return { kind: "json", binary: false };
  m = /^(string|varchar|char|character varying)\s*\(\s*(\d+)\s*\)$/i.exec(t);
  if (m) return { kind: "string", maxLength: Number(m[2]) };
  m = /^(decimal|numeric)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/i.exec(t);
  if (m) return { kind: "decimal", precision: Number(m[2]), scale: m[3] === undefined ? 0 : Number(m[3]) };
  m = /^enum\s*\((.*)\)$/i.exec(t);
  if (m) {
    const values = enumValues(m[1]!);
    return values.length ? { kind: "enum", values } : { kind: "unknown", raw };
  }
  const ref = entities.find((e) => e.toLowerCase() === lower);
  if (ref) return { kind: "reference", entity: ref };
  return { kind: "unknown", raw };
}

/** An array of `items`; unknown as a whole (with the whole text) when its items nest too deep. */
function nestedArray(items: string, raw: string, entities: readonly string[], depth: number): DataType {
  const inner = parseNested(items, entities, depth + 1);
  return inner.kind === "unknown" && inner.tooDeep ? { kind: "unknown", raw, tooDeep: true } : { kind: "array", items: inner };
}

/**
 * Enum values separated by `,` or `|`; a value in quotes may hold either (`'a, b'`), and a doubled quote stands for
 * itself. Read as `/\s*(?:'((?:[^']|'')*)'|"((?:[^"]|"")*)"|([^,|]*?))\s*(?:[,|]|$)/y` would read it, by a scan: the
 * regex's lazy `([^,|]*?)\s*` retries a run of spaces from each of its spaces (quadratic in the run).
 */
function enumValues(list: string): string[] {
  const values: string[] = [];
  const seen = new Set<string>();
  const n = list.length;
  let p = 0;
  while (p < n) {
    let q = p;
    while (q < n && SPACE.test(list[q]!)) q++;
    let value: string | null = null;
    let end = n;
    const c = list[q];
    if (c === "'" || c === '"') {
      // A quoted value: up to the first quote that is not doubled, then only spaces before a separator or the end.
      let x = q + 1;
      while (x < n && (list[x] !== c || list[x + 1] === c)) x += list[x] === c ? 2 : 1;
      let y = x + 1;
      while (y < n && SPACE.test(list[y]!)) y++;
      if (x < n && (y >= n || list[y] === "," || list[y] === "|")) {
        value = list.slice(q + 1, x).replaceAll(c + c, c);
        end = Math.min(n, y + 1);
      }
    }
    if (value === null) {
      let s = q;
      while (s < n && list[s] !== "," && list[s] !== "|") s++;
      value = list.slice(q, s).trimEnd();
      end = Math.min(n, s + 1);
    }
    if (value !== "" && !seen.has(value)) {
      seen.add(value);
      values.push(value);
    }
    p = end;
  }
  return values;
}

const SPACE = /\s/;
