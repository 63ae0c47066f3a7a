// The workspace's files on disk for the language server: lint's discovery, lint's reading, and FileHost (linked
// files, git) kept for as long as nothing changed, so that a keystroke costs no git process. What is cached is
// one "generation", replaced when files or git's HEAD change.
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { LintHost } from "../rules/rule.js";
import type { Config } from "../workspace/config.js";
import { discoverSpecs } from "../workspace/discover.js";
import { InputError } from "../workspace/errors.js";
import { git } from "../workspace/git-run.js";
import { FileHost } from "../workspace/host.js";
import { posixRelative } from "../workspace/paths.js";
import { readSpec, type ReadOutcome } from "../workspace/read-spec.js";
import { bufferGitFacts } from "./buffer-git-facts.js";
import type { OpenFiles, WorkspaceFiles } from "./spec-workspace.js";

/** What is read once per generation. */
class Generation {
  readonly fileHosts = new Map<string, FileHost>();
  readonly specHosts = new Map<string, LintHost>();
  readonly reads = new Map<string, { readonly maxFileSize: number; readonly outcome: ReadOutcome }>();
  readonly heads = new Map<string, string | null>();
  readonly specLists = new Map<string, readonly string[]>();
}

/** `WorkspaceFiles` over the file system. */
export class DiskFiles implements WorkspaceFiles {
  private generation = new Generation();

  /** Forgets everything read: the next lint reads the files, lists the folders and asks git again. */
  refresh(): void {
    this.generation = new Generation();
  }

  /** Forgets what was read of one file (it was saved or changed on disk), and the hosts that may have read it. */
  fileChanged(path: string): void {
    const g = this.generation;
    g.reads.delete(path);
    // Folder listings, anchors and git's view of the working tree (which files differ from HEAD) may all have
    // changed: the hosts start again; the specs' list only when files come or go (see `filesAddedOrRemoved`).
    g.fileHosts.clear();
    g.specHosts.clear();
    g.heads.clear();
  }

  /** Files were created or deleted: the specs' list is discovered again. */
  filesAddedOrRemoved(): void {
    this.generation.specLists.clear();
    this.fileChanged("");
  }

  specPaths(config: Config): readonly string[] {
    const key = config.file ?? config.root;
    let list = this.generation.specLists.get(key);
    if (!list) {
      try {
        list = discoverSpecs([], config, config.root).map((t) => t.path);
      } catch (err) {
        // No spec matches the globs yet: lint would say so and stop; the editor just has none.
        if (!(err instanceof InputError)) throw err;
        list = [];
      }
      this.generation.specLists.set(key, list);
    }
    return list;
  }

  read(path: string, maxFileSize: number): ReadOutcome {
    const hit = this.generation.reads.get(path);
    if (hit && hit.maxFileSize === maxFileSize) return hit.outcome;
    const outcome = readSpec(path, maxFileSize);
    this.generation.reads.set(path, { maxFileSize, outcome });
    return outcome;
  }

  lintHost(config: Config, path: string, text: string, open: OpenFiles): LintHost {
    const g = this.generation;
    const key = config.file ?? config.root;
    let fileHost = g.fileHosts.get(key);
    if (!fileHost) {
      fileHost = new FileHost(config.root, { signing: config.settings.signatures });
      g.fileHosts.set(key, fileHost);
    }
    // One host per spec and generation: its git facts (blame, history) are asked once, not on every keystroke.
    const hostKey = `${key}\0${path}`;
    let base = g.specHosts.get(hostKey);
    if (!base) {
      base = fileHost.forSpec(path);
      g.specHosts.set(hostKey, base);
    }
    const at = (rel: string): string => (rel.startsWith("/") ? join(config.root, rel) : resolve(dirname(path), rel));
    const host: LintHost = {
      ...base,
      fileExists: (rel) => (open.text(at(rel)) !== undefined ? true : base.fileExists?.(rel)),
      anchorsOf: (rel) => open.anchors(at(rel)) ?? base.anchorsOf?.(rel),
    };
    if (!base.git) return host;
    const disk = this.read(path, config.maxFileSize);
    if (disk.ok && disk.file.text === text) return host;
    // Unsaved changes: git's facts read as they will be once the text is saved.
    const diskText = disk.ok ? disk.file.text : "";
    return { ...host, git: bufferGitFacts(base.git, diskText, text, () => this.headText(path)) };
  }

  /** The spec's text at HEAD, or null when HEAD has none. */
  private headText(path: string): string | null {
    const g = this.generation;
    if (g.heads.has(path)) return g.heads.get(path)!;
    const repo = repositoryOf(dirname(path));
    const text = repo === null ? null : git(repo.root, ["show", `HEAD:${posixRelative(repo.root, path)}`]);
    g.heads.set(path, text);
    return text;
  }
}

/** The repository holding a folder: its top folder and its git folder (a worktree's `.git` file points to it). */
export function repositoryOf(dir: string): { readonly root: string; readonly gitDir: string } | null {
  for (let d = resolve(dir); ; ) {
    const dotGit = join(d, ".git");
    try {
      const st = statSync(dotGit);
      if (st.isDirectory()) return { root: d, gitDir: dotGit };
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, "utf8"));
      if (m) return { root: d, gitDir: resolve(d, m[1]!) };
    } catch {
      // not here
    }
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
}

/**
 * What changes when a commit is made or another branch checked out: HEAD, the branch it names and packed refs.
 * Cheap enough to compare before every lint (two small reads and a few stats).
 */
export function headStamp(gitDir: string): string {
  const parts: string[] = [];
  const stat = (p: string): void => {
    try {
      const st = statSync(p);
      parts.push(`${st.mtimeMs}:${st.size}`);
    } catch {
      parts.push("-");
    }
  };
  let head = "";
  try {
    head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
  } catch {
    return "";
  }
  parts.push(head);
  let common = gitDir;
  try {
    common = resolve(gitDir, readFileSync(join(gitDir, "commondir"), "utf8").trim());
  } catch {
    // not a worktree
  }
  const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
  if (ref) {
    stat(join(gitDir, ref));
    if (common !== gitDir) stat(join(common, ref));
  }
  stat(join(common, "packed-refs"));
  return parts.join("|");
}
