// npm run bench:instructions — the cost of linting one spec in machine instructions, which do not depend on the
// machine's load: valgrind counts the instructions of `node --single-threaded --predictable` (JIT compilation and
// GC on the main thread, no timing-dependent decisions) linting N generated specs in process, once and three
// times; the difference over 2N is the warm cost per spec, the first pass alone also holds module loading and JIT
// warm-up. Needs Debian's valgrind (apt-get install -y valgrind) and the 10,000-spec corpus of `npm run bench`.
//
// node dist/bench/instructions.js [N=300] [DIST=dist/src]   (a DIST of another build compares two versions)
// node dist/bench/instructions.js --passes P N DIST         (the in-process lint itself, run under valgrind)
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const repo = resolve(import.meta.dirname, "..", "..");
const corpus = join(repo, ".bench", "corpus-10000");

async function lintPasses(passes: number, n: number, dist: string): Promise<void> {
  const load = (p: string): Promise<Record<string, unknown>> => import(pathToFileURL(join(dist, p)).href) as Promise<Record<string, unknown>>;
  const { lintFile } = await load("workspace/lint-file.js") as { lintFile: (p: string, d: string, job: unknown, host: unknown) => { diagnostics: unknown[] } };
  const { FileHost } = await load("workspace/host.js") as { FileHost: new (root: string) => unknown };
  const { DEFAULT_SETTINGS } = await load("rules/lint-spec.js");
  const files = readdirSync(corpus).filter((d) => d.startsWith("feat-")).sort().slice(0, n).map((d) => join(corpus, d, "technical-specification.md"));
  const job = { settings: DEFAULT_SETTINGS, rules: {}, overrides: [], maxFileSize: 10e6, fix: false, root: corpus };
  let findings = 0;
  for (let p = 0; p < passes; p++) {
    const host = new FileHost(corpus);
    for (const f of files) findings += lintFile(f, f, job, host).diagnostics.length;
  }
  console.log(`${findings} findings`);
}

function instructions(passes: number, n: number, dist: string): number {
  const r = spawnSync("valgrind", ["--tool=callgrind", "--callgrind-out-file=/dev/null", process.execPath, "--single-threaded", "--predictable",
    import.meta.filename, "--passes", String(passes), String(n), dist], { encoding: "utf8", maxBuffer: 1 << 26 });
  const m = /Collected : (\d+)/.exec(r.stderr ?? "");
  if (r.status !== 0 || !m) throw new Error(`valgrind failed (exit ${r.status}): ${(r.stderr ?? "").trim().split("\n").slice(-3).join(" / ")}`);
  return Number(m[1]);
}

const args = process.argv.slice(2);
if (args[0] === "--passes") {
  await lintPasses(Number(args[1]), Number(args[2]), args[3]!);
} else {
  const n = Number(args[0] ?? 300);
  const dist = resolve(args[1] ?? join(repo, "dist", "src"));
  if (!Number.isInteger(n) || n < 1) throw new Error(`N must be a whole number of 1 or more (got "${args[0]}")`);
  if (spawnSync("valgrind", ["--version"]).status !== 0) {
    console.error("bench:instructions: valgrind is not installed (Debian: apt-get install -y valgrind)");
    process.exit(2);
  }
  if (!existsSync(corpus)) {
    console.error(`bench:instructions: no corpus at ${corpus} (npm run bench generates it)`);
    process.exit(2);
  }
  const one = instructions(1, n, dist);
  const three = instructions(3, n, dist);
  const warm = (three - one) / 2 / n;
  console.log(`${dist}: ${(warm / 1e6).toFixed(2)} M instructions per spec warm; first pass over ${n} specs ${(one / 1e9).toFixed(2)} G `
    + `(of which ${((one - warm * n) / 1e9).toFixed(2)} G module loading and JIT warm-up)`);
}
