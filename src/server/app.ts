// The review server's HTTP API (Fastify): sessions and tokens, the specs with their lint and standing, edits with
// compare-and-swap on the revision, review comments anchored to content, approvals written as `techspec approve`
// writes them, search, and an audit log that can only grow. Errors are application/problem+json.
import { readFileSync, watch, type FSWatcher } from "node:fs";
import { dirname } from "node:path";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { parseSpec } from "../parse/parse-spec.js";
import { lintSpec } from "../rules/lint-spec.js";
import type { Anchor, Comment, SearchDoc, Store, User } from "../store/store.js";
import { planApproval } from "../workflow/decisions.js";
import { localDate } from "../workflow/local-date.js";
import type { Config } from "../workspace/config.js";
import { InputError, RaceError } from "../workspace/errors.js";
import { commitFile, type CommitOutcome } from "../workspace/git-commit.js";
import { gitAsync } from "../workspace/git-run.js";
import { editBytes } from "../workspace/byte-edit.js";
import { readSpec } from "../workspace/read-spec.js";
import { FileHost } from "../workspace/host.js";
import { rewriteSpecs, replaceSpecText } from "../workspace/rewrite-specs.js";
import { rootFor } from "../workspace/spec-roots.js";
import { decoyHash, newSession, normalizeEmail, sameSecret, sha256, verifyPassword } from "./auth.js";
import { reanchor } from "./anchors.js";
import { reviewHistory } from "./review-history.js";
import { registerPages } from "./ui.js";
import { OIDC_COOKIE, type OidcClient } from "./oidc.js";
import { errorPage, lintCounts, PAGE_CSP, waitsOn } from "./pages.js";
import { revisionOf, SpecIndex, type IndexedSpec, type RefreshOptions } from "./spec-index.js";

export interface ServerOptions {
  readonly config: Config;
  readonly store: Store;
  /** The current instant (injected, so tests control time). */
  readonly now: () => Date;
  /** Let signed-out visitors read (never write). */
  readonly publicRead?: boolean;
  /** The OpenAPI document of this API, served at /api/openapi.json. */
  readonly openapi?: () => unknown;
  /** Who commits the server's writes. */
  readonly committer?: { readonly name: string; readonly email: string };
  /** The server's SSH private key: its commits are signed, vouching for the account in their trailer (signatures.servers). */
  readonly signingKey?: string | undefined;
  /** Session lifetime in hours (default 12). */
  readonly sessionHours?: number;
  /** How often to look for changes on disk, in milliseconds (0: only when asked; default 5,000). */
  readonly pollMs?: number;
  readonly index?: SpecIndex;
  /** Trust X-Forwarded-For and X-Forwarded-Proto (true: from any peer; or the proxies' addresses). */
  readonly trustProxy?: boolean | string | undefined;
  /** Single sign-on through this OpenID Connect provider. */
  readonly oidc?: OidcClient;
  /** Watch the workspace for changes (default true); polling runs either way. */
  readonly watch?: boolean;
  /** Tests only: kill the process right after a write's file is "written" or "committed" (TECHSPEC_TEST_CRASH_AFTER). */
  readonly crashAfter?: string | undefined;
}

const commitDetail = (c: CommitOutcome): Record<string, unknown> => ("commit" in c ? { commit: c.commit } : { notCommitted: c.skipped });

export const SESSION_COOKIE = "techspec_session";
/** Failed sign-ins allowed in the window before 429: per account and per address. */
export const SIGN_IN_LIMITS = { perAccount: 5, perAddress: 20, windowMinutes: 15 } as const;
const JSON_LIMIT = 1 << 20;
/** How often a read looks for new spec files (known files are checked on every read). */
const DISCOVER_MS = 2000;
/** A list of specs checks every file at most this often (a route about one spec always checks its file). */
const CHECK_MS = 100;
/** A token's last use is recorded at most this often (a write per request otherwise). */
const TOUCH_MS = 60_000;
/** Folders watched for changes at most; a larger workspace relies on polling. */
const MAX_WATCHED = 2000;

type Auth = { readonly user: User; readonly via: "session" | "token"; readonly csrf: string | null } | null;

declare module "fastify" {
  interface FastifyRequest {
    auth: Auth;
  }
}

/** A problem+json reply. */
class Problem extends Error {
  constructor(readonly status: number, readonly title: string, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

const TITLES: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
  413: "Content Too Large", 415: "Unsupported Media Type", 428: "Precondition Required", 429: "Too Many Requests", 500: "Internal Server Error",
};
const problem = (status: number, detail: string, extra: Record<string, unknown> = {}): Problem => new Problem(status, TITLES[status] ?? "Error", detail, extra);

function cookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

const iso = (d: Date): string => d.toISOString();

/** The public shape of a user: never the password hash. */
const userView = (u: User): { id: number; email: string; name: string } => ({ id: u.id, email: u.email, name: u.name });

export interface Server {
  readonly app: FastifyInstance;
  readonly index: SpecIndex;
  /** The routes, as METHOD and Fastify path ("/api/specs/:id"). */
  readonly routes: readonly { readonly method: string; readonly url: string }[];
  close(): Promise<void>;
}

export async function buildServer(options: ServerOptions): Promise<Server> {
  const { config, store } = options;
  const now = (): string => iso(options.now());
  const index = options.index ?? new SpecIndex(config);
  const committer = options.committer ?? { name: "techspec serve", email: "techspec-serve@localhost" };
  // Behind a proxy that terminates TLS, trust its X-Forwarded-For and -Proto: the client's address (for the sign-in
  // limits and the audit log) and https (for Secure cookies). Only then: anyone could send those headers.
  const app = Fastify({ bodyLimit: config.maxFileSize, trustProxy: options.trustProxy ?? false, logger: false, return503OnClosing: true });

  // Every route, as registered (for the test that compares them with the API's own spec).
  const routes: { method: string; url: string }[] = [];
  app.addHook("onRoute", (r) => {
    for (const method of [r.method].flat()) if (method !== "HEAD") routes.push({ method, url: r.url });
  });
  app.addContentTypeParser(["text/markdown", "text/plain"], { parseAs: "string" }, (_req, body, done) => done(null, body));

  const searchDoc = (s: IndexedSpec & { id: string; parsed: NonNullable<IndexedSpec["parsed"]> }): SearchDoc =>
    ({ specId: s.id, path: s.display, title: s.parsed.spec.title ?? s.id, status: s.parsed.spec.metadata.status, body: s.text });
  const syncSearchAndComments = async (changed: readonly IndexedSpec[], removed: readonly IndexedSpec[], search = true): Promise<void> => {
    if (search) for (const s of removed) if (s.id) await store.removeSearch(s.id);
    for (const s of changed) {
      if (!s.id || !s.parsed) continue;
      if (search) await store.upsertSearch(searchDoc({ ...s, id: s.id, parsed: s.parsed }));
      const comments = await store.comments(s.id);
      const updates = reanchor(comments, s.parsed.source);
      if (updates.length) await store.reanchor(updates, now());
    }
  };
  // How reads stay true to the files: a route about one spec checks that spec's file (one stat) before answering;
  // a list checks every known file (a stat each) unless that was done in the last CHECK_MS, and looks for new
  // files at most every DISCOVER_MS; lists that come while a check runs share it. The watchers and the poll look
  // for new files every time. The index runs refreshes one at a time, so none is lost.
  let inflight: Promise<void> | null = null;
  let discovered = performance.now();
  let checked = -Infinity;
  const update = async (options: RefreshOptions): Promise<void> => {
    const all = options.paths === undefined;
    const discover = all && (options.discover || performance.now() - discovered > DISCOVER_MS);
    if (discover) discovered = performance.now();
    const started = performance.now();
    const { changed, removed } = await index.refresh({ ...options, discover });
    if (all) checked = started;
    await syncSearchAndComments(changed, removed);
    if (changed.length || removed.length) syncWatchers();
  };
  /**
   * Brings the index up to date with the files: with `paths` those files only (`reread` after a write), with
   * `discover` or `force` every file and the search for new ones, else every known file unless that was done in
   * the last CHECK_MS (concurrent callers share one check).
   */
  const refresh = async (options: RefreshOptions = {}): Promise<void> => {
    if (options.paths || options.discover || options.force) return update(options);
    if (performance.now() - checked < CHECK_MS) return;
    inflight ??= update({}).finally(() => {
      inflight = null;
    });
    return inflight;
  };
  /** The spec with this Feature ID, its file checked first; 404 when there is none. */
  const freshSpec = async (id: string): Promise<IndexedSpec & { parsed: NonNullable<IndexedSpec["parsed"]>; id: string }> => {
    const known = index.get(id);
    if (known) await refresh({ paths: [known.path] });
    else await refresh(); // a spec added a moment ago is found by the next crawl (at most DISCOVER_MS apart)
    return specOf(id);
  };
  {
    const { changed } = await index.refresh({ force: true, discover: true });
    const specs = changed.filter((s): s is IndexedSpec & { id: string; parsed: NonNullable<IndexedSpec["parsed"]> } => !!s.id && !!s.parsed);
    await store.replaceSearch(specs.map(searchDoc));
    // The search index was just filled: only the comments need their anchors checked.
    await syncSearchAndComments(specs, [], false);
  }
  // Changes made outside the server (git pull, an editor) are picked up by polling sizes and mtimes; a new HEAD
  // (a commit, a checkout, a pull that changed no file here) can change what git says of every spec (who wrote
  // each approval line, the status history), so then every spec is linted again.
  let head = await gitAsync(config.root, ["rev-parse", "HEAD"]);
  const headChanged = async (): Promise<boolean> => {
    const now = await gitAsync(config.root, ["rev-parse", "HEAD"]);
    if (now === head) return false;
    head = now;
    return true;
  };
  const pollMs = options.pollMs ?? 5000;
  let polling: Promise<void> | null = null;
  const poll = async (): Promise<void> => refresh(await headChanged() ? { force: true, discover: true } : { discover: true });
  const timer = pollMs > 0 ? setInterval(() => {
    polling ??= poll().catch(() => undefined).finally(() => { polling = null; });
  }, pollMs) : null;
  timer?.unref();
  // Folder watchers make changes appear at once; polling stays as the safety net (watchers miss events on some
  // file systems, and past MAX_WATCHED folders only polling runs). One watcher per folder that holds a spec, plus
  // the workspace root: a recursive watch would also follow .git and every temporary file.
  const watchers = new Map<string, FSWatcher>();
  let debounce: NodeJS.Timeout | null = null;
  let again = false;
  const soon = (): void => {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      if (polling) {
        again = true;
        return;
      }
      polling = refresh({ discover: true }).catch(() => undefined).finally(() => {
        polling = null;
        if (again) {
          again = false;
          soon();
        }
      });
    }, 100);
    debounce.unref();
  };
  const syncWatchers = (): void => {
    if (options.watch === false) return;
    const folders = new Set([config.root, ...index.all().map((x) => dirname(x.path))].slice(0, MAX_WATCHED));
    for (const [dir, w] of watchers) if (!folders.has(dir)) {
      w.close();
      watchers.delete(dir);
    }
    for (const dir of folders) {
      if (watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, (_event, name) => {
          if (typeof name === "string" && /^\..*\.(tmp|techspec-lock)$/.test(name)) return; // our own temporary and lock files
          soon();
        });
        w.on("error", () => {
          w.close();
          watchers.delete(dir);
        });
        watchers.set(dir, w);
      } catch {
        // gone already, or out of watches: polling covers it
      }
    }
  };
  syncWatchers();

  const audit = (req: FastifyRequest, action: string, fields: { specId?: string | null; revision?: string | null; detail?: unknown; actor?: User | null; email?: string }): Promise<unknown> => {
    const actor = fields.actor === undefined ? req.auth?.user ?? null : fields.actor;
    return store.appendAudit({
      at: now(), actorId: actor?.id ?? null, actor: fields.email ?? actor?.email ?? "", action, specId: fields.specId ?? null,
      revision: fields.revision ?? null, address: req.ip, detail: fields.detail === undefined ? null : JSON.stringify(fields.detail),
    });
  };

  app.decorateRequest("auth", null);
  app.addHook("onRequest", async (req) => {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw problem(401, "the Authorization header must be \"Bearer <token>\"");
      const found = await store.tokenBySecretHash(sha256(m[1]!));
      if (!found) throw problem(401, "the API token is unknown or revoked (create one with: techspec tokens create EMAIL)");
      if (found.token.lastUsedAt === null || options.now().getTime() - Date.parse(found.token.lastUsedAt) > TOUCH_MS) await store.touchToken(found.token.id, now());
      req.auth = { user: found.user, via: "token", csrf: null };
      return;
    }
    const secret = cookies(req.headers.cookie).get(SESSION_COOKIE);
    if (secret) {
      const found = await store.sessionByHash(sha256(secret), now());
      if (found) req.auth = { user: found.user, via: "session", csrf: found.session.csrf };
    }
  });

  const reader = (req: FastifyRequest): void => {
    if (!req.auth && !options.publicRead) throw problem(401, "sign in first (POST /api/session) or send an API token");
  };
  /** A write: an authenticated user, and for a cookie session the CSRF token in X-CSRF-Token. */
  const writer = (req: FastifyRequest): User => {
    const auth = req.auth;
    if (!auth) throw problem(401, "sign in first (POST /api/session) or send an API token");
    if (auth.via === "session") {
      const sent = req.headers["x-csrf-token"];
      if (typeof sent !== "string" || !auth.csrf || !sameSecret(sent, auth.csrf)) throw problem(403, "missing or wrong X-CSRF-Token header (it comes with the session: GET /api/session)");
    }
    return auth.user;
  };
  const specOf = (id: string): IndexedSpec & { parsed: NonNullable<IndexedSpec["parsed"]>; id: string } => {
    const s = index.get(id);
    if (!s || !s.parsed || !s.id) throw problem(404, `no spec with Feature ID "${id}"`);
    return s as IndexedSpec & { parsed: NonNullable<IndexedSpec["parsed"]>; id: string };
  };
  const writeOptions = { root: config.root, maxFileSize: config.maxFileSize };
  const trailers = (u: User): string[] => [`Techspec-Account: ${u.email}`];
  /** For the crash tests: the process kills itself (SIGKILL) right after this step of a write. */
  const crashPoint = (step: "written" | "committed"): void => {
    if (options.crashAfter === step) process.kill(process.pid, "SIGKILL");
  };

  /**
   * Writes a spec file so that a crash cannot leave it half-done: the intent is recorded first, then the file is
   * replaced (temporary file and rename), committed, audited, and the intent removed. A restart finishes or forgets
   * whatever intent is left (`reconcile`).
   */
  const durableWrite = async (req: FastifyRequest, s: IndexedSpec & { id: string }, user: User,
    w: { action: string; message: string; base: string; target: string; detail: Record<string, unknown>; write: () => Promise<void> }): Promise<CommitOutcome> => {
    const intent = await store.addPending({ specId: s.id, path: s.path, action: w.action, actorId: user.id, base: w.base, target: w.target, message: w.message, detail: JSON.stringify(w.detail), address: req.ip, at: now() });
    try {
      await w.write();
    } catch (err) {
      await store.removePending(intent.id);
      throw err;
    }
    crashPoint("written");
    const commit = await commitFile(s.path, { author: { name: user.name, email: user.email }, committer, signingKey: options.signingKey, message: w.message, trailers: trailers(user) });
    if ("commit" in commit) head = `${commit.commit}\n`;
    crashPoint("committed");
    await refresh({ paths: [s.path], reread: true });
    await audit(req, w.action, { specId: s.id, revision: index.get(s.id)?.revision ?? w.target, detail: { ...w.detail, intent: intent.id, ...commitDetail(commit) } });
    await store.removePending(intent.id);
    return commit;
  };

  /** Finishes the writes a crash interrupted: a file that holds the new bytes is committed and audited; the rest are forgotten. */
  const reconcile = async (): Promise<void> => {
    for (const p of await store.pendingWrites()) {
      let current: string | null;
      try {
        current = revisionOf(readFileSync(p.path));
      } catch {
        current = null;
      }
      const user = await store.userById(p.actorId);
      if (current === p.target && user) {
        const commit = await commitFile(p.path, { author: { name: user.name, email: user.email }, committer, signingKey: options.signingKey, message: p.message, trailers: trailers(user) });
        const recent = await store.audit({ specId: p.specId, limit: 100 });
        if (!recent.some((e) => e.detail !== null && (JSON.parse(e.detail) as { intent?: number }).intent === p.id)) {
          await store.appendAudit({
            at: now(), actorId: user.id, actor: user.email, action: p.action, specId: p.specId, revision: p.target, address: p.address,
            detail: JSON.stringify({ ...(p.detail ? JSON.parse(p.detail) as object : {}), intent: p.id, reconciled: true, ...commitDetail(commit) }),
          });
        }
      } else if (current !== p.base) {
        // Neither the old bytes nor the new: someone changed the file since; what the write did cannot be told.
        await store.appendAudit({ at: now(), actorId: p.actorId, actor: user?.email ?? "", action: "write-unconfirmed", specId: p.specId, revision: current, address: p.address, detail: JSON.stringify({ intent: p.id, action: p.action }) });
      }
      await store.removePending(p.id);
    }
  };
  await reconcile();
  await refresh();

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof Problem) {
      void reply.code(err.status).type("application/problem+json").send({ type: "about:blank", title: err.title, status: err.status, detail: err.message, ...err.extra });
      return;
    }
    const e = err as { statusCode?: number; code?: string; message: string };
    const status = e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : 500;
    const detail = status === 500 ? "the server could not handle this request" : e.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? "the request body is too large" : e.message;
    if (status === 500) app.log.error(err);
    void reply.code(status).type("application/problem+json").send({ type: "about:blank", title: TITLES[status] ?? "Error", status, detail });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).type("application/problem+json").send({ type: "about:blank", title: "Not Found", status: 404, detail: `no route ${req.method} ${req.url.split("?")[0]}` });
  });

  /** Signs a user in: a new session, its cookie, and the audit line. Returns the session's CSRF token. */
  const startSession = async (req: FastifyRequest, reply: FastifyReply, user: User, detail: Record<string, unknown>): Promise<string> => {
    const s = newSession();
    const hours = options.sessionHours ?? 12;
    await store.addSession({ idHash: s.idHash, userId: user.id, csrf: s.csrf, createdAt: now(), expiresAt: iso(new Date(options.now().getTime() + hours * 3_600_000)) });
    // Max-Age rather than Expires: the browser counts it from its own clock, whatever the server's says.
    void reply.header("set-cookie", `${SESSION_COOKIE}=${s.secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${hours * 3600}${req.protocol === "https" ? "; Secure" : ""}`);
    await audit(req, "sign-in", { actor: user, detail });
    return s.csrf;
  };

  // Single sign-on through an OpenID Connect provider, when one is configured.
  const oidc = options.oidc;
  if (oidc) {
    app.get<{ Querystring: { next?: string } }>("/auth/oidc", async (req, reply) => {
      const next = typeof req.query.next === "string" && /^\/(?![/\\])/.test(req.query.next) ? req.query.next : "/";
      const { url, key } = await oidc.begin(next, options.now().getTime());
      return reply.code(302).header("location", url)
        .header("set-cookie", `${OIDC_COOKIE}=${key}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=600${req.protocol === "https" ? "; Secure" : ""}`).send();
    });
    app.get("/auth/oidc/callback", async (req, reply) => {
      const html = (status: number, message: string): FastifyReply => reply.code(status).type("text/html; charset=utf-8").header("content-security-policy", PAGE_CSP).send(errorPage(status, message, { user: null, csrf: null }));
      const done = await oidc.finish(cookies(req.headers.cookie).get(OIDC_COOKIE), new URL(req.url, oidc.settings.redirectUri), options.now().getTime());
      void reply.header("set-cookie", `${OIDC_COOKIE}=; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0`);
      if (!done.ok) {
        await audit(req, "sign-in-failed", { actor: null, detail: { via: "oidc", reason: done.reason } });
        return html(400, `Single sign-on failed: ${done.reason}.`);
      }
      const user = await store.userByEmail(done.email);
      if (!user) {
        await audit(req, "sign-in-failed", { actor: null, email: done.email, detail: { via: "oidc", reason: "no account" } });
        return html(403, `${done.email} has no account here; an administrator adds one with: techspec users add ${done.email} --name "Full Name"`);
      }
      await startSession(req, reply, user, { via: "oidc", issuer: oidc.settings.issuer });
      return reply.code(303).header("location", done.next).send();
    });
  }

  // Sessions.
  app.get("/api/session", async (req) => {
    if (!req.auth) throw problem(401, "not signed in");
    return { user: userView(req.auth.user), via: req.auth.via, csrf: req.auth.csrf };
  });
  app.post("/api/session", { bodyLimit: JSON_LIMIT }, async (req, reply) => {
    const body = req.body as { email?: unknown; password?: unknown } | null;
    if (!body || typeof body.email !== "string" || typeof body.password !== "string") throw problem(400, 'send {"email": "...", "password": "..."}');
    const email = normalizeEmail(body.email) ?? body.email.trim().toLowerCase().slice(0, 254);
    const since = iso(new Date(options.now().getTime() - SIGN_IN_LIMITS.windowMinutes * 60_000));
    const [byAccount, byAddress] = await Promise.all([store.failuresSince(`email:${email}`, since), store.failuresSince(`ip:${req.ip}`, since)]);
    if (byAccount >= SIGN_IN_LIMITS.perAccount || byAddress >= SIGN_IN_LIMITS.perAddress) {
      void reply.header("retry-after", String(SIGN_IN_LIMITS.windowMinutes * 60));
      throw problem(429, `too many failed sign-ins; try again in ${SIGN_IN_LIMITS.windowMinutes} minutes`);
    }
    const user = await store.userByEmail(email);
    const ok = body.password.length <= 1024 && (user?.passwordHash ? await verifyPassword(user.passwordHash, body.password) : (await verifyPassword(await decoyHash(), body.password), false));
    await Promise.all([store.recordSignIn({ key: `email:${email}`, ok, at: now() }), store.recordSignIn({ key: `ip:${req.ip}`, ok, at: now() })]);
    if (!ok || !user) {
      await audit(req, "sign-in-failed", { actor: user ?? null, email });
      throw problem(401, "wrong e-mail address or password");
    }
    const csrf = await startSession(req, reply, user, { via: "password" });
    return { user: userView(user), csrf };
  });
  app.delete("/api/session", async (req, reply) => {
    const user = writer(req);
    const secret = cookies(req.headers.cookie).get(SESSION_COOKIE);
    if (secret) await store.deleteSession(sha256(secret));
    void reply.header("set-cookie", `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    await audit(req, "sign-out", { actor: user });
    return reply.code(204).send();
  });

  // Specs.
  // The list is the same for everyone but "waiting on me": kept, per account, until the index changes.
  let lists = { generation: -1, byUser: new Map<number, string>() };
  app.get("/api/specs", async (req, reply) => {
    reader(req);
    await refresh();
    const mine = req.auth?.user;
    if (lists.generation !== index.generation || lists.byUser.size > 1000) lists = { generation: index.generation, byUser: new Map() };
    const cached = lists.byUser.get(mine?.id ?? 0);
    if (cached) return reply.type("application/json; charset=utf-8").send(cached);
    const body = JSON.stringify({
      specs: index.all().map((s) => ({
        id: s.id, path: s.display, root: s.root ?? ".", revision: s.revision, error: s.error,
        title: s.summary?.title ?? null, status: s.summary?.status ?? null, author: s.summary?.author ?? null, lastUpdated: s.summary?.lastUpdated ?? null,
        completeness: s.summary?.completeness ?? null, lint: lintCounts(s.diagnostics),
        approvals: s.summary ? { done: s.summary.approvals.done, total: s.summary.approvals.total, state: s.summary.approvals.state } : null,
        waitingOnMe: waitsOn(s, mine ?? null, rootFor(config, s.path).settings),
      })),
    });
    lists.byUser.set(mine?.id ?? 0, body);
    return reply.type("application/json; charset=utf-8").send(body);
  });
  app.get<{ Params: { id: string } }>("/api/specs/:id", async (req) => {
    reader(req);
    const s = await freshSpec(req.params.id);
    return { id: s.id, path: s.display, revision: s.revision, spec: s.parsed.spec, summary: s.summary, diagnostics: s.diagnostics };
  });
  app.get<{ Params: { id: string } }>("/api/specs/:id/history", async (req) => {
    reader(req);
    const s = await freshSpec(req.params.id);
    return reviewHistory(s.path, s.parsed.spec);
  });
  app.get<{ Params: { id: string } }>("/api/specs/:id/source", async (req, reply) => {
    reader(req);
    const s = await freshSpec(req.params.id);
    return reply.header("etag", `"${s.revision}"`).type("text/markdown; charset=utf-8").send(s.text);
  });
  app.put<{ Params: { id: string } }>("/api/specs/:id/source", async (req, reply) => {
    const user = writer(req);
    if (!/^text\/(markdown|plain)\b/i.test(req.headers["content-type"] ?? "")) throw problem(415, "send the spec as text/markdown");
    const ifMatch = req.headers["if-match"];
    if (typeof ifMatch !== "string" || !ifMatch.trim()) throw problem(428, "send If-Match with the revision (ETag) the edit is based on");
    const s = await freshSpec(req.params.id);
    const base = ifMatch.trim().replace(/^W\//, "").replace(/^"|"$/g, "");
    const text = req.body as string;
    if (base !== s.revision) throw problem(409, "the spec changed since this edit began", { revision: s.revision, text: s.text });
    let commit: Awaited<ReturnType<typeof durableWrite>>;
    try {
      commit = await durableWrite(req, s, user, {
        action: "edit", message: `Edit ${s.id}`, base, target: revisionOf(Buffer.from(text, "utf8")), detail: { base },
        write: () => replaceSpecText(s, (bytes) => revisionOf(bytes) === base, text, writeOptions),
      });
    } catch (err) {
      if (err instanceof RaceError) {
        await refresh({ paths: [s.path], reread: true });
        const current = index.get(s.id);
        throw problem(409, "the spec changed since this edit began", { revision: current?.revision ?? null, text: current?.text ?? null });
      }
      if (err instanceof InputError) throw problem(400, err.message);
      throw err;
    }
    const after = index.atPath(s.path);
    void reply.header("etag", `"${after?.revision ?? ""}"`);
    return { specId: after?.id ?? null, revision: after?.revision ?? null, diagnostics: after?.diagnostics ?? [], ...commit };
  });

  // Lint any text with the workspace's rules.
  app.post("/api/lint", async (req) => {
    reader(req);
    if (!/^text\/(markdown|plain)\b/i.test(req.headers["content-type"] ?? "")) throw problem(415, "send the text as text/markdown");
    const text = req.body as string;
    const parsed = parseSpec(text, "draft.md");
    const host = new FileHost(config.root, { git: false });
    return { diagnostics: lintSpec(parsed, { settings: config.settings, rules: config.rules, overrides: config.overrides, host: host.forSpec(`${config.root}/draft.md`) }) };
  });

  app.get<{ Querystring: { q?: string; limit?: string } }>("/api/search", async (req) => {
    reader(req);
    const q = req.query.q ?? "";
    if (q.length > 1000) throw problem(400, "the query is too long (at most 1,000 characters)");
    const limit = Math.min(Math.max(Number(req.query.limit ?? 20) || 20, 1), 100);
    return { query: q, hits: await store.search(q, limit) };
  });

  // Review comments, each with its author's name and address (each author looked up once).
  const commentViews = async (list: readonly Comment[]): Promise<(Comment & { author: { email: string; name: string } | null })[]> => {
    const authors = new Map<number, User | null>();
    for (const id of new Set(list.map((c) => c.authorId))) authors.set(id, await store.userById(id));
    return list.map((c) => {
      const author = authors.get(c.authorId);
      return { ...c, author: author ? { email: author.email, name: author.name } : null };
    });
  };
  const commentView = async (c: Comment): Promise<Comment & { author: { email: string; name: string } | null }> => (await commentViews([c]))[0]!;
  app.get<{ Params: { id: string } }>("/api/specs/:id/comments", async (req) => {
    reader(req);
    // The file first: a change re-anchors the comments before they are listed.
    const s = await freshSpec(req.params.id);
    return { comments: await commentViews(await store.comments(s.id)) };
  });
  app.post<{ Params: { id: string } }>("/api/specs/:id/comments", { bodyLimit: JSON_LIMIT }, async (req, reply) => {
    const user = writer(req);
    const s = specOf(req.params.id);
    const body = req.body as { body?: unknown; anchor?: Partial<Anchor>; parentId?: unknown } | null;
    if (!body || typeof body.body !== "string" || !body.body.trim()) throw problem(400, 'send {"body": "...", "anchor": {"heading", "startLine", "endLine", "quote"}}');
    if (body.body.length > 20_000) throw problem(400, "a comment has at most 20,000 characters");
    let parentId: number | null = null;
    let anchor: Anchor;
    if (body.parentId !== undefined && body.parentId !== null) {
      const parent = typeof body.parentId === "number" ? await store.comment(body.parentId) : null;
      if (!parent || parent.specId !== s.id) throw problem(400, "parentId names no comment of this spec");
      parentId = parent.parentId ?? parent.id;
      anchor = parent.anchor;
    } else {
      anchor = checkAnchor(body.anchor, s.text);
    }
    const c = await store.addComment({ specId: s.id, parentId, authorId: user.id, body: body.body, anchor, revision: s.revision, now: now() });
    await audit(req, "comment", { specId: s.id, revision: s.revision, detail: { comment: c.id, ...(parentId ? { parentId } : {}) } });
    return reply.code(201).send(await commentView(c));
  });
  for (const [path, resolved] of [["/api/comments/:cid/resolve", true], ["/api/comments/:cid/reopen", false]] as const) {
    app.post<{ Params: { cid: string } }>(path, async (req) => {
      writer(req);
      const id = Number(req.params.cid);
      const c = Number.isInteger(id) ? await store.setResolved(id, resolved, now()) : null;
      if (!c) throw problem(404, `no comment ${req.params.cid}`);
      await audit(req, resolved ? "comment-resolve" : "comment-reopen", { specId: c.specId, detail: { comment: c.id } });
      return commentView(c);
    });
  }

  // Approvals: the authenticated account decides; nobody chooses whose name is written.
  app.post<{ Params: { id: string } }>("/api/specs/:id/approvals", { bodyLimit: JSON_LIMIT }, async (req, reply) => {
    const user = writer(req);
    const s = await freshSpec(req.params.id);
    const body = req.body as { role?: unknown; decision?: unknown; reason?: unknown } | null;
    if (!body || typeof body.role !== "string" || (body.decision !== "Approved" && body.decision !== "Rejected")) {
      throw problem(400, 'send {"role": "...", "decision": "Approved" | "Rejected", "reason": "..."}');
    }
    if (body.reason !== undefined && body.reason !== null && typeof body.reason !== "string") throw problem(400, "reason must be text");
    const date = localDate(options.now());
    const plan = planApproval(s, rootFor(config, s.path).settings, {
      role: body.role, person: { name: user.name, email: user.email }, decision: body.decision,
      reason: typeof body.reason === "string" ? body.reason : null, date, configFile: config.file,
    });
    if (!plan.ok) throw problem(plan.kind === "usage" ? 400 : 403, plan.message);
    // The bytes as they will be, for the record a restart finishes the write from.
    const read = readSpec(s.path, config.maxFileSize);
    if (!read.ok || read.file.text !== s.parsed.source.text) throw problem(409, "the spec changed while the decision was being written; reload it and decide again");
    let commit: Awaited<ReturnType<typeof durableWrite>>;
    try {
      commit = await durableWrite(req, s, user, {
        action: plan.decision === "Approved" ? "approve" : "reject",
        message: `${plan.decision === "Approved" ? "Approve" : "Reject"} ${s.id} as ${plan.role}`,
        base: revisionOf(read.file.bytes), target: revisionOf(editBytes(read.file, plan.edits, s.display)),
        detail: { role: plan.role, digest: plan.digest, ...(plan.reason ? { reason: plan.reason } : {}) },
        write: () => rewriteSpecs([{ spec: s, edits: plan.edits }], writeOptions),
      });
    } catch (err) {
      if (err instanceof RaceError) throw problem(409, "the spec changed while the decision was being written; reload it and decide again");
      if (err instanceof InputError) throw problem(400, err.message);
      throw err;
    }
    const after = index.get(s.id);
    return reply.code(201).send({ specId: s.id, role: plan.role, decision: plan.decision, date: plan.date, digest: plan.digest, reason: plan.reason, revision: after?.revision ?? null, ...commit });
  });

  app.get<{ Querystring: { spec?: string; limit?: string; before?: string } }>("/api/audit", async (req) => {
    reader(req);
    if (!req.auth) throw problem(401, "sign in to read the audit log");
    const limit = Math.min(Math.max(Number(req.query.limit ?? 100) || 100, 1), 1000);
    const before = req.query.before === undefined ? undefined : Number(req.query.before);
    if (before !== undefined && !Number.isInteger(before)) throw problem(400, "before must be an entry id");
    return { entries: await store.audit({ ...(req.query.spec ? { specId: req.query.spec } : {}), limit, ...(before !== undefined ? { before } : {}) }) };
  });

  registerPages(app, {
    config, store, index, refresh: () => refresh(),
    refreshSpec: async (id) => {
      await freshSpec(id).catch(() => undefined);
    },
    publicRead: !!options.publicRead, commentViews, sso: !!oidc });

  app.get("/api/openapi.json", async (_req, reply) => {
    if (!options.openapi) throw problem(404, "this server was started without its API description");
    return reply.type("application/json").send(JSON.stringify(options.openapi()));
  });

  return {
    app, index, routes,
    close: async () => {
      if (timer) clearInterval(timer);
      if (debounce) clearTimeout(debounce);
      for (const w of watchers.values()) w.close();
      await app.close();
      await polling;
      await inflight;
      await index.close();
    },
  };
}

/** A comment's anchor as sent, checked against the spec's text: lines inside it, the quote found there. */
function checkAnchor(a: Partial<Anchor> | undefined, text: string): Anchor {
  if (!a || typeof a.heading !== "string" || typeof a.quote !== "string" || !Number.isInteger(a.startLine) || !Number.isInteger(a.endLine)) {
    throw problem(400, 'anchor needs {"heading": text, "startLine": n, "endLine": n, "quote": text}');
  }
  const lines = text.split(/\r?\n/);
  const start = a.startLine!;
  const end = a.endLine!;
  if (start < 1 || end < start || end > lines.length) throw problem(400, `anchor lines ${start}-${end} are not inside the spec (1-${lines.length})`);
  if (!a.quote.trim()) throw problem(400, "anchor.quote must hold the text the comment is about");
  if (a.quote.length > 10_000) throw problem(400, "anchor.quote has at most 10,000 characters");
  return { heading: a.heading.slice(0, 500), startLine: start, endLine: end, quote: a.quote };
}
