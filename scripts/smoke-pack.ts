// The package as users get it: `npm pack`, install the tarball into an empty folder with production
// dependencies only, and run every command through `npx techspec` there. A command fails the check when
// it exits with another code than expected, prints an internal error or a stack trace, or leaves out
// what it must write. Run after a build (`npm install` builds): `node dist/scripts/smoke-pack.js`.
// Prints one line per check and, last, "N passed, N failed"; exits 1 when any check failed.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// This file runs as dist/scripts/smoke-pack.js.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const SPEC = "specs/FEAT-0001-refund-processing/technical-specification.md";
const SECOND = "specs/FEAT-0002-second-feature/technical-specification.md";
const STACK = /^\s+at .*(?:\(.*:\d+:\d+\)|:\d+:\d+)$/m;

let passed = 0;
let failed = 0;

function excerpt(label: string, text: string): string {
  const t = text.trimEnd();
  if (t === "") return "";
  const lines = t.split("\n");
  return `\n    ${label}:\n${lines.slice(0, 20).map((l) => `      ${l}`).join("\n")}${lines.length > 20 ? `\n      … (${lines.length - 20} more lines)` : ""}`;
}

/** Records one check: `problem` null is a pass. */
function report(what: string, problem: string | null, r?: Result): void {
  if (problem === null) {
    passed++;
    console.log(`ok    ${what}`);
    return;
  }
  failed++;
  console.log(`FAIL  ${what}: ${problem}${r ? excerpt("stdout", r.stdout) + excerpt("stderr", r.stderr) : ""}`);
}

interface Result {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  error: string | null;
}

/** Runs a program to its end (killed after three minutes), collecting its output. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], shell: process.platform === "win32" });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    let error: string | null = null;
    child.on("error", (e) => {
      error = e.message;
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      done({ status, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), error });
    });
  });
}

/** Starts `npx techspec serve --port 0`, reads its URL, asks two routes and stops it; null when all went well. */
async function serveCheck(cwd: string, env: NodeJS.ProcessEnv, token: string): Promise<string | null> {
  if (!token) return "no token to call the server with";
  // The installed bin itself (what npx runs): npx does not pass SIGTERM on to it, and stopping it is part of the check.
  const child = spawn(join(cwd, "node_modules", ".bin", "techspec"), ["serve", "--port", "0"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (b: Buffer) => {
    out += b.toString("utf8");
  });
  child.stderr.on("data", (b: Buffer) => {
    err += b.toString("utf8");
  });
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  try {
    const deadline = Date.now() + 60_000;
    let url: string | undefined;
    while (!(url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out)?.[0]) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    if (!url) return `no URL printed: ${(out + err).slice(0, 300)}`;
    const specs = await fetch(`${url}api/specs`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await specs.json()) as { specs?: { id: string | null }[] };
    if (specs.status !== 200 || !body.specs?.some((x) => x.id === "FEAT-0001")) return `GET /api/specs: ${specs.status} ${JSON.stringify(body).slice(0, 200)}`;
    if ((await fetch(`${url}api/specs`)).status !== 401) return "GET /api/specs without a token was not 401";
    const api = await fetch(`${url}api/openapi.json`);
    const doc = (await api.json()) as { openapi?: string };
    if (api.status !== 200 || doc.openapi !== "3.1.0") return `GET /api/openapi.json: ${api.status}`;
    child.kill("SIGTERM");
    const code = await exited;
    if (code !== 0) return `serve exited ${code} after SIGTERM: ${err.slice(0, 300)}`;
    if (STACK.test(out + err) || /internal error/i.test(out + err)) return `printed an error: ${(out + err).slice(0, 300)}`;
    return null;
  } catch (e) {
    return `${(e as Error).message}: ${(out + err).slice(0, 300)}`;
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

/** Starts the installed `techspec mock` on a free port and hands its URL to `use`; stops it with SIGTERM. */
async function withMock(cwd: string, env: NodeJS.ProcessEnv, use: (url: string) => Promise<string | null>): Promise<string | null> {
  const child = spawn(join(cwd, "node_modules", ".bin", "techspec"), ["mock", SPEC, "--port", "0", "--json"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString("utf8")));
  child.stderr.on("data", (b: Buffer) => (err += b.toString("utf8")));
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  try {
    const deadline = Date.now() + 60_000;
    while (!out.includes("\n") && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    const url = (JSON.parse(out.split("\n")[0] || "{}") as { url?: string }).url;
    if (!url) return `no URL printed: ${(out + err).slice(0, 300)}`;
    const problem = await use(url);
    if (problem) return problem;
    child.kill("SIGTERM");
    const code = await exited;
    if (code !== 0) return `mock exited ${code} after SIGTERM: ${err.slice(0, 300)}`;
    if (!/→ 200 "Get Refund" /.test(err)) return `no request log line on stderr: ${err.slice(0, 300)}`;
    return STACK.test(out + err) || /internal error/i.test(out + err) ? `printed an error: ${(out + err).slice(0, 300)}` : null;
  } catch (e) {
    return `${(e as Error).message}: ${(out + err).slice(0, 300)}`;
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

const work = mkdtempSync(join(tmpdir(), "techspec-smoke-"));
const app = join(work, "app");
let keep = false;
try {
  if (!existsSync(join(ROOT, "dist", "src", "cli", "main.js")) || !existsSync(join(ROOT, "dist", "browser", "site.js"))) {
    report("build", "dist/ is missing: run npm run build (npm install does it) first");
    throw new Error("stop");
  }
  // --ignore-scripts: dist/ is built already; `prepare` would build it again.
  const pack = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT);
  let tarball = "";
  try {
    tarball = join(work, (JSON.parse(pack.stdout) as [{ filename: string }])[0].filename);
  } catch {
    // reported below
  }
  report("npm pack", pack.status === 0 && existsSync(tarball) ? null : `exit ${pack.status}`, pack);
  if (!existsSync(tarball)) throw new Error("stop");

  mkdirSync(app);
  writeFileSync(join(app, "package.json"), `${JSON.stringify({ name: "techspec-smoke", private: true }, null, 2)}\n`);
  const install = await run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball], app);
  report("npm install --omit=dev <tarball>", install.status === 0 ? null : `exit ${install.status}`, install);
  if (install.status !== 0) throw new Error("stop");
  const dev = ["typescript", "fast-check", "markdownlint-cli2", "playwright-core", "autocannon"].filter((p) => existsSync(join(app, "node_modules", p)));
  report("no devDependency installed", dev.length === 0 ? null : `found ${dev.join(", ")}`);

  // A fixed day and no colour, so the output is the same on any day and on any terminal.
  const env: NodeJS.ProcessEnv = { ...process.env, TECHSPEC_NOW: "2026-11-24", NO_COLOR: "1" };
  for (const k of ["FORCE_COLOR", "NODE_OPTIONS", "NODE_PATH"]) delete env[k];

  interface Check {
    args: string[];
    expected: number;
    check?: (r: Result) => string | null;
  }
  /** Runs `npx techspec ...args` in the installed folder. */
  const npx = (args: string[]): Promise<Result> =>
    // --no: never fetch a package from the registry; the installed bin must be the one that runs.
    run("npx", ["--no", "--", "techspec", ...args], app, env);
  const verdict = (c: Check, r: Result): void => {
    const out = `${r.stdout}\n${r.stderr}`;
    const problem = r.error ? r.error
      : /internal error/i.test(out) ? "printed an internal error"
        : STACK.test(out) ? "printed a stack trace"
          : r.status !== c.expected ? `exit ${r.status ?? r.signal}, expected ${c.expected}`
            : c.check ? c.check(r) : null;
    report(`techspec ${c.args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(" ")}`, problem, r);
  };
  /** Runs checks one after the other (each may depend on the one before). */
  const inOrder = async (...checks: Check[]): Promise<void> => {
    for (const c of checks) verdict(c, await npx(c.args));
  };
  /** Runs independent checks a few at a time (npx start-up dominates); reports them in the order given. */
  const together = async (...checks: Check[]): Promise<void> => {
    const results: Result[] = new Array(checks.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < checks.length; i = next++) results[i] = await npx(checks[i]!.args);
    };
    await Promise.all(Array.from({ length: Math.min(4, checks.length) }, worker));
    checks.forEach((c, i) => verdict(c, results[i]!));
  };
  const json = (r: Result): string | null => {
    try {
      JSON.parse(r.stdout);
      return null;
    } catch (err) {
      return `stdout is not JSON (${(err as Error).message})`;
    }
  };
  const has = (...needles: string[]) => (r: Result): string | null => {
    const missing = needles.filter((n) => !r.stdout.includes(n));
    return missing.length === 0 ? null : `stdout lacks ${missing.map((n) => JSON.stringify(n)).join(", ")}`;
  };

  await inOrder(
    { args: ["--version"], expected: 0, check: (r) => (r.stdout === `${VERSION}\n` ? null : `printed ${JSON.stringify(r.stdout)}`) },
    { args: ["init"], expected: 0, check: () => {
      const schema = (JSON.parse(readFileSync(join(app, "techspec.config.json"), "utf8")) as { $schema: string }).$schema;
      return existsSync(resolve(app, schema)) ? null : `$schema ${schema} does not exist`;
    } },
    // The templates, the configuration's validation (ajv) and the Feature ID allocation.
    { args: ["new", "Refund processing", "--author", "Ada Lovelace, Staff Engineer"], expected: 0,
      check: () => (readFileSync(join(app, SPEC), "utf8").includes("**Created Date**: 2026-11-24") ? null : "the new spec lacks the date") },
    // A fresh Draft's placeholders are warnings (the lifecycle sets the severity): exit 0, unless warnings are capped.
    { args: ["lint"], expected: 0, check: has("no-placeholder") },
    { args: ["lint", "--max-warnings", "0"], expected: 1, check: has("no-placeholder") },
  );
  // A complete spec in its place (the bundled example of the same Feature ID), and two versions of it for diff.
  cpSync(join(ROOT, "examples", "specs", "FEAT-0001-refund-processing"), join(app, "specs", "FEAT-0001-refund-processing"), { recursive: true });
  const old = readFileSync(join(app, SPEC), "utf8");
  writeFileSync(join(app, "old.md"), old);
  writeFileSync(join(app, "new.md"), old.replace("  - 404: The refund does not exist\n\n#### API 3", "\n#### API 3"));
  await together(
    { args: ["lint"], expected: 0, check: has("1 file checked, no problems") },
    { args: ["lint", "--format", "sarif"], expected: 0, check: json },
    { args: ["export", "openapi", SPEC], expected: 0, check: has("openapi: 3.1.0") },
    { args: ["export", "openapi", "--format", "json", SPEC], expected: 0, check: json },
    { args: ["export", "jsonschema", SPEC], expected: 0, check: json },
    { args: ["export", "sql", "--dialect", "postgres", SPEC], expected: 0, check: has("CREATE TABLE") },
    { args: ["export", "sql", "--dialect", "sqlite", SPEC], expected: 0, check: has("CREATE TABLE") },
    { args: ["export", "types", SPEC], expected: 0, check: has("export interface") },
    { args: ["export", "mermaid", SPEC], expected: 0, check: has("erDiagram") },
    { args: ["show", "FEAT-0001"], expected: 0, check: has("Refund Processing") },
    { args: ["show", "FEAT-0001", "--json"], expected: 0, check: json },
    { args: ["list"], expected: 0, check: has("FEAT-0001") },
    // Mermaid, MiniSearch, the browser script and the stylesheet are copied from the installed package.
    { args: ["site", "--out", "site"], expected: 0, check: () => {
      const missing = ["index.html", "assets/mermaid.min.js", "assets/minisearch.js", "assets/site.js", "assets/site.css", "assets/search-index.js"]
        .filter((f) => !existsSync(join(app, "site", f)));
      return missing.length === 0 ? null : `the site lacks ${missing.join(", ")}`;
    } },
    { args: ["diff", "old.md", "new.md"], expected: 0, check: has("breaking") },
    { args: ["diff", "old.md", "new.md", "--fail-on", "breaking"], expected: 1 },
    { args: ["rules"], expected: 0, check: has("no-placeholder") },
    { args: ["rules", "--json"], expected: 0, check: json },
    { args: ["frobnicate"], expected: 2 },
  );
  await inOrder(
    { args: ["new", "Second feature"], expected: 0 },
    // The template as written cannot go to review: the status gate lints it at In Review and leaves the file alone.
    { args: ["status", "FEAT-0002", "In Review"], expected: 1, check: (r) => {
      const before = readFileSync(join(app, SECOND), "utf8");
      return !r.stderr.includes("cannot move to In Review") ? "stderr does not say why the move was refused"
        : !before.includes("**Status**: Draft") ? "the refused move changed the file" : null;
    } },
    // The complete spec may move on.
    { args: ["status", "FEAT-0001", "Implemented"], expected: 0, check: has("Last Updated 2026-11-24") },
  );
  // The review server from the installed package: an account, a token, then serve on a free port, read the
  // specs with the token and the API description, and stop it with SIGTERM.
  let token = "";
  await inOrder(
    { args: ["users", "add", "ann@example.com", "--name", "Ann Example"], expected: 0, check: has("added Ann Example <ann@example.com>") },
    { args: ["users", "list"], expected: 0, check: has("ann@example.com") },
    { args: ["tokens", "create", "ann@example.com", "--name", "smoke"], expected: 0, check: (r) => {
      token = r.stdout.trim();
      return /^tsp_[\w-]{20,}$/.test(token) ? null : `no token on stdout: ${r.stdout.slice(0, 80)}`;
    } },
  );
  report("techspec serve --port 0 (GET /api/specs with a token, /api/openapi.json, SIGTERM)", await serveCheck(app, env, token));
  // mock and verify from the installed package: the mock answers the example, verify checks the mock, the exported
  // OpenAPI document and a SQLite database made from the exported DDL (with the installed libsql).
  report("techspec mock --port 0, then verify --base-url against it, SIGTERM", await withMock(app, env, async (url) => {
    const res = await fetch(`${url}/api/v1/refunds/5b1f8f0e-3c52-4c1e-9d0f-2f6a1c7e8b41`);
    if (res.status !== 200 || !((await res.json()) as { id?: string }).id) return `GET a refund from the mock: ${res.status}`;
    const r = await npx(["verify", SPEC, "--base-url", url, "--exclude-checks", "errors-documented"]);
    return r.status === 0 && r.stdout.includes("no problems") ? null : `verify --base-url exited ${r.status}: ${(r.stdout + r.stderr).slice(0, 300)}`;
  }));
  writeFileSync(join(app, "make-db.cjs"), 'const D = require("libsql"); const db = new D(process.argv[2]); db.exec(require("fs").readFileSync(process.argv[3], "utf8")); db.close();\n');
  await inOrder(
    { args: ["export", "openapi", SPEC, "-o", "refunds.openapi.yaml"], expected: 0 },
    { args: ["verify", SPEC, "--openapi", "refunds.openapi.yaml"], expected: 0, check: has("no problems") },
    { args: ["export", "sql", "--dialect", "sqlite", SPEC, "-o", "refunds.sql"], expected: 0 },
  );
  const made = await run(process.execPath, [join(app, "make-db.cjs"), join(app, "refunds.db"), join(app, "refunds.sql")], app, env);
  report("a SQLite database from the exported DDL", made.status === 0 ? null : `exit ${made.status}`, made);
  await inOrder(
    { args: ["verify", SPEC, "--database-url", "sqlite:refunds.db"], expected: 0, check: has("no problems") },
    { args: ["verify", SPEC, "--database-url", "sqlite:missing.db"], expected: 2 },
  );
} catch (err) {
  if ((err as Error).message !== "stop") report("smoke test", `${(err as Error).message}`);
} finally {
  keep = failed > 0 && process.env["SMOKE_KEEP"] === "1";
  if (keep) console.log(`(kept ${work})`);
  else rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
