// The review server's page routes and static assets (the portal's stylesheet and script, Mermaid, the server's own
// script). Pages send the Content-Security-Policy as a header; a page that needs an account redirects to /login.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Comment, Store } from "../store/store.js";
import { FAVICON_SVG } from "../site/html.js";
import type { Config } from "../workspace/config.js";
import { packageRoot } from "../workspace/package-files.js";
import { rootFor } from "../workspace/spec-roots.js";
import { auditPage, editPage, errorPage, indexPage, loginPage, PAGE_CSP, specPage, type Viewer } from "./pages.js";
import { reviewHistory } from "./review-history.js";
import type { SpecIndex } from "./spec-index.js";

export interface PageContext {
  readonly config: Config;
  readonly store: Store;
  readonly index: SpecIndex;
  readonly refresh: () => Promise<void>;
  /** Checks one spec's file (and finds a new spec) before a page about it. */
  readonly refreshSpec: (id: string) => Promise<void>;
  readonly publicRead: boolean;
  /** Whether single sign-on is offered on the sign-in page. */
  readonly sso: boolean;
  readonly commentViews: (list: readonly Comment[]) => Promise<(Comment & { author: { email: string; name: string } | null })[]>;
}

const ASSETS: Readonly<Record<string, { readonly file: () => string; readonly type: string }>> = {
  "site.css": { file: () => join(packageRoot(), "browser", "site.css"), type: "text/css; charset=utf-8" },
  "server.css": { file: () => join(packageRoot(), "browser", "server.css"), type: "text/css; charset=utf-8" },
  "site.js": { file: () => join(packageRoot(), "dist", "browser", "site.js"), type: "text/javascript; charset=utf-8" },
  "server.js": { file: () => join(packageRoot(), "dist", "browser", "server.js"), type: "text/javascript; charset=utf-8" },
  "mermaid.min.js": { file: () => createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js"), type: "text/javascript; charset=utf-8" },
};

export function registerPages(app: FastifyInstance, ctx: PageContext): void {
  const cache = new Map<string, Buffer>();
  app.get<{ Params: { name: string } }>("/assets/:name", async (req, reply) => {
    const { name } = req.params;
    if (name === "favicon.svg") return reply.type("image/svg+xml").header("cache-control", "max-age=3600").send(FAVICON_SVG);
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return reply.code(404).type("text/plain").send("not found");
    let bytes = cache.get(name);
    if (!bytes) {
      bytes = readFileSync(asset.file());
      cache.set(name, bytes);
    }
    return reply.type(asset.type).header("cache-control", "max-age=300").send(bytes);
  });

  const viewer = (req: FastifyRequest): Viewer => ({ user: req.auth?.user ?? null, csrf: req.auth?.csrf ?? null });
  const send = (reply: FastifyReply, body: string, status = 200): FastifyReply =>
    reply.code(status).type("text/html; charset=utf-8").header("content-security-policy", PAGE_CSP).header("x-content-type-options", "nosniff").header("x-frame-options", "DENY").send(body);
  /** Signed-out visitors go to the sign-in page unless reads are public (or `write` asks for an account anyway). */
  const gate = (req: FastifyRequest, reply: FastifyReply, write = false): boolean => {
    if (req.auth || (ctx.publicRead && !write)) return true;
    void reply.code(303).header("location", `/login?next=${encodeURIComponent(req.url)}`).send();
    return false;
  };

  app.get<{ Querystring: { q?: string } }>("/", async (req, reply) => {
    if (!gate(req, reply)) return reply;
    await ctx.refresh();
    const q = (req.query.q ?? "").slice(0, 1000);
    const search = q.trim() ? { query: q, hits: await ctx.store.search(q, 50) } : null;
    return send(reply, indexPage(ctx.index.all(), viewer(req), (s) => rootFor(ctx.config, s.path).settings, search));
  });
  app.get<{ Querystring: { next?: string } }>("/login", async (req, reply) => {
    // Only a path of this server: never an absolute or protocol-relative URL (no open redirect).
    const next = typeof req.query.next === "string" && /^\/(?![/\\])/.test(req.query.next) ? req.query.next : "/";
    return send(reply, loginPage(viewer(req), next, ctx.sso));
  });
  app.get<{ Params: { id: string } }>("/specs/:id", async (req, reply) => {
    if (!gate(req, reply)) return reply;
    await ctx.refreshSpec(req.params.id);
    const s = ctx.index.get(req.params.id);
    if (!s || !s.parsed || !s.id) return send(reply, errorPage(404, `No spec has the Feature ID ${req.params.id}.`, viewer(req)), 404);
    const comments = await ctx.commentViews(await ctx.store.comments(s.id));
    const history = await reviewHistory(s.path, s.parsed.spec);
    return send(reply, specPage(s as typeof s & { parsed: NonNullable<typeof s.parsed>; id: string }, ctx.index.all(), viewer(req), rootFor(ctx.config, s.path).settings, comments, ctx.config.root, history));
  });
  app.get<{ Params: { id: string } }>("/specs/:id/edit", async (req, reply) => {
    if (!gate(req, reply, true)) return reply;
    await ctx.refreshSpec(req.params.id);
    const s = ctx.index.get(req.params.id);
    if (!s || !s.parsed || !s.id) return send(reply, errorPage(404, `No spec has the Feature ID ${req.params.id}.`, viewer(req)), 404);
    return send(reply, editPage(s as typeof s & { id: string }, viewer(req)));
  });
  app.get<{ Querystring: { before?: string } }>("/audit", async (req, reply) => {
    if (!gate(req, reply, true)) return reply;
    const before = Number(req.query.before);
    const entries = await ctx.store.audit({ limit: 200, ...(Number.isInteger(before) && before > 0 ? { before } : {}) });
    return send(reply, auditPage(entries, viewer(req), Number.isInteger(before) ? before : null));
  });
}
