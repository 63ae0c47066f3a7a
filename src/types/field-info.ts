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

/** Reads one field's type and constraints; `entities` are the spec's entity names, for references. */
export function readField(field: Field, entities: readonly string[]): FieldInfo {
  const { constraints, unknown } = parseConstraints(field.constraints);
  return fieldInfo(field, parseType(field.type, entities), constraints, unknown);
}

/** A field's info from its already-read type and constraints. */
export function fieldInfo(field: Field, type: DataType, constraints: readonly Constraint[], unknown: readonly string[]): FieldInfo {
  const primaryKey = constraints.some((c) => c.kind === "primaryKey");
  const nullable = constraints.some((c) => c.kind === "nullable") && !primaryKey;
  const required = !nullable && (primaryKey || constraints.some((c) => c.kind === "notNull"));
  return { field, type, constraints, primaryKey, required, nullable, unknownConstraints: unknown };
}

/** Reads every (distinct) field of an entity; `entities` are the spec's entity names, for references. */
export function fieldsOf(entity: Entity, entities: readonly string[]): FieldInfo[] {
  // A field declared twice (which lint reports) is exported once, as first declared.
  const seen = new Set<string>();
  const fields = entity.fields.filter((f) => f.name !== "" && !seen.has(f.name) && seen.add(f.name) !== undefined);
  return fields.map((field) => readField(field, entities));
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
