// The package as users get it: `npm pack`, install the tarball into an empty folder with production
// dependencies only, and run every command through `npx techspec` there. A command fails the check when
// it exits with another code than expected, prints an internal error or a stack trace, or leaves out
// what it must write. Run after a build (`npm install` builds): `node dist/scripts/smoke-pack.js`.
// Prints one line per check and, last, "N passed, N failed"; exits 1 when any check failed.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// This file runs as dist/scripts/smoke-pack.js.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const SPEC = "specs/FEAT-0001-refund-processing/technical-specification.md";
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
function report(what: string, problem: string | null, r?: SpawnSyncReturns<string>): void {
  if (problem === null) {
    passed++;
    console.log(`ok    ${what}`);
    return;
  }
  failed++;
  console.log(`FAIL  ${what}: ${problem}${r ? excerpt("stdout", r.stdout ?? "") + excerpt("stderr", r.stderr ?? "") : ""}`);
}

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout: 180_000, maxBuffer: 64 * 1024 * 1024, shell: process.platform === "win32" });
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
  const pack = sh("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT);
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
  const install = sh("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball], app);
  report("npm install --omit=dev <tarball>", install.status === 0 ? null : `exit ${install.status}`, install);
  if (install.status !== 0) throw new Error("stop");
  const dev = ["typescript", "fast-check", "ajv-formats", "playwright-core"].filter((p) => existsSync(join(app, "node_modules", p)));
  report("no devDependency installed", dev.length === 0 ? null : `found ${dev.join(", ")}`);

  // A fixed day and no colour, so the output is the same on any day and on any terminal.
  const env: NodeJS.ProcessEnv = { ...process.env, TECHSPEC_NOW: "2026-11-24", NO_COLOR: "1" };
  for (const k of ["FORCE_COLOR", "NODE_OPTIONS", "NODE_PATH"]) delete env[k];

  /** Runs `npx techspec ...args` in the installed folder and checks it; returns the result for further checks. */
  const techspec = (args: string[], expected: number, check?: (r: SpawnSyncReturns<string>) => string | null): SpawnSyncReturns<string> => {
    // --no: never fetch a package from the registry; the installed bin must be the one that runs.
    const r = sh("npx", ["--no", "--", "techspec", ...args], app, env);
    const out = `${r.stdout ?? ""}\n${r.stderr ?? ""}`;
    const problem = r.error ? r.error.message
      : /internal error/i.test(out) ? "printed an internal error"
        : STACK.test(out) ? "printed a stack trace"
          : r.status !== expected ? `exit ${r.status ?? r.signal}, expected ${expected}`
            : check ? check(r) : null;
    report(`techspec ${args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(" ")}`, problem, r);
    return r;
  };
  const json = (r: SpawnSyncReturns<string>): string | null => {
    try {
      JSON.parse(r.stdout);
      return null;
    } catch (err) {
      return `stdout is not JSON (${(err as Error).message})`;
    }
  };
  const has = (...needles: string[]) => (r: SpawnSyncReturns<string>): string | null => {
    const missing = needles.filter((n) => !r.stdout.includes(n));
    return missing.length === 0 ? null : `stdout lacks ${missing.map((n) => JSON.stringify(n)).join(", ")}`;
  };

  techspec(["--version"], 0, (r) => (r.stdout === `${VERSION}\n` ? null : `printed ${JSON.stringify(r.stdout)}`));
  techspec(["init"], 0, () => {
    const schema = (JSON.parse(readFileSync(join(app, "techspec.config.json"), "utf8")) as { $schema: string }).$schema;
    return existsSync(resolve(app, schema)) ? null : `$schema ${schema} does not exist`;
  });
  // The templates, the configuration's validation (ajv) and the Feature ID allocation.
  techspec(["new", "Refund processing", "--author", "Ada Lovelace, Staff Engineer"], 0,
    () => (readFileSync(join(app, SPEC), "utf8").includes("**Created Date**: 2026-11-24") ? null : "the new spec lacks the date"));
  techspec(["lint", "--quiet"], 1, has("no-placeholder"));
  // A complete spec in its place (the bundled example of the same Feature ID).
  cpSync(join(ROOT, "examples", "specs", "FEAT-0001-refund-processing"), join(app, "specs", "FEAT-0001-refund-processing"), { recursive: true });
  techspec(["lint"], 0, has("1 file checked, no problems"));
  techspec(["lint", "--format", "sarif"], 0, json);
  techspec(["export", "openapi", SPEC], 0, has("openapi: 3.1.0"));
  techspec(["export", "openapi", "--format", "json", SPEC], 0, json);
  techspec(["export", "jsonschema", SPEC], 0, json);
  techspec(["export", "sql", "--dialect", "postgres", SPEC], 0, has("CREATE TABLE"));
  techspec(["export", "sql", "--dialect", "sqlite", SPEC], 0, has("CREATE TABLE"));
  techspec(["export", "types", SPEC], 0, has("export interface"));
  techspec(["export", "mermaid", SPEC], 0, has("erDiagram"));
  techspec(["show", "FEAT-0001"], 0, has("Refund Processing"));
  techspec(["show", "FEAT-0001", "--json"], 0, json);
  techspec(["list"], 0, has("FEAT-0001"));
  // Mermaid, MiniSearch, the browser script and the stylesheet are copied from the installed package.
  techspec(["site", "--out", "site"], 0, () => {
    const missing = ["index.html", "assets/mermaid.min.js", "assets/minisearch.js", "assets/site.js", "assets/site.css", "assets/search-index.js"]
      .filter((f) => !existsSync(join(app, "site", f)));
    return missing.length === 0 ? null : `the site lacks ${missing.join(", ")}`;
  });
  const old = readFileSync(join(app, SPEC), "utf8");
  writeFileSync(join(app, "old.md"), old);
  writeFileSync(join(app, "new.md"), old.replace("  - 404: The refund does not exist\n\n#### API 3", "\n#### API 3"));
  techspec(["diff", "old.md", "new.md"], 0, has("breaking"));
  techspec(["diff", "old.md", "new.md", "--fail-on", "breaking"], 1);
  techspec(["new", "Second feature"], 0);
  techspec(["status", "FEAT-0002", "In Review"], 0, has("Last Updated 2026-11-24"));
  techspec(["rules"], 0, has("no-placeholder"));
  techspec(["rules", "--json"], 0, json);
  techspec(["frobnicate"], 2);
} catch (err) {
  if ((err as Error).message !== "stop") report("smoke test", `${(err as Error).message}`);
} finally {
  keep = failed > 0 && process.env["SMOKE_KEEP"] === "1";
  if (keep) console.log(`(kept ${work})`);
  else rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
