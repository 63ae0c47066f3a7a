// A small real HTTP service (node:http, no framework) that implements test/fixtures/contract/technical-specification.md,
// the tool library's loan service, for the verify suites and the benchmark. `mutation` breaks it one way at a time.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Mutation =
  | "none"
  | "renamed-field" // Get Tool answers `title` instead of `name`
  | "changed-type" // Get Tool's dailyFeeCents is a string
  | "bad-enum" // Get Tool's category is a value the Entity's enum does not have
  | "undocumented-status" // List Tools answers 206
  | "missing-endpoint" // Get Loan is not implemented (a plain 404)
  | "server-error" // Get Tool answers 500
  | "wrong-content-type" // Get Loan answers text/plain
  | "no-auth" // List Tools does not ask for the token
  | "no-404"; // Get Tool answers 200 for an unknown id

export const TOKEN = "Bearer desk-secret-7";
const TOOL = "5b0e8c1d-2f3a-4b6c-8d7e-9f0a1b2c3d4e";
const LOAN = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b";

interface Tool { id: string; name: string; category: string; dailyFeeCents: number; serialNumber: string | null }
interface Loan { id: string; toolId: string; memberEmail: string; dueDate: string; status: string; createdAt: string }

export interface LoanService {
  readonly url: string;
  /** Requests received, as "METHOD /path". */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts the service on a free port of 127.0.0.1. */
export async function startLoanService(mutation: Mutation = "none", options: { tools?: number } = {}): Promise<LoanService> {
  const tools = new Map<string, Tool>([[TOOL, { id: TOOL, name: "Cordless drill", category: "power", dailyFeeCents: 250, serialNumber: "CD-88213" }]]);
  for (let i = 1; i < (options.tools ?? 1); i++) {
    const id = `5b0e8c1d-2f3a-4b6c-8d7e-${String(i).padStart(12, "0")}`;
    tools.set(id, { id, name: `Ladder ${i}`, category: "ladder", dailyFeeCents: 100 + i, serialNumber: null });
  }
  // The spec's example loan, already returned, so the example request to create a loan of the same tool succeeds.
  const loans = new Map<string, Loan>([[LOAN, { id: LOAN, toolId: TOOL, memberEmail: "ada@example.org", dueDate: "2026-12-14", status: "returned", createdAt: "2026-12-01T09:30:00Z" }]]);
  let next = 1;
  const requests: string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://loans.test");
    const path = url.pathname;
    requests.push(`${req.method} ${path}`);
    const json = (status: number, body: unknown, type = "application/json"): void => {
      res.writeHead(status, { "content-type": type });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: string, message: string): void => json(status, { code, message });
    const authorized = req.headers.authorization === TOKEN;
    let m: RegExpExecArray | null;

    if (req.method === "GET" && path === "/api/v1/tools") {
      if (!authorized && mutation !== "no-auth") return error(401, "unauthorized", "missing or invalid token");
      const category = url.searchParams.get("category");
      const list = [...tools.values()].filter((t) => !category || t.category === category).map(({ serialNumber: _s, ...t }) => t);
      return json(mutation === "undocumented-status" ? 206 : 200, list);
    }
    if (req.method === "GET" && (m = /^\/api\/v1\/tools\/([^/]+)$/.exec(path))) {
      if (!authorized) return error(401, "unauthorized", "missing or invalid token");
      if (mutation === "server-error") return error(500, "internal", "the database is gone");
      const tool = tools.get(m[1]!) ?? (mutation === "no-404" ? tools.get(TOOL) : undefined);
      if (!tool) return error(404, "not_found", "no tool has this identifier");
      const body: Record<string, unknown> = { ...tool };
      if (mutation === "renamed-field") {
        body["title"] = body["name"];
        delete body["name"];
      }
      if (mutation === "changed-type") body["dailyFeeCents"] = String(tool.dailyFeeCents);
      if (mutation === "bad-enum") body["category"] = "electric";
      return json(200, body);
    }
    if (req.method === "POST" && path === "/api/v1/loans") {
      if (!authorized) return error(401, "unauthorized", "missing or invalid token");
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      } catch {
        return error(400, "bad_request", "the body is not JSON");
      }
      if (typeof body["toolId"] !== "string" || typeof body["memberEmail"] !== "string" || typeof body["dueDate"] !== "string") {
        return error(400, "bad_request", "toolId, memberEmail and dueDate are required");
      }
      if ([...loans.values()].some((l) => l.toolId === body["toolId"] && l.status === "open")) return error(409, "conflict", "the tool is already lent");
      const id = `0c0c0c0c-0000-4000-8000-${String(next++).padStart(12, "0")}`;
      const loan: Loan = { id, toolId: body["toolId"], memberEmail: body["memberEmail"], dueDate: body["dueDate"], status: "open", createdAt: "2026-12-03T10:00:00Z" };
      loans.set(id, loan);
      return json(201, loan);
    }
    if ((m = /^\/api\/v1\/loans\/([^/]+)$/.exec(path))) {
      if (req.method === "GET" && mutation !== "missing-endpoint") {
        if (!authorized) return error(401, "unauthorized", "missing or invalid token");
        const loan = loans.get(m[1]!);
        if (!loan) return error(404, "not_found", "no loan has this identifier");
        return json(200, loan, mutation === "wrong-content-type" ? "text/plain" : "application/json");
      }
      if (req.method === "DELETE") {
        if (!authorized) return error(401, "unauthorized", "missing or invalid token");
        if (!loans.delete(m[1]!)) return error(404, "not_found", "no loan has this identifier");
        res.writeHead(204);
        res.end();
        return;
      }
    }
    return error(404, "not_found", `no route ${req.method} ${path}`);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: err.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
