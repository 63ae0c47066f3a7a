// Feature IDs across branches: `techspec new` in real temporary git repositories, with branches made by
// commits, a second clone and fetch, fast-import, and hostile content; plus the allocation rule itself.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { allocateFeatureId } from "../src/workspace/new-spec.js";

const cli = resolve("dist", "src", "cli", "main.js");
const examples = resolve("examples");
const SPEC = readFileSync(join(examples, "specs", "FEAT-0003-warehouse-stock-reservation", "technical-specification.md"), "utf8");
const made: string[] = [];
const GIT = (spawnSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).stdout ?? "").trim();

after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const GIT_ENV = {
  GIT_AUTHOR_NAME: "Dana Dev", GIT_AUTHOR_EMAIL: "dana@example.com", GIT_COMMITTER_NAME: "Dana Dev", GIT_COMMITTER_EMAIL: "dana@example.com",
  GIT_AUTHOR_DATE: "2026-11-20T10:00:00Z", GIT_COMMITTER_DATE: "2026-11-20T10:00:00Z", GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1",
};

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "techspec-ids-"));
  made.push(dir);
  return dir;
}

function git(dir: string, args: string[], input?: string): string {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, ...GIT_ENV }, ...(input === undefined ? {} : { input }) });
}

function commitAll(dir: string, message: string): void {
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", message]);
}

/** The example spec under another Feature ID. */
function specText(id: string): string {
  return SPEC.replaceAll("FEAT-0003", id);
}

/** Writes a spec at `specs/<folder>/technical-specification.md` of the working tree. */
function writeSpec(dir: string, folder: string, text: string): void {
  mkdirSync(join(dir, "specs", folder), { recursive: true });
  writeFileSync(join(dir, "specs", folder, "technical-specification.md"), text);
}

/** A repository on `main` holding the examples (FEAT-0001 to FEAT-0003), committed. */
function repo(): string {
  const dir = temp();
  cpSync(examples, dir, { recursive: true });
  git(dir, ["init", "-q", "-b", "main"]);
  commitAll(dir, "examples");
  return dir;
}

/** Adds a spec on a new branch made from main, commits it, and goes back to main. */
function branchWith(dir: string, branch: string, folder: string, text: string): void {
  git(dir, ["checkout", "-q", "-b", branch, "main"]);
  writeSpec(dir, folder, text);
  commitAll(dir, `${branch}: ${folder}`);
  git(dir, ["checkout", "-q", "main"]);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function ts(cwd: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...GIT_ENV, ...env } });
  const out = { code: r.status, stdout: r.stdout, stderr: r.stderr };
  assert.ok(!out.stderr.includes("    at ") && !/internal error/i.test(out.stderr), `techspec ${args.join(" ")}:\n${out.stderr}`);
  return out;
}

interface NewJson {
  id: string;
  folder: string;
  highest: { id: string; branch: string | null; file: string } | null;
  branches: number;
  ignored: { id: string; branch: string | null; file: string; reason: string }[];
}

function newJson(cwd: string, title: string, env: Record<string, string> = {}): NewJson & { stderr: string } {
  const r = ts(cwd, ["new", title, "--json"], env);
  assert.equal(r.code, 0, r.stderr);
  return { ...(JSON.parse(r.stdout) as NewJson), stderr: r.stderr };
}

/** A folder holding only a `git` that logs its subcommand to `log` and runs the real git. */
function gitShim(): { path: string; log: string; calls: () => string[] } {
  const dir = temp();
  const log = join(dir, "calls.log");
  writeFileSync(join(dir, "git"), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\nexec '${GIT}' "$@"\n`);
  chmodSync(join(dir, "git"), 0o755);
  return { path: `${dir}:${process.env["PATH"] ?? ""}`, log, calls: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []) };
}

/** One fast-import commit per branch, each adding files on top of main. */
function fastImportBranches(dir: string, branches: { name: string; files: Record<string, string | Buffer> }[]): void {
  const parts: (string | Buffer)[] = [];
  for (const b of branches) {
    parts.push(`commit refs/heads/${b.name}\ncommitter Dana Dev <dana@example.com> 1795168800 +0000\ndata 2\nb\nfrom refs/heads/main\n`);
    for (const [path, content] of Object.entries(b.files)) {
      const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      parts.push(`M 100644 inline ${path}\ndata ${bytes.length}\n`, bytes, "\n");
    }
    parts.push("\n");
  }
  execFileSync("git", ["fast-import", "--quiet"], { cwd: dir, input: Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p))), env: { ...process.env, ...GIT_ENV } });
}

describe("techspec new across branches", () => {
  test("allocates past the IDs of a local branch and of a remote-tracking branch fetched from a second clone", () => {
    const dir = repo();
    branchWith(dir, "a", "FEAT-0004-refund-export", specText("FEAT-0004"));

    // A colleague's clone: their `new` already sees origin/a, so it takes FEAT-0005 on their branch b.
    const clone = temp();
    git(tmpdir(), ["clone", "-q", dir, clone]);
    git(clone, ["checkout", "-q", "-b", "b"]);
    const theirs = newJson(clone, "Payout Scheduling");
    assert.equal(theirs.id, "FEAT-0005");
    assert.deepEqual(theirs.highest, { id: "FEAT-0004", branch: "origin/a", file: "specs/FEAT-0004-refund-export/technical-specification.md" });
    commitAll(clone, "b: FEAT-0005");
    git(dir, ["remote", "add", "colleague", clone]);
    git(dir, ["fetch", "-q", "colleague"]);
    assert.match(git(dir, ["branch", "-r"]), /colleague\/b/);

    const r = ts(dir, ["new", "Stock Alerts"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /^Created FEAT-0006 in specs\/FEAT-0006-stock-alerts\/\n/);
    assert.match(readFileSync(join(dir, "specs", "FEAT-0006-stock-alerts", "technical-specification.md"), "utf8"), /^\*\*Feature ID\*\*: FEAT-0006\s*$/m);

    const next = newJson(dir, "Stock Alerts Digest");
    assert.equal(next.id, "FEAT-0007", "the working tree's new FEAT-0006 counts too");
    assert.deepEqual(next.highest, { id: "FEAT-0006", branch: null, file: "specs/FEAT-0006-stock-alerts/technical-specification.md" });
    rmSync(join(dir, "specs", "FEAT-0006-stock-alerts"), { recursive: true });
    rmSync(join(dir, "specs", "FEAT-0007-stock-alerts-digest"), { recursive: true });
    const fromBranch = newJson(dir, "Stock Alerts");
    assert.equal(fromBranch.id, "FEAT-0006");
    assert.deepEqual(fromBranch.highest, { id: "FEAT-0005", branch: "colleague/b", file: "specs/FEAT-0005-payout-scheduling/technical-specification.md" });
    assert.equal(fromBranch.branches, 4, "main, a, colleague/main, colleague/b");
    assert.deepEqual(fromBranch.ignored, []);
  });

  test("--id refuses an ID another branch uses, naming the branch and the file, with exit code 2", () => {
    const dir = repo();
    branchWith(dir, "a", "FEAT-0004-refund-export", specText("FEAT-0004"));
    git(dir, ["branch", "a-copy", "a"]);
    // A spec that cannot be parsed still gives its folder's ID.
    branchWith(dir, "binary", "FEAT-0009-scanned", "\0\0\0 not text");
    const before = readdirSync(join(dir, "specs")).sort();

    let r = ts(dir, ["new", "Refund Export", "--id", "FEAT-0004"]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, "techspec: Feature ID FEAT-0004 is already used by specs/FEAT-0004-refund-export/technical-specification.md on branch a and 1 other branch (choose another --id, or leave --id out to take the next free ID)\n");
    r = ts(dir, ["new", "Scanned", "--id", "FEAT-0009"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "techspec: Feature ID FEAT-0009 is already used by the folder name specs/FEAT-0009-scanned/ on branch binary (choose another --id, or leave --id out to take the next free ID)\n");
    // The working tree's own clash is reported as before.
    r = ts(dir, ["new", "Again", "--id", "FEAT-0002"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^techspec: Feature ID FEAT-0002 is already used by specs\/FEAT-0002-notification-preferences\/technical-specification.md\n$/);
    assert.deepEqual(readdirSync(join(dir, "specs")).sort(), before, "a refusal creates nothing");

    r = ts(dir, ["new", "Free One", "--id", "FEAT-0008"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(newJson(dir, "Next").id, "FEAT-0010");
  });

  test("outside git, in a repository without commits, and without git, the working tree alone decides", () => {
    const plain = temp();
    cpSync(examples, plain, { recursive: true });
    const outside = newJson(plain, "Plain Folder");
    assert.equal(outside.id, "FEAT-0004");
    assert.equal(outside.branches, 0);
    assert.equal(outside.stderr, "");

    const empty = temp();
    cpSync(examples, empty, { recursive: true });
    git(empty, ["init", "-q", "-b", "main"]);
    const unborn = newJson(empty, "Unborn Branch");
    assert.equal(unborn.id, "FEAT-0004");
    assert.equal(unborn.branches, 0);
    assert.equal(unborn.stderr, "");

    const dir = repo();
    branchWith(dir, "a", "FEAT-0004-refund-export", specText("FEAT-0004"));
    assert.equal(newJson(dir, "With Git").id, "FEAT-0005");
    rmSync(join(dir, "specs", "FEAT-0005-with-git"), { recursive: true });
    // No git on PATH: no error, the working tree's FEAT-0003 is the highest.
    const noGit = newJson(dir, "No Git", { PATH: temp() });
    assert.equal(noGit.id, "FEAT-0004");
    assert.equal(noGit.branches, 0);
    assert.equal(noGit.stderr, "");
    // A git that fails every command: the same.
    const failing = temp();
    writeFileSync(join(failing, "git"), "#!/bin/sh\nexit 128\n");
    chmodSync(join(failing, "git"), 0o755);
    rmSync(join(dir, "specs", "FEAT-0004-no-git"), { recursive: true });
    const broken = newJson(dir, "Broken Git", { PATH: `${failing}:${process.env["PATH"] ?? ""}` });
    assert.equal(broken.id, "FEAT-0004");
    assert.equal(broken.stderr, "");
  });

  test("the number of git processes does not grow with the number of branches", () => {
    const counts: number[] = [];
    for (const n of [3, 200]) {
      const dir = repo();
      fastImportBranches(dir, Array.from({ length: n }, (_, i) => ({
        name: `topic/${String(i).padStart(3, "0")}`,
        files: {
          [`specs/FEAT-${String(100 + i).padStart(4, "0")}-topic-${i}/technical-specification.md`]: specText(`FEAT-${String(100 + i).padStart(4, "0")}`),
          // Every branch also edits a spec of main, so the trees differ in a shared folder too.
          "specs/FEAT-0001-refund-processing/technical-specification.md": `${readFileSync(join(dir, "specs", "FEAT-0001-refund-processing", "technical-specification.md"), "utf8")}\n<!-- ${i} -->\n`,
        },
      })));
      git(dir, ["pack-refs", "--all"]);
      const shim = gitShim();
      const r = newJson(dir, "Count Processes", { PATH: shim.path });
      assert.equal(r.id, `FEAT-${String(100 + n).padStart(4, "0")}`);
      assert.equal(r.branches, n + 1);
      assert.equal(r.highest?.branch, `topic/${String(n - 1).padStart(3, "0")}`);
      assert.deepEqual(shim.calls(), ["for-each-ref", "diff-tree", "cat-file", "cat-file"], `${n} branches`);
      counts.push(shim.calls().length);
    }
    assert.equal(counts[0], counts[1]);
  });

  test("detached HEAD, odd ref names, ignored and unmatched paths, a ref at a blob, and a config in a subfolder", () => {
    const dir = repo();
    writeFileSync(join(dir, "techspec.config.json"), `${JSON.stringify({ specs: ["specs/**/technical-specification.md"], ignore: ["specs/archive/**"] })}\n`);
    commitAll(dir, "config");
    const odd = "odd/ünï-'q\"$(touch_x);{}#%";
    branchWith(dir, odd, "FEAT-0007-odd", specText("FEAT-0007"));
    branchWith(dir, "archive", "archive/FEAT-0900-old", specText("FEAT-0900"));
    git(dir, ["checkout", "-q", "-b", "docs", "main"]);
    mkdirSync(join(dir, "docs", "FEAT-0950-notes"), { recursive: true });
    writeFileSync(join(dir, "docs", "FEAT-0950-notes", "technical-specification.md"), specText("FEAT-0950"));
    commitAll(dir, "docs");
    git(dir, ["checkout", "-q", "main"]);
    // A file name with a newline and a symbolic link where a spec would be.
    git(dir, ["checkout", "-q", "-b", "names", "main"]);
    writeSpec(dir, "line\nbreak", specText("FEAT-0008"));
    mkdirSync(join(dir, "specs", "FEAT-0990-link"));
    symlinkSync("../FEAT-0001-refund-processing/technical-specification.md", join(dir, "specs", "FEAT-0990-link", "technical-specification.md"));
    commitAll(dir, "names");
    git(dir, ["checkout", "-q", "main"]);
    // git refuses to point a branch at a blob; a damaged repository can hold one anyway.
    writeFileSync(join(dir, ".git", "refs", "heads", "blob-ref"), `${git(dir, ["rev-parse", "main:README.md"]).trim()}\n`);
    git(dir, ["pack-refs", "--all"]);
    git(dir, ["checkout", "-q", "--detach", "HEAD"]);

    const r = newJson(dir, "Detached");
    assert.equal(r.id, "FEAT-0009", "FEAT-0008 from the file with a newline in its path; archive, docs and the link do not count");
    assert.deepEqual(r.highest, { id: "FEAT-0008", branch: "names", file: "specs/line\nbreak/technical-specification.md" });
    assert.equal(r.stderr, "");
    const clash = ts(dir, ["new", "Odd", "--id", "FEAT-0007"]);
    assert.equal(clash.code, 2);
    assert.ok(clash.stderr.includes(`on branch ${odd} `), clash.stderr);
    const line = ts(dir, ["new", "Line", "--id", "FEAT-0008"]);
    assert.equal(line.code, 2);
    assert.equal(line.stderr.split("\n").length, 2, "one line, the newline in the path escaped");
    assert.ok(line.stderr.includes("specs/line\\u000abreak/technical-specification.md on branch names"), line.stderr);
    assert.equal(ts(dir, ["new", "Archived", "--id", "FEAT-0900"]).code, 0, "an ignored path does not hold its ID");

    // The configuration in a subfolder: globs are relative to it, and paths outside it do not count.
    const mono = temp();
    mkdirSync(join(mono, "product"));
    cpSync(examples, join(mono, "product"), { recursive: true });
    git(mono, ["init", "-q", "-b", "main"]);
    commitAll(mono, "product specs");
    git(mono, ["checkout", "-q", "-b", "sub"]);
    mkdirSync(join(mono, "product", "specs", "FEAT-0020-sub"), { recursive: true });
    writeFileSync(join(mono, "product", "specs", "FEAT-0020-sub", "technical-specification.md"), specText("FEAT-0020"));
    mkdirSync(join(mono, "specs", "FEAT-0777-elsewhere"), { recursive: true });
    writeFileSync(join(mono, "specs", "FEAT-0777-elsewhere", "technical-specification.md"), specText("FEAT-0777"));
    commitAll(mono, "sub");
    git(mono, ["checkout", "-q", "main"]);
    const sub = newJson(join(mono, "product", "specs"), "From A Subfolder");
    assert.equal(sub.id, "FEAT-0021");
    assert.deepEqual(sub.highest, { id: "FEAT-0020", branch: "sub", file: "product/specs/FEAT-0020-sub/technical-specification.md" });
  });

  test("hostile branch content: absurd numbers, binary and oversized blobs, an unreadable tree", () => {
    const dir = repo();
    writeFileSync(join(dir, "techspec.config.json"), `${JSON.stringify({ specs: ["specs/**/technical-specification.md"], maxFileSize: 100_000 })}\n`);
    commitAll(dir, "config");
    const huge = `${specText("FEAT-0500")}\n${"x".repeat(150_000)}\n`;
    fastImportBranches(dir, [
      { name: "evil", files: {
        "specs/a/technical-specification.md": specText("FEAT-99999999999999999999"),
        "specs/b/technical-specification.md": specText("FEAT-00099999"),
        "specs/c/technical-specification.md": specText("FEAT-9007199254740993"),
      } },
      { name: "binary", files: { "specs/FEAT-0010-bin/technical-specification.md": Buffer.from([0x23, 0x20, 0, 1, 2, 0xff, 0xfe, 0]) } },
      { name: "huge", files: { "specs/FEAT-0011-huge/technical-specification.md": huge } },
      { name: "not-a-spec", files: { "specs/FEAT-0012-notes/technical-specification.md": "just some notes\n" } },
    ]);
    const r = newJson(dir, "Sane");
    commitAll(dir, "FEAT-0013");
    assert.equal(r.id, "FEAT-0013", "folder names count; the oversized spec's FEAT-0500 is never read");
    assert.deepEqual(r.ignored.map((i) => [i.id, i.branch, i.file]).sort(), [
      ["FEAT-00099999", "evil", "specs/b/technical-specification.md"],
      ["FEAT-9007199254740993", "evil", "specs/c/technical-specification.md"],
      ["FEAT-99999999999999999999", "evil", "specs/a/technical-specification.md"],
    ]);
    assert.match(r.ignored.find((i) => i.id === "FEAT-00099999")!.reason, /beyond FEAT-9999, the range of idDigits 4/);
    assert.match(r.ignored.find((i) => i.id === "FEAT-99999999999999999999")!.reason, /too large/);
    const notes = r.stderr.split("\n").filter(Boolean);
    assert.equal(notes.length, 3, r.stderr);
    for (const n of notes) assert.match(n, /^techspec: note: FEAT-\d+ in specs\/[abc]\/technical-specification.md on branch evil is not counted: /);

    // A tree git cannot read: the branch is skipped, the branches after it are still read.
    git(dir, ["checkout", "-q", "-b", "broken", "main"]);
    writeSpec(dir, "FEAT-0600-broken", specText("FEAT-0600"));
    commitAll(dir, "broken");
    git(dir, ["checkout", "-q", "main"]);
    branchWith(dir, "later", "FEAT-0020-later", specText("FEAT-0020"));
    const sub = git(dir, ["rev-parse", "broken:specs/FEAT-0600-broken"]).trim();
    unlinkSync(join(dir, ".git", "objects", sub.slice(0, 2), sub.slice(2)));
    const shim = gitShim();
    const skipped = newJson(dir, "After Corruption", { PATH: shim.path });
    assert.equal(skipped.id, "FEAT-0021", "the branch after the unreadable one is read");
    assert.match(skipped.stderr, /^techspec: note: skipped branch broken: git cannot read its tree\n/m);
    assert.deepEqual(shim.calls(), ["for-each-ref", "diff-tree", "diff-tree", "cat-file", "cat-file"], "one more diff-tree after the failure");
  });
});

describe("allocateFeatureId", () => {
  const use = (id: string, where = "x"): { id: string; where: string } => ({ id, where });

  test("one more than the highest number with the prefix, zero-padded; other prefixes and case aside", () => {
    assert.equal(allocateFeatureId([], [], "FEAT-", 4).id, "FEAT-0001");
    const a = allocateFeatureId([use("FEAT-0002"), use("feat-0007"), use("RFC-0100"), use("FEAT-12x")], [use("FEAT-0005")], "FEAT-", 4);
    assert.equal(a.id, "FEAT-0008");
    assert.equal(a.highest?.id, "feat-0007");
    assert.equal(allocateFeatureId([use("RFC7")], [], "RFC", 2).id, "RFC08");
    assert.equal(allocateFeatureId([], [use("FEAT-0009", "branch")], "FEAT-", 4).highest?.where, "branch");
  });

  test("the working tree may grow past idDigits; other branches count only within the digits reached", () => {
    // Today's behaviour in the working tree is kept: FEAT-9999 is followed by FEAT-10000.
    assert.equal(allocateFeatureId([use("FEAT-9999")], [], "FEAT-", 4).id, "FEAT-10000");
    const beyond = allocateFeatureId([use("FEAT-0041")], [use("FEAT-10000", "b"), use("FEAT-0042", "a")], "FEAT-", 4);
    assert.equal(beyond.id, "FEAT-0043");
    assert.deepEqual(beyond.ignored.map((i) => i.use.id), ["FEAT-10000"]);
    assert.match(beyond.ignored[0]!.reason, /beyond FEAT-9999, the range of idDigits 4/);
    // Once the working tree reached five digits, five-digit IDs elsewhere count.
    const grown = allocateFeatureId([use("FEAT-10003")], [use("FEAT-10007"), use("FEAT-100000")], "FEAT-", 4);
    assert.equal(grown.id, "FEAT-10008");
    assert.match(grown.ignored[0]!.reason, /beyond FEAT-99999, the range of the 5 digits the working tree's IDs have reached/);
    // FEAT-9999 in the working tree: FEAT-10000 on a branch is the next one's neighbour, and counts.
    assert.equal(allocateFeatureId([use("FEAT-9999")], [use("FEAT-10000")], "FEAT-", 4).id, "FEAT-10001");
  });

  test("numbers too large to count exactly are left out everywhere, never printed in exponent form", () => {
    const a = allocateFeatureId([use("FEAT-99999999999999999999999"), use("FEAT-0003")], [], "FEAT-", 4);
    assert.equal(a.id, "FEAT-0004");
    assert.equal(a.ignored.length, 1);
    assert.match(a.ignored[0]!.reason, /too large to count past exactly/);
    const edge = allocateFeatureId([use(`FEAT-${Number.MAX_SAFE_INTEGER - 1}`)], [], "FEAT-", 4);
    assert.equal(edge.id, `FEAT-${Number.MAX_SAFE_INTEGER}`);
    assert.equal(allocateFeatureId([], [use("FEAT-999999999999")], "FEAT-", 12).id, "FEAT-1000000000000");
  });
});
