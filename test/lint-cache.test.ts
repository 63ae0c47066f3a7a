// techspec lint --cache: real CLI processes in temporary folders (as test/cli.test.ts runs them), and the library's
// LintCache. A cache must never change a report: every warm run here is compared byte for byte with a run without it.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { DEFAULT_SETTINGS } from "../src/rules/lint-spec.js";
import { resolveConfig } from "../src/workspace/config.js";
import { discoverSpecs } from "../src/workspace/discover.js";
import { walkFolders } from "../src/workspace/discovery-proof.js";
import { LintCache } from "../src/workspace/lint-cache.js";
import type { LintJob } from "../src/workspace/lint-file.js";
import { lintFiles } from "../src/workspace/lint-files.js";

// This file runs as dist/test/lint-cache.test.js.
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const EXAMPLES = path.join(REPO, "examples");
const GENERATOR = path.resolve(REPO, "..", "shared", "bench", "gen-corpus.mjs");
const FEAT1 = "specs/FEAT-0001-refund-processing/technical-specification.md";
const FEAT2 = "specs/FEAT-0002-notification-preferences/technical-specification.md";
const FEAT3 = "specs/FEAT-0003-warehouse-stock-reservation/technical-specification.md";
const CACHE = ".techspec-cache";

const PEOPLE = {
  dana: { name: "Dana Dev", email: "dana@example.com" },
  marcus: { name: "Marcus Lee", email: "marcus@example.com" },
  mallory: { name: "Mallory Moe", email: "mallory@example.com" },
};
type Who = keyof typeof PEOPLE;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function tmp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "techspec-cache-"));
  temps.push(dir);
  return dir;
}

/** A fresh copy of examples/ (configuration and three specs, with their linked documents). */
function workspace(): string {
  const dir = tmp();
  cpSync(EXAMPLES, dir, { recursive: true });
  return dir;
}

/** The examples (which lint clean) with findings in two specs: a broken link, a status to fix, a placeholder. */
function withFindings(): string {
  const dir = workspace();
  edit(path.join(dir, FEAT1), "(./PRD.md)", "(./PRD-old.md)");
  edit(path.join(dir, FEAT2), "**Status**: In Review", "**Status**: in review");
  edit(path.join(dir, FEAT2), "## Overview", "## Overview\n\n[Feature Name] replaces the old flow.");
  return dir;
}

/** Runs the CLI in `dir` as `who` (for git), with the cache's counts on stderr; never a stack trace. */
function run(dir: string, args: string[], who: Who = "dana"): Run {
  const p = PEOPLE[who];
  const env: NodeJS.ProcessEnv = {
    ...process.env, TECHSPEC_NOW: "2026-11-24", TECHSPEC_DEBUG_CACHE: "1", NO_COLOR: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_COUNT: "2", GIT_CONFIG_KEY_0: "user.name", GIT_CONFIG_VALUE_0: p.name, GIT_CONFIG_KEY_1: "user.email", GIT_CONFIG_VALUE_1: p.email,
  };
  for (const k of ["FORCE_COLOR", "NODE_TEST_CONTEXT", "CI"]) delete env[k];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, encoding: "utf8", maxBuffer: 1 << 26 });
  assert.ok(!r.stderr.includes("    at "), `techspec ${args.join(" ")}: stack trace:\n${r.stderr}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The "N hits, M misses" the run reported. */
function counts(r: Run): { hits: number; misses: number } {
  const m = /^techspec: cache: (\d+) hits, (\d+) misses/m.exec(r.stderr);
  assert.ok(m, `the run says what the cache answered:\n${r.stderr}`);
  return { hits: Number(m[1]), misses: Number(m[2]) };
}

/** Stderr without the cache's counts line: what a user sees. */
const userStderr = (r: Run): string => r.stderr.replace(/^techspec: cache: .*\n/m, "");

/** The arguments without the cache's options. */
function withoutCache(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--cache-location" || args[i] === "--cache-strategy") i++;
    else if (!args[i]!.startsWith("--cache")) out.push(args[i]!);
  }
  return out;
}

/** A lint --cache run, checked against a run without the cache: the same stdout, stderr and exit code. */
function cachedLint(dir: string, args: string[] = [], who: Who = "dana"): { hits: number; misses: number } {
  const plain = run(dir, ["lint", ...withoutCache(args)], who);
  const cached = run(dir, ["lint", "--cache", ...args], who);
  assert.equal(cached.stdout, plain.stdout, `the same report with the cache (${args.join(" ")})`);
  assert.equal(userStderr(cached), plain.stderr, "the same messages");
  assert.equal(cached.code, plain.code, "the same exit code");
  return counts(cached);
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, "utf8");
  assert.ok(text.includes(from), `${file} contains ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

function git(dir: string, who: Who, args: string[], date = "2026-11-20T10:00:00Z"): string {
  const p = PEOPLE[who];
  return execFileSync("git", args, {
    cwd: dir, encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: p.name, GIT_AUTHOR_EMAIL: p.email, GIT_COMMITTER_NAME: p.name, GIT_COMMITTER_EMAIL: p.email,
      GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
  });
}

/** The examples in a git repository, committed by Dana, with roles configured (so approval-provenance asks git). */
function repo(): string {
  const dir = workspace();
  writeFileSync(path.join(dir, "techspec.config.json"), `${JSON.stringify({
    specs: ["specs/**/technical-specification.md"],
    roles: { "Engineering Lead": ["Marcus Lee <marcus@example.com>"] },
  }, null, 2)}\n`);
  writeFileSync(path.join(dir, ".gitignore"), `${CACHE}\n`);
  git(dir, "dana", ["init", "-q", "-b", "main"]);
  git(dir, "dana", ["add", "-A"]);
  git(dir, "dana", ["commit", "-q", "-m", "examples"]);
  return dir;
}

describe("lint --cache", () => {
  test("a warm run gives the same report, byte for byte, in text, json and sarif, from the cache", () => {
    const dir = withFindings();
    assert.match(run(dir, ["lint"]).stdout, /PRD-old\.md[\s\S]*Feature Name/);
    assert.deepEqual(cachedLint(dir), { hits: 0, misses: 3 });
    assert.ok(existsSync(path.join(dir, CACHE)), "the cache is written in the working folder");
    for (const format of ["text", "json", "sarif"]) {
      assert.deepEqual(cachedLint(dir, ["--format", format]), { hits: 3, misses: 0 }, format);
      assert.deepEqual(cachedLint(dir, ["--format", format, "--cache-strategy", "content"]), { hits: 3, misses: 0 }, `${format}, content`);
    }
    assert.deepEqual(cachedLint(dir, ["--quiet", "-f", "json"]), { hits: 3, misses: 0 });
  });

  test("a warm run of nothing changed leaves the cache file as it was", () => {
    const dir = workspace();
    cachedLint(dir);
    cachedLint(dir);
    const before = statSync(path.join(dir, CACHE));
    assert.deepEqual(cachedLint(dir), { hits: 3, misses: 0 });
    assert.equal(statSync(path.join(dir, CACHE)).mtimeMs, before.mtimeMs);
  });

  test("a changed spec is linted again, and only that one", () => {
    const dir = withFindings();
    cachedLint(dir);
    edit(path.join(dir, FEAT2), "**Status**: in review", "**Status**: In Review");
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 2, misses: 1 });
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 3, misses: 0 });
    // The same size and modification time, other bytes: --cache-strategy content reads every file.
    const file = path.join(dir, FEAT1);
    const old = new Date("2020-01-01T00:00:00Z");
    utimesSync(file, old, old);
    assert.deepEqual(cachedLint(dir), { hits: 3, misses: 0 }, "new metadata, the same bytes");
    edit(file, "**Status**: Approved", "**Status**: Approvex");
    utimesSync(file, old, old);
    assert.deepEqual(cachedLint(dir, ["--cache-strategy", "content", "-f", "json"]), { hits: 2, misses: 1 });
  });

  test("the files to lint: listed from the cache while no folder changed, searched for when one did", () => {
    const dir = withFindings();
    const listed = (args: string[] = []): boolean => /files listed from the cache/.test(run(dir, ["lint", "--cache", ...args]).stderr);
    cachedLint(dir);
    assert.ok(listed(), "nothing changed: no search");
    // A new spec in a new folder, one in a folder below a spec's, one in a hidden folder (which no search finds).
    const added = path.join(dir, "specs", "FEAT-0009-new", "technical-specification.md");
    mkdirSync(path.dirname(added), { recursive: true });
    writeFileSync(added, readFileSync(path.join(dir, FEAT3), "utf8").replace("FEAT-0003", "FEAT-0009"));
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 3, misses: 1 });
    assert.ok(listed());
    const nested = path.join(path.dirname(path.join(dir, FEAT1)), "sub", "technical-specification.md");
    mkdirSync(path.dirname(nested));
    writeFileSync(nested, "# Technical Specification: Nested\n\n**Status**: Draft\n");
    mkdirSync(path.join(dir, "specs", ".hidden"));
    writeFileSync(path.join(dir, "specs", ".hidden", "technical-specification.md"), "# Technical Specification: Hidden\n");
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 4, misses: 1 });
    // Removed, and a folder renamed.
    rmSync(path.dirname(added), { recursive: true });
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 4, misses: 0 });
    cpSync(path.join(dir, "specs"), path.join(dir, "renamed"), { recursive: true });
    rmSync(path.join(dir, "specs"), { recursive: true });
    writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify({ specs: ["renamed/**/technical-specification.md"] }));
    cachedLint(dir, ["-f", "json"]);
    assert.ok(listed(["-f", "json"]));
    // A spec named on the command line, or a glob, is always searched for; so is every file with the content strategy.
    assert.ok(!listed(["renamed/FEAT-0002-notification-preferences/technical-specification.md"]));
    assert.ok(!listed(["renamed/*/technical-specification.md"]));
    assert.ok(!listed(["--cache-strategy", "content"]));
    cachedLint(dir, ["renamed"]);
    assert.ok(listed(["renamed"]));
  });

  test("a changed configuration (one rule's severity) lints every spec again", () => {
    const dir = withFindings();
    cachedLint(dir);
    writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify({ specs: ["specs/**/technical-specification.md"], rules: { "related-document-link": "warning" } }));
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 0, misses: 3 });
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 3, misses: 0 });
  });

  test("a linked document: a heading removed, the file removed, the file created", () => {
    const dir = tmp();
    const spec = path.join(dir, FEAT3);
    mkdirSync(path.dirname(spec), { recursive: true });
    cpSync(path.join(EXAMPLES, path.dirname(FEAT3)), path.dirname(spec), { recursive: true });
    writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify({ specs: ["specs/**/technical-specification.md"] }));
    const linked = path.join(path.dirname(spec), "implementation-plan.md");
    assert.match(readFileSync(spec, "utf8"), /\(\.\/implementation-plan\.md#risks-and-mitigations\)/);
    assert.deepEqual(cachedLint(dir), { hits: 0, misses: 1 });
    assert.deepEqual(cachedLint(dir), { hits: 1, misses: 0 });

    edit(linked, "## Risks and Mitigations", "## Risks");
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 0, misses: 1 });
    const report = JSON.parse(run(dir, ["lint", "--cache", "-f", "json"]).stdout) as { diagnostics: { rule: string; message: string }[] };
    assert.ok(report.diagnostics.some((d) => d.rule === "related-document-link" && /#risks-and-mitigations/.test(d.message)), "the broken anchor is reported");

    unlinkSync(linked);
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 0, misses: 1 });
    assert.match(run(dir, ["lint", "--cache"]).stdout, /Linked document "\.\/implementation-plan\.md" does not exist/);

    writeFileSync(linked, "# Implementation Plan\n\n## Risks and Mitigations\n\nNone.\n");
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 0, misses: 1 });
    assert.doesNotMatch(run(dir, ["lint", "--cache"]).stdout, /implementation-plan/);
    assert.deepEqual(cachedLint(dir), { hits: 1, misses: 0 });
  });

  test("git: a new HEAD with the same bytes (a commit amended by someone else), and a file taken out of the index", () => {
    const dir = repo();
    assert.equal(run(dir, ["status", "FEAT-0003", "In Review"]).code, 0);
    git(dir, "dana", ["commit", "-q", "-am", "in review"]);
    const approved = run(dir, ["approve", "FEAT-0003", "--role", "Engineering Lead"], "marcus");
    assert.equal(approved.code, 0, approved.stderr);
    git(dir, "marcus", ["commit", "-q", "-am", "Engineering Lead approves"]);
    const provenance = (): string[] => (JSON.parse(run(dir, ["lint", "--cache", "-f", "json"]).stdout) as { diagnostics: { rule: string; message: string; file: string }[] })
      .diagnostics.filter((d) => d.rule === "approval-provenance" && d.file === FEAT3).map((d) => d.message);
    cachedLint(dir);
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 3, misses: 0 });
    assert.deepEqual(provenance(), []);

    // Mallory rewrites the commit as her own: nothing in the working tree changes, HEAD does.
    git(dir, "mallory", ["commit", "-q", "--amend", "--no-edit", "--reset-author"]);
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 0, misses: 3 }, "every spec that asked git is linted again");
    const found = provenance();
    assert.equal(found.length, 1);
    assert.match(found[0]!, /^The Engineering Lead's Approved line was written by Mallory Moe <mallory@example\.com>/);
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 3, misses: 0 });

    // Out of the index (HEAD unchanged): git can no longer vouch for the line.
    git(dir, "dana", ["rm", "-q", "--cached", FEAT3]);
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 2, misses: 1 });
    assert.match(provenance().join("\n"), /cannot be verified: the spec is not committed/);

    // Uncommitted changes, then the same bytes committed: the previous version status-transition compares with moves.
    git(dir, "dana", ["add", FEAT3]);
    edit(path.join(dir, FEAT1), "**Status**: Approved", "**Status**: Draft");
    cachedLint(dir, ["-f", "json"]);
    git(dir, "dana", ["commit", "-q", "-am", "back to draft"]);
    const after = cachedLint(dir, ["-f", "json"]);
    assert.equal(after.hits, 0, "HEAD moved: every spec asked git");
  });

  test("a .mailmap changes who blame says wrote a line", () => {
    const dir = repo();
    assert.equal(run(dir, ["status", "FEAT-0003", "In Review"]).code, 0);
    git(dir, "dana", ["commit", "-q", "-am", "in review"]);
    assert.equal(run(dir, ["approve", "FEAT-0003", "--role", "Engineering Lead"], "marcus").code, 0);
    git(dir, "mallory", ["commit", "-q", "-am", "approval, committed by Mallory"]);
    cachedLint(dir);
    assert.deepEqual(cachedLint(dir), { hits: 3, misses: 0 });
    // Mallory's commits credited to Marcus (a .mailmap is not committed: HEAD and the index stay as they are).
    writeFileSync(path.join(dir, ".mailmap"), "Marcus Lee <marcus@example.com> Mallory Moe <mallory@example.com>\n");
    const r = cachedLint(dir, ["-f", "json"]);
    assert.ok(r.misses >= 1, "the spec whose lines were blamed is linted again");
    assert.doesNotMatch(run(dir, ["lint", "--cache"]).stdout, /Mallory/);
  });

  test("the report is kept beside the cache, and given again only for the same entries, files and options", () => {
    const dir = withFindings();
    const report = path.join(dir, `${CACHE}.report`);
    // How the run came by its report, after checking it against a run without the cache (stdout, stderr, exit code).
    const how = (args: string[] = []): string => {
      const plain = run(dir, ["lint", ...args]);
      const cached = run(dir, ["lint", "--cache", ...args]);
      assert.equal(cached.stdout, plain.stdout, `the same report (${args.join(" ")})`);
      assert.equal(userStderr(cached), plain.stderr, "the same messages");
      assert.equal(cached.code, plain.code, "the same exit code");
      return /, report (given again|made and kept|made) \(/.exec(cached.stderr)?.[1] ?? `no report line in ${cached.stderr}`;
    };
    assert.equal(how(), "made and kept", "the cold run keeps the report it made from what it linted");
    assert.ok(existsSync(report));
    assert.equal(how(), "given again");
    // Each way of showing the results is a report of its own; the exit code comes from the counts kept with it.
    assert.equal(how(["-f", "json"]), "made and kept");
    assert.equal(how(["-f", "json"]), "given again");
    assert.equal(how(["-f", "json", "--max-warnings", "0"]), "given again");
    assert.equal(how(["-q", "-f", "json"]), "made and kept");
    assert.equal(how(["-f", "sarif"]), "made and kept");
    const out = path.join(dir, "report.sarif");
    const toFile = run(dir, ["lint", "--cache", "-f", "sarif", "-o", "report.sarif"]);
    assert.match(toFile.stderr, /report given again/);
    assert.equal(readFileSync(out, "utf8"), run(dir, ["lint", "-f", "sarif"]).stdout, "-o writes the same bytes");
    // Another working folder shows other paths: not the same report.
    const plainFromSpecs = run(path.join(dir, "specs"), ["lint", "-f", "sarif", "-c", "../techspec.config.json"]);
    const fromSpecs = run(path.join(dir, "specs"), ["lint", "--cache", "--cache-location", "../.techspec-cache", "-f", "sarif", "-c", "../techspec.config.json"]);
    assert.equal(fromSpecs.stdout, plainFromSpecs.stdout);
    assert.doesNotMatch(fromSpecs.stderr, /report given again/);
    // A changed spec changes the entries: its report is made again, then given again.
    edit(path.join(dir, FEAT3), "## Overview", "## Overview\n\nTODO: more.");
    assert.equal(how(), "made and kept");
    assert.equal(how(), "given again");
    // Fewer files (one named) are another report, and so are the files linted again after it.
    assert.equal(how([FEAT1]), "made and kept");
    assert.equal(how(), "made and kept");
    // A kept report that is not whole, or not one, is made again.
    const good = readFileSync(report);
    const spoiled: [string, Buffer][] = [
      ["a byte of the report changed", Buffer.concat([good.subarray(0, good.length - 2), Buffer.from("!\n")])],
      ["cut short", good.subarray(0, good.length - 10)],
      ["no head line", good.subarray(good.indexOf(0x0a) + 1)],
      ["garbage", Buffer.from([0xff, 0x00, 0x0a, 0x13])],
      ["a byte more", Buffer.concat([good, Buffer.from("\n")])],
      ["empty", Buffer.alloc(0)],
    ];
    for (const [what, bytes] of spoiled) {
      writeFileSync(report, bytes);
      assert.equal(how(), "made and kept", what);
      assert.equal(how(), "given again", `${what}: then given again`);
    }
    // A folder where the report would be kept: made each time, and the cache still answers.
    rmSync(report);
    mkdirSync(report);
    assert.equal(how(), "made");
    assert.equal(how(), "made", "nowhere to keep it");
    rmSync(report, { recursive: true });
    assert.equal(how(), "made and kept");
    // --fix reports what it left: never a kept report.
    assert.match(run(dir, ["lint", "--cache", "--fix"]).stderr, /, report made \(/);
  });

  test("a run the cache answers whole, report and all, loads neither the parser nor the rules", () => {
    const dir = withFindings();
    cachedLint(dir);
    cachedLint(dir);
    // Node's own debug output names every module it loads.
    const r = spawnSync(process.execPath, [CLI, "lint", "--cache"], {
      cwd: dir, encoding: "utf8", maxBuffer: 1 << 26, env: { ...process.env, NODE_DEBUG: "esm", NO_COLOR: "1", TECHSPEC_DEBUG_CACHE: "1", TECHSPEC_NOW: "2026-11-24" },
    });
    assert.equal(r.stdout, run(dir, ["lint"]).stdout);
    assert.match(r.stderr, /techspec: cache: 3 hits, 0 misses, files listed from the cache, report given again/);
    const loaded = new Set([...r.stderr.matchAll(/\/dist\/(src\/[\w/.-]+\.js)/g)].map((m) => m[1]!));
    assert.ok(loaded.has("src/workspace/lint-cache.js") && loaded.has("src/format/text.js"), `the modules loaded are listed: ${[...loaded].join(", ")}`);
    for (const heavy of ["src/parse/parse-spec.js", "src/rules/index.js", "src/rules/lint-spec.js", "src/workspace/lint-file.js", "src/workspace/discover.js"]) {
      assert.ok(!loaded.has(heavy), `${heavy} is not loaded`);
    }
  });

  test("the search reads the listings the cache proved: the same files, links, hidden and ignored folders included", async () => {
    const dir = workspace();
    // A folder reached twice (a link to it), a spec reached twice (a link to it), a hidden folder, node_modules,
    // an ignored folder and an ignore glob of the configuration: each as a search without the cache sees it.
    const spec = readFileSync(path.join(dir, FEAT1), "utf8");
    for (const [where, id] of [["specs/.drafts", "FEAT-0009"], ["node_modules/pkg", "FEAT-0010"], ["specs/archive", "FEAT-0011"], ["specs/linked-target", "FEAT-0012"]] as const) {
      mkdirSync(path.join(dir, where, `${id}-spec`), { recursive: true });
      writeFileSync(path.join(dir, where, `${id}-spec`, "technical-specification.md"), spec.replaceAll("FEAT-0001", id));
    }
    symlinkSync(path.join(dir, "specs/linked-target"), path.join(dir, "specs/linked-folder"));
    symlinkSync(path.join(dir, FEAT2), path.join(dir, "specs/FEAT-0002-notification-preferences/copy-technical-specification.md"));
    const config = JSON.parse(readFileSync(path.join(dir, "techspec.config.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(path.join(dir, "techspec.config.json"), JSON.stringify({ ...config, specs: ["specs/**/*technical-specification.md"], ignore: ["specs/archive/**"] }));
    const resolved = await resolveConfig(dir);
    const plain = discoverSpecs([], resolved, dir);
    const { listings } = walkFolders([resolved.root]);
    assert.ok(listings.size >= 6, `the folders were listed (${listings.size})`);
    assert.deepEqual(discoverSpecs([], resolved, dir, listings), plain, "the same targets from the listings");
    assert.deepEqual(discoverSpecs(["specs"], resolved, dir, listings), discoverSpecs(["specs"], resolved, dir), "and for a folder argument");
    const shown = plain.map((t) => path.relative(dir, t.path)).sort();
    assert.ok(!shown.some((f) => /drafts|node_modules|archive/.test(f)), shown.join("\n"));
    assert.equal(shown.filter((f) => f.includes("FEAT-0012")).length, 1, `a folder reached twice is searched once: ${shown.join(", ")}`);
    // And end to end: cold (searched through the listings) and warm, each the report of a run without the cache.
    assert.deepEqual(cachedLint(dir), { hits: 0, misses: shown.length });
    assert.deepEqual(cachedLint(dir), { hits: shown.length, misses: 0 });
  });

  test("a corrupt, truncated, foreign or folder cache is ignored and rewritten", () => {
    const dir = withFindings();
    cachedLint(dir);
    const file = path.join(dir, CACHE);
    const good = readFileSync(file, "utf8");
    const parsed = JSON.parse(good) as { key: string; numbers: number[]; values: number[] };
    // [what, the fewest files linted again]: a file that is not a cache is all linted again; bad values, the files they are of.
    const cases: [string, number, () => void][] = [
      ["garbage", 3, () => writeFileSync(file, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x89, 0x50]))],
      ["truncated JSON", 3, () => writeFileSync(file, good.slice(0, Math.floor(good.length / 2)))],
      ["another version's", 3, () => writeFileSync(file, good.replace(/"key":"[^"]*"/, '"key":"another version"'))],
      ["another format's", 3, () => writeFileSync(file, good.replace(/"techspecLintCache":1/, '"techspecLintCache":99'))],
      ["valid JSON of another shape", 3, () => writeFileSync(file, JSON.stringify({ techspecLintCache: 1, key: parsed.key, proofs: 1, files: {} }))],
      ["columns of the wrong length", 3, () => writeFileSync(file, JSON.stringify({ ...parsed, numbers: parsed.numbers.slice(1) }))],
      ["diagnostics of no known shape", 2, () => writeFileSync(file, JSON.stringify({ ...parsed, values: parsed.values.map(() => 99) }))],
      ["empty", 3, () => writeFileSync(file, "")],
    ];
    for (const [what, relinted, spoil] of cases) {
      spoil();
      const r = cachedLint(dir, ["-f", "json"]);
      assert.ok(r.misses >= relinted, `${what}: ${r.misses} files linted again`);
      assert.equal((JSON.parse(readFileSync(file, "utf8")) as { techspecLintCache: number }).techspecLintCache, 1, `${what}: rewritten`);
      assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 3, misses: 0 }, `${what}: then used`);
    }
    // A folder where the cache would be holds the cache, as ESLint's --cache-location does.
    rmSync(file);
    mkdirSync(file);
    assert.deepEqual(cachedLint(dir), { hits: 0, misses: 3 });
    assert.equal(readdirSync(file).filter((f) => /^\.techspec-cache-[0-9a-f]{16}$/.test(f)).length, 1, "the cache is written in the folder");
    assert.deepEqual(cachedLint(dir), { hits: 3, misses: 0 });
  });

  test("--cache-location: a file, or a folder (made when missing)", () => {
    const dir = workspace();
    assert.deepEqual(cachedLint(dir, ["--cache-location", "build/lint.cache"]), { hits: 0, misses: 3 });
    assert.ok(existsSync(path.join(dir, "build", "lint.cache")));
    assert.deepEqual(cachedLint(dir, ["--cache-location", "build/lint.cache"]), { hits: 3, misses: 0 });
    assert.deepEqual(cachedLint(dir, ["--cache-location", "node_modules/.cache/techspec/"]), { hits: 0, misses: 3 });
    const kept = readdirSync(path.join(dir, "node_modules", ".cache", "techspec")).sort();
    assert.equal(kept.length, 2, kept.join(", "));
    assert.equal(kept[1], `${kept[0]}.report`, "the cache, and the report beside it");
    assert.deepEqual(cachedLint(dir, ["--cache-location", "node_modules/.cache/techspec"]), { hits: 3, misses: 0 });
    assert.ok(!existsSync(path.join(dir, CACHE)), "no cache at the default location");
  });

  test("a cache that cannot be written: the lint is the same, with one warning line", () => {
    const dir = withFindings();
    writeFileSync(path.join(dir, "not-a-folder"), "");
    for (const format of ["text", "json"]) {
      const plain = run(dir, ["lint", "-f", format]);
      const r = run(dir, ["lint", "--cache", "--cache-location", "not-a-folder/cache", "-f", format]);
      assert.equal(r.stdout, plain.stdout);
      assert.equal(r.code, plain.code);
      const lines = userStderr(r).split("\n").filter(Boolean);
      assert.equal(lines.length, 1, userStderr(r));
      assert.match(lines[0]!, /^techspec: warning: the lint cache was not saved: .*not-a-folder/);
    }
  });

  test("--fix with --cache: files with fixes are linted and fixed, the report is that of --fix", () => {
    const dir = workspace();
    const fresh = workspace();
    for (const d of [dir, fresh]) {
      const file = path.join(d, FEAT2);
      edit(file, "**Status**: In Review", "**Status**: in review");
      edit(file, "Sofia Lindqvist - Approved", "Sofia Lindqvist - approved");
    }
    assert.deepEqual(counts(run(dir, ["lint", "--cache"])), { hits: 0, misses: 3 });
    const fixed = run(dir, ["lint", "--cache", "--fix", "-f", "json"]);
    const expected = run(fresh, ["lint", "--fix", "-f", "json"]);
    assert.equal(fixed.stdout, expected.stdout);
    assert.equal(userStderr(fixed), expected.stderr);
    assert.equal(fixed.code, expected.code);
    assert.deepEqual(counts(fixed), { hits: 2, misses: 1 }, "the file with fixes is linted, the others come from the cache");
    assert.equal(readFileSync(path.join(dir, FEAT2), "utf8"), readFileSync(path.join(fresh, FEAT2), "utf8"));
    // The fixed file was not kept (it changed): the next run lints it, and then answers it.
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 2, misses: 1 });
    assert.deepEqual(cachedLint(dir, ["--fix", "-f", "json"]), { hits: 3, misses: 0 });
  });

  test("bad values are usage errors of one line", () => {
    const dir = workspace();
    for (const [args, message] of [
      [["--cache", "--cache-strategy", "mtime"], 'techspec: lint: unknown --cache-strategy "mtime" (expected metadata or content)\n'],
      [["--cache-location", "x"], "techspec: lint: --cache-location needs --cache\n"],
      [["--cache-strategy", "content"], "techspec: lint: --cache-strategy needs --cache\n"],
      [["--cache", "--cache-location="], "techspec: lint: --cache-location needs a path\n"],
    ] as const) {
      const r = run(dir, ["lint", ...args]);
      assert.equal(r.code, 2, args.join(" "));
      assert.equal(r.stderr, message);
      assert.equal(r.stdout, "");
    }
    assert.match(run(dir, ["lint", "--help"]).stdout, /--cache-location <path>/);
  });

  test("250 specs (linted on worker threads): the same report warm, and one changed spec linted again", () => {
    const dir = tmp();
    const gen = spawnSync(process.execPath, [GENERATOR, dir, "250", "7"], { encoding: "utf8" });
    assert.equal(gen.status, 0, `corpus generator failed (expected at ../shared/bench/gen-corpus.mjs): ${gen.stderr}`);
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 0, misses: 250 });
    assert.deepEqual(cachedLint(dir, ["-f", "json"]), { hits: 250, misses: 0 });
    const first = readdirSync(dir).filter((d) => d.startsWith("feat-")).sort()[0]!;
    edit(path.join(dir, first, "technical-specification.md"), "## Overview", "## Overview\n\nChanged.");
    assert.deepEqual(cachedLint(dir), { hits: 249, misses: 1 });
  });
});

describe("LintCache", () => {
  const jobFor = (root: string): LintJob => ({ settings: DEFAULT_SETTINGS, rules: {}, overrides: [], maxFileSize: 10 * 1024 * 1024, fix: false, root });
  const filesOf = (root: string): [string, string][] => [FEAT1, FEAT2, FEAT3].map((f) => [path.join(root, f), f]);

  test("results are those of a run without it; another techspec version starts empty", async () => {
    const dir = workspace();
    const job = jobFor(dir);
    const file = path.join(dir, "lint.cache");
    const plain = await lintFiles(filesOf(dir), job);
    const cold = LintCache.open(file, job, { version: "1.0.0" });
    assert.deepEqual(await lintFiles(filesOf(dir), job, { cache: cold }), plain);
    assert.deepEqual([cold.hits, cold.misses], [0, 3]);
    cold.save();
    const warm = LintCache.open(file, job, { version: "1.0.0" });
    assert.equal(warm.size, 3);
    assert.deepEqual(await lintFiles(filesOf(dir), job, { cache: warm }), plain);
    assert.deepEqual([warm.hits, warm.misses], [3, 0]);
    const upgraded = LintCache.open(file, job, { version: "1.1.0" });
    assert.equal(upgraded.size, 0, "a cache of another version is not read");
    assert.deepEqual(await lintFiles(filesOf(dir), job, { cache: upgraded }), plain);
    assert.deepEqual([upgraded.hits, upgraded.misses], [0, 3]);
    const otherConfig = LintCache.open(file, { ...job, maxFileSize: 1024 * 1024 }, { version: "1.0.0" });
    assert.equal(otherConfig.size, 0, "nor one of another configuration");
  });

  test("save writes only when something changed, and drops files not linted", async () => {
    const dir = workspace();
    const job = jobFor(dir);
    const file = path.join(dir, "lint.cache");
    const first = LintCache.open(file, job);
    await lintFiles(filesOf(dir), job, { cache: first });
    first.save();
    const written = statSync(file).mtimeMs;
    const second = LintCache.open(file, job);
    await lintFiles(filesOf(dir), job, { cache: second });
    second.save();
    assert.equal(statSync(file).mtimeMs, written, "nothing changed, nothing written");
    const third = LintCache.open(file, job);
    await lintFiles(filesOf(dir).slice(0, 1), job, { cache: third });
    third.save();
    assert.equal(LintCache.open(file, job).size, 1);
  });

  test("the report key: the entries saved, the files in their order, how the report is shown", async () => {
    const dir = workspace();
    const job = jobFor(dir);
    const file = path.join(dir, "lint.cache");
    const shown = { format: "text", color: false, quiet: false, cwd: dir, docs: "file:///usr/lib/node_modules/techspec/docs/rules.md#" };
    const cold = LintCache.open(file, job);
    const results = await lintFiles(filesOf(dir), job, { cache: cold });
    assert.equal(cold.reportKey(results, shown), null, "none before the entries are saved");
    cold.save();
    const key = cold.reportKey(results, shown);
    assert.ok(key);
    const warm = LintCache.open(file, job);
    const again = await lintFiles(filesOf(dir), job, { cache: warm });
    warm.save();
    assert.equal(warm.reportKey(again, shown), key, "the same entries, files and options: the same key");
    const others = [{ ...shown, color: true }, { ...shown, quiet: true }, { ...shown, format: "json" }, { ...shown, cwd: path.join(dir, "specs") },
      { ...shown, docs: "file:///home/dana/.npm/_npx/1/node_modules/techspec/docs/rules.md#" }];
    for (const o of others) assert.notEqual(warm.reportKey(again, o), key, JSON.stringify(o));
    assert.notEqual(warm.reportKey([...again].reverse(), shown), key, "the files in another order");
    assert.equal(warm.reportKey(again.slice(1), shown), null, "results that are not the entries of the run");
    assert.equal(warm.reportKey([...again, again[0]!], shown), null, "a file twice");
    assert.equal(warm.keepReport(key, { output: "report text\n", errors: 2, warnings: 1 }), true);
    assert.deepEqual(warm.keptReport(key), { output: Buffer.from("report text\n"), errors: 2, warnings: 1 });
    assert.equal(warm.keptReport(`${key}x`), null, "another key's report is not given");
  });
});
