import type { Api, JsonValue, Parameter, Spec } from "../model/spec.js";
import { UniqueNames } from "../model/unique-names.js";
import { nestsDeeper } from "../parse/parse-json.js";
import { isJsonMediaType } from "../parse/sections/apis.js";
import { pathParameters, trailingSlashesStart } from "../parse/path-template.js";
import { parseType } from "../types/data-type.js";
import { jsonSchemaOf } from "../types/mappings.js";
import { exportJsonSchema } from "./json-schema.js";
import { specIdentity, type SpecIdentity } from "./spec-identity.js";

type Schema = Record<string, unknown>;

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
const HEADER = /^(?:authorization|x-[\w-]+|if-[\w-]+|idempotency-key|accept(?:-[\w-]+)?|content-[\w-]+|cookie|user-agent|prefer)$/i;

/** One operation of the exported document and the API of the spec it was written from. */
export interface OpenApiOperation {
  /** Index of the API in `spec.apis`. */
  readonly apiIndex: number;
  /** Lower case, as in the document. */
  readonly method: string;
  /** The path template as in the document: `/refunds/{refundId}`. */
  readonly path: string;
  readonly operation: Record<string, unknown>;
}

/**
 * An OpenAPI 3.1 document for a spec: one operation per API, entity schemas in components. `identity` names it
 * (by default `specIdentity(spec)`: a missing Feature ID or title comes from the spec's folder).
 */
export function exportOpenApi(spec: Spec, identity: SpecIdentity = specIdentity(spec)): Record<string, unknown> {
  return exportOpenApiOperations(spec, identity).document;
}

/** The document of `exportOpenApi` and its operations, each with the API it comes from (for the mock and verify). */
export function exportOpenApiOperations(spec: Spec, identity: SpecIdentity = specIdentity(spec)): { document: Record<string, unknown>; operations: OpenApiOperation[] } {
  const id = identity.featureId;
  const title = identity.title;
  const entities = (exportJsonSchema(spec, identity)["$defs"] ?? {}) as Record<string, Schema>;
  const schemas: Record<string, Schema> = { Error: ERROR_SCHEMA };
  for (const [name, s] of Object.entries(entities)) schemas[componentName(name)] = rewriteRefs(s) as Schema;
  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new UniqueNames();
  const operations: OpenApiOperation[] = [];
  for (const [apiIndex, api] of spec.apis.entries()) {
    const method = (api.method ?? "").toLowerCase();
    const path = normalizePath(api.endpoint);
    if (!METHODS.has(method) || path === null) continue; // lint's api-fields rule reports these
    const item = (paths[path] ??= {});
    if (item[method]) continue; // a duplicate operation (a lint warning) is exported once
    item[method] = operation(api, method, path, uniqueId(api, method, operationIds), title, entities);
    operations.push({ apiIndex, method, path, operation: item[method] as Record<string, unknown> });
  }
  const document = {
    openapi: "3.1.0",
    info: {
      title,
      version: spec.metadata.lastUpdated && /^\d{4}-\d{2}-\d{2}$/.test(spec.metadata.lastUpdated) ? spec.metadata.lastUpdated : "0.0.0",
      description: firstParagraph(spec.introduction) || `API of ${title}.`,
      "x-feature-id": id,
      "x-status": spec.metadata.status ?? "Draft",
    },
    servers: [{ url: "/" }],
    tags: [{ name: title, description: `Operations of ${id}.` }],
    paths,
    components: { schemas },
  };
  return { document, operations };
}

const ERROR_SCHEMA: Schema = {
  type: "object",
  description: "The error body shared by every error response.",
  properties: { code: { type: "string", description: "Machine-readable error code." }, message: { type: "string", description: "What went wrong." } },
  required: ["message"],
};

function operation(api: Api, method: string, path: string, operationId: string, tag: string, entities: Record<string, Schema>): Record<string, unknown> {
  const op: Record<string, unknown> = { operationId, summary: api.name || `${method.toUpperCase()} ${path}`, tags: [tag] };
  const pathParams = pathParameters(path);
  const params: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  // The first parameter declared under each name, and the path's names, looked up rather than searched (linear in both).
  const declaredAs = new Map<string, Parameter>();
  for (const p of api.parameters) {
    const name = p.name.replace(/^[{:]|}$/g, "");
    if (!declaredAs.has(name)) declaredAs.set(name, p);
  }
  const inPath = new Set(pathParams);
  for (const name of pathParams) {
    const declared = declaredAs.get(name);
    params.push(parameter(name, "path", declared?.type ?? null, declared?.description ?? null, true));
    seen.add(`path:${name}`);
  }
  for (const p of api.parameters) {
    const name = p.name.replace(/^[{:]|}$/g, "");
    if (inPath.has(name) || !/^[\w.[\]-]+$/.test(name)) continue;
    const where = HEADER.test(name) ? "header" : "query";
    if (seen.has(`${where}:${name.toLowerCase()}`)) continue;
    seen.add(`${where}:${name.toLowerCase()}`);
    params.push(parameter(name, where, p.type, p.description, /\brequired\b/i.test(`${p.type ?? ""} ${p.description ?? ""}`)));
  }
  if (params.length) op["parameters"] = params;
  if (api.requestBody !== null && method !== "get" && method !== "head" && method !== "delete") {
    op["requestBody"] = { required: true, content: content(api.requestBody, api.requestMediaType, entities) };
  }
  const responses: Record<string, unknown> = {};
  // A POST to a collection creates (201); a POST to an action under an item (".../{id}/commit") does not.
  const action = /\}\/[^/{}]+$/.test(path) && !/s$/i.test(path.slice(path.lastIndexOf("/") + 1));
  const success = method === "post" && !action ? "201" : api.response === null && method === "delete" ? "204" : "200";
  responses[success] = api.response !== null && success !== "204"
    ? { description: success === "201" ? "Created." : "Success.", content: content(api.response, api.responseMediaType, entities) }
    : { description: "Success, no content." };
  for (const e of api.errors) {
    if (!/^[45]\d\d$/.test(e.status) || responses[e.status]) continue;
    responses[e.status] = { description: e.description || "Error.", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
  }
  op["responses"] = responses;
  return op;
}

function parameter(name: string, where: string, type: string | null, description: string | null, required: boolean): Record<string, unknown> {
  const t = type ? parseType(type.replace(/\b(?:required|optional|path|query|header)\b[,\s]*/gi, "").trim()) : null;
  const schema = t && t.kind !== "unknown" && t.kind !== "reference" && t.kind !== "json" ? jsonSchemaOf(t) : { type: "string" };
  return { name, in: where, ...(description ? { description } : {}), required: where === "path" ? true : required, schema };
}

/**
 * The content of a body by its media type (application/json for a model without one): a JSON example with its schema,
 * a text example (markdown, XML, …) as a string.
 */
function content(example: JsonValue, mediaType: string | null | undefined, entities: Record<string, Schema>): Record<string, unknown> {
  const type = mediaType ?? "application/json";
  if (isJsonMediaType(type)) return { [type]: media(example, entities) };
  return { [type]: { schema: { type: "string" }, ...(typeof example === "string" ? { example } : {}) } };
}

/**
 * A media type: the example kept, and a schema that the example validates against. The parser reads examples to
 * MAX_JSON_DEPTH levels; a deeper one (a model built by hand) is left out rather than recursed into.
 */
function media(example: JsonValue, entities: Record<string, Schema>): Record<string, unknown> {
  if (nestsDeeper(example)) return { schema: {} };
  return { schema: schemaFor(example, entities), example };
}

/** `$ref` to an entity when the example is one (all its required fields, nothing else, each value valid); else inferred. */
function schemaFor(v: JsonValue, entities: Record<string, Schema>): Schema {
  if (Array.isArray(v)) return v.length ? { type: "array", items: schemaFor(v[0]!, entities) } : { type: "array", items: {} };
  if (v === null) return { type: "null" };
  if (typeof v !== "object") return { type: typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v };
  const keys = Object.keys(v);
  for (const [name, e] of Object.entries(entities)) {
    const props = e["properties"] as Record<string, Schema>;
    const required = e["required"] as string[];
    if (keys.length >= 2 && keys.every((k) => props[k] && valid(v[k]!, props[k]!, entities)) && required.every((r) => keys.includes(r))) {
      return { $ref: `#/components/schemas/${componentName(name)}` };
    }
  }
  // Not a whole entity: still take a field's schema (format, enum, length) where the key is one of the
  // best-matching entity's fields and the example's value satisfies it.
  let best: Record<string, Schema> | undefined;
  let hits = 1;
  for (const e of Object.values(entities)) {
    const props = e["properties"] as Record<string, Schema>;
    const n = keys.filter((k) => props[k]).length;
    if (n > hits) {
      best = props;
      hits = n;
    }
  }
  const properties: Record<string, Schema> = {};
  for (const k of keys) {
    const field = best?.[k];
    properties[k] = field && valid(v[k]!, field, entities) ? (rewriteRefs(field) as Schema) : schemaFor(v[k]!, entities);
  }
  return { type: "object", properties };
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  "date-time": /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i,
  time: /^\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/i,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[a-z][a-z0-9+.-]*:\S*$/i,
};

/** Whether a value satisfies one of the schemas techspec generates (type, format, enum, maxLength, items, anyOf, $ref). */
function valid(v: JsonValue, s: Schema, entities: Record<string, Schema>): boolean {
  if (Array.isArray(s["anyOf"])) return (s["anyOf"] as Schema[]).some((x) => valid(v, x, entities));
  if (typeof s["$ref"] === "string") {
    const e = entities[(s["$ref"] as string).split("/").pop()!];
    return !!e && v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).every((k) => {
      const p = (e["properties"] as Record<string, Schema>)[k];
      return p !== undefined && valid(v[k]!, p, entities);
    });
  }
  if (Array.isArray(s["enum"]) && !(s["enum"] as unknown[]).includes(v)) return false;
  const types = s["type"] === undefined ? null : ([] as unknown[]).concat(s["type"]);
  if (types) {
    const t = v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v;
    if (!types.includes(t) && !(t === "integer" && types.includes("number"))) return false;
  }
  if (typeof v === "string") {
    const f = typeof s["format"] === "string" ? FORMATS[s["format"] as string] : undefined;
    if (f && !f.test(v)) return false;
    if (typeof s["maxLength"] === "number" && [...v].length > (s["maxLength"] as number)) return false;
  }
  if (Array.isArray(v) && s["items"]) return v.every((x) => valid(x, s["items"] as Schema, entities));
  return true;
}

function normalizePath(endpoint: string | null): string | null {
  if (!endpoint || !endpoint.startsWith("/")) return null;
  let p = endpoint.split(/[?#\s]/)[0]!.replace(/\/:([A-Za-z_]\w*)/g, "/{$1}");
  // Trailing slashes off, but not the path's first character (`.replace(/(.)\/+$/, "$1")`, without its retries).
  p = p.slice(0, Math.max(1, trailingSlashesStart(p)));
  return /^\/[\w\-./{}~%]*$/.test(p) ? p : null;
}

function uniqueId(api: Api, method: string, used: UniqueNames): string {
  const words = (api.name || `${method} ${api.endpoint ?? ""}`).replace(/[^A-Za-z0-9]+/g, " ").trim().split(" ").filter(Boolean);
  let base = words.map((w, i) => (i === 0 ? w[0]!.toLowerCase() + w.slice(1) : w[0]!.toUpperCase() + w.slice(1))).join("") || method;
  if (!/^[A-Za-z_]/.test(base)) base = `op${base}`;
  return used.take(base, (i) => `${base}${i}`);
}

/** The components/schemas key of an entity. */
export function componentName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_");
}

function rewriteRefs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(rewriteRefs);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    out[k] = k === "$ref" && typeof x === "string" ? x.replace("#/$defs/", "#/components/schemas/") : rewriteRefs(x);
  }
  return out;
}

function firstParagraph(text: string | null): string {
  return (text ?? "").split(/\n\s*\n/)[0]!.replace(/\s+/g, " ").trim();
}
