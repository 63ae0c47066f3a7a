// npm run bench: end-to-end lint throughput, peak memory and start-up, with markdownlint-cli2 side by side,
// a check that every defect planted by the corpus generator is found and no clean spec gets an error,
// export time per target, and the time to build the portal for 1,000 specs.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { exporters } from "../src/export/exporter.js";
import { corpus, repo, work } from "./corpus.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import { jsonExample, specWithApis } from "../test-support/large-specs.js";

const cli = join(repo, "dist", "src", "cli", "main.js");
const hook = join(repo, "bench", "rss-hook.mjs");
const mdl = join(repo, "node_modules", "markdownlint-cli2", "markdownlint-cli2-bin.mjs");
const runs = Number(process.env["BENCH_RUNS"] ?? 3);
// markdownlint-cli2 takes minutes on 10,000 files: fewer runs of it by default (BENCH_PEER_RUNS).
const peerRuns = Number(process.env["BENCH_PEER_RUNS"] ?? Math.min(runs, 3));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;


function specBytes(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const d of readdirSync(dir)) {
    const f = join(dir, d, "technical-specification.md");
    if (existsSync(f)) {
      files++;
      bytes += statSync(f).size;
    }
  }
  return { files, bytes };
}

/** Runs a node program `runs` times (`after` between runs); wall-clock seconds and peak RSS (MB) of each run. */
function measure(args: string[], cwd: string, after?: () => void, times = runs): { seconds: number[]; rssMB: number[]; status: number | null } {
  const seconds: number[] = [];
  const rssMB: number[] = [];
  let status: number | null = null;
  for (let i = 0; i < times; i++) {
    const rssFile = join(tmpdir(), `techspec-bench-rss-${process.pid}`);
    rmSync(rssFile, { force: true });
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ["--import", hook, ...args], {
      cwd, env: { ...process.env, BENCH_RSS_FILE: rssFile, NO_COLOR: "1" }, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 28,
    });
    seconds.push((performance.now() - t0) / 1000);
    status = r.status;
    const kb = readFileSync(rssFile, "utf8").trim().split("\n").map(Number);
    rssMB.push(Math.max(...kb) / 1024);
    rmSync(rssFile, { force: true });
    after?.();
  }
  return { seconds, rssMB, status };
}

function startup(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, args, { stdio: "ignore" });
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Independent oracle: is the defect the manifest names really in the text? (The generator sometimes cannot plant it.) */
function planted(defect: string, text: string): boolean {
  switch (defect) {
    case "status-approvals": return /^\*\*Status\*\*: Approved\s*$/m.test(text);
    case "invalid-json": {
      for (const m of text.matchAll(/```json\n([\s\S]*?)\n\s*```/g)) {
        try { JSON.parse(m[1]!); } catch { return true; }
      }
      return false;
    }
    default: return true;
  }
}

const EXPECTED_RULE: Record<string, string> = {
  placeholder: "no-placeholder", "invalid-json": "json-block", "bad-method": "api-fields",
  "status-approvals": "approval-consistent", "broken-link": "related-document-link", "duplicate-field": "entity-table",
};

function defectCheck(dir: string): string[] {
  const out = join(tmpdir(), `techspec-bench-${process.pid}.json`);
  spawnSync(process.execPath, [cli, "lint", ".", "--format", "json", "-o", out], { cwd: dir, stdio: "ignore" });
  const report = JSON.parse(readFileSync(out, "utf8")) as { diagnostics: { file: string; rule: string; severity: string }[] };
  rmSync(out, { force: true });
  const byFile = new Map<string, { rule: string; severity: string }[]>();
  for (const d of report.diagnostics) (byFile.get(d.file) ?? byFile.set(d.file, []).get(d.file)!).push(d);
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { path: string; defect: string | null }[];
  let plantedN = 0, found = 0, notPlanted = 0, clean = 0, cleanWithError = 0, openQuestions = 0;
  const missed: string[] = [];
  const falsePositives: string[] = [];
  for (const m of manifest) {
    const ds = byFile.get(m.path) ?? [];
    const errors = ds.filter((d) => d.severity === "error");
    if (m.defect && planted(m.defect, readFileSync(join(dir, m.path), "utf8"))) {
      plantedN++;
      // Found at any severity: a placeholder in a Draft is a warning by design, an error from In Review on.
      if (ds.some((d) => d.rule === EXPECTED_RULE[m.defect!])) found++;
      else missed.push(`${m.path} (${m.defect})`);
    } else {
      if (m.defect) notPlanted++;
      clean++;
      // The generator writes Approved specs with unresolved open questions: an error from In Review on, by design.
      if (errors.some((d) => d.rule === "open-questions")) openQuestions++;
      const others = errors.filter((d) => d.rule !== "open-questions");
      if (others.length) {
        cleanWithError++;
        falsePositives.push(`${m.path}: ${others.map((e) => e.rule).join(", ")}`);
      }
    }
  }
  return [
    `planted defects found: ${found}/${plantedN}${missed.length ? ` — missed: ${missed.slice(0, 5).join("; ")}` : ""}`,
    `clean specs with an error: ${cleanWithError}/${clean}${falsePositives.length ? ` — ${falsePositives.slice(0, 5).join("; ")}` : ""}`,
    `clean specs that are Approved with unresolved open questions (open-questions errors, by design from In Review on): ${openQuestions}`,
    `listed in manifest.json but not actually in the text (generator could not plant them): ${notPlanted}`,
  ];
}

function parseThroughput(dir: string, n: number): number {
  const texts = readdirSync(dir).filter((d) => d.startsWith("feat-")).slice(0, n).map((d) => readFileSync(join(dir, d, "technical-specification.md"), "utf8"));
  const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);
  for (const t of texts.slice(0, 200)) parseSpec(t);
  const t0 = performance.now();
  for (const t of texts) parseSpec(t);
  return bytes / 1e6 / ((performance.now() - t0) / 1000);
}

/** Milliseconds per export of one typical spec to each target, after warm-up (median of 7 rounds of 100). */
function exportTimes(): string[] {
  const text = readFileSync(join(repo, "examples", "specs", "FEAT-0001-refund-processing", "technical-specification.md"), "utf8");
  const spec = parseSpec(text).spec;
  return exporters.flatMap((e) => {
    const variants = e.id === "sql" ? [{ dialect: "postgres" as const }, { dialect: "sqlite" as const }] : e.id === "openapi" ? [{ format: "yaml" as const }, { format: "json" as const }] : [{}];
    return variants.map((options) => {
      for (let i = 0; i < 200; i++) e.run(spec, options);
      const rounds: number[] = [];
      for (let r = 0; r < 7; r++) {
        const t0 = performance.now();
        for (let i = 0; i < 100; i++) e.run(spec, options);
        rounds.push((performance.now() - t0) / 100);
      }
      return `${e.id}${Object.values(options).length ? ` ${Object.values(options).join("")}` : ""} ${median(rounds).toFixed(3)} ms`;
    });
  });
}

const big = corpus(10000);
const small = corpus(1000);
const bigSize = specBytes(big);
const smallSize = specBytes(small);
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(" ");
// BENCH_ONLY=large: only the large single specs (a minute, against about 25 for the whole run).
if (process.env["BENCH_ONLY"] === "large") {
  largeSpecs();
  process.exit(0);
}
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${new Date().toISOString().slice(0, 10)}; median of ${runs} runs (markdownlint-cli2: ${peerRuns}); load average at start ${load()}`);
// The two tools alternate run by run, so a burst of load on the shared machine hits both alike.
const ts10kRuns: ReturnType<typeof measure>[] = [];
const ml10kRuns: ReturnType<typeof measure>[] = [];
for (let i = 0; i < Math.max(runs, peerRuns); i++) {
  if (i < runs) ts10kRuns.push(measure([cli, "lint", "."], big, undefined, 1));
  if (i < peerRuns) ml10kRuns.push(measure([mdl, "**/technical-specification.md"], big, undefined, 1));
}
const merge = (ms: ReturnType<typeof measure>[]): ReturnType<typeof measure> => ({ seconds: ms.flatMap((m) => m.seconds), rssMB: ms.flatMap((m) => m.rssMB), status: ms[0]?.status ?? null });
const ts10k = merge(ts10kRuns);
const ml10k = merge(ml10kRuns);
const ts1k = measure([cli, "lint", "."], small);
const row = (name: string, size: { files: number; bytes: number }, m: { seconds: number[]; rssMB: number[] }): string => {
  const s = median(m.seconds);
  return `| ${name} | ${size.files} | ${(size.bytes / 1e6).toFixed(1)} | ${s.toFixed(2)} | ${(size.bytes / 1e6 / s).toFixed(1)} | ${(size.files / s).toFixed(0)} | ${median(m.rssMB).toFixed(0)} |`;
};
console.log("\n| tool | specs | MB | seconds | MB/s | files/s | peak RSS MB |\n| --- | --- | --- | --- | --- | --- | --- |");
console.log(row("techspec lint", bigSize, ts10k));
console.log(row("markdownlint-cli2", bigSize, ml10k));
console.log(row("techspec lint", smallSize, ts1k));
console.log(`\nthe same 10,000 specs in one run: techspec ${(median(ml10k.seconds) / median(ts10k.seconds)).toFixed(1)}× faster than markdownlint-cli2 `
  + `(techspec runs: ${ts10k.seconds.map((x) => x.toFixed(2)).join(", ")} s; markdownlint-cli2 runs: ${ml10k.seconds.map((x) => x.toFixed(1)).join(", ")} s); load average now ${load()}`);
const nodeMs = startup(["-e", "0"]);
const versionMs = startup([cli, "--version"]);
console.log(`start-up: node -e 0 ${nodeMs.toFixed(1)} ms, techspec --version ${versionMs.toFixed(1)} ms (${(versionMs / nodeMs).toFixed(2)}×)`);
console.log(`parser alone (one thread, in process): ${parseThroughput(big, 2000).toFixed(1)} MB/s`);
for (const line of defectCheck(big)) console.log(line);
console.log(`export of one typical spec (examples/FEAT-0001), per run: ${exportTimes().join(", ")}`);
// The same 1,000 specs committed in a git repository: the git rules (status-transition, last-updated) run too.
const gitDir = join(work, "git-1000");
if (!existsSync(join(gitDir, ".git"))) {
  rmSync(gitDir, { recursive: true, force: true });
  spawnSync("cp", ["-r", small, gitDir]);
  const env = { ...process.env, GIT_AUTHOR_NAME: "bench", GIT_AUTHOR_EMAIL: "bench@example.com", GIT_COMMITTER_NAME: "bench", GIT_COMMITTER_EMAIL: "bench@example.com" };
  spawnSync("git", ["init", "-q"], { cwd: gitDir, env });
  spawnSync("git", ["add", "-A"], { cwd: gitDir, env });
  spawnSync("git", ["commit", "-qm", "corpus"], { cwd: gitDir, env });
}
const tsGit = measure([cli, "lint", "."], gitDir);
console.log(`techspec lint, the 1,000 specs committed in git (git rules on): ${median(tsGit.seconds).toFixed(2)} s (untracked: ${median(ts1k.seconds).toFixed(2)} s), peak RSS ${median(tsGit.rssMB).toFixed(0)} MB`);
// techspec new in that repository with 200 branches, each adding a spec and editing another: every branch's
// Feature IDs are read with four git processes, against the working tree alone (a copy outside git).
const branchCount = 200;
if (spawnSync("git", ["rev-parse", "--verify", "-q", `refs/heads/bench-${branchCount - 1}`], { cwd: gitDir }).status !== 0) {
  const dirs = readdirSync(gitDir).filter((d) => existsSync(join(gitDir, d, "technical-specification.md"))).sort();
  const parts: Buffer[] = [];
  for (let i = 0; i < branchCount; i++) {
    const added = `# Technical Specification: Bench ${i}\n\n## Overview\n\n**Feature ID**: FEAT-${String(5000 + i)}\n**Status**: Draft\n`;
    const edited = `${readFileSync(join(gitDir, dirs[i % dirs.length]!, "technical-specification.md"), "utf8")}\n<!-- branch ${i} -->\n`;
    parts.push(Buffer.from(`commit refs/heads/bench-${i}\ncommitter bench <bench@example.com> 1795168800 +0000\ndata 6\nbench\nfrom HEAD\n`));
    for (const [path, text] of [[`bench-${i}/technical-specification.md`, added], [`${dirs[i % dirs.length]}/technical-specification.md`, edited]] as const) {
      const bytes = Buffer.from(text);
      parts.push(Buffer.from(`M 100644 inline ${path}\ndata ${bytes.length}\n`), bytes, Buffer.from("\n"));
    }
  }
  spawnSync("git", ["fast-import", "--quiet"], { cwd: gitDir, input: Buffer.concat(parts) });
}
const outside = join(tmpdir(), `techspec-bench-new-${process.pid}`);
spawnSync("cp", ["-r", small, outside]);
const created = (dir: string) => () => {
  for (const d of readdirSync(dir)) if (d.endsWith("-bench-new")) rmSync(join(dir, d), { recursive: true, force: true });
};
const newGit = measure([cli, "new", "Bench New", "--dir", "."], gitDir, created(gitDir));
const newPlain = measure([cli, "new", "Bench New", "--dir", "."], outside, created(outside));
rmSync(outside, { recursive: true, force: true });
console.log(`techspec new, 1,000 specs and ${branchCount} branches: ${median(newGit.seconds).toFixed(2)} s (working tree alone, outside git: ${median(newPlain.seconds).toFixed(2)} s), peak RSS ${median(newGit.rssMB).toFixed(0)} MB (${median(newPlain.rssMB).toFixed(0)} MB), exit ${newGit.status}`);
const siteOut = join(work, "site-1000");
const site = measure([cli, "site", ".", "--out", siteOut], small);
const siteFiles = readdirSync(siteOut, { recursive: true, encoding: "utf8" }).map((f) => join(siteOut, f)).filter((f) => statSync(f).isFile());
const siteMB = siteFiles.reduce((n, f) => n + statSync(f).size, 0) / 1e6;
console.log(`techspec site, 1,000 specs: ${median(site.seconds).toFixed(2)} s (runs: ${site.seconds.map((x) => x.toFixed(2)).join(", ")}), `
  + `${siteFiles.length} files, ${siteMB.toFixed(0)} MB, search index ${(statSync(join(siteOut, "assets", "search-index.js")).size / 1e6).toFixed(1)} MB, peak RSS ${median(site.rssMB).toFixed(0)} MB, exit ${site.status}`);
largeSpecs();
writeFileSync(join(work, "last-run.txt"), new Date().toISOString());

/** One large spec at a time, each command a real process: 10,000 APIs (2.3 MB), and an 8 MB JSON example. */
function largeSpecs(): void {
  for (const [name, text] of [["10,000 APIs", specWithApis(10_000)], ["an 8 MB JSON example", jsonExample(80_000)]] as const) {
    const ws = join(tmpdir(), `techspec-bench-large-${process.pid}`);
    const file = join(ws, "specs", "FEAT-0001-x", "technical-specification.md");
    rmSync(ws, { recursive: true, force: true });
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(join(ws, "techspec.config.json"), JSON.stringify({ specs: ["specs/**/technical-specification.md"], roles: { "Engineering Lead": ["A B <a@example.com>"] } }));
    const restore = (): void => writeFileSync(file, text);
    restore();
    const commands: [string, string[]][] = [
      ["lint", ["lint"]], ["list", ["list"]], ["status", ["status", "FEAT-0001", "In Review"]],
      ["approve", ["approve", "FEAT-0001", "--role", "Engineering Lead", "--as", "A B <a@example.com>"]],
      ...exporters.map((e): [string, string[]] => [`export ${e.id}`, ["export", e.id, "specs", "-o", join(ws, "out", e.id)]]),
      ["site", ["site", "--out", join(ws, "site")]],
    ];
    const timed = commands.map(([label, args]) => {
      const m = measure([cli, ...args], ws, restore);
      return `${label} ${median(m.seconds).toFixed(2)} s (exit ${m.status}, ${median(m.rssMB).toFixed(0)} MB)`;
    });
    rmSync(ws, { recursive: true, force: true });
    console.log(`one spec with ${name} (${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB), median of ${runs}: ${timed.join(", ")}`);
  }
}
