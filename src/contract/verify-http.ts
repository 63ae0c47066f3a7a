// `techspec verify --base-url`: sends each API's documented example request to a running service and checks the
// answer against the spec; every finding points at the spec line that documents what was broken.
import { InputError } from "../workspace/errors.js";
import { componentName } from "../export/openapi.js";
import type { Diagnostic } from "../model/diagnostic.js";
import { sortDiagnostics } from "../model/diagnostic.js";
import type { JsonValue } from "../model/spec.js";
import { printable } from "./printable.js";
import { Contract, isJson, type ContractOperation, type ContractResponse } from "./contract.js";
import { UnreachableError } from "./errors.js";
import { HTTP_CHECKS } from "./checks.js";
import { findingAt, type ContractCheck } from "./finding.js";


const CHECK = Object.fromEntries(HTTP_CHECKS.map((c) => [c.id, c])) as Record<string, ContractCheck>;

export interface HttpVerifyOptions {
  /** The service's base URL; an API's path is appended to its path (`http://host/base` + `/refunds`). */
  readonly baseUrl: string;
  /** Values of path, query and header parameters by name (`--param refundId=…`), before the examples'. */
  readonly params?: Readonly<Record<string, string>>;
  /** Headers sent with every request (`--header "Authorization: Bearer …"`). */
  readonly headers?: readonly (readonly [string, string])[];
  /** Check ids to run; all when absent. */
  readonly checks?: ReadonlySet<string>;
  /** Also send POST, PUT, PATCH and DELETE (against a test instance only). */
  readonly allowWrites?: boolean;
  /** Milliseconds a request may take (10 s by default). */
  readonly timeoutMs?: number;
  /** Requests in flight at once (4 by default). */
  readonly concurrency?: number;
  /** The fetch to use (the global one by default). */
  readonly fetch?: typeof fetch;
}

export interface HttpVerifyResult {
  readonly diagnostics: Diagnostic[];
  /** What was not checked and why (writes not sent, parameters without a value). */
  readonly notes: string[];
  readonly operations: number;
  readonly requests: number;
}

const MAX_BODY = 10 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
/** Headers that carry credentials: left out of the 401 probe, and shown redacted in reproduce lines. */
const CREDENTIAL = /^(?:authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token)$|token|secret|password|api[-_]?key/i;

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string | null;
}

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
  /** The final URL after same-origin redirects. */
  readonly url: string;
}

/** Checks a running service against a spec's APIs. Throws `UnreachableError` when no request got any answer. */
export async function verifyHttp(contract: Contract, options: HttpVerifyOptions): Promise<HttpVerifyResult> {
  const base = parseBaseUrl(options.baseUrl);
  const run = (id: string): boolean => !options.checks || options.checks.has(id);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const diagnostics: Diagnostic[] = [];
  const notes: string[] = [];
  const writesSkipped: string[] = [];
  let requests = 0;
  let answered = 0;
  let networkError: string | null = null;

  const send = async (req: Sent): Promise<Answer | { error: string }> => {
    requests++;
    const result = await exchange(doFetch, req, base, timeoutMs);
    if ("error" in result) networkError ??= result.error;
    else answered++;
    return result;
  };

  const verifyOne = async (op: ContractOperation): Promise<void> => {
    if (!SAFE.has(op.method) && !options.allowWrites) {
      writesSkipped.push(op.label);
      return;
    }
    const built = buildRequest(contract, op, base, options);
    if (typeof built === "string") {
      notes.push(`${op.label} (${contract.parsed.spec.path}:${lineOf(contract, `apis/${op.apiIndex}`)}) not sent: ${built}`);
      return;
    }
    const where = `apis/${op.apiIndex}`;
    const report = (check: string, path: string, message: string, req: Sent, severity?: "error" | "warning"): void => {
      if (run(check)) diagnostics.push(findingAt(contract.parsed, path, CHECK[check]!, `${message}; reproduce: ${curl(req)}`, severity));
    };
    const answer = await send(built);
    if ("error" in answer) {
      report("not-a-server-error", where, `${op.label} got no answer: ${answer.error}`, built);
      return;
    }
    // The probes ask for a documented error; they say something only once the example request itself succeeds.
    if (checkAnswer(contract, op, built, answer, report) && run("errors-documented")) await probeErrors(contract, op, built, answer, options, send, report);
  };

  // Reads first, side by side; then writes one at a time in the spec's order, deletes last, so that no read races a
  // write of the same resource and a delete does not remove what a later request reads.
  const reads = contract.operations.filter((o) => SAFE.has(o.method));
  const writes = contract.operations.filter((o) => !SAFE.has(o.method));
  await pool(reads, options.concurrency ?? 4, verifyOne);
  for (const op of [...writes.filter((o) => o.method !== "DELETE"), ...writes.filter((o) => o.method === "DELETE")]) await verifyOne(op);
  if (requests > 0 && answered === 0) {
    throw new UnreachableError(`${base.origin}: the service cannot be reached (${networkError}); start it, or check --base-url`);
  }
  if (writesSkipped.length) {
    notes.push(`${writesSkipped.length} API${writesSkipped.length === 1 ? "" : "s"} that write${writesSkipped.length === 1 ? "s" : ""} not sent (${writesSkipped.slice(0, 5).join(", ")}${writesSkipped.length > 5 ? ", …" : ""}): give --allow-writes against a test instance to check them`);
  }
  return { diagnostics: sortDiagnostics(diagnostics), notes, operations: contract.operations.length, requests };
}

type Report = (check: string, path: string, message: string, req: Sent, severity?: "error" | "warning") => void;

/** The checks of one answer to the documented example request; whether it got the documented success status. */
function checkAnswer(contract: Contract, op: ContractOperation, req: Sent, answer: Answer, report: Report): boolean {
  const where = `apis/${op.apiIndex}`;
  const documented = op.responses.find((r) => r.status === answer.status);
  if (answer.status >= 500) {
    report("not-a-server-error", where, `${op.label} answered ${answer.status}${snippet(answer.body)} (expected ${op.success.status})`, req);
    return false;
  }
  if (answer.status >= 300 && answer.status < 400) {
    report("status-documented", where, `${op.label} answered ${answer.status}, a redirect to another origin (${printable(answer.url)}), which is not followed`, req);
    return false;
  }
  if (!documented) {
    report("status-documented", where, `${op.label} answered ${answer.status}, which the spec does not document (documented: ${op.responses.map((r) => r.status).join(", ")})`, req);
    return false;
  }
  if (documented.status >= 400) {
    const missing = answer.status === 404 ? ": the endpoint may be missing, or the example's ids do not exist (give --param)" : answer.status === 401 || answer.status === 403 ? ": give credentials with --header" : "";
    report("status-documented", where, `${op.label} answered ${answer.status} (${documented.description}) to the documented example request, expected ${op.success.status}${missing}`, req);
    return false;
  }
  checkContentType(op, documented, req, answer, report);
  checkBody(contract, op, documented, req, answer, report);
  return true;
}

function checkContentType(op: ContractOperation, documented: ContractResponse, req: Sent, answer: Answer, report: Report): void {
  if (documented.mediaType === null || req.method === "HEAD" || answer.status === 204) return;
  const got = (answer.contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const want = documented.mediaType.toLowerCase();
  const ok = got === want || (documented.status >= 400 && isJson(want) && isJson(got));
  if (!ok) report("content-type", documented.at, `${op.label} answered ${answer.status} with Content-Type ${got ? `"${printable(got)}"` : "none"}, expected ${want}`, req);
}

function checkBody(contract: Contract, op: ContractOperation, documented: ContractResponse, req: Sent, answer: Answer, report: Report): void {
  if (documented.schema === null || documented.mediaType === null || !isJson(documented.mediaType) || req.method === "HEAD") return;
  let value: unknown;
  try {
    value = JSON.parse(answer.body);
  } catch (err) {
    report("response-schema", documented.at, `${op.label} answered ${answer.status} with a body that is not JSON (${(err as Error).message})`, req);
    return;
  }
  for (const e of contract.validate(documented.schema, value, "")) {
    const extra = /^has the field "([^"]+)"/.exec(e.message)?.[1];
    if (extra !== undefined) {
      report("response-schema", fieldPath(contract, documented, e.location, "") ?? documented.at, `${op.label} response${e.location ? ` ${pointerLabel(e.location)}` : ""} ${e.message}`, req);
      continue;
    }
    report("response-schema", fieldPath(contract, documented, e.location, e.message) ?? documented.at, `${op.label} response${e.location ? ` field ${pointerLabel(e.location)}` : ""}: ${e.message}`, req);
  }
  for (const extra of undocumentedFields(contract, documented.schema, value, "")) {
    report("response-schema", documented.at, `${op.label} response has the field ${pointerLabel(extra)}, which the spec does not document`, req, "warning");
  }
}

/** The 404 and 401 probes: an unknown id, and no credentials. */
async function probeErrors(contract: Contract, op: ContractOperation, req: Sent, answer: Answer, options: HttpVerifyOptions,
  send: (r: Sent) => Promise<Answer | { error: string }>, report: Report): Promise<void> {
  const notFound = op.responses.find((r) => r.status === 404);
  const pathParams = op.parameters.filter((p) => p.in === "path");
  if (notFound && pathParams.length) {
    const last = pathParams[pathParams.length - 1]!;
    const unknown = unknownValue(last.schema);
    const values = { ...resolveValues(contract, op, options), [last.name]: unknown };
    const probe = { ...req, url: joinUrl(parseBaseUrl(options.baseUrl), fillPath(op.path, values)) };
    const got = await send(probe);
    if (!("error" in got) && got.status !== 404) {
      report("errors-documented", notFound.at, `${op.label} answered ${got.status} to a request for an unknown ${last.name} (${unknown}); the spec documents 404 (${notFound.description})`, probe);
    }
  }
  const unauthorized = op.responses.find((r) => r.status === 401);
  if (unauthorized) {
    const stripped = req.headers.filter(([k]) => !CREDENTIAL.test(k));
    const same = stripped.length === req.headers.length;
    const probe = { ...req, headers: stripped };
    const got = same ? answer : await send(probe);
    if (!("error" in got) && got.status !== 401) {
      report("errors-documented", unauthorized.at, `${op.label} answered ${got.status} to a request without credentials; the spec documents 401 (${unauthorized.description})`, probe);
    }
  }
}

/** The documented example request, or why it cannot be built (a parameter without a value). */
function buildRequest(contract: Contract, op: ContractOperation, base: URL, options: HttpVerifyOptions): Sent | string {
  const values = resolveValues(contract, op, options);
  const headers: [string, string][] = [["accept", op.success.mediaType ? `${op.success.mediaType}, application/problem+json;q=0.9, */*;q=0.1` : "*/*"]];
  const query = new URLSearchParams();
  for (const p of op.parameters) {
    const v = values[p.name];
    if (p.in === "path" && v === undefined) return `no value for the path parameter {${p.name}} in the spec's examples: give --param ${p.name}=VALUE`;
    if (p.in === "query" && v !== undefined) query.set(p.name, v);
    if (p.in === "query" && v === undefined && p.required) return `no value for the required query parameter "${p.name}": give --param ${p.name}=VALUE`;
    if (p.in === "header" && !(options.headers ?? []).some(([k]) => k.toLowerCase() === p.name.toLowerCase())) {
      if (v !== undefined) headers.push([p.name, v]);
      else if (p.required) return `no value for the required header "${p.name}": give --header "${p.name}: VALUE"`;
    }
  }
  headers.push(...(options.headers ?? []).map(([k, v]) => [k, v] as [string, string]));
  let body: string | null = null;
  if (op.requestBody) {
    body = isJson(op.requestBody.mediaType) ? JSON.stringify(op.requestBody.example) : String(op.requestBody.example);
    headers.push(["content-type", op.requestBody.mediaType]);
  }
  const q = query.toString();
  return { method: op.method, url: `${joinUrl(base, fillPath(op.path, values))}${q ? `?${q}` : ""}`, headers, body };
}

/** Parameter values: `--param` first, then the same-named field of this API's examples, then of the other APIs'. */
function resolveValues(contract: Contract, op: ContractOperation, options: HttpVerifyOptions): Record<string, string> {
  const out: Record<string, string> = {};
  const examples: JsonValue[] = [];
  if (op.api.response !== null) examples.push(op.api.response);
  if (op.api.requestBody !== null) examples.push(op.api.requestBody);
  for (const o of contract.operations) if (o !== op && o.api.response !== null) examples.push(o.api.response);
  for (const p of op.parameters) {
    const given = options.params?.[p.name];
    if (given !== undefined) {
      out[p.name] = given;
      continue;
    }
    if (p.in === "header") continue;
    // `refundId` is the `refundId` of an example, or the `id` of this API's own response.
    let v = firstValue(examples, p.name);
    if (v === undefined && p.in === "path" && /(?:id|Id|_id|ID)$/.test(p.name)) v = firstValue(sameResource(contract, op), "id");
    if (v !== undefined) out[p.name] = v;
  }
  return out;
}

/** Examples of the resource an item path names: the responses of the APIs on the same path (this one's first). */
function sameResource(contract: Contract, op: ContractOperation): JsonValue[] {
  const out: JsonValue[] = [];
  for (const o of [op, ...contract.operations]) if (o.path === op.path && o.api.response !== null && !Array.isArray(o.api.response)) out.push(o.api.response);
  return out;
}

/** The first scalar value under a key of that name (case-insensitive) in the examples, breadth first. */
function firstValue(examples: readonly JsonValue[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  const queue: JsonValue[] = [...examples];
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    const v = queue[i]!;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      queue.push(...v.slice(0, 5));
      continue;
    }
    for (const [k, x] of Object.entries(v)) {
      if (k.toLowerCase() === wanted && (typeof x === "string" || typeof x === "number") && String(x) !== "") return String(x);
    }
    queue.push(...Object.values(v));
  }
  return undefined;
}

/** A value of a parameter's type that no service should hold. */
function unknownValue(schema: Record<string, unknown>): string {
  if (schema["format"] === "uuid") return "00000000-0000-4000-8000-00000000dead";
  if (schema["type"] === "integer" || schema["type"] === "number") return "2147483646";
  return "techspec-verify-unknown";
}

function fillPath(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^{}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ""));
}

function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`--base-url "${printable(raw)}" is not a URL (expected e.g. http://127.0.0.1:8080)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new InputError(`--base-url "${printable(raw)}" is not http or https`);
  if (url.username || url.password) throw new InputError("--base-url must not hold credentials; send them with --header \"Authorization: …\"");
  return url;
}

function joinUrl(base: URL, path: string): string {
  return `${base.origin}${base.pathname.replace(/\/+$/, "")}${path}`;
}

/** One request and its answer, following redirects that stay on the base URL's origin. */
async function exchange(doFetch: typeof fetch, req: Sent, base: URL, timeoutMs: number): Promise<Answer | { error: string }> {
  let url = req.url;
  for (let hop = 0; ; hop++) {
    let res: Response;
    try {
      res = await doFetch(url, {
        method: req.method, headers: req.headers.map(([k, v]) => [k, v]) as [string, string][],
        ...(req.body !== null ? { body: req.body } : {}), redirect: "manual", signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      return { error: networkMessage(err, timeoutMs) };
    }
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location && hop < MAX_REDIRECTS) {
      const next = new URL(location, url);
      await res.body?.cancel();
      if (next.origin !== base.origin) return { status: res.status, contentType: res.headers.get("content-type"), body: "", url: next.href };
      url = next.href;
      continue;
    }
    let body: string;
    try {
      body = await readLimited(res, MAX_BODY);
    } catch (err) {
      return { error: networkMessage(err, timeoutMs) };
    }
    return { status: res.status, contentType: res.headers.get("content-type"), body, url };
  }
}

async function readLimited(res: Response, limit: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`the body is larger than ${limit / 1024 / 1024} MiB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function networkMessage(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return `no answer within ${timeoutMs} ms`;
  const cause = e.cause;
  if (cause?.message === "bad port") return "a port that fetch refuses, being another protocol's (run the service on another port)";
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ""}`;
  return cause?.message ?? e.message;
}

/** A curl command line that sends the same request; credential header values shown as <redacted>. */
export function curl(req: Sent): string {
  const q = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
  const parts = ["curl", "-sS", "-i", "-X", req.method, q(req.url)];
  for (const [k, v] of req.headers) {
    if (k === "accept") continue;
    parts.push("-H", q(`${k}: ${CREDENTIAL.test(k) ? "<redacted>" : v}`));
  }
  if (req.body !== null) parts.push("--data-raw", q(req.body.length > 2000 ? `${req.body.slice(0, 2000)}…` : req.body));
  return printable(parts.join(" "), 2400);
}

/** A field of the response's entity (or of any entity) that a schema error names, as a model path. */
function fieldPath(contract: Contract, documented: ContractResponse, location: string, message: string): string | undefined {
  const missing = /missing required field "([^"]+)"/.exec(message)?.[1];
  const name = missing ?? location.split("/").filter((s) => s && !/^\d+$/.test(s)).pop();
  if (!name) return undefined;
  const ref = typeof documented.schema?.["$ref"] === "string" ? (documented.schema["$ref"] as string).split("/").pop() : undefined;
  const entities = contract.parsed.spec.dataModel.entities;
  // The referenced entity's field first, then any entity's of that name.
  const own = entities.findIndex((e) => componentName(e.name) === ref);
  for (const i of [...(own >= 0 ? [own] : []), ...entities.keys()]) {
    const j = entities[i]!.fields.findIndex((f) => f.name === name);
    if (j >= 0) return `dataModel/entities/${i}/fields/${j}`;
  }
  return undefined;
}

/** Keys of objects in the body that the schema's properties (an entity's, through `$ref`) do not name. */
function undocumentedFields(contract: Contract, schema: Record<string, unknown>, value: unknown, at: string, depth = 0): string[] {
  if (depth > 32 || value === null || typeof value !== "object") return [];
  const s = resolveRef(contract, schema);
  if (Array.isArray(value)) {
    const items = s["items"] as Record<string, unknown> | undefined;
    return items && value.length ? undocumentedFields(contract, items, value[0], `${at}/0`, depth + 1) : [];
  }
  const props = s["properties"] as Record<string, Record<string, unknown>> | undefined;
  if (!props) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    // An entity's schema allows no other fields: the validator reports those as errors.
    if (!(k in props)) {
      if (s["additionalProperties"] !== false) out.push(`${at}/${k}`);
    }
    else out.push(...undocumentedFields(contract, props[k]!, v, `${at}/${k}`, depth + 1));
  }
  return out;
}

function resolveRef(contract: Contract, schema: Record<string, unknown>): Record<string, unknown> {
  const ref = schema["$ref"];
  if (typeof ref !== "string") return schema;
  return contract.component(ref) ?? schema;
}

/** `/items/0/sku` → `items[0].sku`. */
function pointerLabel(pointer: string): string {
  return pointer.split("/").filter(Boolean).map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : `${i ? "." : ""}${s}`)).join("") || "(the body)";
}

function snippet(body: string): string {
  const t = body.replace(/\s+/g, " ").trim();
  return t ? ` ("${printable(t, 120)}")` : "";
}

function lineOf(contract: Contract, path: string): number {
  return contract.parsed.pos.get(path)?.line ?? 1;
}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}
