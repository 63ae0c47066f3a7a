// What git knows about spec files: who wrote each line, the previous committed version, the last content change.
// Every question is one `git` process, asked only when a rule needs the answer, and cached for the run.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { parseSpec } from "../parse/parse-spec.js";
import type { GitAuthor, GitFacts } from "../rules/rule.js";
import { contentDigest } from "../workflow/digest.js";

/** Runs git in `cwd`; stdout, or null when git fails or is missing. */
export function git(cwd: string, args: readonly string[]): string | null {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 28 });
  } catch {
    return null;
  }
}

/** How many commits `lastContentCommit` looks back through before giving up. */
const HISTORY_LIMIT = 50;

/** Finds repositories by their `.git` entry (no process per folder) and lists each one's tracked files once. */
export class GitRepos {
  private readonly roots = new Map<string, string | null>();
  private readonly tracked = new Map<string, ReadonlySet<string> | null>();

  /** The top folder of the repository holding `dir`, or null. */
  rootOf(dir: string): string | null {
    const hit = this.roots.get(dir);
    if (hit !== undefined) return hit;
    let root: string | null;
    if (existsSync(join(dir, ".git"))) root = dir;
    else {
      const up = dirname(dir);
      root = up === dir ? null : this.rootOf(up);
    }
    this.roots.set(dir, root);
    return root;
  }

  /** Facts about a committed file, or undefined when it is not in a repository or not committed. */
  factsFor(path: string): GitFacts | undefined {
    const root = this.rootOf(dirname(path));
    if (!root) return undefined;
    let files = this.tracked.get(root);
    if (files === undefined) {
      const out = git(root, ["ls-files", "-z"]);
      files = out === null ? null : new Set(out.split("\0").filter(Boolean));
      this.tracked.set(root, files);
    }
    const rel = relative(root, path).split(sep).join("/");
    if (!files?.has(rel)) return undefined;
    return new FileFacts(root, rel);
  }
}

class FileFacts implements GitFacts {
  private blame: (GitAuthor | null)[] | undefined;
  private previous: string | null | undefined;
  private last: GitAuthor | null | undefined;

  constructor(private readonly root: string, private readonly rel: string) {}

  lineAuthor(line: number): GitAuthor | null {
    this.blame ??= this.readBlame();
    return this.blame[line - 1] ?? null;
  }

  previousText(): string | null {
    if (this.previous !== undefined) return this.previous;
    const changed = git(this.root, ["status", "--porcelain", "--", this.rel]);
    let ref: string | null = null;
    if (changed !== null && changed.trim() !== "") ref = "HEAD";
    else {
      const commits = git(this.root, ["log", "-n", "2", "--format=%H", "--", this.rel])?.trim().split("\n").filter(Boolean) ?? [];
      ref = commits[1] ?? null;
    }
    this.previous = ref === null ? null : git(this.root, ["show", `${ref}:${this.rel}`]);
    return this.previous;
  }

  lastContentCommit(): GitAuthor | null {
    if (this.last !== undefined) return this.last;
    this.last = null;
    const log = git(this.root, ["log", "-n", String(HISTORY_LIMIT), "--format=%H%x1f%an%x1f%ae%x1f%as", "--", this.rel]);
    const commits = (log ?? "").split("\n").filter(Boolean).map((l) => {
      const [commit, name, email, date] = l.split("\x1f") as [string, string, string, string];
      return { commit, name, email, date };
    });
    let newer: { author: GitAuthor; digest: string | null } | null = null;
    for (const c of commits) {
      const text = git(this.root, ["show", `${c.commit}:${this.rel}`]);
      const digest = text === null ? null : contentDigest(parseSpec(text, this.rel));
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
