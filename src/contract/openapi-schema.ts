// Reading the JSON Schemas of an OpenAPI document as techspec reads a spec: a schema's Data Model type, whether it
// may be null, an object's properties, and an example value of it. Every walk is bounded in depth and in work, and
// follows references only through a RefResolver (a `$ref` cycle ends the walk, it does not loop).
import { kindOf } from "../diff/spec-diff.js";
import type { JsonValue } from "../model/spec.js";
import { MAX_JSON_DEPTH } from "../parse/parse-json.js";
import { MAX_TYPE_NESTING, type DataType } from "../types/data-type.js";
import { objectOf, own, ownString, type JsonObject, type RefResolver } from "./openapi-document.js";

/** How a `$ref` in a schema reads: a named entity, the schema it points at, or unknown (null). */
export type RefLookup = (ref: string) => { readonly entity: string } | { readonly node: unknown } | null;

/** The types a schema's `type` lists (3.0: one string; 3.1: a string or an array). */
function typesOf(s: JsonObject): string[] {
  const t = own(s, "type");
  if (typeof t === "string") return [t];
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : [];
}

/** Whether a schema only says "null" (`type: "null"`, `enum: [null]`, `const: null`). */
function onlyNull(x: unknown): boolean {
  const s = objectOf(x);
  if (!s) return false;
  const types = typesOf(s);
  if (types.length > 0) return types.every((t) => t === "null");
  const e = own(s, "enum");
  return (Array.isArray(e) && e.length > 0 && e.every((v) => v === null)) || (Object.hasOwn(s, "const") && own(s, "const") === null);
}

/** The branches of oneOf/anyOf that do not only say null. */
function nonNullBranches(s: JsonObject, key: "oneOf" | "anyOf", refs: RefResolver | null): unknown[] {
  const list = own(s, key);
  return Array.isArray(list) ? list.filter((b) => !onlyNull(refs ? refs.node(b) ?? b : b)) : [];
}

/**
 * The Data Model type a schema describes, as techspec's exporters write them (string + format uuid → UUID,
 * date-time → Timestamp, maxLength n → String(n), integer int64 → BigInt, number → Decimal, float/double → Float,
 * enum → Enum, items → Array, a `$ref` to an entity → the entity). Null means any value: no type, or one that
 * cannot be read (an unresolved reference, a nesting past MAX_TYPE_NESTING).
 */
export function dataTypeOf(schema: unknown, lookup: RefLookup, depth = 0): DataType | null {
  const s = objectOf(schema);
  if (!s || depth > MAX_TYPE_NESTING) return null;
  const ref = ownString(s, "$ref");
  if (ref !== undefined) {
    const r = lookup(ref);
    if (!r) return null;
    return "entity" in r ? { kind: "reference", entity: r.entity } : dataTypeOf(r.node, lookup, depth + 1);
  }
  const composed = composedType(s, lookup, depth);
  if (composed !== undefined) return composed;
  const types = typesOf(s).filter((t) => t !== "null");
  if (types.length > 1) return { kind: "json", binary: false };
  const type = types[0] ?? inferredType(s);
  switch (type) {
    case "string": return stringType(s);
    case "integer": return integerType(ownString(s, "format"));
    case "number": return numberType(ownString(s, "format"));
    case "boolean": return { kind: "boolean" };
    case "array": {
      const items = dataTypeOf(own(s, "items"), lookup, depth + 1);
      return { kind: "array", items: items ?? { kind: "json", binary: false } };
    }
    case "object": return { kind: "json", binary: false };
    default: return null;
  }
}

/** The type of allOf/oneOf/anyOf: its one meaningful branch, JSON for several, undefined when there is none. */
function composedType(s: JsonObject, lookup: RefLookup, depth: number): DataType | null | undefined {
  const all = own(s, "allOf");
  const branches = [...(Array.isArray(all) ? all : []), ...nonNullBranches(s, "oneOf", null), ...nonNullBranches(s, "anyOf", null)];
  if (branches.length === 0) return undefined;
  const hasOwnType = typesOf(s).some((t) => t !== "null") || Object.hasOwn(s, "properties");
  if (branches.length === 1 && !hasOwnType) return dataTypeOf(branches[0], lookup, depth + 1);
  return { kind: "json", binary: false };
}

function inferredType(s: JsonObject): string | undefined {
  if (Object.hasOwn(s, "properties") || Object.hasOwn(s, "additionalProperties")) return "object";
  if (Object.hasOwn(s, "items")) return "array";
  const e = own(s, "enum");
  if (Array.isArray(e)) {
    const v = e.find((x) => x !== null);
    return typeof v === "string" ? "string" : typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v === "boolean" ? "boolean" : undefined;
  }
  return undefined;
}

const STRING_FORMATS: Readonly<Record<string, DataType>> = {
  uuid: { kind: "uuid" }, date: { kind: "date" }, "date-time": { kind: "timestamp", timezone: false }, time: { kind: "time" },
  email: { kind: "email" }, "idn-email": { kind: "email" }, uri: { kind: "url" }, url: { kind: "url" }, iri: { kind: "url" },
};

function stringType(s: JsonObject): DataType {
  const e = own(s, "enum");
  if (Array.isArray(e)) {
    const values = e.filter((v): v is string => typeof v === "string");
    if (values.length > 0) return { kind: "enum", values };
  }
  const format = ownString(s, "format");
  if (format !== undefined && Object.hasOwn(STRING_FORMATS, format)) return STRING_FORMATS[format]!;
  if (ownString(s, "pattern") === "^[0-9a-fA-F]{24}$") return { kind: "objectId" };
  const max = own(s, "maxLength");
  return { kind: "string", maxLength: typeof max === "number" && Number.isInteger(max) && max >= 0 ? max : null };
}

function integerType(format: string | undefined): DataType {
  return { kind: "integer", size: format === "int64" ? "bigint" : format === "int16" || format === "int8" ? "smallint" : "integer" };
}

function numberType(format: string | undefined): DataType {
  if (format === "float" || format === "double") return { kind: "float" };
  if (format === "int32" || format === "int64") return integerType(format);
  return { kind: "decimal", precision: null, scale: null };
}

/** Whether two readings of a type agree: equal (enum values in any order), or one of them any value (null). */
export function sameType(a: DataType | null, b: DataType | null): boolean {
  return a === null || b === null || typeKey(a) === typeKey(b);
}

function typeKey(t: DataType): string {
  return JSON.stringify(t, (k, v: unknown) => (k === "values" && Array.isArray(v) ? [...(v as string[])].sort() : v));
}

/** Whether a schema admits null: `nullable: true` (3.0), `type: [..., "null"]` (3.1), a null branch of oneOf/anyOf. */
export function nullableOf(schema: unknown, refs: RefResolver): boolean {
  const s = objectOf(refs.node(schema));
  const written = objectOf(schema);
  const says = (x: JsonObject | null): boolean => !!x && (own(x, "nullable") === true || typesOf(x).includes("null") || onlyNull(x)
    || ["oneOf", "anyOf"].some((k) => Array.isArray(own(x, k)) && (own(x, k) as unknown[]).some((b) => onlyNull(refs.node(b)))));
  return says(written) || says(s);
}

/** How many schemas one walk through allOf visits (each once: an allOf graph may share its branches). */
const MAX_ALLOF_NODES = 10_000;

/** Whether a schema describes an object with named properties (what an entity's schema is). */
export function isObjectSchema(schema: unknown, refs: RefResolver): boolean {
  const seen = new Set<unknown>();
  const visit = (x: unknown, depth: number): boolean => {
    const s = objectOf(refs.node(x));
    if (!s || depth > MAX_TYPE_NESTING || seen.has(s) || seen.size >= MAX_ALLOF_NODES) return false;
    seen.add(s);
    if (typesOf(s).includes("object") || Object.hasOwn(s, "properties")) return true;
    const all = own(s, "allOf");
    return Array.isArray(all) && all.some((b) => visit(b, depth + 1));
  };
  return visit(schema, 0);
}

/** The properties of an object schema, through `$ref` and allOf (later ones win), and the names it requires. */
export function objectShape(schema: unknown, refs: RefResolver): { properties: Map<string, unknown>; required: Set<string> } {
  const properties = new Map<string, unknown>();
  const required = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (x: unknown, depth: number): void => {
    const s = objectOf(refs.node(x));
    if (!s || depth > MAX_TYPE_NESTING || seen.has(s) || seen.size >= MAX_ALLOF_NODES) return;
    seen.add(s);
    const all = own(s, "allOf");
    if (Array.isArray(all)) for (const b of all) visit(b, depth + 1);
    const props = objectOf(own(s, "properties"));
    if (props) for (const [k, v] of Object.entries(props)) properties.set(k, v);
    const req = own(s, "required");
    if (Array.isArray(req)) for (const r of req) if (typeof r === "string") required.add(r);
  };
  visit(schema, 0);
  return { properties, required };
}

/** What building an example may spend: nodes of output across one body (a `$ref` graph may expand exponentially). */
const EXAMPLE_BUDGET = 20_000;

/** Whether an example is for a request (readOnly properties left out) or a response (writeOnly ones left out). */
export type Direction = "request" | "response";

interface ExampleContext {
  readonly refs: RefResolver;
  readonly direction: Direction;
  /** References being expanded, outermost first: a reference met again inside itself is a cycle. */
  readonly stack: Set<string>;
  budget: number;
}

/**
 * A representative example of a schema: a value the schema admits, as close to `hint` (the spec's example at the
 * same place) as the schema allows, so that only what the schema does not admit differs. Every property is
 * present (required or not); a branch of oneOf/anyOf and a type of a type list are chosen to fit the hint; a
 * reference cycle is expanded only as far as the hint goes; the value is at most MAX_JSON_DEPTH levels deep.
 */
export function exampleOf(schema: unknown, hint: JsonValue | undefined, refs: RefResolver, direction: Direction): JsonValue {
  return example(schema, hint, { refs, direction, stack: new Set(), budget: EXAMPLE_BUDGET }, 0);
}

function example(schema: unknown, hint: JsonValue | undefined, ctx: ExampleContext, depth: number): JsonValue {
  if (depth > MAX_JSON_DEPTH || --ctx.budget < 0) return null;
  if (schema === true || schema === undefined) return copyJson(hint ?? null, MAX_JSON_DEPTH - depth, ctx);
  const s = objectOf(schema);
  if (!s) return null;
  const ref = ownString(s, "$ref");
  if (ref !== undefined) return referenced(s, ref, hint, ctx, depth);
  const composed = composedExample(s, hint, ctx, depth);
  if (composed !== undefined) return composed;
  const fixed = enumExample(s, hint, ctx, depth);
  if (fixed !== undefined) return fixed;
  return typedExample(s, chosenType(s, hint), hint, ctx, depth);
}

function referenced(s: JsonObject, ref: string, hint: JsonValue | undefined, ctx: ExampleContext, depth: number): JsonValue {
  if (ctx.stack.has(ref) && hint === undefined) return null; // a cycle, with no example left to follow
  const r = ctx.refs.resolve(s);
  if (!r.ok) return copyJson(hint ?? null, MAX_JSON_DEPTH - depth, ctx); // unknown: any value
  const outer = !ctx.stack.has(ref);
  ctx.stack.add(ref);
  try {
    return example(r.node, hint, ctx, depth + 1);
  } finally {
    if (outer) ctx.stack.delete(ref);
  }
}

/** allOf merged (objects' properties together), or the oneOf/anyOf branch that fits the hint; undefined without them. */
function composedExample(s: JsonObject, hint: JsonValue | undefined, ctx: ExampleContext, depth: number): JsonValue | undefined {
  const all = own(s, "allOf");
  if (!Array.isArray(all) && !Array.isArray(own(s, "oneOf")) && !Array.isArray(own(s, "anyOf"))) return undefined;
  if (hint === null && nullableOf(s, ctx.refs)) return null;
  const picked = pickBranch([...nonNullBranches(s, "oneOf", ctx.refs), ...nonNullBranches(s, "anyOf", ctx.refs)], hint, ctx.refs);
  const rest = Object.fromEntries(Object.entries(s).filter(([k]) => k !== "allOf" && k !== "oneOf" && k !== "anyOf"));
  let parts: unknown[] = [...(Array.isArray(all) ? all : []), ...(picked !== undefined ? [picked] : []), ...(STRUCTURE.some((k) => Object.hasOwn(rest, k)) ? [rest] : [])];
  // A part that only says "an object" adds no property, and must not let the hint's keys in as a map would.
  const saying = parts.filter((p) => !bareObject(ctx.refs.node(p)));
  if (saying.length > 0) parts = saying;
  const values = parts.map((p) => example(p, hint, ctx, depth + 1));
  if (values.length > 0 && values.every((v) => objectOf(v))) return Object.fromEntries(values.flatMap((v) => Object.entries(v as object)));
  return values.find((v) => v !== null) ?? null;
}

const STRUCTURE = ["type", "properties", "items", "additionalProperties", "enum", "const"];

/** `{ type: object }` (with annotations at most): no properties, no map of them, no composition. */
function bareObject(x: unknown): boolean {
  const s = objectOf(x);
  return !!s && typesOf(s).includes("object") && ["properties", "additionalProperties", "patternProperties", "allOf", "oneOf", "anyOf", "$ref"].every((k) => !Object.hasOwn(s, k));
}

/** How many branches of a oneOf/anyOf are weighed against the hint. */
const MAX_BRANCHES = 50;

/** The branch whose kind (and, for objects, properties) best fits the hint; the first one without a hint. */
function pickBranch(branches: readonly unknown[], hint: JsonValue | undefined, refs: RefResolver): unknown {
  if (branches.length <= 1 || hint === undefined || hint === null) return branches[0];
  let best = branches[0];
  let bestScore = -1;
  for (const b of branches.slice(0, MAX_BRANCHES)) {
    const score = fit(refs.node(b), hint, refs);
    if (score > bestScore) {
      best = b;
      bestScore = score;
    }
  }
  return best;
}

function fit(schema: unknown, hint: JsonValue, refs: RefResolver): number {
  const s = objectOf(schema);
  if (!s) return 0;
  const types = typesOf(s);
  const kind = kindOf(hint);
  const declared = types.length > 0 ? types : [inferredType(s) ?? ""];
  if (!declared.includes(kind) && !(kind === "integer" && declared.includes("number"))) return declared[0] === "" ? 1 : 0;
  if (kind !== "object") return 2;
  const keys = Object.keys(hint as object);
  const props = objectShape(s, refs).properties;
  return 2 + keys.filter((k) => props.has(k)).length - [...props.keys()].filter((k) => !keys.includes(k)).length / (props.size + 1);
}

/** A const, or an enum value (the hint when it is one of them). */
function enumExample(s: JsonObject, hint: JsonValue | undefined, ctx: ExampleContext, depth: number): JsonValue | undefined {
  if (Object.hasOwn(s, "const")) return copyJson(own(s, "const") as JsonValue, MAX_JSON_DEPTH - depth, ctx);
  const e = own(s, "enum");
  if (!Array.isArray(e) || e.length === 0) return undefined;
  if (hint !== undefined && (hint === null || typeof hint !== "object") && e.includes(hint)) return hint;
  return copyJson((e.find((v) => v !== null) ?? null) as JsonValue, MAX_JSON_DEPTH - depth, ctx);
}

/** The type to build: the one of a type list (or of `nullable`) that fits the hint, else the first; or inferred. */
function chosenType(s: JsonObject, hint: JsonValue | undefined): string | undefined {
  const types = typesOf(s);
  if (hint === null && (types.includes("null") || own(s, "nullable") === true)) return "null";
  const options = types.filter((t) => t !== "null");
  if (options.length === 0) return types.length > 0 ? "null" : inferredType(s);
  const kind = hint === undefined ? undefined : kindOf(hint);
  return options.find((t) => t === kind || (t === "number" && kind === "integer")) ?? options[0];
}

function typedExample(s: JsonObject, type: string | undefined, hint: JsonValue | undefined, ctx: ExampleContext, depth: number): JsonValue {
  switch (type) {
    case "null": return null;
    case "boolean": return typeof hint === "boolean" ? hint : true;
    case "integer": return typeof hint === "number" && Number.isInteger(hint) ? hint : 1;
    case "number": return typeof hint === "number" ? hint : 1.5;
    case "string": return typeof hint === "string" ? hint : sampleString(s);
    case "array": return arrayExample(s, hint, ctx, depth);
    case "object": return objectExample(s, hint, ctx, depth);
    default: {
      // No type: an example written on the schema, else any value (the hint's).
      const written = own(s, "example") ?? (Array.isArray(own(s, "examples")) ? (own(s, "examples") as unknown[])[0] : undefined);
      return copyJson((hint ?? written ?? null) as JsonValue, MAX_JSON_DEPTH - depth, ctx);
    }
  }
}

function sampleString(s: JsonObject): string {
  const written = own(s, "example") ?? own(s, "default");
  return typeof written === "string" ? written : "string";
}

function arrayExample(s: JsonObject, hint: JsonValue | undefined, ctx: ExampleContext, depth: number): JsonValue {
  const items = own(s, "items") ?? true;
  if (Array.isArray(hint)) return hint.length === 0 ? [] : [example(items, hint[0], ctx, depth + 1)];
  return [example(items, undefined, ctx, depth + 1)];
}

function objectExample(s: JsonObject, hint: JsonValue | undefined, ctx: ExampleContext, depth: number): JsonValue {
  const h = hint !== undefined && hint !== null && typeof hint === "object" && !Array.isArray(hint) ? hint : null;
  const hinted = (k: string): JsonValue | undefined => (h && Object.hasOwn(h, k) ? h[k] : undefined);
  const entries: [string, JsonValue][] = [];
  const props = objectOf(own(s, "properties"));
  const skip = ctx.direction === "request" ? "readOnly" : "writeOnly";
  for (const [k, p] of Object.entries(props ?? {})) {
    if (ctx.budget <= 0) break;
    if (own(p, skip) === true || own(ctx.refs.node(p), skip) === true) continue;
    entries.push([k, example(p, hinted(k), ctx, depth + 1)]);
  }
  // A map (additionalProperties a schema or true, or no properties at all) admits the hint's other keys.
  const extra = own(s, "additionalProperties");
  const open = props === null || Object.keys(props).length === 0 ? extra !== false : extra === true || objectOf(extra) !== null;
  if (h && open) {
    for (const [k, v] of Object.entries(h)) if (ctx.budget > 0 && (!props || !Object.hasOwn(props, k))) entries.push([k, example(objectOf(extra) ?? true, v, ctx, depth + 1)]);
  }
  return Object.fromEntries(entries); // own data properties, a "__proto__" key included
}


/**
 * A JSON copy of a value from the document or the spec, for the diff (which reads an array by its first item):
 * at most `levels` deep (deeper values become null), an array's first item only, own properties only, within the
 * budget; what is not JSON (undefined, a function) becomes null.
 */
export function copyJson(v: unknown, levels: number = MAX_JSON_DEPTH, ctx: { budget: number } = { budget: EXAMPLE_BUDGET }): JsonValue {
  if (v === null || v === undefined || --ctx.budget < 0) return null;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return v;
  if (typeof v !== "object" || levels <= 0) return null;
  if (Array.isArray(v)) return v.length === 0 ? [] : [copyJson(v[0], levels - 1, ctx)];
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyJson(x, levels - 1, ctx)]));
}
