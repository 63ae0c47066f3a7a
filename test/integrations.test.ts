// The GitHub Action (action.yml) and the pre-commit hooks (.pre-commit-hooks.yaml), read as GitHub and pre-commit
// read them and run as they run them: the action's shell step with a runner's environment (GITHUB_OUTPUT,
// GITHUB_ACTION_PATH, RUNNER_TEMP, GITHUB_STEP_SUMMARY) in a workspace with known findings, the hooks' entries on
// the files a commit stages, and the plain git hook of docs/integrations.md as a real hook of a real commit.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { parse } from "yaml";
import { assertValidSarif } from "../test-support/sarif.js";

// This file runs as dist/test/integrations.test.js.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const FEAT1 = "specs/FEAT-0001-refund-processing/technical-specification.md";
const FEAT2 = "specs/FEAT-0002-notification-preferences/technical-specification.md";
const FEAT3 = "specs/FEAT-0003-warehouse-stock-reservation/technical-specification.md";
const TODAY = "2027-01-15";

const tmp = mkdtempSync(join(tmpdir(), "techspec-integrations-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
let dirs = 0;

/** The example workspace in a new folder; `edit` changes spec files (by path) before anything else sees them. */
function workspace(edit: Record<string, (text: string) => string> = {}): string {
  const dir = join(tmp, `ws-${++dirs}`);
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, "examples", "specs"), join(dir, "specs"), { recursive: true });
  writeFileSync(join(dir, "techspec.config.json"), `${JSON.stringify({ specs: ["specs/**/technical-specification.md"] })}\n`);
  for (const [file, change] of Object.entries(edit)) writeFileSync(join(dir, file), change(readFileSync(join(dir, file), "utf8")));
  return dir;
}
/** One error: a Created Date that is not a calendar date, at line 7 column 19. */
const brokenDate = (text: string): string => text.replace("**Created Date**: 2026-04-06", "**Created Date**: 2026-02-30");
/** One warning (fixable): a status in lower case, at line 9. */
const lowerStatus = (text: string): string => text.replace("**Status**: In Review", "**Status**: in review");

/** An executable script that runs the built CLI (as node_modules/.bin/techspec does), noting each call in `log`. */
function techspecBin(path: string, log: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `#!/bin/sh\necho "$@" >> '${log}'\nexec '${process.execPath}' '${CLI}' "$@"\n`);
  chmodSync(path, 0o755);
}

// ---------------------------------------------------------------------------------------------
// The action

interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: { id?: string; shell?: string; run?: string; uses?: string; env?: Record<string, string> }[] };
}

const ACTION_TEXT = readFileSync(join(ROOT, "action.yml"), "utf8");
const ACTION = parse(ACTION_TEXT) as Action;

interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  runnerTemp: string;
}

/**
 * Runs the action's steps as the runner does (`bash --noprofile --norc -eo pipefail` on the step's script, the
 * step's `env` with its `${{ inputs.* }}` filled in from `inputs` and the defaults), in `cwd` as the workspace.
 */
function runAction(cwd: string, inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): ActionRun {
  const runnerTemp = mkdtempSync(join(tmp, "runner-temp-"));
  const outputFile = join(runnerTemp, "github-output");
  const summaryFile = join(runnerTemp, "step-summary");
  writeFileSync(outputFile, "");
  const stepOutputs: Record<string, Record<string, string>> = {};
  let last: { code: number | null; stdout: string; stderr: string } = { code: 0, stdout: "", stderr: "" };
  for (const [i, step] of ACTION.runs.steps.entries()) {
    assert.ok(step.run !== undefined, "every step is a shell step (no action runs another action)");
    const stepEnv: Record<string, string> = {};
    for (const [key, value] of Object.entries(step.env ?? {})) {
      const m = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value);
      assert.ok(m, `${key}: ${value}`);
      stepEnv[key] = inputs[m[1]!] ?? ACTION.inputs[m[1]!]?.default ?? "";
    }
    const script = join(runnerTemp, `step-${i}.sh`);
    writeFileSync(script, step.run);
    writeFileSync(outputFile, "");
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
      cwd, encoding: "utf8", timeout: 120_000,
      env: {
        PATH: process.env["PATH"], HOME: process.env["HOME"], TECHSPEC_NOW: TODAY, NO_COLOR: "1", CI: "true", NPM_CONFIG_UPDATE_NOTIFIER: "false",
        GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: cwd, GITHUB_ACTION_PATH: ROOT, RUNNER_TEMP: runnerTemp,
        GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, ...env, ...stepEnv,
      },
    });
    last = { code: r.status, stdout: r.stdout, stderr: r.stderr };
    const written: Record<string, string> = {};
    for (const line of readFileSync(outputFile, "utf8").split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) written[line.slice(0, eq)] = line.slice(eq + 1);
    }
    if (step.id) stepOutputs[step.id] = written;
    if (r.status !== 0) break;
  }
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(ACTION.outputs)) {
    const m = /^\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}$/.exec(output.value);
    assert.ok(m, output.value);
    const value = stepOutputs[m[1]!]?.[m[2]!];
    if (value !== undefined) outputs[name] = value;
  }
  return { ...last, outputs, summary: existsSync(summaryFile) ? readFileSync(summaryFile, "utf8") : "", runnerTemp };
}

/** The inputs that make the action run the built CLI (no npx, no network). */
const LOCAL = { command: `${process.execPath} ${CLI}` };

describe("action.yml", () => {
  test("is a composite action whose inputs are documented and reach its script only through the environment", () => {
    assert.equal(ACTION.runs.using, "composite");
    assert.ok(ACTION.name && ACTION.description);
    assert.deepEqual(Object.keys(ACTION.inputs).sort(), ["cache", "command", "config", "fail-on", "paths", "sarif-file", "version"]);
    for (const [name, input] of Object.entries(ACTION.inputs)) {
      assert.ok(input.description.length > 20, `${name} has a description`);
      assert.equal(typeof input.default, "string", `${name} has a default`);
    }
    assert.equal(ACTION.inputs["fail-on"]!.default, "error");
    assert.equal(ACTION.inputs["sarif-file"]!.default, "techspec.sarif");
    assert.equal(ACTION.inputs["paths"]!.default, "");
    assert.equal(ACTION.inputs["cache"]!.default, "true");
    assert.deepEqual(Object.keys(ACTION.outputs).sort(), ["errors", "sarif-file", "warnings"]);
    const ids = new Set(ACTION.runs.steps.map((s) => s.id).filter((id) => id !== undefined));
    for (const step of ACTION.runs.steps) {
      assert.equal(step.shell, "bash");
      // An expression inside the script would be pasted into it as code; inputs go through env instead.
      assert.ok(!step.run!.includes("${{"), "no expression in a run script");
    }
    // Every expression in the file names an input that exists, or an output a step writes.
    for (const [, expr] of ACTION_TEXT.matchAll(/\$\{\{\s*(.*?)\s*\}\}/g)) {
      const input = /^inputs\.([\w-]+)$/.exec(expr!);
      const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr!);
      assert.ok(input || output, `unexpected expression ${expr}`);
      if (input) assert.ok(input[1]! in ACTION.inputs, `input ${input[1]} is defined`);
      if (output) {
        assert.ok(ids.has(output[1]!), `step ${output[1]} exists`);
        const step = ACTION.runs.steps.find((s) => s.id === output[1])!;
        assert.ok(step.run!.includes(`echo "${output[2]}=`), `step ${output[1]} writes ${output[2]}`);
      }
    }
    // Every input is used.
    for (const name of Object.keys(ACTION.inputs)) assert.ok(ACTION_TEXT.includes(`inputs.${name} }}`), `input ${name} is used`);
  });

  test("fail-on error: an error fails the step, is annotated at its line, and is in the SARIF report", () => {
    const ws = workspace({ [FEAT2]: brokenDate });
    const r = runAction(ws, LOCAL);
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.match(r.stdout, new RegExp(`^::error file=${FEAT2},line=7,col=19,endLine=7,endColumn=29,title=metadata::Created Date "2026-02-30" is not a calendar date`, "m"));
    assert.match(r.stdout, /^techspec: 1 error, 0 warnings \(fail-on: error\)$/m);
    assert.deepEqual(r.outputs, { errors: "1", warnings: "0", "sarif-file": "techspec.sarif" });
    const log = JSON.parse(readFileSync(join(ws, "techspec.sarif"), "utf8")) as { runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    assertValidSarif(log);
    assert.deepEqual(log.runs[0]!.results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.artifactLocation.uri, x.locations[0]!.physicalLocation.region.startLine]),
      [["metadata", "error", FEAT2, 7]]);
    assert.equal(r.summary, "techspec: 3 files checked, 1 error, 0 warnings\n");
  });

  test("fail-on none passes with the same findings; fail-on warning fails on a warning that fail-on error lets through", () => {
    const broken = workspace({ [FEAT2]: brokenDate });
    const none = runAction(broken, { ...LOCAL, "fail-on": "none" });
    assert.equal(none.code, 0, none.stderr + none.stdout);
    assert.match(none.stdout, /^::error file=/m);
    assert.deepEqual(none.outputs, { errors: "1", warnings: "0", "sarif-file": "techspec.sarif" });

    const warned = workspace({ [FEAT2]: lowerStatus });
    const warning = runAction(warned, { ...LOCAL, "fail-on": "warning" });
    assert.equal(warning.code, 1, warning.stderr + warning.stdout);
    assert.match(warning.stdout, new RegExp(`^::warning file=${FEAT2},line=9,`, "m"));
    assert.deepEqual(warning.outputs, { errors: "0", warnings: "1", "sarif-file": "techspec.sarif" });
    const error = runAction(warned, LOCAL);
    assert.equal(error.code, 0, error.stderr + error.stdout);
    assert.deepEqual(error.outputs, { errors: "0", warnings: "1", "sarif-file": "techspec.sarif" });
  });

  test("paths (a folder and a glob) limit what is linted; sarif-file may be nested, or empty for none", () => {
    const ws = workspace({ [FEAT2]: brokenDate });
    const r = runAction(ws, { ...LOCAL, paths: "specs/FEAT-0001-refund-processing\n  specs/FEAT-0003-*/technical-specification.md", "sarif-file": "reports/lint/techspec.sarif" });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.doesNotMatch(r.stdout, /^::error/m);
    assert.deepEqual(r.outputs, { errors: "0", warnings: "0", "sarif-file": "reports/lint/techspec.sarif" });
    const log = JSON.parse(readFileSync(join(ws, "reports", "lint", "techspec.sarif"), "utf8")) as { runs: { artifacts: { location: { uri: string } }[] }[] };
    assert.deepEqual(log.runs[0]!.artifacts.map((a) => a.location.uri).sort(), [FEAT1, FEAT3]);

    const none = runAction(ws, { ...LOCAL, "sarif-file": "" });
    assert.equal(none.code, 1, none.stderr + none.stdout);
    assert.deepEqual(none.outputs, { errors: "1", warnings: "0", "sarif-file": "" });
    assert.ok(!existsSync(join(ws, "techspec.sarif")));
    assert.deepEqual(readdirSync(none.runnerTemp).filter((f) => f.endsWith(".sarif")), [], "the counting report is removed");
  });

  test("cache: the SARIF report comes from the annotation run's lint cache, the same as two full lints; false lints twice", () => {
    const ws = workspace({ [FEAT2]: brokenDate });
    // A techspec that notes each lint's cache line in a log, as the runner would not show it.
    const log = join(ws, "..", `lint-${Math.random().toString(36).slice(2)}.log`);
    const wrapper = join(ws, "..", `techspec-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@" 2>>"${log}"\n`);
    const sarifOf = (inputs: Record<string, string>): { run: ActionRun; sarif: string; lines: string[] } => {
      writeFileSync(log, "");
      const run = runAction(ws, { command: `sh ${wrapper}`, ...inputs }, { TECHSPEC_DEBUG_CACHE: "1" });
      const lines = readFileSync(log, "utf8").split("\n").filter((l) => l.startsWith("techspec: cache:"));
      return { run, sarif: readFileSync(join(ws, "techspec.sarif"), "utf8"), lines };
    };
    const once = sarifOf({});
    assert.equal(once.run.code, 1, once.run.stderr);
    assert.equal(once.lines.length, 2, once.lines.join("\n"));
    assert.match(once.lines[0]!, /^techspec: cache: 0 hits, 3 misses/);
    assert.match(once.lines[1]!, /^techspec: cache: 3 hits, 0 misses/, "the SARIF run lints nothing again");
    const twice = sarifOf({ cache: "false" });
    assert.deepEqual(twice.lines, [], "no cache");
    assert.equal(once.sarif, twice.sarif, "the same SARIF report");
    assert.deepEqual(once.run.outputs, twice.run.outputs);
    assert.equal(once.run.stdout.replace(/^sh \S+/m, ""), twice.run.stdout.replace(/^sh \S+/m, ""), "the same annotations");
    assert.deepEqual(readdirSync(once.run.runnerTemp).filter((f) => f.startsWith("techspec-lint-cache")), [], "the cache is removed");
    const bad = runAction(ws, { ...LOCAL, cache: "yes" });
    assert.equal(bad.code, 2);
    assert.match(bad.stdout, /^::error title=techspec::cache must be true or false \(got "yes"\)$/m);
  });

  test("fails when techspec cannot lint, whatever fail-on says, and on a fail-on it does not know", () => {
    const ws = workspace();
    const r = runAction(ws, { ...LOCAL, "fail-on": "none", config: "missing.json" });
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stdout, /^::error title=techspec::techspec lint could not run \(exit code 2\)$/m);
    assert.match(r.stderr, /missing\.json/);
    assert.deepEqual(r.outputs, { errors: "", warnings: "", "sarif-file": "" });

    const bad = runAction(ws, { ...LOCAL, "fail-on": "warnings" });
    assert.equal(bad.code, 2, bad.stderr + bad.stdout);
    assert.match(bad.stdout, /^::error title=techspec::fail-on must be error, warning or none \(got "warnings"\)$/m);
  });

  test("runs the repository's node_modules/.bin/techspec, else npx techspec@<the action's version or the version input>", () => {
    const ws = workspace({ [FEAT2]: brokenDate });
    const calls = join(tmp, "local-calls.log");
    techspecBin(join(ws, "node_modules", ".bin", "techspec"), calls);
    const local = runAction(ws, {});
    assert.equal(local.code, 1, local.stderr + local.stdout);
    // Whether it has a lint cache, then the annotations and the SARIF report from the same cache.
    const called = readFileSync(calls, "utf8").trim().split("\n");
    assert.equal(called.length, 3, called.join("\n"));
    assert.equal(called[0], "lint --help");
    assert.match(called[1]!, /^lint --format github --cache --cache-location \S+\/techspec-lint-cache-\d+$/);
    assert.equal(called[2], `lint --format sarif --output techspec.sarif ${called[1]!.slice("lint --format github ".length)}`);
    rmSync(join(ws, "node_modules"), { recursive: true });

    // A stand-in npx on PATH notes its arguments and runs the built CLI with what follows the package.
    const bin = join(tmp, "fake-npx");
    const npxCalls = join(tmp, "npx-calls.log");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "npx"), `#!/bin/sh\necho "$1 $2" >> '${npxCalls}'\nshift 2\nexec '${process.execPath}' '${CLI}' "$@"\n`);
    chmodSync(join(bin, "npx"), 0o755);
    const path = `${bin}:${process.env["PATH"]}`;
    const npx = runAction(ws, {}, { PATH: path });
    assert.equal(npx.code, 1, npx.stderr + npx.stdout);
    assert.deepEqual(npx.outputs, { errors: "1", warnings: "0", "sarif-file": "techspec.sarif" });
    const pinned = runAction(ws, { version: "1.2.3" }, { PATH: path });
    assert.equal(pinned.code, 1, pinned.stderr + pinned.stdout);
    assert.deepEqual(readFileSync(npxCalls, "utf8").trim().split("\n"), [...Array<string>(3).fill(`--yes techspec@${VERSION}`), ...Array<string>(3).fill("--yes techspec@1.2.3")]);
  });
});

// ---------------------------------------------------------------------------------------------
// pre-commit and the plain git hook

interface Hook {
  id: string;
  name: string;
  description: string;
  entry: string;
  language: string;
  files: string;
  types: string[];
  pass_filenames: boolean;
}

const HOOKS = parse(readFileSync(join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];

const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", NO_COLOR: "1", TECHSPEC_NOW: TODAY, NPM_CONFIG_UPDATE_NOTIFIER: "false",
  GIT_AUTHOR_NAME: "Dana Dev", GIT_AUTHOR_EMAIL: "dana@example.com", GIT_COMMITTER_NAME: "Dana Dev", GIT_COMMITTER_EMAIL: "dana@example.com",
  GIT_AUTHOR_DATE: "2026-11-24T10:00:00Z", GIT_COMMITTER_DATE: "2026-11-24T10:00:00Z",
};

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", args, { cwd, env: GIT_ENV, encoding: "utf8" });
  assert.equal(r.status, 0, `git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/** The example workspace as a git repository with one commit. */
function repository(): string {
  const dir = workspace();
  writeFileSync(join(dir, ".gitignore"), "node_modules/\n");
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "specs");
  return dir;
}

/**
 * What pre-commit does with a hook: the staged files (added, copied, modified, renamed) whose names match `files`
 * and whose type is in `types`, passed to the entry, run from the top of the repository.
 */
function runHook(hook: Hook, repo: string): { code: number | null; stdout: string; stderr: string; files: string[] } {
  const staged = git(repo, "diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z").split("\0").filter(Boolean);
  const pattern = new RegExp(hook.files);
  const files = staged.filter((f) => pattern.test(f) && (!hook.types.includes("markdown") || /\.(md|markdown)$/i.test(f)));
  const [program, ...args] = hook.entry.split(" ");
  assert.equal(program, "techspec", "the entry runs the package's bin");
  const r = spawnSync(process.execPath, [CLI, ...args, ...files], { cwd: repo, env: GIT_ENV, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, files };
}

describe(".pre-commit-hooks.yaml", () => {
  test("has techspec-lint and techspec-lint-fix: the package's bin on the staged spec files", () => {
    assert.deepEqual(HOOKS.map((h) => h.id), ["techspec-lint", "techspec-lint-fix"]);
    const bin = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> }).bin;
    for (const hook of HOOKS) {
      assert.ok(hook.name && hook.description, hook.id);
      assert.equal(hook.language, "node");
      assert.equal(hook.pass_filenames, true);
      assert.deepEqual(hook.types, ["markdown"]);
      assert.ok(hook.entry.split(" ")[0]! in bin, `${hook.entry}: a bin of the package`);
      const pattern = new RegExp(hook.files);
      for (const name of ["technical-specification.md", FEAT1, "docs/specs/x/technical-specification.md"]) assert.ok(pattern.test(name), name);
      for (const name of ["README.md", "specs/FEAT-0001-refund-processing/PRD.md", "old-technical-specification.md", "technical-specification.md.bak"]) assert.ok(!pattern.test(name), name);
    }
    assert.equal(HOOKS[0]!.entry, "techspec lint");
    assert.equal(HOOKS[1]!.entry, "techspec lint --fix");
  });

  test("techspec-lint lints the staged specs only: an unstaged broken spec does not fail the commit, a staged one does", () => {
    const repo = repository();
    const lint = HOOKS[0]!;
    writeFileSync(join(repo, FEAT2), brokenDate(readFileSync(join(repo, FEAT2), "utf8")));
    writeFileSync(join(repo, FEAT3), `${readFileSync(join(repo, FEAT3), "utf8")}\n`);
    writeFileSync(join(repo, "README.md"), "# Notes\n");
    git(repo, "add", FEAT3, "README.md");
    const clean = runHook(lint, repo);
    assert.deepEqual(clean.files, [FEAT3]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /1 file checked, no problems/);

    git(repo, "add", FEAT2);
    const broken = runHook(lint, repo);
    assert.deepEqual(broken.files, [FEAT2, FEAT3]);
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
    assert.match(broken.stdout, /technical-specification\.md:7:19 +error +Created Date "2026-02-30" is not a calendar date/);
  });

  test("techspec-lint-fix rewrites the staged spec, which pre-commit sees as a change to stage again", () => {
    const repo = repository();
    writeFileSync(join(repo, FEAT2), lowerStatus(readFileSync(join(repo, FEAT2), "utf8")));
    git(repo, "add", FEAT2);
    const r = runHook(HOOKS[1]!, repo);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /fixed 1 problem in 1 file/);
    assert.match(readFileSync(join(repo, FEAT2), "utf8"), /^\*\*Status\*\*: In Review/m);
    assert.equal(git(repo, "diff", "--name-only").trim(), FEAT2, "the fix is an unstaged change");
  });
});

describe("the plain git hook of docs/integrations.md", () => {
  const doc = readFileSync(join(ROOT, "docs", "integrations.md"), "utf8");
  const hook = /<!-- git-hook:start -->\n```sh\n([\s\S]*?)```\n<!-- git-hook:end -->/.exec(doc)?.[1];

  test("stops a commit of a broken spec, lets one through whose broken spec is not staged, and runs nothing without specs", () => {
    assert.ok(hook, "docs/integrations.md has the hook between <!-- git-hook:start --> and <!-- git-hook:end -->");
    const repo = repository();
    writeFileSync(join(repo, ".git", "hooks", "pre-commit"), hook);
    chmodSync(join(repo, ".git", "hooks", "pre-commit"), 0o755);
    const calls = join(repo, "calls.log");
    techspecBin(join(repo, "node_modules", ".bin", "techspec"), calls);
    const commit = (): { code: number | null; out: string } => {
      const r = spawnSync("git", ["commit", "-q", "-m", "change"], { cwd: repo, env: GIT_ENV, encoding: "utf8" });
      return { code: r.status, out: r.stdout + r.stderr };
    };

    writeFileSync(join(repo, "NOTES.md"), "notes\n");
    git(repo, "add", "NOTES.md");
    assert.equal(commit().code, 0);
    assert.ok(!existsSync(calls), "no spec staged: techspec does not run");

    writeFileSync(join(repo, FEAT2), brokenDate(readFileSync(join(repo, FEAT2), "utf8")));
    git(repo, "add", FEAT2);
    const refused = commit();
    assert.notEqual(refused.code, 0, "the commit is stopped");
    assert.match(refused.out, /Created Date "2026-02-30" is not a calendar date/);
    assert.deepEqual(readFileSync(calls, "utf8").trim().split("\n"), [`lint ${FEAT2}`]);

    git(repo, "reset", "-q");
    writeFileSync(join(repo, FEAT3), `${readFileSync(join(repo, FEAT3), "utf8")}\n`);
    git(repo, "add", FEAT3);
    const passed = commit();
    assert.equal(passed.code, 0, passed.out);
    assert.equal(readFileSync(calls, "utf8").trim().split("\n").at(-1), `lint ${FEAT3}`);
  });
});
