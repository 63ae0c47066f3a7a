// node dist/bench/cache-bench.js: techspec lint --cache on the 10,000-spec corpus (a copy of it, so the shared corpus
// stays as it is): cold (no cache file) against warm (nothing changed), the report asserted byte for byte the same as
// a run without the cache; then warm with one spec changed, with the content strategy, and a cold run without
// --cache, which is what the cache saves. Runs alternate cold and warm, so a burst of load hits both alike.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { corpus, repo } from "./corpus.js";

const cli = join(repo, "dist", "src", "cli", "main.js");
const runs = Number(process.env["BENCH_RUNS"] ?? 5);
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Timed {
  readonly seconds: number;
  readonly stdout: string;
  readonly code: number | null;
  readonly hits: number;
  readonly misses: number;
}

function lint(dir: string, args: readonly string[]): Timed {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, "lint", ".", ...args], {
    cwd: dir, env: { ...process.env, NO_COLOR: "1", TECHSPEC_DEBUG_CACHE: "1" }, encoding: "utf8", maxBuffer: 1 << 28,
  });
  const seconds = (performance.now() - t0) / 1000;
  const m = /^techspec: cache: (\d+) hits, (\d+) misses/m.exec(r.stderr);
  return { seconds, stdout: r.stdout, code: r.status, hits: Number(m?.[1] ?? 0), misses: Number(m?.[2] ?? 0) };
}

const work = mkdtempSync(join(tmpdir(), "techspec-cache-bench-"));
try {
  const dir = join(work, "corpus");
  cpSync(corpus(10000), dir, { recursive: true });
  const cacheFile = join(work, "lint.cache");
  const cache = ["--cache", "--cache-location", cacheFile];
  const load = (): string => loadavg().map((x) => x.toFixed(2)).join(" ");
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${new Date().toISOString().slice(0, 10)}; median of ${runs} runs; load average at start ${load()}`);

  const plain = lint(dir, []);
  const cold: number[] = [];
  const warm: number[] = [];
  const uncached: number[] = [plain.seconds];
  for (let i = 0; i < runs; i++) {
    rmSync(cacheFile, { force: true });
    const c = lint(dir, cache);
    const w = lint(dir, cache);
    assert.equal(c.stdout, plain.stdout, "a cold --cache run reports what a run without the cache does");
    assert.equal(w.stdout, plain.stdout, "a warm run reports the same, byte for byte");
    assert.equal(w.code, plain.code);
    assert.deepEqual([c.hits, c.misses, w.hits, w.misses], [0, 10000, 10000, 0], "the warm run answered every file from the cache");
    cold.push(c.seconds);
    warm.push(w.seconds);
    if (i > 0) uncached.push(lint(dir, []).seconds);
  }
  const json = [lint(dir, ["-f", "json"]), lint(dir, ["-f", "json", ...cache])];
  assert.equal(json[1]!.stdout, json[0]!.stdout, "the same JSON report warm");
  const content: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = lint(dir, [...cache, "--cache-strategy", "content"]);
    assert.equal(r.stdout, plain.stdout);
    assert.equal(r.hits, 10000);
    content.push(r.seconds);
  }
  // One spec changed, then changed back: each run lints that one spec again.
  const spec = join(dir, "feat-00042", "technical-specification.md");
  const original = readFileSync(spec, "utf8");
  const oneChanged: number[] = [];
  for (let i = 0; i < runs; i++) {
    writeFileSync(spec, i % 2 === 0 ? original.replace("## Overview", "## Overview\n\nChanged for the cache bench.") : original);
    const r = lint(dir, cache);
    assert.deepEqual([r.hits, r.misses], [9999, 1], "only the changed spec is linted");
    oneChanged.push(r.seconds);
  }
  writeFileSync(spec, original);
  const s = (xs: readonly number[]): string => `${median(xs).toFixed(2)} s (runs: ${xs.map((x) => x.toFixed(2)).join(", ")})`;
  console.log(`techspec lint of 10,000 specs, without --cache: ${s(uncached)}`);
  console.log(`--cache, cold (no cache file): ${s(cold)}; the cache file ${(readFileSync(cacheFile).length / 1e6).toFixed(1)} MB`);
  console.log(`--cache, warm, nothing changed: ${s(warm)}, ${(median(cold) / median(warm)).toFixed(1)}× faster than cold (${(median(uncached) / median(warm)).toFixed(1)}× faster than without --cache); the same report, byte for byte`);
  console.log(`--cache, warm, one spec changed: ${s(oneChanged)}`);
  console.log(`--cache --cache-strategy content, warm (every file read and hashed): ${s(content)}`);
  console.log(`load average now ${load()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
