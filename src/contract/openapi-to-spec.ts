// An OpenAPI document read as a spec model, so that the semantic diff compares it with the spec: one API per
// operation, one entity per schema of components.schemas that names an entity of the spec. Where the document
// admits several readings (a type without the spec's length, a number for an integer, a oneOf), the reading closest
// to the spec is taken, so that only what the document does not admit differs. The spec itself is first projected
// on what OpenAPI can say (`projectSpec`): indexes, checks and foreign keys have no OpenAPI form and are not compared.
import { componentName } from "../export/openapi.js";
import type { Api, Entity, ErrorResponse, Field, JsonValue, Parameter, Spec } from "../model/spec.js";
import { namedParameters, pathParameters, trailingSlashesStart, unnamedParameters } from "../parse/path-template.js";
import { isJsonMediaType } from "../parse/sections/apis.js";
import { parseFieldType, parseType, type DataType } from "../types/data-type.js";
import { defaultValue, fieldReader, fieldsOf, type FieldInfo } from "../types/field-info.js";
import { jsonSchemaOf, typeLabel } from "../types/mappings.js";
import { objectOf, own, ownString, refName, type JsonObject, type OpenApiDocument, type RefResolver } from "./openapi-document.js";
import { copyJson, dataTypeOf, exampleOf, isObjectSchema, nullableOf, objectShape, sameType, type Direction, type RefLookup } from "./openapi-schema.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** The document as a spec, and what was read of it. */
export interface DocumentModel {
  readonly spec: Spec;
  /** Operations (method and path) the document has. */
  readonly operations: number;
  /** Whether the document has components.schemas (without them its Data Model is not compared). */
  readonly schemas: boolean;
}

/**
 * The spec as an OpenAPI document can say it: APIs whose method is not an OpenAPI one (`FETCH`) left out; each
 * field's constraints reduced to required, nullable, a literal default and string lengths (what `exportJsonSchema`
 * writes), its type without a nullable marker.
 */
export function projectSpec(spec: Spec): Spec {
  const read = fieldReader(spec.dataModel.entities.map((e) => e.name));
  const entities = spec.dataModel.entities.map((e) => ({ name: e.name, fields: fieldsOf(e, read).map(projectField) }));
  return { ...spec, apis: spec.apis.filter((a) => !outsideOpenApi(a)), dataModel: { ...spec.dataModel, entities } };
}

/** Whether an API has a method and a path but the method is none an OpenAPI document can hold. */
export function outsideOpenApi(api: Api): boolean {
  return !!api.method && !!api.endpoint && !(METHODS as readonly string[]).includes(api.method.toLowerCase());
}

function projectField(f: FieldInfo): Field {
  const type = parseFieldType(f.field.type).nullable ? typeLabel(f.type) : f.field.type;
  const lengths = jsonSchemaOf(f.type)["type"] === "string" ? lengthsOf(f) : [];
  const def = defaultValue(f.constraints.find((c) => c.kind === "default"));
  return { name: f.field.name, type, description: "", constraints: constraintText(f.required, f.nullable, def, lengths), required: null, extra: {} };
}

type Length = readonly ["Min length" | "Max length", number];

function lengthsOf(f: FieldInfo): Length[] {
  const out: Length[] = [];
  for (const c of f.constraints) {
    if (c.kind === "minLength") out.push(["Min length", c.value]);
    if (c.kind === "maxLength") out.push(["Max length", c.value]);
  }
  return out;
}

/** A Constraints cell both sides are written in, so that they read back to the same constraints. */
function constraintText(required: boolean, nullable: boolean, def: unknown, lengths: readonly Length[]): string {
  const parts: string[] = [];
  if (required) parts.push("Not null");
  if (nullable) parts.push("Nullable");
  if (def !== undefined) parts.push(`Default ${defaultText(def)}`);
  for (const [label, n] of lengths) parts.push(`${label} ${n}`);
  return parts.join(", ");
}

function defaultText(v: unknown): string {
  if (typeof v === "string") return /^[\w.-]+$/.test(v) ? v : JSON.stringify(v.slice(0, 200));
  return JSON.stringify(copyJson(v, 8)).slice(0, 200);
}

/**
 * The document as a spec, read as close to `guide` (a projected spec) as it admits. Every operation is one API;
 * only those with the spec's method and path are read further. Entities are the schemas of components.schemas
 * named as the spec's entities (schemas of requests, errors and pages are not entities); a document without
 * components.schemas has the spec's Data Model, so that it is not compared.
 */
export function openApiToSpec(doc: OpenApiDocument, guide: Spec, refs: RefResolver): DocumentModel {
  const schemas = objectOf(own(own(doc.root, "components"), "schemas"));
  const lookup = documentLookup(refs, guide);
  const { apis, operations } = documentApis(doc.root, refs, guide, lookup);
  const entities = schemas ? documentEntities(schemas, refs, guide, lookup) : guide.dataModel.entities;
  return { spec: { ...guide, apis, dataModel: { ...guide.dataModel, entities } }, operations, schemas: schemas !== null };
}

/** How the document's `$ref`s read: an object schema of components.schemas is an entity (by the spec's spelling). */
function documentLookup(refs: RefResolver, guide: Spec): RefLookup {
  const spelled = new Map<string, string>();
  for (const e of guide.dataModel.entities) {
    spelled.set(componentName(e.name).toLowerCase(), e.name);
    spelled.set(e.name.toLowerCase(), e.name);
  }
  return (ref) => {
    const r = refs.resolve({ $ref: ref });
    if (!r.ok) return null;
    if (ref.startsWith("#/components/schemas/") && isObjectSchema(r.node, refs)) {
      const name = refName(ref);
      return { entity: spelled.get(name.toLowerCase()) ?? name };
    }
    return { node: r.node };
  };
}

/** How the spec's exported schemas refer to entities (`#/$defs/Refund`). */
const SPEC_LOOKUP: RefLookup = (ref) => ({ entity: refName(ref) });

// ---- Data Model

function documentEntities(schemas: JsonObject, refs: RefResolver, guide: Spec, lookup: RefLookup): Entity[] {
  const keys = new Map<string, string>();
  for (const k of Object.keys(schemas)) if (!keys.has(k.toLowerCase())) keys.set(k.toLowerCase(), k);
  const read = fieldReader(guide.dataModel.entities.map((e) => e.name));
  const out: Entity[] = [];
  for (const e of guide.dataModel.entities) {
    const key = keys.get(componentName(e.name).toLowerCase()) ?? keys.get(e.name.toLowerCase());
    if (key === undefined) continue;
    const expected = new Map(fieldsOf(e, read).map((f) => [f.field.name, f]));
    const shape = objectShape(schemas[key], refs);
    const fields = [...shape.properties].map(([name, p]) => documentField(name, p, shape.required.has(name), expected.get(name), refs, lookup));
    out.push({ name: e.name, fields });
  }
  return out;
}

function documentField(name: string, p: unknown, listed: boolean, expected: FieldInfo | undefined, refs: RefResolver, lookup: RefLookup): Field {
  const node = refs.node(p);
  const nullable = nullableOf(p, refs);
  const { type, lengths } = fieldType(dataTypeOf(p, lookup), expected, own(p, "minLength") ?? own(node, "minLength"));
  const def = own(p, "default") !== undefined ? own(p, "default") : own(node, "default"); // `default: null` is a default
  const description = ownString(p, "description") ?? ownString(node, "description") ?? "";
  return { name, type, description, constraints: constraintText(listed && !nullable, nullable, def, lengths), required: null, extra: {} };
}

/**
 * The field's type as the document says it: the spec's type text when the document's schema is what the spec's
 * type exports to (an integer for BigInt, a number for Decimal(10,2)), else the document's own type.
 */
function fieldType(actual: DataType | null, expected: FieldInfo | undefined, minLength: unknown): { type: string; lengths: Length[] } {
  if (expected && sameType(actual, expectedType(expected))) return { type: expected.field.type, lengths: lengthsOf(expected) };
  const lengths: Length[] = typeof minLength === "number" ? [["Min length", minLength]] : [];
  // A length the spec writes as a constraint of a String is compared as a constraint, not as a String(n) type.
  if (actual?.kind === "string" && actual.maxLength !== null && expected?.type.kind === "string" && expected.type.maxLength === null) {
    return { type: "String", lengths: [...lengths, ["Max length", actual.maxLength]] };
  }
  return { type: actual ? typeLabel(actual) : "any", lengths };
}

/** The type the spec's field reads as once exported (its schema as `exportJsonSchema` writes it, read back). */
function expectedType(f: FieldInfo): DataType | null {
  const schema: Record<string, unknown> = { ...jsonSchemaOf(f.type) };
  const max = f.constraints.find((c) => c.kind === "maxLength");
  if (max && max.kind === "maxLength" && schema["type"] === "string") schema["maxLength"] = max.value;
  return dataTypeOf(schema, SPEC_LOOKUP);
}

// ---- APIs

/** `POST /refunds/{}`: an operation's identity, as the diff pairs APIs (path parameter names and trailing `/` aside). */
function templateKey(method: string, path: string): string {
  const p = unnamedParameters(path);
  return `${method.toUpperCase()} ${p.slice(0, Math.max(1, trailingSlashesStart(p)))}`;
}

/** An API's identity as the exporter writes its path (`/refunds/:id?x=1` → `/refunds/{id}`), or null without one. */
function specKey(api: Api): string | null {
  if (!api.method || !api.endpoint) return null;
  return templateKey(api.method, api.endpoint.split(/[?#\s]/)[0]!.replace(/\/:([A-Za-z_]\w*)/g, "/{$1}"));
}

function documentApis(root: JsonObject, refs: RefResolver, guide: Spec, lookup: RefLookup): { apis: Api[]; operations: number } {
  const byKey = new Map<string, Api>();
  for (const api of guide.apis) {
    const k = specKey(api);
    if (k !== null) byKey.set(k, api); // the last of duplicates, as the diff pairs them
  }
  const bases = serverPaths(root);
  const apis: Api[] = [];
  for (const [path, raw] of Object.entries(objectOf(own(root, "paths")) ?? {})) {
    const item = objectOf(refs.node(raw));
    if (!item) continue;
    for (const method of METHODS) {
      const op = objectOf(own(item, method));
      if (!op) continue;
      let g = byKey.get(templateKey(method, path));
      for (const base of bases) g ??= byKey.get(templateKey(method, base + path));
      // An operation the spec lacks is reported as a whole: nothing more of it is read.
      apis.push(g ? documentApi(method, path, item, op, g, refs, lookup) : bareApi(method, path, op));
    }
  }
  return { apis, operations: apis.length };
}

/** The paths of the document's servers (`https://api.example.com/v1` → `/v1`), under which it may write its paths. */
function serverPaths(root: JsonObject): string[] {
  const servers = own(root, "servers");
  const out: string[] = [];
  for (const server of Array.isArray(servers) ? servers.slice(0, 20) : []) {
    const url = ownString(server, "url");
    if (url === undefined || url.length > 2000 || url.includes("{")) continue; // a server variable: no one path
    let path: string;
    try {
      path = new URL(url, "http://server.invalid").pathname;
    } catch {
      continue;
    }
    path = path.slice(0, trailingSlashesStart(path));
    if (path !== "" && !out.includes(path)) out.push(path);
  }
  return out;
}

function bareApi(method: string, path: string, op: JsonObject): Api {
  return { name: ownString(op, "summary") ?? ownString(op, "operationId") ?? "", endpoint: path, method: method.toUpperCase(), parameters: [],
    requestBody: null, requestMediaType: null, response: null, responseMediaType: null, errors: [] };
}

/** An operation the spec has too, under the spec's path spelling (so the diff pairs them). */
function documentApi(method: string, path: string, item: JsonObject, op: JsonObject, g: Api, refs: RefResolver, lookup: RefLookup): Api {
  const responses = objectOf(refs.node(own(op, "responses"))) ?? {};
  const request = body(own(op, "requestBody"), g.requestBody, g.requestMediaType, "request", refs);
  const response = successBody(responses, g, refs);
  return {
    name: ownString(op, "summary") ?? ownString(op, "operationId") ?? "", endpoint: g.endpoint, method: method.toUpperCase(),
    parameters: documentParameters(path, item, op, g, refs, lookup),
    requestBody: request.value, requestMediaType: request.mediaType, response: response.value, responseMediaType: response.mediaType,
    errors: documentErrors(responses, g, refs),
  };
}

/**
 * The parameters of the path item and the operation (the operation's win). A path parameter is named as the spec
 * names the one at the same place of the path (`{id}` for `{parcelId}`), and left out when the spec does not list it.
 */
function documentParameters(path: string, item: JsonObject, op: JsonObject, g: Api, refs: RefResolver, lookup: RefLookup): Parameter[] {
  const merged = new Map<string, JsonObject>();
  for (const list of [own(item, "parameters"), own(op, "parameters")]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const p = objectOf(refs.node(raw));
      const name = ownString(p, "name");
      const where = ownString(p, "in");
      if (p && name !== undefined && where !== undefined) merged.set(`${where}:${where === "header" ? name.toLowerCase() : name}`, p);
    }
  }
  const declared = new Map<string, Parameter>();
  for (const q of g.parameters) {
    const k = bareName(q.name);
    if (!declared.has(k)) declared.set(k, q);
  }
  const specPath = namedParameters(g.endpoint ?? "");
  const placeOf = new Map(pathParameters(path).map((n, i) => [n, i]));
  const out: Parameter[] = [];
  for (const p of merged.values()) {
    let name = ownString(p, "name")!;
    const place = ownString(p, "in") === "path" ? placeOf.get(name) : undefined;
    if (place !== undefined && specPath[place] !== undefined) name = specPath[place]!;
    const spec = declared.get(bareName(name));
    // The path template already says which path parameters there are; the spec need not list them again.
    if (ownString(p, "in") === "path" && !spec) continue;
    out.push({ name: spec?.name ?? name, type: parameterType(p, spec, refs, lookup), description: ownString(p, "description") ?? null });
  }
  return out;
}

/** A parameter name as the exporter writes it (`{id}`, `:id` → `id`), lower case. */
function bareName(name: string): string {
  return name.replace(/^[{:]|}$/g, "").toLowerCase();
}

/**
 * A parameter's type: the spec's text when the document's schema is what that text exports to (a length the
 * document adds to a String is not a different type), else the document's own.
 */
function parameterType(p: JsonObject, spec: Parameter | undefined, refs: RefResolver, lookup: RefLookup): string | null {
  const content = objectOf(own(p, "content"));
  const schema = own(p, "schema") ?? (content ? own(refs.node(Object.values(content)[0]), "schema") : undefined);
  let actual = dataTypeOf(schema, lookup);
  if (spec) {
    const expected = exportedParameterType(spec.type);
    if (actual?.kind === "string" && expected?.kind === "string" && expected.maxLength === null) actual = expected;
    if (sameType(actual, expected)) return spec.type;
  }
  return actual ? typeLabel(actual) : null;
}

/** The type of a parameter's schema as `exportOpenApi` writes it (a type it cannot say is a string). */
function exportedParameterType(type: string | null): DataType | null {
  const t = type ? parseType(type.replace(/\b(?:required|optional|path|query|header)\b[,\s]*/gi, "").trim()) : null;
  const schema = t && t.kind !== "unknown" && t.kind !== "reference" && t.kind !== "json" ? jsonSchemaOf(t) : { type: "string" };
  return dataTypeOf(schema, SPEC_LOOKUP);
}

interface Body {
  readonly value: JsonValue | null;
  readonly mediaType: string | null;
}

const NO_BODY: Body = { value: null, mediaType: null };

/** The body of the lowest 2xx response that has content (a 204 has none). */
function successBody(responses: JsonObject, g: Api, refs: RefResolver): Body {
  const codes = Object.keys(responses).filter((c) => /^2(?:\d\d|XX)$/i.test(c)).sort();
  for (const code of codes) {
    const r = refs.node(responses[code]);
    const content = objectOf(own(r, "content"));
    if (content && Object.keys(content).length > 0) return body(r, g.response, g.responseMediaType, "response", refs);
  }
  return NO_BODY;
}

/**
 * A request body or response: its media type (the spec's when the document has it, else the first JSON one, else
 * the first) and its example: the document's own (`example`, or the first of `examples`), else one drawn from
 * its schema as close to the spec's example as the schema admits.
 */
function body(raw: unknown, hint: JsonValue | null, hintType: string | null | undefined, direction: Direction, refs: RefResolver): Body {
  const content = objectOf(own(refs.node(raw), "content"));
  const types = content ? Object.keys(content) : [];
  if (!content || types.length === 0) return NO_BODY;
  const wanted = (hintType ?? (hint !== null ? "application/json" : "")).toLowerCase();
  const pick = types.find((t) => bareType(t) === wanted) ?? types.find((t) => isJsonMediaType(bareType(t))) ?? types[0]!;
  const media = objectOf(refs.node(content[pick]));
  const written = writtenExample(media, refs);
  const value = written !== undefined ? written : exampleOf(own(media, "schema"), hint ?? undefined, refs, direction);
  return { value, mediaType: bareType(pick) };
}

/** A media type without its parameters, lower case: `application/json; charset=utf-8` → `application/json`. */
function bareType(t: string): string {
  return t.split(";")[0]!.trim().toLowerCase();
}

/** The example a media type object writes: `example`, or the value of the first of `examples`. */
function writtenExample(media: JsonObject | null, refs: RefResolver): JsonValue | undefined {
  if (!media) return undefined;
  if (Object.hasOwn(media, "example")) return copyJson(media["example"]);
  for (const x of Object.values(objectOf(own(media, "examples")) ?? {})) {
    const ex = objectOf(refs.node(x));
    if (ex && Object.hasOwn(ex, "value")) return copyJson(ex["value"]);
  }
  return undefined;
}

/** The 4xx and 5xx responses (and the 4XX/5XX ranges), spelled as the spec spells the same code. */
function documentErrors(responses: JsonObject, g: Api, refs: RefResolver): ErrorResponse[] {
  const spelled = new Map(g.errors.map((e) => [e.status.toLowerCase(), e.status]));
  const out: ErrorResponse[] = [];
  for (const code of Object.keys(responses)) {
    if (!/^[45](?:\d\d|XX)$/i.test(code)) continue;
    out.push({ status: spelled.get(code.toLowerCase()) ?? code, description: ownString(refs.node(responses[code]), "description") ?? "" });
  }
  return out;
}
