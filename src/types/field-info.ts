import type { Entity, Field } from "../model/spec.js";
import { parseConstraints, type Constraint } from "./constraints.js";
import { parseType, type DataType } from "./data-type.js";

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
  const types = new Map<string, DataType>();
  const constraintTexts = new Map<string, ReturnType<typeof parseConstraints>>();
  return (field) => {
    let info = byField.get(field);
    if (info) return info;
    let type = types.get(field.type);
    if (!type) types.set(field.type, (type = parseType(field.type, entities)));
    let read = constraintTexts.get(field.constraints);
    if (!read) constraintTexts.set(field.constraints, (read = parseConstraints(field.constraints)));
    const { constraints, unknown } = read;
    const primaryKey = constraints.some((c) => c.kind === "primaryKey");
    const nullable = constraints.some((c) => c.kind === "nullable") && !primaryKey;
    const required = !nullable && (primaryKey || constraints.some((c) => c.kind === "notNull"));
    info = { field, type, constraints, primaryKey, required, nullable, unknownConstraints: unknown };
    byField.set(field, info);
    return info;
  };
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
