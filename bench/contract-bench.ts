// mock and verify: `techspec verify --base-url` of the 50-API catalog spec against its conforming service (in
// process and as the CLI, medians), and the mock's requests per second beside Stoplight Prism's mock of the same
// API (the OpenAPI document techspec exports from the spec), both as their own CLI processes, driven by autocannon
// (50 connections, CONTRACT_BENCH_SECONDS per run, default 10), the two alternating round by round.
// Part of `npm run bench`; alone: node dist/bench/contract-bench.js (after npx tsc -p tsconfig.json).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Contract } from "../src/contract/contract.js";
import { verifyHttp } from "../src/contract/verify-http.js";
import { exportOpenApi } from "../src/export/openapi.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import { catalogSpec, startCatalogService } from "../test-support/catalog-service.js";
import { autocannon } from "./cannon.js";

const seconds = Number(process.env["CONTRACT_BENCH_SECONDS"] ?? 10);
if (!(seconds > 0)) throw new Error(`CONTRACT_BENCH_SECONDS must be a positive number of seconds, not "${process.env["CONTRACT_BENCH_SECONDS"]}"`);
const ROUNDS = 3;
const VERIFY_RUNS = 9;
const CLI_RUNS = 5;
const CONNECTIONS = 50;
const CLI = resolve("dist/src/cli/main.js");
const FIXTURE = resolve("test/fixtures/contract/technical-specification.md");

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(" ");
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const failures: string[] = [];
const dir = mkdtempSync(join(tmpdir(), "techspec-contract-bench-"));

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** Waits until a GET of `url` gets any answer. */
async function ready(url: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before listening`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer within 60 s`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((res) => {
    child.once("close", () => res());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });
}

// ---- verify ---------------------------------------------------------------------------------------------------
async function benchVerify(): Promise<void> {
  const text = catalogSpec(10);
  const specFile = join(dir, "catalog.md");
  writeFileSync(specFile, text);
  const parsed = parseSpec(text, "catalog.md");
  const inProcess: number[] = [];
  let requests = 0;
  let firstMs = 0;
  for (let i = 0; i < VERIFY_RUNS; i++) {
    const service = await startCatalogService(10);
    const t0 = performance.now();
    const r = await verifyHttp(new Contract(parsed), { baseUrl: service.url, allowWrites: true });
    const t = performance.now() - t0;
    await service.close();
    if (i === 0) firstMs = t;
    inProcess.push(t);
    requests = r.requests;
    if (r.diagnostics.length) failures.push(`verify found ${r.diagnostics.length} problems in the conforming service`);
  }
  const cli: number[] = [];
  for (let i = 0; i < CLI_RUNS; i++) {
    const service = await startCatalogService(10);
    const t0 = performance.now();
    const code = await new Promise<number | null>((res) => {
      const child = spawn(process.execPath, [CLI, "verify", specFile, "--base-url", service.url, "--allow-writes"], { stdio: "ignore" });
      child.on("close", res);
    });
    cli.push(performance.now() - t0);
    await service.close();
    if (code !== 0) failures.push(`techspec verify exited ${code} on the conforming service`);
  }
  console.log(`verify --base-url, 50-API spec, conforming service (${requests} requests, concurrency 4, writes allowed): `
    + `in process median ${median(inProcess).toFixed(0)} ms of ${VERIFY_RUNS} (first run, with schema compiling, ${firstMs.toFixed(0)} ms); `
    + `the CLI end to end (start, parse, verify, report) median ${median(cli).toFixed(0)} ms of ${CLI_RUNS}`);
}

// ---- mock -----------------------------------------------------------------------------------------------------
interface Route { readonly name: string; readonly path: string; readonly method: string; readonly body?: string }
const ROUTES: Route[] = [
  { name: "GET one tool (path parameter validated)", method: "GET", path: "/api/v1/tools/5b0e8c1d-2f3a-4b6c-8d7e-9f0a1b2c3d4e" },
  { name: "POST a loan (JSON body validated)", method: "POST", path: "/api/v1/loans", body: JSON.stringify({ toolId: "5b0e8c1d-2f3a-4b6c-8d7e-9f0a1b2c3d4e", memberEmail: "ada@example.org", dueDate: "2026-12-14" }) },
];

function prismBin(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve("@stoplight/prism-cli/package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { bin: Record<string, string> | string; version: string };
  const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin["prism"]!;
  return join(dirname(pkgPath), bin);
}

async function startTool(tool: "techspec" | "prism", document: string, port: number): Promise<ChildProcess> {
  const args = tool === "techspec"
    ? [CLI, "mock", FIXTURE, "--port", String(port), "--quiet"]
    : [prismBin(), "mock", document, "-p", String(port), "-h", "127.0.0.1", "-v", "error"];
  const child = spawn(process.execPath, args, { stdio: "ignore" });
  await ready(`http://127.0.0.1:${port}/api/v1/tools`, child);
  return child;
}

async function benchMock(): Promise<void> {
  const document = join(dir, "loans.openapi.json");
  writeFileSync(document, JSON.stringify(exportOpenApi(parseSpec(readFileSync(FIXTURE, "utf8"), FIXTURE).spec), null, 2));
  const rates: Record<string, Record<string, number[]>> = { techspec: {}, prism: {} };
  const p99: Record<string, Record<string, number[]>> = { techspec: {}, prism: {} };
  for (let round = 0; round < ROUNDS; round++) {
    for (const tool of (round % 2 ? ["prism", "techspec"] : ["techspec", "prism"]) as ("techspec" | "prism")[]) {
      const port = await freePort();
      const child = await startTool(tool, document, port);
      try {
        for (const route of ROUTES) {
          const r = await autocannon({
            url: `http://127.0.0.1:${port}${route.path}`, method: route.method, connections: CONNECTIONS, duration: seconds, workers: 1,
            ...(route.body ? { body: route.body, headers: { "content-type": "application/json" } } : {}),
          });
          if (r.errors || r.non2xx) failures.push(`${tool} ${route.name}: ${r.errors} errors, ${r.non2xx} non-2xx answers`);
          (rates[tool]![route.name] ??= []).push(r.requests.average);
          (p99[tool]![route.name] ??= []).push(r.latency.p99);
        }
      } finally {
        await stop(child);
      }
    }
  }
  const prismVersion = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@stoplight/prism-cli/package.json"), "utf8")) as { version: string }).version;
  console.log(`mock requests/s, fixture spec, ${CONNECTIONS} connections × ${seconds} s, median of ${ROUNDS} rounds (techspec mock --quiet beside Prism ${prismVersion} mock -v error of the exported OpenAPI document):`);
  console.log("| route | techspec mock | p99 | Prism mock | p99 | ratio |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const route of ROUTES) {
    const t = median(rates["techspec"]![route.name]!);
    const p = median(rates["prism"]![route.name]!);
    console.log(`| ${route.name} | ${t.toFixed(0)} | ${median(p99["techspec"]![route.name]!).toFixed(0)} ms | ${p.toFixed(0)} | ${median(p99["prism"]![route.name]!).toFixed(0)} ms | ${(t / p).toFixed(1)}× |`);
  }
}

const cpu = cpus();
console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${new Date().toISOString()}; load average before ${load()}`);
const git = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout.trim();
if (git) console.log(`commit ${git}`);
try {
  await benchVerify();
  await benchMock();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`load average after ${load()}`);
if (failures.length) {
  console.error(`contract bench: ${failures.length} problem(s):\n${failures.join("\n")}`);
  process.exitCode = 1;
}
