// A real, throw-away PostgreSQL server for the store tests: Debian's binaries, run as the `postgres`
// user (the tests run as root), in a fresh temporary folder, on a free port of 127.0.0.1, trust auth.
// When there are no binaries or the server does not start, falls back to PGlite (PostgreSQL compiled
// to WebAssembly, in process) through the small Kysely driver below; `kind` says which it is.
// TECHSPEC_TEST_POSTGRES=server refuses the fallback; TECHSPEC_TEST_POSTGRES=pglite skips the server.

import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { PGlite } from "@electric-sql/pglite";
import { CompiledQuery, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from "kysely";
import type { DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from "kysely";
import pg from "pg";
import { openPostgres, preparePostgres } from "../src/store/postgres.js";
import type { Database } from "../src/store/schema.js";
import type { Store } from "../src/store/store.js";

const run = promisify(execFile);

/** How long starting the server (initdb, start, create database) may take before giving up. */
export const START_TIMEOUT = 60_000;
const DATABASE = "techspec_test";

export interface TestPostgres {
  /** "server": a real PostgreSQL server; "pglite": the in-process fallback. */
  readonly kind: "server" | "pglite";
  /** A postgres:// URL for the server; for PGlite "pglite:memory", which only `open` understands. */
  readonly url: string;
  /** The server's version, or why the fallback was used, for the suite to print. */
  readonly description: string;
  /** Opens a migrated store on the test database (a new pool each call for the server). */
  open(): Promise<Store>;
  /** Stops the server (or PGlite) and removes its folder; safe to call more than once. */
  stop(): Promise<void>;
}

/** Starts a PostgreSQL for tests; see the file comment for the fallback. */
export async function startPostgres(options: { timeoutMs?: number } = {}): Promise<TestPostgres> {
  const mode = process.env["TECHSPEC_TEST_POSTGRES"];
  if (mode === "pglite") return startPglite("TECHSPEC_TEST_POSTGRES=pglite");
  try {
    return await startServer(options.timeoutMs ?? START_TIMEOUT);
  } catch (error) {
    if (mode === "server") throw error;
    return startPglite(`no PostgreSQL server: ${(error as Error).message.split("\n")[0]}`);
  }
}

// --- A real server ---

/** The newest /usr/lib/postgresql/<version>/bin, or `pg_config --bindir`, or undefined. */
export function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v) && existsSync(join(root, v, "bin", "pg_ctl")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(root, versions[0], "bin");
  }
  try {
    const dir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (existsSync(join(dir, "pg_ctl")) && existsSync(join(dir, "initdb"))) return dir;
  } catch {
    // no pg_config either
  }
  return undefined;
}

async function startServer(timeoutMs: number): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error("no PostgreSQL binaries (looked in /usr/lib/postgresql/*/bin and pg_config --bindir)");
  const deadline = Date.now() + timeoutMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "techspec-pg-"));
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  // As root, every command runs as `postgres`, which must own the folder.
  const command = (tool: string, args: string[]) =>
    asRoot ? { file: "runuser", args: ["-u", "postgres", "--", join(bin, tool), ...args] } : { file: join(bin, tool), args };
  /** Start-up steps share the start deadline; stopping gets its own time, however long the server ran. */
  const STOP_MS = 60_000;
  const exec = async (tool: string, args: string[], what: string) => {
    const { file, args: argv } = command(tool, args);
    try {
      await run(file, argv, { cwd: dir, timeout: what === "stop" ? STOP_MS : remaining(), env: { ...process.env, LC_ALL: "C", LANG: "C" } });
    } catch (error) {
      const e = error as { killed?: boolean; stderr?: string; message: string };
      const detail = e.killed === true ? `timed out (the server must start within ${timeoutMs} ms)` : (e.stderr?.trim() || e.message).split("\n").slice(-3).join(" ");
      const serverLog = existsSync(log) ? ` (server log: ${readFileSync(log, "utf8").trim().split("\n").slice(-3).join(" ")})` : "";
      throw new Error(`PostgreSQL ${what} failed: ${detail}${serverLog}`);
    }
  };

  let started = false;
  let stopped: Promise<void> | undefined;
  const stopNow = () => {
    // For process exit: synchronous, and quick.
    if (stopped !== undefined) return;
    if (started) {
      const { file, args } = command("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w", "-t", "10"]);
      try {
        execFileSync(file, args, { cwd: dir, stdio: "ignore" });
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stopNow);

  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      process.removeListener("exit", stopNow);
      if (started) {
        try {
          await exec("pg_ctl", ["stop", "-D", data, "-m", "fast", "-w", "-t", "30"], "stop");
        } catch {
          await exec("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w", "-t", "10"], "stop").catch(() => {});
        }
      }
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    if (asRoot) {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      chownSync(dir, uid, gid);
    }
    await exec("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], "initdb");
    let port = 0;
    // A port found free can be taken before the server binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const settings = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        await exec("pg_ctl", ["start", "-D", data, "-l", log, "-w", "-t", String(Math.ceil(remaining() / 1000)), "-o", settings], "start");
        started = true;
        break;
      } catch (error) {
        if (attempt === 3 || Date.now() >= deadline) throw error;
      }
    }
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: remaining() });
    let version: string;
    try {
      await admin.connect();
      await admin.query(`create database ${DATABASE}`);
      version = String((await admin.query<{ server_version: string }>("show server_version")).rows[0]?.server_version);
    } finally {
      await admin.end().catch(() => {});
    }
    const url = `postgres://postgres@127.0.0.1:${port}/${DATABASE}`;
    return { kind: "server", url, description: `PostgreSQL ${version} server on 127.0.0.1:${port} (${bin})`, open: () => openPostgres(url), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A TCP port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// --- The PGlite fallback ---

async function startPglite(why: string): Promise<TestPostgres> {
  const { PGlite } = await import("@electric-sql/pglite");
  const pglite = await PGlite.create();
  let stopped: Promise<void> | undefined;
  return {
    kind: "pglite",
    url: "pglite:memory",
    description: `PGlite (in process; ${why})`,
    open: () => preparePostgres(new Kysely<Database>({ dialect: new PgliteDialect(pglite) }), "pglite:memory"),
    stop: () => (stopped ??= pglite.close()),
  };
}

/** Kysely's PostgreSQL dialect over one PGlite instance. Destroying a Kysely leaves PGlite open. */
export class PgliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PgliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

/** PGlite has one session: one connection, lent to one Kysely caller at a time. */
class PgliteDriver implements Driver {
  readonly #connection: PgliteConnection;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(pglite: PGlite) {
    this.#connection = new PgliteConnection(pglite);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release: () => void = () => {};
    this.#queue = new Promise((resolve) => (release = resolve));
    await previous;
    this.#release = release;
    return this.#connection;
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel === undefined ? "" : ` isolation level ${settings.isolationLevel}`;
    await connection.executeQuery(CompiledQuery.raw(`start transaction${isolation}`));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }
  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
  async destroy(): Promise<void> {}
}

class PgliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(query.sql, [...query.parameters]);
    return {
      rows: result.rows,
      ...(result.affectedRows === undefined ? {} : { numAffectedRows: BigInt(result.affectedRows) }),
    };
  }
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("The PGlite test driver does not stream");
  }
}
