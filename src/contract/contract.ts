// The executable reading of a spec's API Design: one operation per API, with the parameters, bodies and
// responses of the OpenAPI exporter, compiled validators, and a router by method and path template. The mock
// serves it and verify checks a service against it, so both agree with `techspec export openapi` by construction.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { optionalFields } from "../diff/spec-diff.js";
import { editDistance } from "../model/closest.js";
import { exportOpenApiOperations } from "../export/openapi.js";
import type { Api, JsonValue } from "../model/spec.js";
import type { ParseResult } from "../parse/parse-spec.js";

type Schema = Record<string, unknown>;

export interface ContractParameter {
  readonly name: string;
  readonly in: "path" | "query" | "header";
  readonly required: boolean;
  readonly schema: Schema;
  /** Model path of the parameter's line in the spec (`apis/2/parameters/0`), or the API's when it is only in the path. */
  readonly at: string;
}

export interface ContractResponse {
  readonly status: number;
  readonly description: string;
  /** The documented media type, or null for a response without a body (204). */
  readonly mediaType: string | null;
  /** The body's schema, strengthened for checking (see `strict`), or null without a body. */
  readonly schema: Schema | null;
  /** The spec's example of this response, when it has one (the success response's example). */
  readonly example: JsonValue | undefined;
  /** Model path of what documents it: the error bullet, or the response example block, or the API heading. */
  readonly at: string;
}

export interface ContractOperation {
  /** Index of the API in `spec.apis`; its heading is at model path `apis/<apiIndex>`. */
  readonly apiIndex: number;
  readonly api: Api;
  /** Upper case. */
  readonly method: string;
  /** The path template as exported: `/refunds/{refundId}`. */
  readonly path: string;
  readonly parameters: readonly ContractParameter[];
  readonly requestBody: { readonly mediaType: string; readonly schema: Schema; readonly example: JsonValue } | null;
  /** Every documented response, by ascending status. */
  readonly responses: readonly ContractResponse[];
  /** The lowest documented 2xx: what the example request should get. */
  readonly success: ContractResponse;
  /** `GET /refunds/{refundId}`. */
  readonly label: string;
}

export interface ValidationError {
  /** `path.refundId`, `query.limit`, `header.Idempotency-Key`, `body/amount`, `body`. */
  readonly location: string;
  readonly message: string;
}

/** A matched route: the operation and the path parameters' raw values. */
export interface RouteMatch {
  readonly operation: ContractOperation;
  readonly params: Readonly<Record<string, string>>;
}

/** The contract of one spec. */
export class Contract {
  readonly operations: readonly ContractOperation[];
  private readonly ajv: Ajv2020;
  private readonly components: Schema;
  private readonly compiled = new Map<Schema, ValidateFunction>();
  private readonly routes: { operation: ContractOperation; segments: RegExp[]; limits: number[]; names: string[]; literals: number }[];

  constructor(readonly parsed: ParseResult) {
    const { document, operations } = exportOpenApiOperations(parsed.spec);
    this.components = document["components"] as Schema;
    const optional = optionalFields(parsed.spec);
    this.operations = operations.map((o) => readOperation(parsed.spec.apis[o.apiIndex]!, o.apiIndex, o.method, o.path, o.operation, optional));
    this.ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true, validateFormats: true });
    const addFormats = (addFormatsModule as unknown as { default?: (a: Ajv2020) => void }).default ?? (addFormatsModule as unknown as (a: Ajv2020) => void);
    addFormats(this.ajv);
    this.routes = this.operations.map((operation) => {
      const literals = operation.path.split("/").slice(1).filter((p) => !p.includes("{")).length;
      return { operation, ...routePatterns(operation.path), literals };
    });
    // Literal segments win over parameters (`/refunds/export` before `/refunds/{id}`), as every router does.
    this.routes.sort((a, b) => b.literals - a.literals);
  }

  /** The operation for a method and a request path, or what stands in the way: no such path, or not that method. */
  match(method: string, pathname: string): RouteMatch | { readonly allowed: readonly string[] } | null {
    const parts = pathname.replace(/\/+$/, "").split("/").slice(1);
    const allowed: string[] = [];
    const m = method.toUpperCase();
    for (const r of this.routes) {
      if (r.segments.length !== (parts.length === 0 ? 1 : parts.length)) continue;
      const params: Record<string, string> = {};
      const ok = r.segments.every((re, i) => {
        const part = parts[i] ?? "";
        if (part.length > r.limits[i]!) return false;
        const hit = re.exec(part);
        if (!hit) return false;
        for (const [k, v] of Object.entries(hit.groups ?? {})) params[r.names[Number(k.slice(1))]!] = safeDecode(v);
        return true;
      });
      if (!ok) continue;
      if (r.operation.method === m || (m === "HEAD" && r.operation.method === "GET" && !this.routes.some((x) => x.operation.method === "HEAD" && x.operation.path === r.operation.path))) {
        return { operation: r.operation, params };
      }
      if (!allowed.includes(r.operation.method)) allowed.push(r.operation.method);
    }
    return allowed.length ? { allowed } : null;
  }

  /** The documented route closest to a method and path (by edit distance of `METHOD /path`), for a 404's hint. */
  closest(method: string, pathname: string): ContractOperation | null {
    const wanted = `${method.toUpperCase()} ${pathname}`.slice(0, 500);
    let best: ContractOperation | null = null;
    let bestCost = Infinity;
    for (const o of this.operations) {
      const cost = editDistance(wanted, `${o.method} ${o.path}`);
      if (cost < bestCost) {
        best = o;
        bestCost = cost;
      }
    }
    return best;
  }

  /** The schema a `#/components/schemas/<name>` reference names, or undefined. */
  component(ref: string): Schema | undefined {
    const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
    return m ? ((this.components["schemas"] as Record<string, Schema>)[m[1]!]) : undefined;
  }

  /** Errors of a JSON value against a schema of this contract (an entity `$ref` resolves to the document's components). */
  validate(schema: Schema, value: unknown, location: string): ValidationError[] {
    let fn = this.compiled.get(schema);
    if (!fn) {
      fn = this.ajv.compile({ ...schema, components: this.components });
      this.compiled.set(schema, fn);
    }
    if (fn(value)) return [];
    return (fn.errors ?? []).slice(0, 20).map((e) => ({ location: `${location}${e.instancePath}`, message: describe(e) }));
  }

  /** Errors of a request's path, query and header parameters and of its body; empty when it is a valid request. */
  validateRequest(operation: ContractOperation, request: { params: Readonly<Record<string, string>>; query: URLSearchParams; headers: (name: string) => string | undefined; body: string | null; contentType: string | null }): ValidationError[] {
    const errors: ValidationError[] = [];
    for (const p of operation.parameters) {
      const raw = p.in === "path" ? request.params[p.name] : p.in === "query" ? request.query.get(p.name) ?? undefined : request.headers(p.name);
      const location = `${p.in}.${p.name}`;
      if (raw === undefined || raw === "") {
        if (p.required) errors.push({ location, message: `required ${p.in} parameter "${p.name}" is missing` });
        continue;
      }
      errors.push(...this.validate(p.schema, coerce(raw, p.schema), location));
    }
    const body = operation.requestBody;
    if (!body) return errors;
    if (request.body === null || request.body === "") {
      errors.push({ location: "body", message: `a ${body.mediaType} body is required` });
      return errors;
    }
    const type = (request.contentType ?? "").split(";")[0]!.trim().toLowerCase();
    if (isJson(body.mediaType)) {
      if (!isJson(type)) {
        errors.push({ location: "header.Content-Type", message: `expected ${body.mediaType}, got ${type ? `"${type}"` : "none"}` });
        return errors;
      }
      let value: unknown;
      try {
        value = JSON.parse(request.body);
      } catch (err) {
        errors.push({ location: "body", message: `not JSON: ${(err as Error).message}` });
        return errors;
      }
      errors.push(...this.validate(body.schema, value, "body"));
    } else if (type !== body.mediaType.toLowerCase()) {
      errors.push({ location: "header.Content-Type", message: `expected ${body.mediaType}, got ${type ? `"${type}"` : "none"}` });
    }
    return errors;
  }
}

function readOperation(api: Api, apiIndex: number, method: string, path: string, op: Schema, optional: ReadonlySet<string>): ContractOperation {
  const base = `apis/${apiIndex}`;
  const declared = (name: string): string => {
    const i = api.parameters.findIndex((p) => p.name.replace(/^[{:]|}$/g, "").toLowerCase() === name.toLowerCase());
    return i >= 0 ? `${base}/parameters/${i}` : base;
  };
  const parameters = ((op["parameters"] ?? []) as Schema[]).map((p): ContractParameter => ({
    name: p["name"] as string, in: p["in"] as ContractParameter["in"], required: p["required"] === true,
    schema: (p["schema"] ?? {}) as Schema, at: declared(p["name"] as string),
  }));
  let requestBody: ContractOperation["requestBody"] = null;
  const rb = op["requestBody"] as Schema | undefined;
  if (rb && api.requestBody !== null) {
    const [mediaType, media] = Object.entries(rb["content"] as Record<string, Schema>)[0]!;
    requestBody = { mediaType, schema: strict((media["schema"] ?? {}) as Schema, api.requestBody, optional), example: api.requestBody };
  }
  const responses: ContractResponse[] = [];
  for (const [code, r] of Object.entries(op["responses"] as Record<string, Schema>)) {
    const status = Number(code);
    const entry = Object.entries((r["content"] ?? {}) as Record<string, Schema>)[0];
    const success = status < 300;
    const errorIndex = api.errors.findIndex((e) => e.status === code);
    responses.push({
      status, description: String(r["description"] ?? ""),
      mediaType: entry?.[0] ?? null,
      schema: entry ? strict((entry[1]["schema"] ?? {}) as Schema, success ? api.response : null, optional) : null,
      example: success && api.response !== null ? api.response : undefined,
      at: errorIndex >= 0 ? `${base}/errors/${errorIndex}` : success && api.response !== null ? `${base}/response` : base,
    });
  }
  responses.sort((a, b) => a.status - b.status);
  const success = responses.find((r) => r.status >= 200 && r.status < 300)!;
  return { apiIndex, api, method: method.toUpperCase(), path, parameters, requestBody, responses, success, label: `${method.toUpperCase()} ${path}` };
}

/**
 * A body schema made strict enough to check a service: the exporter infers object schemas from examples without
 * `required`; here every field the example has is required unless the Data Model calls it optional (nullable or with
 * a default), and a field whose example is null may hold anything. Entity `$ref`s keep the entity's own `required`.
 */
export function strict(schema: Schema, example: JsonValue | null, optional: ReadonlySet<string>): Schema {
  if (schema["type"] === "null") return {};
  if (schema["type"] === "object" && schema["properties"] && example !== null && typeof example === "object" && !Array.isArray(example)) {
    const props = schema["properties"] as Record<string, Schema>;
    const properties: Record<string, Schema> = {};
    for (const [k, s] of Object.entries(props)) properties[k] = strict(s, example[k] ?? null, optional);
    const required = Object.keys(props).filter((k) => example[k] !== null && example[k] !== undefined && !optional.has(k));
    return { ...schema, properties, ...(required.length ? { required } : {}) };
  }
  if (schema["type"] === "array" && schema["items"] && Array.isArray(example)) {
    return { ...schema, items: strict(schema["items"] as Schema, example[0] ?? null, optional) };
  }
  return schema;
}

/** A query or header value as the schema's type reads it ("5" → 5 for an integer); left a string when it is not one. */
function coerce(raw: string, schema: Schema): unknown {
  const type = schema["type"];
  if ((type === "integer" || type === "number") && raw.trim() !== "" && Number.isFinite(Number(raw))) return Number(raw);
  if (type === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

export function isJson(mediaType: string): boolean {
  return /^application\/(?:[\w.-]+\+)?json$/i.test(mediaType.split(";")[0]!.trim());
}

function describe(e: ErrorObject): string {
  switch (e.keyword) {
    case "required": return `missing required field "${(e.params as { missingProperty: string }).missingProperty}"`;
    case "type": return `expected ${(e.params as { type: string | string[] }).type}, got ${typeName(e.data)}`;
    case "enum": return `expected one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(", ")}, got ${short(e.data)}`;
    case "additionalProperties": return `has the field "${(e.params as { additionalProperty: string }).additionalProperty}", which the spec does not document`;
    case "format": return `expected a ${(e.params as { format: string }).format}, got ${short(e.data)}`;
    default: return e.message ?? e.keyword;
  }
}

function typeName(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" && Number.isInteger(v) ? "integer" : typeof v;
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/**
 * A template's segments as anchored patterns: `{id}` and `{name}.json` capture (groups `p0`, `p1`… numbered across
 * the template), the rest is literal; and the parameters' names in group order.
 */
function routePatterns(path: string): { segments: RegExp[]; limits: number[]; names: string[] } {
  const names: string[] = [];
  const limits: number[] = [];
  const segments = path.split("/").slice(1).map((segment) => {
    limits.push(segmentLimit((segment.match(/\{[^{}]+\}/g) ?? []).length));
    const source = segment.split(/(\{[^{}]+\})/).map((piece) => {
      if (!/^\{[^{}]+\}$/.test(piece)) return piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(piece.slice(1, -1));
      return `(?<p${names.length - 1}>[^/]+?)`;
    }).join("");
    return new RegExp(`^${source}$`);
  });
  return { segments, limits, names };
}

/**
 * The longest request segment matched against a template segment with `k` parameters. One parameter matches in
 * linear time; with k, a failing match can try about n^k / k! splits, so n is bounded to keep that near 4 million
 * steps (k = 2: 2,828 characters; k = 3: 288; k = 4: 98; k = 6: 37): a hostile path cannot hold the event loop.
 */
function segmentLimit(k: number): number {
  if (k <= 1) return Infinity;
  let factorial = 1;
  for (let i = 2; i <= k; i++) factorial *= i;
  return Math.max(16, Math.floor((4e6 * factorial) ** (1 / k)));
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
