// What a spec's findings depend on besides its own bytes and the configuration: the answers the rules got from the
// LintHost (does a linked file exist, which anchors does it have, what git knows of the spec), recorded as they are
// asked, and checked again on a later run, cheaply where a folder's or a file's metadata proves nothing changed.
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import type { GitFacts, LintHost } from "../rules/rule.js";
import { git, repositoryProblem } from "./git.js";
import type { FileHost } from "./host.js";
import { posixRelative } from "./paths.js";

/**
 * What `stat` said of a path, taken before the answer that depends on it was read: modification time, size and
 * inode, or `[path]` alone when there was nothing there. A folder's modification time changes with any entry
 * created, removed or renamed in it; a file's with any write.
 */
export type Proof = readonly [path: string, mtimeMs: number, size: number, ino: number] | readonly [path: string];

/** The proof behind a recorded answer: that of the spec's own folder, another path's, or none (ask again). */
export type ProofRef = Proof | "folder" | null;

/** The answers a spec's lint got from outside its bytes. */
export interface Dependencies {
  /** `fileExists(rel)`: the answer, and the proof of the folder listing it came from (none for a symbolic link). */
  readonly exists: readonly (readonly [rel: string, answer: boolean, proof: ProofRef])[];
  /** `anchorsOf(rel)`: a digest of the anchors (null: the file could not be read), and the linked file's proof. */
  readonly anchors: readonly (readonly [rel: string, digest: string | null, proof: ProofRef])[];
  /** Other files whose content an answer came from (the repository's .mailmap, for who wrote a line). */
  readonly files: readonly (readonly [path: string, digest: string | null, proof: ProofRef])[];
  /** When git was asked: what it knows of the spec (see `GitState`). */
  readonly git: GitState | null;
}

/**
 * What git knows of a spec, in one token: its repository (`root`, null outside git: the nearest folder above the
 * spec with a `.git`), whether git can vouch for it and, for a file in its index, HEAD and the file's index entry.
 * With these and the working file's bytes unchanged, every git fact the rules see is the same: blame, the previous
 * version, the last content change, whether the file has uncommitted changes.
 */
export interface GitState {
  readonly root: string | null;
  readonly token: string;
}

/** What a lint cache keeps of a linted file besides its findings. */
export interface CacheRecord {
  /** The file's proof and its folder's, taken before its bytes were read and the rules asked anything. */
  readonly proof: Proof;
  readonly folder: Proof;
  /** `digestOf` the bytes linted. */
  readonly digest: string;
  readonly deps: Dependencies;
  /** An answer was asked that cannot be checked again (a commit's signature): the findings are not to be kept. */
  readonly volatile: boolean;
}

/** Racy metadata: a change within this many milliseconds of a recorded time may not show in it, so such a proof is not trusted. */
export const RACY_MS = 2000;

/** The digest a lint cache compares files by: SHA-256, in base64. */
export function digestOf(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("base64");
}

/**
 * Answers "what does the world say now", for recording dependencies and for checking them, each question once per
 * run: stats, digests, the state of each git repository. It asks through the run's FileHost, so that a recorded
 * answer and a checked one come from the rules' own code.
 */
export class DependencyProbe {
  private readonly stats = new Map<string, Proof>();
  private readonly digests = new Map<string, string | null>();
  /** Per repository: why git cannot vouch for it (as a token), or its index (path → mode, blob, stage) and HEAD once read. */
  private readonly repos = new Map<string, { readonly problem: string | null; readonly index: ReadonlyMap<string, string> | null; readonly untracked?: string; head?: string }>();
  private readonly roots = new Map<string, string | null>();
  /** Folders proved with every folder above them. */
  private readonly walked = new Set<string>();

  constructor(readonly host: FileHost) {}

  /** The proof of a path, taken the first time it is asked in this run. */
  stat(path: string): Proof {
    let p = this.stats.get(path);
    if (!p) {
      let s: ReturnType<typeof statSync> | undefined;
      try {
        s = statSync(path, { throwIfNoEntry: false });
      } catch {
        s = undefined;
      }
      p = s ? [path, s.mtimeMs, s.size, s.ino] : [path];
      this.stats.set(path, p);
    }
    return p;
  }

  /** `digestOf` a file's bytes (null when it cannot be read), read once per run and after its proof was taken. */
  fileDigest(path: string): string | null {
    if (!this.digests.has(path)) {
      this.stat(path);
      this.digests.set(path, regularFileDigest(path));
    }
    return this.digests.get(path)!;
  }

  /**
   * The git state of a spec, as the git facts find its repository. The folders on the way up are proved first:
   * their listings are read to look for `.git`, and an answer about a file in one of them must not be older than
   * its proof.
   */
  gitState(specPath: string): GitState {
    for (let dir = dirname(resolve(specPath)); !this.walked.has(dir); dir = dirname(dir)) {
      this.walked.add(dir);
      this.stat(dir);
      if (dirname(dir) === dir) break;
    }
    const where = this.host.gitLocation(specPath);
    return where ? { root: where.root, token: this.repoToken(where.root, where.rel) } : { root: null, token: "none" };
  }

  private repoToken(root: string, rel: string): string {
    let repo = this.repos.get(root);
    if (repo === undefined) {
      // What `GitRepos.provenance` asks, in its order: whether git can vouch for the repository, then its index.
      const problem = repositoryProblem(root);
      if (problem !== null) repo = { problem: JSON.stringify(["problem", root, problem]), index: null };
      else {
        const listed = git(root, ["ls-files", "-s", "-z"]);
        const index = new Map<string, string>();
        // "<mode> <blob> <stage>\t<path>": a conflicted file has several stages, all of which count.
        for (const e of listed?.split("\0") ?? []) {
          const tab = e.indexOf("\t");
          if (tab < 0) continue;
          const path = e.slice(tab + 1);
          const had = index.get(path);
          index.set(path, had === undefined ? e.slice(0, tab) : `${had}|${e.slice(0, tab)}`);
        }
        repo = listed === null ? { problem: JSON.stringify(["unlisted", root]), index: null } : { problem: null, index, untracked: JSON.stringify(["untracked", root]) };
      }
      this.repos.set(root, repo);
    }
    if (repo.problem !== null) return repo.problem;
    const entry = repo.index!.get(rel);
    // Not in the index: git has no history of it, whatever HEAD is. In it: HEAD, read before any fact of the file.
    if (entry === undefined) return repo.untracked!;
    repo.head ??= git(root, ["rev-parse", "--verify", "-q", "HEAD"])?.trim() ?? "";
    return JSON.stringify(["tracked", root, repo.head, entry]);
  }

  /** Whether a recorded proof still holds: the same metadata now, and not taken within `RACY_MS` before `recordedBefore`. */
  holds(proof: Proof, recordedBefore: number): boolean {
    return proof.length === 1 ? this.stat(proof[0]).length === 1 : this.holdsAt(proof[0], proof[1], proof[2], proof[3], recordedBefore);
  }

  /** `holds` for the proof [path, mtimeMs, size, ino]. */
  holdsAt(path: string, mtimeMs: number, size: number, ino: number, recordedBefore: number): boolean {
    const now = this.stat(path);
    return now.length === 4 && now[1] === mtimeMs && now[2] === size && now[3] === ino && mtimeMs < recordedBefore - RACY_MS;
  }

  /**
   * Whether every dependency of the spec at `specPath` (whose folder had the proof `folder`) still has the answer
   * it had. With `trustMetadata`, a folder or file whose proof holds is taken to give the same answer; otherwise,
   * and when it changed, the question is asked again. `recordedBefore`: when the answers were saved (file-system time).
   */
  unchanged(specPath: string, deps: Dependencies, folder: Proof, trustMetadata: boolean, recordedBefore: number): boolean {
    const abs = isAbsolute(specPath) ? specPath : resolve(specPath);
    // Most answers rest on the spec's folder: its proof is checked once.
    let folderHolds: boolean | undefined;
    const proved = (ref: ProofRef): boolean => trustMetadata && ref !== null
      && (ref === "folder" ? (folderHolds ??= this.holds(folder, recordedBefore)) : this.holds(ref, recordedBefore));
    // Asked again, each answer comes after its proof, as when it was recorded: a spec linked again in this run records both.
    for (const [rel, answer, ref] of deps.exists) {
      if (proved(ref)) continue;
      const linked = this.host.resolveLink(specPath, rel);
      this.stat(dirname(linked));
      if (this.host.existsAt(linked) !== answer) return false;
    }
    for (const [rel, digest, ref] of deps.anchors) {
      if (proved(ref)) continue;
      const linked = this.host.resolveLink(specPath, rel);
      this.stat(linked);
      if (anchorsDigest(this.host.anchorsAt(linked)) !== digest) return false;
    }
    for (const [path, digest, ref] of deps.files) {
      if (!proved(ref) && this.fileDigest(path) !== digest) return false;
    }
    if (deps.git) {
      const { root } = deps.git;
      // The same repository, whose state is then asked once per run.
      const token = !this.sameRoot(abs, root, proved("folder")) ? this.gitState(abs).token
        : root === null ? "none" : this.repoToken(root, relativeIn(root, abs));
      if (token !== deps.git.token) return false;
    }
    return true;
  }

  /**
   * Whether the repository of the spec at `abs` is still `root`: the nearest folder with a `.git`, from the spec's
   * up. The spec's own folder, different for most specs, is answered by its proof when it holds (`folderHolds`:
   * its listing, and so its `.git`, is as it was); the folders above by one `stat` each per run.
   */
  private sameRoot(abs: string, root: string | null, folderHolds: boolean): boolean {
    const first = dirname(abs);
    if (!folderHolds) return this.rootFrom(first) === root;
    // Its listing is as it was: it has a `.git` when it was the root, and none otherwise.
    if (root === first) return true;
    const up = dirname(first);
    return (up === first ? null : this.rootFrom(up)) === root;
  }

  /** The nearest folder with a `.git` from `dir` up (null: none), by one `stat` per folder per run. */
  private rootFrom(dir: string): string | null {
    let hit = this.roots.get(dir);
    if (hit === undefined) {
      const up = dirname(dir);
      hit = this.stat(join(dir, ".git")).length === 4 ? dir : up === dir ? null : this.rootFrom(up);
      this.roots.set(dir, hit);
    }
    return hit;
  }
}

/**
 * Records what the rules ask of one spec's host. It is made before the spec's bytes are read and before the
 * spec's host (which reads git's listing and status), so that no proof and no git state is newer than an answer.
 */
export class DependencyRecorder {
  private readonly exists = new Map<string, readonly [string, boolean, ProofRef]>();
  private readonly anchors = new Map<string, readonly [string, string | null, ProofRef]>();
  private readonly files = new Map<string, readonly [string, string | null, ProofRef]>();
  private readonly proof: Proof;
  private readonly folder: Proof;
  private readonly gitState: GitState;
  private usedGit = false;
  private volatile = false;

  constructor(private readonly probe: DependencyProbe, private readonly specPath: string) {
    this.proof = probe.stat(resolve(specPath));
    this.folder = probe.stat(dirname(resolve(specPath)));
    this.gitState = probe.gitState(specPath);
  }

  /** The host the rules see: `inner`'s answers, each recorded. */
  wrap(inner: LintHost): LintHost {
    const { probe, specPath } = this;
    const host = probe.host;
    const ref = (proof: Proof): ProofRef => (proof === this.folder ? "folder" : proof);
    let facts: GitFacts | undefined;
    const self = this;
    return {
      ...(inner.workspacePath === undefined ? {} : { workspacePath: inner.workspacePath }),
      fileExists: (rel) => {
        const abs = host.resolveLink(specPath, rel);
        // The folder's proof before its listing is read (which happens once per run, after the first proof).
        const proof = probe.stat(dirname(abs));
        const answer = inner.fileExists?.(rel);
        if (answer === undefined) this.volatile = true;
        else this.exists.set(rel, [rel, answer, host.isSymbolicLink(abs) ? null : ref(proof)]);
        return answer;
      },
      anchorsOf: (rel) => {
        const proof = probe.stat(host.resolveLink(specPath, rel));
        const answer = inner.anchorsOf?.(rel);
        this.anchors.set(rel, [rel, anchorsDigest(answer), ref(proof)]);
        return answer;
      },
      get git() {
        self.usedGit = true;
        facts ??= inner.git && self.wrapFacts(inner.git);
        return facts;
      },
      get gitProblem() {
        self.usedGit = true;
        return inner.gitProblem;
      },
    };
  }

  private wrapFacts(facts: GitFacts): GitFacts {
    return {
      lineAuthor: (line) => {
        // Blame maps authors through the repository's .mailmap.
        if (this.gitState.root !== null) {
          const mailmap = join(this.gitState.root, ".mailmap");
          const proof = this.probe.stat(mailmap);
          this.files.set(mailmap, [mailmap, this.probe.fileDigest(mailmap), proof]);
        }
        return facts.lineAuthor(line);
      },
      previousText: () => facts.previousText(),
      lastContentCommit: (digestOf) => facts.lastContentCommit(digestOf),
      // A signature's status follows keyrings, expiry dates and programs outside the repository: never kept.
      ...(facts.lineSignature ? {
        lineSignature: (line: number) => {
          this.volatile = true;
          return facts.lineSignature!(line);
        },
      } : {}),
      ...(facts.trust ? {
        trust: () => {
          this.volatile = true;
          return facts.trust!();
        },
      } : {}),
    };
  }

  /** The record of the spec, whose bytes had the digest `digest`. */
  record(digest: string): CacheRecord {
    return {
      proof: this.proof, folder: this.folder, digest, volatile: this.volatile,
      deps: { exists: [...this.exists.values()], anchors: [...this.anchors.values()], files: [...this.files.values()], git: this.usedGit ? this.gitState : null },
    };
  }
}

/** `digestOf` the bytes of a regular file; null for anything else (a folder, a FIFO is not waited for) or an error. */
function regularFileDigest(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return null;
  }
  try {
    return fstatSync(fd).isFile() ? digestOf(readFileSync(fd)) : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** `abs` relative to its ancestor `root`, with "/" separators (as git names files). */
function relativeIn(root: string, abs: string): string {
  if (!abs.startsWith(root) || abs[root.length] !== sep) return posixRelative(root, abs);
  const rel = abs.slice(root.length + 1);
  return sep === "/" ? rel : rel.split(sep).join("/");
}

/** A digest of a set of anchors, or null for a file that could not be read. */
function anchorsDigest(anchors: ReadonlySet<string> | undefined): string | null {
  return anchors === undefined ? null : createHash("sha256").update([...anchors].sort().join("\n")).digest("base64");
}
