// The Feature IDs used on every local and remote-tracking branch, so that `techspec new` never hands out an ID
// another branch already took. However many branches there are, git runs a fixed number of times:
//   1. `for-each-ref` lists the branch tips and their trees (one process);
//   2. `diff-tree --stdin` lists the spec files of every tree: the first tree in full, every other one as its
//      difference from the first, so identical subtrees cost nothing (one process, a few more only when a
//      tree cannot be read);
//   3. `cat-file --batch-check` sizes the distinct spec blobs, and `cat-file --batch` streams those within
//      `maxFileSize` for the parser (two processes).
import { createHash } from "node:crypto";
import { basename, posix } from "node:path";
import picomatch from "picomatch";
import { parseSpec } from "../parse/parse-spec.js";
import type { Config } from "./config.js";
import { ALWAYS_IGNORED } from "./discover.js";
import { git, GitRepos, gitStream, type GitRunOptions } from "./git.js";
import { posixRelative } from "./paths.js";
import { specRoots } from "./spec-roots.js";

/** One Feature ID found on one or more branches. */
export interface BranchFeatureId {
  readonly id: string;
  /** The spec file's path in the repository, or for an ID read from a folder name, the folder's (ending in "/"). */
  readonly path: string;
  /** Whether the ID is the spec's Feature ID or the `<ID>-<slug>` name of its folder. */
  readonly from: "feature-id" | "folder-name";
  /** The first branch holding it, as git names it for people: "main", "origin/main". */
  readonly branch: string;
  /** How many branches hold it. */
  readonly branches: number;
}

/** What the branches of a repository say. */
export interface BranchFeatureIds {
  /** The repository's top folder. */
  readonly root: string;
  /** How many branches were read. */
  readonly branches: number;
  /** Branches whose tree could not be read (missing or corrupt objects), which were skipped. */
  readonly skipped: readonly string[];
  readonly ids: readonly BranchFeatureId[];
}

/** What the caller already knows. */
export interface BranchFeatureIdOptions {
  /**
   * Specs already parsed (the working tree's): a blob with the same bytes takes this Feature ID instead of
   * being read and parsed again, which on a branch close to the working tree is nearly every blob.
   */
  readonly known?: Iterable<{ readonly text: string; readonly featureId: string | null }>;
  /** The prefix whose IDs count in folder names (`<ID>-<slug>`); default: the configuration's `idPrefix`. */
  readonly idPrefix?: string;
}

/** How many `diff-tree` processes one call may start: the first, and a restart after each unreadable tree. */
const MAX_DIFF_RUNS = 3;

/** The empty tree, the base of the first tree's full listing, by the length of the repository's object names. */
const EMPTY_TREE: Readonly<Record<number, string>> = {
  40: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
  64: "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321",
};

/** Objects missing from a partial clone are not fetched: reading the branches never goes to the network. */
const OFFLINE: GitRunOptions = { env: { GIT_NO_LAZY_FETCH: "1" } };

/** Files whose mode makes them regular files (not symbolic links or submodules). */
const REGULAR = new Set(["100644", "100755"]);

interface Tip {
  readonly tree: string;
  /** Short names of the refs pointing at a commit with this tree. */
  readonly refs: string[];
}

/**
 * The Feature IDs of the spec files on every local (refs/heads) and remote-tracking (refs/remotes) branch of
 * the repository holding the configuration's folder: the files the configuration's `specs` globs match and
 * `ignore` does not, parsed for their Feature ID, plus the ID in each such file's folder name. Null outside a
 * git repository or when git is missing or fails; a repository without commits has no branches.
 */
export async function branchFeatureIds(config: Config, options: BranchFeatureIdOptions = {}): Promise<BranchFeatureIds | null> {
  const root = new GitRepos().rootOf(config.root);
  if (root === null) return null;
  const refs = git(root, ["for-each-ref", "--format=%(HEAD)%00%(objecttype)%00%(tree)%00%(symref)%00%(refname)", "refs/heads", "refs/remotes"]);
  if (refs === null) return null;
  const tips = readTips(refs);
  const none: BranchFeatureIds = { root, branches: 0, skipped: [], ids: [] };
  const first = tips[0];
  const empty = first && EMPTY_TREE[first.tree.length];
  const specs = config.roots?.length ? workspaceMatcher(config, root) : specMatcher(config, posixRelative(root, config.root));
  if (!first || !empty || !specs) return none;

  const listed = await listSpecFiles(root, tips, empty, specs);
  if (listed === null) return null;
  const known = new Map<string, string | null>();
  for (const k of options.known ?? []) known.set(blobId(Buffer.from(k.text, "utf8"), first.tree.length), k.featureId?.trim() || null);
  const idOf = await readFeatureIds(root, listed.blobs, config.maxFileSize, known);
  const ids = collect(listed, idOf, new RegExp(`^(${(options.idPrefix ?? config.idPrefix).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\d+)-.`, "i"));
  return { root, branches: listed.read.reduce((n, t) => n + t.refs.length, 0), skipped: listed.skipped.flatMap((t) => t.refs), ids };
}

/** Branch tips by tree, in for-each-ref's order (local before remote-tracking), the checked-out branch's first. */
function readTips(out: string): Tip[] {
  const byTree = new Map<string, Tip>();
  let current: Tip | null = null;
  for (const line of out.split("\n")) {
    const [head, type, tree, symref, ref] = line.split("\0");
    // A symbolic ref (origin/HEAD) repeats a branch; a ref at a tag or blob has no tree of its own.
    if (ref === undefined || symref !== "" || type !== "commit" || !/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(tree!)) continue;
    const tip = byTree.get(tree!) ?? byTree.set(tree!, { tree: tree!, refs: [] }).get(tree!)!;
    tip.refs.push(ref.replace(/^refs\/(?:heads|remotes)\//, ""));
    if (head === "*") current = tip;
  }
  const tips = [...byTree.values()];
  return current ? [current, ...tips.filter((t) => t !== current)] : tips;
}

/** Which repository paths are specs to the configuration, and the pathspecs that let git leave the rest out. */
interface SpecMatcher {
  readonly test: (repoPath: string) => boolean;
  /** Pathspecs covering every match (a superset), or none for the whole tree. */
  readonly pathspecs: readonly string[];
}

/**
 * The configuration's `specs` and `ignore` globs as discovery reads them (tinyglobby: a pattern also matches
 * what lies under it, no dot files), applied to paths relative to the configuration's folder `base` (a path
 * in the repository). Null when no pattern can match inside the repository.
 */
function specMatcher(config: Config, base: string): SpecMatcher | null {
  const normalize = (pattern: string): string => globUnder(config, pattern);
  const positive = config.specs.filter((p) => !p.startsWith("!") || p.startsWith("!("));
  const negative = config.specs.filter((p) => !positive.includes(p)).map((p) => p.slice(1));
  const options = { dot: false, posix: true };
  const pathspecs: string[] = [];
  let whole = false;
  for (const pattern of positive) {
    const p = pattern.replace(/\/+$/, "");
    const inRepo = posix.normalize(posix.join(base, posix.isAbsolute(p) ? posixRelative(config.root, p) : p));
    if (inRepo === ".." || inRepo.startsWith("../")) continue;
    // git's glob pathspecs read *, ? and ** as picomatch does (and also match dot files: a superset);
    // a pattern with classes, braces or extglobs is narrowed to its literal leading folder only.
    if (/[[\]{}()!+@\\]/.test(inRepo)) {
      const folder = posix.normalize(posix.join(base, picomatch.scan(p).base || "."));
      if (folder === ".") whole = true;
      else if (!folder.startsWith("../")) pathspecs.push(`:(literal)${folder}`);
    } else {
      pathspecs.push(`:(glob)${inRepo}`);
      if (!inRepo.endsWith("*")) pathspecs.push(`:(glob)${inRepo}/**`);
    }
  }
  if (!whole && pathspecs.length === 0) return null;
  const match = picomatch(positive.map(normalize), options);
  const ignored = picomatch([...ALWAYS_IGNORED, ...config.ignore, ...negative].map(normalize), options);
  return {
    test: (repoPath) => {
      const rel = relativeTo(base, repoPath);
      return match(rel) && !ignored(rel);
    },
    pathspecs: whole ? [] : pathspecs,
  };
}

/** A repository path relative to the folder `base` (a path in the repository), as the globs read it. */
function relativeTo(base: string, repoPath: string): string {
  // picomatch's wildcards stop at line terminators; a file name holding one still counts (a wildcard
  // matches it as any other character), so no ID hides behind an odd name.
  return (base === "" ? repoPath : posix.relative(base, repoPath)).replace(/[\n\r\u2028\u2029]/g, "_");
}

/** Whether the configuration's `ignore` globs, read from its folder `base`, leave out a repository path. */
function ignoreMatcher(config: Config, base: string): (repoPath: string) => boolean {
  if (config.ignore.length === 0) return () => false;
  const ignored = picomatch(config.ignore.map((p) => globUnder(config, p)), { dot: false, posix: true });
  return (repoPath) => ignored(relativeTo(base, repoPath));
}

/** A glob as discovery reads it: a pattern also matches what lies under it. */
function globUnder(config: Config, pattern: string): string {
  let p = pattern.endsWith("/") ? pattern.slice(0, -1) : pattern;
  if (posix.isAbsolute(p)) p = posixRelative(config.root, p);
  return posix.normalize(p.endsWith("*") ? p : `${p}/**`);
}

/**
 * The specs of every root of a workspace, as discovery finds them: a path belongs to the nearest root holding it
 * and matches that root's globs, outside the workspace's own `ignore`. Null when no root's patterns can match.
 */
function workspaceMatcher(config: Config, repo: string): SpecMatcher | null {
  const roots = specRoots(config).map((r) => ({ base: posixRelative(repo, r.root), specs: specMatcher(r, posixRelative(repo, r.root)) }))
    .filter((r) => r.base !== ".." && !r.base.startsWith("../"))
    .sort((a, b) => b.base.length - a.base.length);
  if (roots.every((r) => !r.specs)) return null;
  const top = posixRelative(repo, config.root);
  const ignoredByTop = ignoreMatcher(config, top);
  const inside = (base: string, path: string): boolean => base === "" || path.startsWith(`${base}/`);
  return {
    test: (repoPath) => {
      const root = roots.find((r) => inside(r.base, repoPath));
      return !!root?.specs?.test(repoPath) && (root.base === top || !ignoredByTop(repoPath));
    },
    pathspecs: roots.some((r) => r.specs && r.specs.pathspecs.length === 0) ? [] : roots.flatMap((r) => r.specs?.pathspecs ?? []),
  };
}

/** The spec files of every readable tip: the first tip's in full, the others' as changes from it. */
interface Listing {
  readonly base: Tip;
  readonly baseFiles: ReadonlyMap<string, string>;
  /** Per other tip, the spec paths whose blob differs from the base's: the new blob, or null when gone. */
  readonly changes: ReadonlyMap<Tip, ReadonlyMap<string, string | null>>;
  readonly read: readonly Tip[];
  readonly skipped: readonly Tip[];
  /** Every distinct blob listed. */
  readonly blobs: readonly string[];
}

/**
 * Lists the spec files of every tip with `git diff-tree --stdin`. A tree git cannot read is skipped; when that
 * stops git, the rest is listed again by a new process, at most MAX_DIFF_RUNS in all. Null when git fails
 * outright.
 */
async function listSpecFiles(root: string, tips: readonly Tip[], empty: string, specs: SpecMatcher): Promise<Listing | null> {
  let pending = [...tips];
  let base: Tip | null = null;
  let baseFiles = new Map<string, string>();
  const changes = new Map<Tip, Map<string, string | null>>();
  const read: Tip[] = [];
  const skipped: Tip[] = [];
  for (let run = 0; run < MAX_DIFF_RUNS && pending.length > 0; run++) {
    const order = pending;
    // The first run lists its first tip in full (against the empty tree); every other tip is a difference.
    const runBase: Tip = base ?? order[0]!;
    const lines = order.map((t) => (t === runBase && !base ? `${empty} ${t.tree}` : `${runBase.tree} ${t.tree}`));
    const byTree = new Map(order.map((t) => [t.tree, t]));
    const seen: Tip[] = [];
    const seenSet = new Set<Tip>();
    let target: Map<string, string | null> | null = null;
    let files: Map<string, string> | null = null;
    const parser = diffTreeParser(
      (from, to) => {
        const tip = byTree.get(to);
        target = null;
        files = null;
        if (!tip) return;
        seen.push(tip);
        seenSet.add(tip);
        if (tip === runBase && from === empty) files = baseFiles = new Map();
        else changes.set(tip, (target = new Map()));
      },
      (mode, blob, path) => {
        if (!specs.test(path)) return;
        const sha = REGULAR.has(mode) ? blob : null;
        if (files) {
          if (sha) files.set(path, sha);
        } else target?.set(path, sha);
      },
    );
    const ok = await gitStream(root, ["diff-tree", "--stdin", "-r", "-z", "--no-renames", "--", ...specs.pathspecs], parser, { ...OFFLINE, input: `${lines.join("\n")}\n` });
    if (!ok && seen.length === 0 && run === 0) return null;
    // The tip being listed when git stopped is incomplete: it is the one git could not read.
    const broken = ok ? null : seen.at(-1) ?? null;
    if (broken) changes.delete(broken);
    if (!base) {
      if (seen[0] !== runBase || broken === runBase) {
        // The base itself could not be read: skip it and start again from the next tip.
        skipped.push(runBase);
        changes.clear();
        pending = order.filter((t) => t !== runBase);
        continue;
      }
      base = runBase;
    }
    const reached = broken ? order.indexOf(broken) : order.length - 1;
    for (const [i, tip] of order.entries()) {
      if (i > reached) continue;
      if (tip === broken || !seenSet.has(tip)) skipped.push(tip);
      else read.push(tip);
    }
    pending = order.slice(reached + 1);
  }
  skipped.push(...pending);
  if (!base) return { base: tips[0]!, baseFiles: new Map(), changes: new Map(), read: [], skipped, blobs: [] };
  const blobs = new Set(baseFiles.values());
  for (const c of changes.values()) for (const sha of c.values()) if (sha) blobs.add(sha);
  return { base, baseFiles, changes, read, skipped, blobs: [...blobs] };
}

/**
 * A streaming reader of `git diff-tree --stdin -r -z` output: a header line "<from> <to>\n" per input line,
 * then one ":<modes> <blobs> <status>\0<path>\0" record per changed file.
 */
function diffTreeParser(onHeader: (from: string, to: string) => void, onFile: (mode: string, blob: string, path: string) => void): (chunk: Buffer) => void {
  let rest: Buffer = Buffer.alloc(0);
  return (chunk) => {
    const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let pos = 0;
    while (pos < buf.length) {
      if (buf[pos] === 0x3a) {
        const metaEnd = buf.indexOf(0, pos);
        const pathEnd = metaEnd < 0 ? -1 : buf.indexOf(0, metaEnd + 1);
        if (pathEnd < 0) break;
        const [, mode, , blob] = buf.toString("latin1", pos + 1, metaEnd).split(" ");
        onFile(mode ?? "", blob ?? "", buf.toString("utf8", metaEnd + 1, pathEnd));
        pos = pathEnd + 1;
      } else {
        const end = buf.indexOf(0x0a, pos);
        if (end < 0) break;
        const [from, to] = buf.toString("latin1", pos, end).split(" ");
        onHeader(from ?? "", to ?? "");
        pos = end + 1;
      }
    }
    rest = buf.subarray(pos);
  };
}

/**
 * The Feature ID of each distinct blob (null when it is not a spec or has none): blobs over `maxFileSize`,
 * empty or binary ones are not parsed. Blobs git cannot give are left out.
 */
async function readFeatureIds(root: string, blobs: readonly string[], maxFileSize: number, known: ReadonlyMap<string, string | null>): Promise<ReadonlyMap<string, string | null>> {
  const ids = new Map<string, string | null>();
  const unknown = blobs.filter((sha) => {
    const id = known.get(sha);
    if (id !== undefined) ids.set(sha, id);
    return id === undefined;
  });
  if (unknown.length === 0) return ids;
  const sizes = git(root, ["cat-file", "--batch-check"], { ...OFFLINE, input: `${unknown.join("\n")}\n` }) ?? "";
  const wanted: string[] = [];
  for (const line of sizes.split("\n")) {
    const [sha, type, size] = line.split(" ");
    if (type !== "blob") continue;
    if (Number(size) > 0 && Number(size) <= maxFileSize) wanted.push(sha!);
    else ids.set(sha!, null);
  }
  if (wanted.length === 0) return ids;
  await gitStream(root, ["cat-file", "--batch"], batchParser((sha, bytes) => {
    if (bytes.subarray(0, 8192).includes(0)) {
      ids.set(sha, null);
      return;
    }
    const parsed = parseSpec(bytes.toString("utf8"), sha);
    ids.set(sha, parsed.source.isSpec ? parsed.spec.metadata.featureId?.trim() || null : null);
  }), { ...OFFLINE, input: `${wanted.join("\n")}\n` });
  return ids;
}

/** The name git gives a blob of these bytes: SHA-1, or SHA-256 in a repository whose object names have 64 digits. */
function blobId(bytes: Buffer, length: number): string {
  return createHash(length === 64 ? "sha256" : "sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** A streaming reader of `git cat-file --batch` output: "<sha> <type> <size>\n<content>\n" per object. */
function batchParser(onObject: (sha: string, bytes: Buffer) => void): (chunk: Buffer) => void {
  let head: Buffer = Buffer.alloc(0);
  let body: { sha: string; size: number; parts: Buffer[]; have: number } | null = null;
  return (chunk) => {
    let buf = chunk;
    while (buf.length > 0) {
      if (body) {
        // The content and its closing newline; chunks are joined once, when the object is whole.
        const need = body.size + 1 - body.have;
        const take = buf.subarray(0, need);
        body.parts.push(take);
        body.have += take.length;
        buf = buf.subarray(take.length);
        if (body.have === body.size + 1) {
          onObject(body.sha, Buffer.concat(body.parts).subarray(0, body.size));
          body = null;
        }
        continue;
      }
      const joined = head.length > 0 ? Buffer.concat([head, buf]) : buf;
      const end = joined.indexOf(0x0a);
      if (end < 0) {
        head = Buffer.from(joined);
        return;
      }
      const [sha, , size] = joined.toString("latin1", 0, end).split(" ");
      head = Buffer.alloc(0);
      buf = joined.subarray(end + 1);
      // "<sha> missing" has no content.
      if (size !== undefined && /^\d+$/.test(size)) body = { sha: sha!, size: Number(size), parts: [], have: 0 };
    }
  };
}

/** Each spec file's Feature ID and folder-name ID, with the branches holding it; file IDs first. */
function collect(listing: Listing, idOf: ReadonlyMap<string, string | null>, folderId: RegExp): BranchFeatureId[] {
  const { base, baseFiles, changes, read } = listing;
  const others = read.filter((t) => t !== base);
  const otherRefs = others.reduce((n, t) => n + t.refs.length, 0);
  // How many refs of the other tips changed (or removed) each path of the base.
  const changedRefs = new Map<string, number>();
  // Each changed file's blob, keyed by path and blob, with the first tip holding it and the refs that do.
  const changed = new Map<string, { path: string; sha: string; tip: Tip; refs: number }>();
  for (const tip of others) {
    for (const [path, sha] of changes.get(tip) ?? []) {
      changedRefs.set(path, (changedRefs.get(path) ?? 0) + tip.refs.length);
      if (!sha) continue;
      const key = `${path}\0${sha}`;
      const hit = changed.get(key);
      if (hit) hit.refs += tip.refs.length;
      else changed.set(key, { path, sha, tip, refs: tip.refs.length });
    }
  }
  const files: { path: string; sha: string; branch: string; branches: number }[] = [];
  for (const [path, sha] of baseFiles) files.push({ path, sha, branch: base.refs[0]!, branches: base.refs.length + otherRefs - (changedRefs.get(path) ?? 0) });
  for (const c of changed.values()) files.push({ path: c.path, sha: c.sha, branch: c.tip.refs[0]!, branches: c.refs });

  const out: BranchFeatureId[] = [];
  const folders = new Map<string, BranchFeatureId>();
  for (const f of files) {
    const id = idOf.get(f.sha);
    if (id) out.push({ id, path: f.path, from: "feature-id", branch: f.branch, branches: f.branches });
    const dir = posix.dirname(f.path);
    const m = dir === "." ? null : folderId.exec(basename(dir));
    if (!m) continue;
    const key = `${m[1]}\0${dir}`;
    const hit = folders.get(key);
    if (!hit || hit.branches < f.branches) folders.set(key, { id: m[1]!, path: `${dir}/`, from: "folder-name", branch: f.branch, branches: f.branches });
  }
  return [...out, ...folders.values()];
}
