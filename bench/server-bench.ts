// The review server under load, on SQLite and on PostgreSQL: start-up time (index, lint and search index of
// 1,000 specs), HTTP reads per route driven by autocannon (50 connections, SERVER_BENCH_SECONDS per run, default
// 10), and the store's full-text search over 10,000 specs (index build time, p50/p95/max of 200 queries).
// Part of `npm run bench`; run it alone with: node dist/bench/server-bench.js (after npx tsc -p tsconfig.json).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { buildServer } from "../src/server/app.js";
import { autocannon } from "./cannon.js";
import { corpus } from "./corpus.js";
import { newToken } from "../src/server/auth.js";
import { KyselyStore } from "../src/store/kysely-store.js";
import { openSqlite } from "../src/store/sqlite.js";
import type { SearchDoc, Store } from "../src/store/store.js";
import { resolveConfig } from "../src/workspace/config.js";
import { startPostgres, type TestPostgres } from "../test-support/postgres.js";


const seconds = Number(process.env["SERVER_BENCH_SECONDS"] ?? 10);
if (!(seconds > 0)) throw new Error(`SERVER_BENCH_SECONDS must be a positive number of seconds, not "${process.env["SERVER_BENCH_SECONDS"]}"`);
const CONNECTIONS = 50;
const QUERIES = 200;
const SEED = 1;

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(" ");
const ms = (x: number): string => x.toFixed(x < 10 ? 2 : 0);
/** Nearest-rank percentile of sorted numbers. */
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
const failures: string[] = [];


/** Search documents read straight from the spec files (not through the parser). */
function searchDocs(dir: string): SearchDoc[] {
  return readdirSync(dir).filter((d) => d.startsWith("feat-")).sort().flatMap((d): SearchDoc[] => {
    const path = `${d}/technical-specification.md`;
    const file = join(dir, path);
    if (!existsSync(file)) return [];
    const body = readFileSync(file, "utf8");
    const specId = /^\*\*Feature ID\*\*:\s*(\S+)/m.exec(body)?.[1];
    if (!specId) return [];
    const title = /^# Technical Specification:\s*(.+?)\s*$/m.exec(body)?.[1] ?? specId;
    const status = /^\*\*Status\*\*:\s*(.+?)\s*$/m.exec(body)?.[1] ?? null;
    return [{ specId, path, title, status, body }];
  });
}

/** mulberry32: a small seeded generator, so the queries are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` queries of one and two words (alternating), drawn from the words of every 50th spec found in two of them at least. */
function queries(docs: readonly SearchDoc[], n: number, seed: number): string[] {
  const seen = new Map<string, number>();
  for (let i = 0; i < docs.length; i += 50) {
    for (const w of new Set(docs[i]!.body.toLowerCase().match(/\b[a-z]{4,}\b/g))) seen.set(w, (seen.get(w) ?? 0) + 1);
  }
  const words = [...seen].filter(([, count]) => count >= 2).map(([w]) => w).sort();
  const rand = random(seed);
  const word = (): string => words[Math.floor(rand() * words.length)]!;
  return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? word() : `${word()} ${word()}`));
}

/** The server's `select version()`, through the store's Kysely instance. */
async function postgresVersion(store: Store): Promise<string> {
  if (!(store instanceof KyselyStore)) return "version unknown";
  const { rows } = await sql<{ version: string }>`select version()`.execute(store.raw);
  return rows[0]?.version ?? "version unknown";
}

/** Starts the server on `dir` over `store`, drives each read route with autocannon, prints one row per route. */
async function httpBench(engine: string, store: Store, dir: string, word: string): Promise<void> {
  const config = await resolveConfig(dir);
  if (config.file !== null || config.root !== resolve(dir)) throw new Error(`${dir}: expected the default configuration rooted there, got ${config.file ?? config.root}`);
  const user = await store.addUser({ email: "bench@example.com", name: "Bench", passwordHash: null, now: new Date().toISOString() });
  const token = newToken();
  await store.addToken({ userId: user.id, name: "bench", secretHash: token.secretHash, now: new Date().toISOString() });
  const t0 = performance.now();
  const server = await buildServer({ config, store, now: () => new Date(), pollMs: 0 });
  const startMs = performance.now() - t0;
  // Requests the server is still working on: autocannon stops at the deadline and drops its connections, but the
  // handlers run to the end; the next run waits for them, or they would be charged to it.
  let busy = 0;
  server.app.server.on("request", () => busy++);
  server.app.addHook("onSend", async () => {
    busy = Math.max(0, busy - 1);
  });
  const drained = async (): Promise<void> => {
    for (const deadline = Date.now() + 120_000; busy > 0 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    if (busy > 0) console.log(`(${busy} requests still in progress after 2 minutes; going on)`);
  };
  try {
    await server.app.listen({ host: "127.0.0.1", port: 0 });
    const base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    const ids = server.index.all().flatMap((s) => (s.id ? [s.id] : []));
    const id = ids[Math.floor(ids.length / 2)]!;
    // Every GET first checks the known files for changes (a stat each), and at most every 2 s looks for new ones.
    const refreshMs = async (discover: boolean): Promise<string> => {
      const times: number[] = [];
      for (let i = 0; i < 11; i++) {
        const t = performance.now();
        await server.index.refresh({ discover });
        times.push(performance.now() - t);
      }
      return ms(percentile(times.sort((a, b) => a - b), 0.5));
    };
    console.log(`\n${engine}: start-up (buildServer: index, lint and search index of ${server.index.all().length} specs) ${(startMs / 1000).toFixed(2)} s; `
      + `index.refresh() with nothing changed ${await refreshMs(false)} ms, with the crawl for new files ${await refreshMs(true)} ms (medians of 11); spec ${id}, search word "${word}"`);
    const headers = { authorization: `Bearer ${token.secret}` };
    const routes = ["/api/specs", `/api/specs/${id}`, `/api/specs/${id}/source`, `/api/search?q=${encodeURIComponent(word)}`];
    // One request each first, so a broken route fails loudly rather than as thousands of non-2xx.
    for (const route of routes) {
      const res = await fetch(base + route, { headers });
      await res.arrayBuffer();
      if (!res.ok) {
        failures.push(`${engine} GET ${route}: HTTP ${res.status} before the run`);
        console.log(`FAIL: ${failures.at(-1)}`);
      }
    }
    console.log(`| engine | route | req/s (mean) | p50 ms | p99 ms | requests | errors | non-2xx |\n| --- | --- | --- | --- | --- | --- | --- | --- |`);
    for (const route of routes) {
      // The client runs in a worker thread so that it does not share the server's event loop.
      const r = await autocannon({ url: base + route, connections: CONNECTIONS, duration: seconds, workers: 1, headers });
      await drained();
      console.log(`| ${engine} | GET ${route} | ${r.requests.average.toFixed(1)} | ${ms(r.latency.p50)} | ${ms(r.latency.p99)} | ${r.requests.total} | ${r.errors} | ${r.non2xx} |`);
      if (r.errors !== 0 || r.non2xx !== 0) {
        const codes = Object.entries(r.statusCodeStats).map(([code, s]) => `${code}×${s.count}`).join(", ");
        failures.push(`${engine} GET ${route}: ${r.errors} errors (${r.timeouts} timeouts), ${r.non2xx} non-2xx (status codes: ${codes})`);
        console.log(`FAIL: ${failures.at(-1)}`);
      }
    }
  } finally {
    await server.close();
  }
}

/** Replaces the store's search index with the specs in `dir` and times each query. */
async function searchBench(engine: string, store: Store, dir: string, qs: readonly string[]): Promise<void> {
  const docs = searchDocs(dir);
  const t0 = performance.now();
  await store.replaceSearch(docs);
  const buildMs = performance.now() - t0;
  for (const q of qs.slice(0, 10)) await store.search(q); // warm-up, not counted
  const times: number[] = [];
  let hits = 0;
  let empty = 0;
  for (const q of qs) {
    const t = performance.now();
    const found = await store.search(q);
    times.push(performance.now() - t);
    hits += found.length;
    if (found.length === 0) empty++;
  }
  times.sort((a, b) => a - b);
  console.log(`${engine}: search over ${docs.length} specs: index build (replaceSearch) ${(buildMs / 1000).toFixed(2)} s; `
    + `${qs.length} queries (one and two words, seed ${SEED}): p50 ${ms(percentile(times, 0.5))} ms, p95 ${ms(percentile(times, 0.95))} ms, max ${ms(times.at(-1)!)} ms; `
    + `${(hits / qs.length).toFixed(1)} hits per query (limit 20), ${empty} with none`);
}

/** True when the PostgreSQL server at `url` still accepts connections (it should not after stop()). */
async function stillUp(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const started = performance.now();
const loadBefore = load();
const small = corpus(1000);
const big = corpus(10000);
const tmp = mkdtempSync(join(tmpdir(), "techspec-server-bench-"));
let postgres: TestPostgres | undefined;
try {
  // test-support/postgres.ts gives its stop commands what is left of the start-up deadline: a deadline past the
  // end of the bench, or stop() would be cut short and leave the server running.
  postgres = await startPostgres({ timeoutMs: 60 * 60_000 });
  const server = postgres;
  const probe = await server.open();
  const pgVersion = await postgresVersion(probe).finally(() => probe.close());
  const cpu = cpus();
  console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${new Date().toISOString()}; `
    + `load average before ${loadBefore}; PostgreSQL: ${server.kind}, ${pgVersion}; ${CONNECTIONS} connections, ${seconds} s per route, autocannon's 10 s timeout`);
  // The documents are read again for each engine's search run, so that they are not on the heap during the HTTP runs.
  const qs = queries(searchDocs(big), QUERIES, SEED);
  // PostgreSQL first, stopped as soon as it is done.
  const engines: { name: string; open: () => Promise<Store>; done: () => Promise<void> }[] = [
    { name: "postgres", open: () => server.open(), done: () => server.stop() },
    { name: "sqlite", open: () => openSqlite(join(tmp, "bench.db")), done: async () => undefined },
  ];
  for (const engine of engines) {
    const store = await engine.open();
    try {
      await httpBench(engine.name, store, small, qs[0]!);
      await searchBench(engine.name, store, big, qs);
    } finally {
      await store.close();
      await engine.done();
    }
  }
} finally {
  await postgres?.stop();
  if (postgres?.kind === "server" && (await stillUp(postgres.url))) console.log(`warning: PostgreSQL at ${postgres.url} still answers after stop()`);
  rmSync(tmp, { recursive: true, force: true });
}
if (failures.length) {
  process.exitCode = 1;
  console.log(`\nFAIL: ${failures.length} route run(s) with errors or non-2xx responses:\n${failures.map((f) => `  ${f}`).join("\n")}`);
}
console.log(`\nserver bench finished in ${((performance.now() - started) / 1000).toFixed(1)} s; load average after ${load()}`);
