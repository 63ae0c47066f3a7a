// A spec with `resources` × 5 APIs (list, get, create, replace, delete of each resource) and a real node:http service
// that conforms to it, for the benchmark of verify and a scale test: 10 resources make the 50-API spec.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

const CATEGORIES = ["alpha", "beta", "gamma"];

/** The Markdown of the spec: one entity and five APIs per resource. */
export function catalogSpec(resources: number): string {
  const out: string[] = [
    "# Technical Specification: Parts Catalog", "", "## Overview", "", "**Feature ID**: FEAT-0777  ", "**Author**: Rui Almeida  ",
    "**Created Date**: 2026-09-01  ", "**Last Updated**: 2026-11-30  ", "**Status**: Draft", "", "## Introduction", "",
    `A catalog of ${resources} kinds of parts, each with the same five operations.`, "", "## Architecture", "", "One service.", "", "### Data Model", "",
  ];
  for (let r = 0; r < resources; r++) {
    out.push(`#### Entity ${r + 1}: Part${r}`, "", "| Field | Type | Description | Constraints |", "|-------|------|-------------|-------------|",
      "| id | UUID | Identifier | Primary key |", "| label | Varchar(60) | Printed label | Not null |",
      `| kind | Enum(${CATEGORIES.join(", ")}) | Family of the part | Not null |`, "| weightGrams | Integer | Weight | Not null, Check >= 0 |",
      "| addedAt | Timestamp | When it was added | Not null, Default now() |", "");
  }
  out.push("### API Design", "", "Every endpoint answers `application/json`.", "");
  let n = 1;
  for (let r = 0; r < resources; r++) {
    const item = example(r, 0);
    const body = { label: item.label, kind: item.kind, weightGrams: item.weightGrams };
    const block = (v: unknown): string[] => ["  ```json", ...JSON.stringify(v, null, 2).split("\n").map((l) => `  ${l}`), "  ```"];
    const api = (name: string, method: string, path: string, params: string[], request: unknown, response: unknown, errors: string[]): void => {
      out.push(`#### API ${n++}: ${name}`, "", `- **Endpoint**: \`${path}\``, `- **Method**: ${method}`);
      if (params.length) out.push("- **Request Parameters**:", ...params.map((p) => `  - ${p}`));
      if (request !== undefined) out.push("- **Request Body**:", ...block(request));
      if (response !== undefined) out.push("- **Response**:", ...block(response));
      else out.push("- **Response**: none (204 No Content)");
      out.push("- **Error Responses**:", ...errors.map((e) => `  - ${e}`), "");
    };
    const base = `/api/v1/part${r}s`;
    const id = "partId: UUID - Identifier of the part";
    api(`List Part${r}`, "GET", base, [], undefined, [item], ["400: The filter is not understood"]);
    api(`Get Part${r}`, "GET", `${base}/{partId}`, [id], undefined, item, ["404: No such part"]);
    api(`Create Part${r}`, "POST", base, [], body, item, ["400: Not a part"]);
    api(`Replace Part${r}`, "PUT", `${base}/{partId}`, [id], body, item, ["400: Not a part", "404: No such part"]);
    api(`Delete Part${r}`, "DELETE", `${base}/{partId}`, [id], undefined, undefined, ["404: No such part"]);
  }
  out.push("## Implementation Details", "", "Handlers over maps.", "", "## Approval", "", "| Role | Name | Decision |", "|------|------|----------|", "| Tech Lead | Rui Almeida | Pending |", "");
  return out.join("\n");
}

function example(r: number, i: number): { id: string; label: string; kind: string; weightGrams: number; addedAt: string } {
  return {
    id: `${String(r).padStart(8, "0")}-0000-4000-8000-${String(i).padStart(12, "0")}`,
    label: `P${r}-${i}`, kind: CATEGORIES[(r + i) % 3]!, weightGrams: 10 + i, addedAt: "2026-11-30T08:00:00Z",
  };
}

/** The conforming service, on a free port of 127.0.0.1. */
export async function startCatalogService(resources: number): Promise<{ url: string; close(): Promise<void> }> {
  const stores = Array.from({ length: resources }, (_, r) => new Map([[example(r, 0).id, example(r, 0)]]));
  let next = 1;
  const server: Server = createServer((req, res) => {
    const send = (status: number, body?: unknown): void => {
      if (body === undefined) {
        res.writeHead(status).end();
        return;
      }
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    const m = /^\/api\/v1\/part(\d+)s(?:\/([^/?]+))?(?:\?.*)?$/.exec(req.url ?? "");
    const store = m ? stores[Number(m[1])] : undefined;
    if (!m || !store) return send(404, { message: "no route" });
    const id = m[2];
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: Record<string, unknown> = {};
      if (chunks.length) {
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
        } catch {
          return send(400, { message: "not JSON" });
        }
      }
      const valid = typeof body["label"] === "string" && CATEGORIES.includes(body["kind"] as string) && Number.isInteger(body["weightGrams"]);
      if (id === undefined && req.method === "GET") return send(200, [...store.values()]);
      if (id === undefined && req.method === "POST") {
        if (!valid) return send(400, { message: "not a part" });
        const made = { ...example(Number(m[1]), next++), ...body } as ReturnType<typeof example>;
        store.set(made.id, made);
        return send(201, made);
      }
      const found = id === undefined ? undefined : store.get(id);
      if (!found) return send(404, { message: "no such part" });
      if (req.method === "GET") return send(200, found);
      if (req.method === "PUT") {
        if (!valid) return send(400, { message: "not a part" });
        Object.assign(found, body);
        return send(200, found);
      }
      if (req.method === "DELETE") {
        store.delete(found.id);
        return send(204);
      }
      return send(404, { message: "no route" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
