// What git knows about spec files: who wrote each line, the previous committed version, the last content change.
// Every question is one `git` process, asked only when a rule needs the answer, and cached for the run.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CommitSignature, GitAuthor, GitFacts, SignatureSettings, TrustFacts } from "../rules/rule.js";
import { posixRelative } from "./paths.js";
import { DirListings } from "./dir-listing.js";
import { git, type GitRunOptions } from "./git-run.js";
import { trustChain, verifyCommits } from "./signatures.js";

export { git, type GitRunOptions } from "./git-run.js";

/**
 * Why git cannot vouch for the history of the repository at `root`, or null when it can: git missing, a repository
 * git refuses to read (safe.directory), or a shallow clone, whose history is cut short so that blame credits the
 * oldest commit it has with lines others wrote before it. Each reason says how to fix it.
 */
export function repositoryProblem(root: string): string | null {
  const r = spawnSync("git", ["rev-parse", "--is-shallow-repository"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.error) {
    return (r.error as NodeJS.ErrnoException).code === "ENOENT"
      ? "git is not installed (or not on PATH), so who wrote the approval lines cannot be verified: install git"
      : `git could not be run (${r.error.message}), so who wrote the approval lines cannot be verified`;
  }
  if (r.status !== 0) {
    const err = (r.stderr ?? "").trim();
    if (/dubious ownership|safe\.directory/i.test(err)) {
      return `git refuses to read the repository at ${root} (it belongs to another user), so who wrote the approval lines cannot be verified: trust it with git config --global --add safe.directory ${root}`;
    }
    return `git cannot read the repository at ${root} (${err.split("\n")[0] || `exit ${r.status}`}), so who wrote the approval lines cannot be verified`;
  }
  if (r.stdout.trim() === "true") {
    return "the repository is a shallow clone: its history is cut short, so who wrote each line cannot be known (fetch the whole history: git fetch --unshallow, or fetch-depth: 0 with actions/checkout)";
  }
  return null;
}

/**
 * Runs git in `cwd` and hands its stdout to `onData` chunk by chunk, for output too large to hold at once.
 * Resolves to whether git ran and exited 0; never rejects (a throwing `onData` stops git and counts as failure).
 */
export function gitStream(cwd: string, args: readonly string[], onData: (chunk: Buffer) => void, options: GitRunOptions = {}): Promise<boolean> {
  return new Promise((resolve) => {
    let ok = true;
    let settled = false;
    const done = (result: boolean): void => {
      if (!settled) resolve(result);
      settled = true;
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn("git", args, { cwd, stdio: ["pipe", "pipe", "ignore"], ...(options.env ? { env: { ...process.env, ...options.env } } : {}) });
    } catch {
      done(false);
      return;
    }
    child.on("error", () => {
      ok = false;
      done(false);
    });
    // git may exit before reading all of its input (a fatal error): that is reported by the exit code.
    child.stdin!.on("error", () => {});
    child.stdout!.on("data", (chunk: Buffer) => {
      if (!ok) return;
      try {
        onData(chunk);
      } catch {
        ok = false;
        child.kill();
      }
    });
    child.on("close", (code) => done(ok && code === 0));
    child.stdin!.end(options.input ?? "");
  });
}

/** How many commits `lastContentCommit` looks back through before giving up. */
const HISTORY_LIMIT = 50;

/** How many recent commits one repository-wide `git log` reads; files last changed before them are asked one by one. */
const RECENT_COMMITS = 5000;

/** `git log --format` of one commit as `parseCommit` reads it: hash, author name, e-mail, date (YYYY-MM-DD). */
export const COMMIT_FORMAT = "%H%x1f%an%x1f%ae%x1f%as";

/** A line written with COMMIT_FORMAT. */
export function parseCommit(line: string): GitAuthor {
  const [commit, name, email, date] = line.split("\x1f") as [string, string, string, string];
  return { commit, name, email: email.toLowerCase(), date };
}

/** What one repository-wide `git log` and `git status` say, shared by every file of the repository. */
interface RepoHistory {
  /** Commits that touched each path, newest first, within the recent window. */
  readonly byPath: ReadonlyMap<string, readonly GitAuthor[]>;
  /** Whether the window holds the whole history. */
  readonly complete: boolean;
  /** Paths with uncommitted changes. */
  readonly dirty: ReadonlySet<string>;
}

/**
 * Finds repositories by their `.git` entry (no process per folder), lists each one's tracked files once, and
 * reads the recent history and the working tree's status once per repository, so that for most files the git
 * rules need no process of their own.
 */
export class GitRepos {
  private readonly roots = new Map<string, string | null>();
  private readonly tracked = new Map<string, ReadonlySet<string> | null>();
  private readonly histories = new Map<string, RepoHistory>();
  private readonly problems = new Map<string, string | null>();
  private readonly trusts = new Map<string, TrustFacts>();
  private readonly signatures = new Map<string, Map<string, CommitSignature | null>>();
  private readonly signerSources = new Map<string, { readonly file: string } | { readonly text: string } | null>();

  /** With `signatures`, facts about committed files also answer who signed each line (`lineSignature`, `trust`). */
  constructor(private readonly signing?: SignatureSettings, private readonly listings: DirListings = new DirListings()) {}

  /** The top folder of the repository holding `dir`, or null. */
  rootOf(dir: string): string | null {
    const hit = this.roots.get(dir);
    if (hit !== undefined) return hit;
    let root: string | null;
    if (this.listings.exists(join(dir, ".git"))) root = dir;
    else {
      const up = dirname(dir);
      root = up === dir ? null : this.rootOf(up);
    }
    this.roots.set(dir, root);
    return root;
  }

  /** The repository holding a file and the file's path in it, or null outside git. */
  locate(path: string): { readonly root: string; readonly rel: string } | null {
    const root = this.rootOf(dirname(path));
    return root ? { root, rel: posixRelative(root, path) } : null;
  }

  /** Facts about a committed file, or undefined when it is not in a repository, not committed or git cannot vouch for it. */
  factsFor(path: string): GitFacts | undefined {
    const p = this.provenance(path);
    return "facts" in p ? p.facts : undefined;
  }

  /** Facts about a committed file, or why git cannot vouch for its history (the reason says how to fix it). */
  provenance(path: string): { readonly facts: GitFacts } | { readonly problem: { readonly reason: string; readonly scope: "repository" | "file" } } {
    const where = this.locate(path);
    if (!where) return { problem: { scope: "file", reason: "the spec is not in a git repository, so who wrote its approval lines cannot be verified (commit it to one)" } };
    const { root, rel } = where;
    let problem = this.problems.get(root);
    if (problem === undefined) {
      problem = repositoryProblem(root);
      this.problems.set(root, problem);
    }
    if (problem !== null) return { problem: { scope: "repository", reason: problem } };
    let files = this.tracked.get(root);
    if (files === undefined) {
      const out = git(root, ["ls-files", "-z"]);
      files = out === null ? null : new Set(out.split("\0").filter(Boolean));
      this.tracked.set(root, files);
    }
    if (files === null) return { problem: { scope: "repository", reason: `git could not list the files of the repository at ${root}, so who wrote the approval lines cannot be verified` } };
    if (!files.has(rel)) return { problem: { scope: "file", reason: "the spec is not committed, so who wrote its approval lines cannot be verified (commit it: git add, then git commit)" } };
    const signing = this.signing;
    return {
      facts: new FileFacts(root, rel, () => this.history(root), signing ? {
        trust: () => this.trust(root, signing),
        verify: (commit) => this.signatureOf(root, commit, signing),
      } : undefined),
    };
  }

  private trust(root: string, signing: SignatureSettings): TrustFacts {
    let t = this.trusts.get(root);
    if (!t) {
      t = trustChain(root, signing);
      this.trusts.set(root, t);
    }
    return t;
  }

  /** The trusted allowed signers as git is given them: the working file when it is the trusted one, else its text; read once per repository. */
  private signersFor(root: string, signing: SignatureSettings): { readonly file: string } | { readonly text: string } | null {
    if (this.signerSources.has(root)) return this.signerSources.get(root)!;
    const trust = this.trust(root, signing);
    let source: { readonly file: string } | { readonly text: string } | null = null;
    if (trust.signers !== null) {
      let working: string | null = null;
      try {
        working = readFileSync(signing.allowedSigners, "utf8").replace(/\r\n/g, "\n").trimEnd();
      } catch {
        working = null;
      }
      source = working === trust.signers ? { file: signing.allowedSigners } : { text: `${trust.signers}\n` };
    }
    this.signerSources.set(root, source);
    return source;
  }

  /** A commit's signature against the trusted allowed signers (the working file when it is the trusted one). */
  private signatureOf(root: string, commit: string, signing: SignatureSettings): CommitSignature | null {
    let cache = this.signatures.get(root);
    if (!cache) this.signatures.set(root, (cache = new Map()));
    if (cache.has(commit)) return cache.get(commit)!;
    const signers = this.signersFor(root, signing);
    const result = signers ? verifyCommits(root, [commit], signers)?.get(commit) ?? null : null;
    cache.set(commit, result);
    return result;
  }

  private history(root: string): RepoHistory {
    let h = this.histories.get(root);
    if (h) return h;
    const byPath = new Map<string, GitAuthor[]>();
    const log = git(root, ["log", "-n", String(RECENT_COMMITS), "--no-renames", `--format=%x1e${COMMIT_FORMAT}`, "--name-only"]) ?? "";
    let count = 0;
    for (const record of log.split("\x1e")) {
      if (record.trim() === "") continue;
      count++;
      const [header, ...paths] = record.split("\n");
      const c = parseCommit(header!);
      for (const p of paths) if (p !== "") (byPath.get(p) ?? byPath.set(p, []).get(p)!).push(c);
    }
    const status = git(root, ["-c", "core.fsmonitor=false", "status", "--porcelain", "-z", "--untracked-files=no"]) ?? "";
    const dirty = new Set<string>();
    const entries = status.split("\0");
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.length < 4) continue;
      dirty.add(e.slice(3));
      if (e[0] === "R" || e[0] === "C") i++; // a rename's source path follows
    }
    h = { byPath, complete: count < RECENT_COMMITS, dirty };
    this.histories.set(root, h);
    return h;
  }
}

/** What signed approvals ask of the repository: the chain of trust, and a commit's signature checked against it. */
interface Signing {
  readonly trust: () => TrustFacts;
  readonly verify: (commit: string) => CommitSignature | null;
}

class FileFacts implements GitFacts {
  private blame: (GitAuthor | null)[] | undefined;
  private previous: string | null | undefined;
  private last: GitAuthor | null | undefined;
  readonly lineSignature?: (line: number) => CommitSignature | null;
  readonly trust?: () => TrustFacts;

  constructor(private readonly root: string, private readonly rel: string, private readonly repo: () => RepoHistory, signing?: Signing) {
    if (signing) {
      this.trust = signing.trust;
      this.lineSignature = (line) => {
        const author = this.lineAuthor(line);
        return author ? signing.verify(author.commit) : null;
      };
    }
  }

  /** The commits that touched the file, newest first: from the shared history, or asked for this file alone. */
  private commits(limit: number): readonly GitAuthor[] {
    const h = this.repo();
    const known = h.byPath.get(this.rel);
    if (known && (h.complete || known.length >= limit)) return known.slice(0, limit);
    const log = git(this.root, ["log", "-n", String(limit), `--format=${COMMIT_FORMAT}`, "--", this.rel]);
    return (log ?? "").split("\n").filter(Boolean).map(parseCommit);
  }

  lineAuthor(line: number): GitAuthor | null {
    this.blame ??= this.readBlame();
    return this.blame[line - 1] ?? null;
  }

  previousText(): string | null {
    if (this.previous !== undefined) return this.previous;
    const ref = this.repo().dirty.has(this.rel) ? "HEAD" : this.commits(2)[1]?.commit ?? null;
    this.previous = ref === null ? null : git(this.root, ["show", `${ref}:${this.rel}`]);
    return this.previous;
  }

  lastContentCommit(digestOf: (text: string) => string): GitAuthor | null {
    if (this.last !== undefined) return this.last;
    this.last = null;
    const commits = this.commits(HISTORY_LIMIT);
    // One commit: it created the content, no version needs reading.
    if (commits.length === 1) {
      this.last = commits[0]!;
      return this.last;
    }
    let newer: { author: GitAuthor; digest: string | null } | null = null;
    for (const c of commits) {
      const text = git(this.root, ["show", `${c.commit}:${this.rel}`]);
      const digest = text === null ? null : digestOf(text);
      if (newer && newer.digest !== digest) {
        this.last = newer.author;
        return this.last;
      }
      newer = { author: c, digest };
    }
    // Every listed commit had the same content: the oldest one created it (when the history was not cut short).
    if (newer && commits.length < HISTORY_LIMIT) this.last = newer.author;
    return this.last;
  }

  private readBlame(): (GitAuthor | null)[] {
    const out = git(this.root, ["blame", "--porcelain", "--", this.rel]);
    const lines: (GitAuthor | null)[] = [];
    if (out === null) return lines;
    const known = new Map<string, GitAuthor | null>();
    let commit = "";
    let final = 0;
    let fields: Record<string, string> = {};
    for (const line of out.split("\n")) {
      const header = /^([0-9a-f]{40}) \d+ (\d+)/.exec(line);
      if (header) {
        commit = header[1]!;
        final = Number(header[2]);
        fields = {};
        continue;
      }
      if (line.startsWith("\t")) {
        if (!known.has(commit)) {
          const uncommitted = /^0+$/.test(commit);
          const time = Number(fields["author-time"] ?? 0);
          known.set(commit, uncommitted ? null : {
            commit, name: fields["author"] ?? "", email: (fields["author-mail"] ?? "").replace(/^<|>$/g, "").toLowerCase(),
            date: new Date(time * 1000).toISOString().slice(0, 10),
          });
        }
        lines[final - 1] = known.get(commit) ?? null;
        continue;
      }
      const sp = line.indexOf(" ");
      if (sp > 0) fields[line.slice(0, sp)] = line.slice(sp + 1);
    }
    return lines;
  }
}

/** The identity git would commit as in `cwd` (user.name and user.email), or null when either is unset. */
export function gitIdentity(cwd: string): { name: string; email: string } | null {
  const name = git(cwd, ["config", "user.name"])?.trim();
  const email = git(cwd, ["config", "user.email"])?.trim();
  return name && email ? { name, email: email.toLowerCase() } : null;
}
