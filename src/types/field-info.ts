import type { Entity, Field } from "../model/spec.js";
import { detached, StringMemo } from "../model/memo.js";
import { parseConstraints, type Constraint } from "./constraints.js";
import { parseFieldType, type FieldType } from "./data-type.js";
import type { DataType } from "./data-type.js";

/** A field with its type and constraints read, as every exporter needs them. */
export interface FieldInfo {
  readonly field: Field;
  readonly type: DataType;
  readonly constraints: readonly Constraint[];
  readonly primaryKey: boolean;
  /** Required: a primary key or Not null (and not Nullable). */
  readonly required: boolean;
  readonly nullable: boolean;
  /** Parts of the Constraints cell that are not constraints techspec knows, as written. */
  readonly unknownConstraints: readonly string[];
}

/**
 * A reader of a spec's fields; `entities` are the spec's entity names, for references. Fields repeat
 * their spellings ("UUID", "Not null"), so each type and each constraints text is read once per reader.
 */
export function fieldReader(entities: readonly string[]): (field: Field) => FieldInfo {
  const byField = new Map<Field, FieldInfo>();
  const types = new Map<string, FieldType>();
  return (field) => {
    let info = byField.get(field);
    if (info) return info;
    let typed = types.get(field.type);
    if (!typed) types.set(field.type, (typed = typeOf(field.type, entities)));
    const read = constraintsOf(field.constraints);
    const flag = requiredFlag(field.required);
    const constraints = flag.note ? [...read.constraints, ...constraintsOf(flag.note).constraints] : read.constraints;
    const unknown = flag.note ? [...read.unknown, ...constraintsOf(flag.note).unknown] : read.unknown;
    const primaryKey = constraints.some((c) => c.kind === "primaryKey");
    const nullable = !primaryKey && (constraints.some((c) => c.kind === "nullable") || typed.nullable || flag.required === false);
    const required = !nullable && (primaryKey || flag.required === true || constraints.some((c) => c.kind === "notNull"));
    info = { field, type: typed.type, constraints, primaryKey, required, nullable, unknownConstraints: unknown };
    byField.set(field, info);
    return info;
  };
}

// Spellings repeat across the specs of a run ("UUID", "Not null, Unique"): what does not depend on the spec is read
// once and shared, in two bounded memos (cleared when full) of pure functions of the text. See ARCHITECTURE.md.
const MEMO_LIMIT = 4000;
const sharedConstraints = new StringMemo<ReturnType<typeof parseConstraints>>(MEMO_LIMIT);
const sharedTypes = new StringMemo<FieldType>(MEMO_LIMIT);

/** A Constraints text read (results are plain frozen data, shared between specs). */
function constraintsOf(text: string): ReturnType<typeof parseConstraints> {
  return sharedConstraints.of(text, parseConstraints);
}

/** A type read; only types that name no entity (and so mean the same in every spec) are shared. */
function typeOf(raw: string, entities: readonly string[]): FieldType {
  const hit = sharedTypes.get(raw);
  if (hit) return hit;
  // Read from a detached copy: a shared reading must not keep the spec's text alive through its substrings.
  const t = parseFieldType(detached(raw), entities);
  return independent(t.type) ? sharedTypes.set(raw, t) : t;
}

/** Whether a type's reading did not depend on the spec's entity names (no reference, nothing unknown). */
function independent(t: DataType): boolean {
  return t.kind === "array" ? independent(t.items) : t.kind !== "reference" && t.kind !== "unknown";
}

const NO_FLAG: { readonly required: null; readonly note: null } = Object.freeze({ required: null, note: null });

/** Reads a Required cell: `Yes`, `No`, `Y`, `true`, `✓`, `Optional`, with a note in parentheses read as constraints (`Yes (PK)`). */
export function requiredFlag(cell: string | null): { readonly required: boolean | null; readonly note: string | null } {
  if (cell === null) return NO_FLAG;
  return sharedFlags.of(cell, readFlag);
}

// Required cells are a handful of spellings ("Yes", "No", "Yes (PK)"): read once per run, like types and constraints.
const sharedFlags = new StringMemo<{ readonly required: boolean | null; readonly note: string | null }>(MEMO_LIMIT);

function readFlag(cell: string): { readonly required: boolean | null; readonly note: string | null } {
  const t = cell.trim();
  const m = parenthesized(t);
  const word = (m ? m[1]! : t).toLowerCase().replace(/[.!]$/, "");
  const note = m ? m[2]!.trim() || null : null;
  if (/^(?:yes|y|true|required|mandatory|✓|✔|x|always)$/.test(word)) return { required: true, note };
  if (/^(?:no|n|false|optional|-|—|–)$/.test(word)) return { required: false, note };
  return { required: null, note: word === "" ? note : null };
}

/**
 * `/^([^(]*?)\s*\(([^)]*)\)\s*$/.exec(t)` for a trimmed `t`, without the regex's lazy prefix retrying a run of spaces
 * from each of its spaces: the note is between the first `(` and the first `)` after it, which must end the text.
 */
function parenthesized(t: string): [string, string, string] | null {
  const open = t.indexOf("(");
  if (open < 0) return null;
  const close = t.indexOf(")", open + 1);
  if (close < 0 || /\S/.test(t.slice(close + 1))) return null;
  return [t, t.slice(0, open).trimEnd(), t.slice(open + 1, close)];
}

/** Reads every (distinct) field of an entity with `read` (see `fieldReader`). */
export function fieldsOf(entity: Entity, read: (field: Field) => FieldInfo): FieldInfo[] {
  // A field declared twice (which lint reports) is exported once, as first declared.
  const seen = new Set<string>();
  return entity.fields.filter((f) => f.name !== "" && !seen.has(f.name) && seen.add(f.name) !== undefined).map(read);
}

/** The JSON value of a Default constraint (number, boolean, null or string), or undefined for now() and expressions. */
export function defaultValue(c: Constraint | undefined): unknown {
  if (!c || c.kind !== "default" || c.now) return undefined;
  const v = c.value.trim();
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  if (/^null$/i.test(v)) return null;
  const quoted = /^'(.*)'$|^"(.*)"$/.exec(v);
  if (quoted) return quoted[1] ?? quoted[2];
  if (/^[\w.-]+$/.test(v)) return v;
  return undefined;
}
