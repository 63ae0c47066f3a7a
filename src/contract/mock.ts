// `techspec mock`: a stateless HTTP server that answers every API of a spec from the spec's own examples,
// validating each request against the schemas the OpenAPI exporter infers.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { JsonValue } from "../model/spec.js";
import { printable } from "./printable.js";
import { Contract, isJson, type ContractOperation, type ContractResponse, type ValidationError } from "./contract.js";

export interface MockOptions {
  /** One line per request: method, path, status, the API and its spec line, duration. */
  readonly log?: (line: string) => void;
  /** Milliseconds since an arbitrary origin, for the durations in the log (injected, like every clock). */
  readonly timer?: () => number;
  /** Largest request body accepted, in bytes (1 MiB by default). */
  readonly bodyLimit?: number;
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** The mock of one parsed spec as a Fastify app (not listening yet): `app.listen({ port, host })` serves it. */
export function createMock(contract: Contract, options: MockOptions = {}): FastifyInstance {
  const timer = options.timer ?? (() => performance.now());
  const file = contract.parsed.spec.path;
  const app = Fastify({
    logger: false, bodyLimit: options.bodyLimit ?? 1024 * 1024, return503OnClosing: true,
    // A URL the router cannot decode is refused like any other bad request, as a problem.
    frameworkErrors: (err, _req, reply) => void sendProblem(reply, 400, "Bad request", err.message),
  });
  // Bodies arrive as text whatever their type: the contract validates them, so a broken one is a 422, not a crash.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));

  app.addHook("onRequest", async (req, reply) => {
    (req as { started?: number }).started = timer();
    reply.header("access-control-allow-origin", req.headers.origin ?? "*");
    if (req.headers.origin) reply.header("vary", "Origin");
    reply.header("access-control-expose-headers", "*");
  });
  app.addHook("onResponse", async (req, reply) => {
    if (!options.log) return;
    const api = (req as { api?: ContractOperation }).api;
    const where = api ? ` ${JSON.stringify(api.api.name)} ${file}:${lineOf(contract, api)}` : "";
    const ms = Math.round(timer() - ((req as { started?: number }).started ?? timer()));
    options.log(`${req.method} ${printable(req.url)} → ${reply.statusCode}${where} (${ms} ms)`);
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return sendProblem(reply, status, status === 413 ? "Request body too large" : "Bad request", err.message);
  });
  app.route({ method: [...METHODS], url: "/*", handler: (req, reply) => handle(contract, req, reply) });
  app.route({ method: [...METHODS], url: "/", handler: (req, reply) => handle(contract, req, reply) });
  return app;
}

async function handle(contract: Contract, req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const url = new URL(req.url, "http://mock.invalid");
  const pathname = url.pathname;
  if (req.method === "OPTIONS" && req.headers["access-control-request-method"]) return preflight(contract, req, reply, pathname);
  const found = contract.match(req.method, pathname);
  if (found === null) {
    const near = contract.closest(req.method, pathname);
    return sendProblem(reply, 404, "No such route", `${req.method} ${printable(pathname)} is not an API of the spec${near ? `; the closest documented route is ${near.label}` : ""}`);
  }
  if ("allowed" in found) {
    reply.header("allow", found.allowed.join(", "));
    return sendProblem(reply, 405, "Method not allowed", `${printable(pathname)} documents ${found.allowed.join(", ")}, not ${req.method}`);
  }
  const op = found.operation;
  (req as { api?: ContractOperation }).api = op;
  const prefer = parsePrefer(req.headers["prefer"]);
  const chosen = chooseResponse(op, prefer);
  if (typeof chosen === "string") return sendProblem(reply, 400, "Unsatisfiable Prefer header", chosen);
  const body = typeof req.body === "string" ? req.body : null;
  const errors = contract.validateRequest(op, {
    params: found.params, query: url.searchParams, body, contentType: req.headers["content-type"] ?? null,
    headers: (name) => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v.join(", ") : v;
    },
  });
  // A request for a documented error status is answered with it, valid or not: that is what the client asked to see.
  if (errors.length && chosen.status < 400) return invalid(op, reply, errors);
  if (prefer.code !== undefined || prefer.example !== undefined) reply.header("preference-applied", [prefer.code !== undefined ? `code=${prefer.code}` : "", prefer.example !== undefined ? `example=${prefer.example}` : ""].filter(Boolean).join(", "));
  return sendResponse(reply, chosen);
}

interface Prefer {
  readonly code?: string;
  readonly example?: string;
}

/** `Prefer: code=404, example=refund` (RFC 7240 preferences, comma or semicolon separated; values may be quoted). */
function parsePrefer(header: string | string[] | undefined): Prefer {
  const out: { code?: string; example?: string } = {};
  for (const part of ([] as string[]).concat(header ?? []).join(",").split(/[,;]/)) {
    const m = /^\s*(code|example)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
    if (m) out[m[1]!.toLowerCase() as "code" | "example"] = m[2]!.trim();
  }
  return out;
}

/** The response to send: the lowest documented 2xx, or what Prefer asks for; a string says why that cannot be. */
function chooseResponse(op: ContractOperation, prefer: Prefer): ContractResponse | string {
  const codes = op.responses.map((r) => r.status).join(", ");
  let chosen = op.success;
  if (prefer.code !== undefined) {
    const r = op.responses.find((x) => String(x.status) === prefer.code);
    if (!r) return `${op.label} documents status ${codes}, not ${printable(prefer.code)} (Prefer: code=${op.success.status})`;
    chosen = r;
  }
  if (prefer.example !== undefined) {
    const named = op.responses.filter((r) => r.example !== undefined);
    const r = named.find((x) => exampleName(x) === prefer.example || String(x.status) === prefer.example);
    if (!r) return `${op.label} has ${named.length ? `the example${named.length > 1 ? "s" : ""} ${named.map(exampleName).join(", ")}` : "no examples"}, not ${printable(prefer.example)}`;
    if (prefer.code !== undefined && r !== chosen) return `the example ${printable(prefer.example)} of ${op.label} is the ${r.status} response's, not the ${chosen.status} one's`;
    chosen = r;
  }
  return chosen;
}

/** The name by which `Prefer: example=` picks a response's example: "default" for the success, else its status. */
function exampleName(r: ContractResponse): string {
  return r.status < 300 ? "default" : String(r.status);
}

function invalid(op: ContractOperation, reply: FastifyReply, errors: readonly ValidationError[]): FastifyReply {
  // The spec's own status for a refused request when it documents one, else 422: a body that cannot be read at all
  // (not JSON, another media type) is a 400 first, one that breaks the schema a 422 first, as Prism answers.
  const unreadable = errors.some((e) => e.location === "header.Content-Type" || (e.location === "body" && /^not JSON/.test(e.message)));
  const order = unreadable ? [400, 422] : [422, 400];
  const documented = op.responses.find((r) => r.status === order[0]) ?? op.responses.find((r) => r.status === order[1]);
  const status = documented?.status ?? 422;
  return sendProblem(reply, status, documented?.description || "Invalid request", `${errors.length} problem${errors.length === 1 ? "" : "s"} with the request to ${op.label}: ${errors[0]!.location}: ${errors[0]!.message}`, errors);
}

function sendResponse(reply: FastifyReply, r: ContractResponse): FastifyReply {
  reply.code(r.status);
  if (r.status === 204 || r.status === 304 || r.mediaType === null) return reply.send();
  if (r.example !== undefined) {
    reply.type(r.mediaType);
    return reply.send(isJson(r.mediaType) ? JSON.stringify(r.example) : String(r.example as JsonValue));
  }
  return sendProblem(reply, r.status, r.description || "Error", r.description || `status ${r.status}`);
}

/**
 * An RFC 9457 problem body. It also carries `message`, the field the exported OpenAPI document's Error schema requires,
 * so the mock's error answers validate against the document it is built from.
 */
function sendProblem(reply: FastifyReply, status: number, title: string, detail: string, errors?: readonly ValidationError[]): FastifyReply {
  reply.code(status).type("application/problem+json");
  return reply.send(JSON.stringify({ type: "about:blank", title, status, detail, message: detail, ...(errors ? { errors } : {}) }));
}

function preflight(contract: Contract, req: FastifyRequest, reply: FastifyReply, pathname: string): FastifyReply {
  const methods = METHODS.filter((m) => {
    const found = contract.match(m, pathname);
    return found !== null && "operation" in found;
  });
  reply.code(204);
  reply.header("access-control-allow-methods", (methods.length ? methods : METHODS).join(", "));
  const asked = req.headers["access-control-request-headers"];
  if (asked) reply.header("access-control-allow-headers", asked);
  reply.header("access-control-max-age", "600");
  return reply.send();
}

function lineOf(contract: Contract, op: ContractOperation): number {
  return contract.parsed.pos.get(`apis/${op.apiIndex}`)?.line ?? 1;
}
