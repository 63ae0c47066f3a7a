import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { headingAnchorsOf } from "../parse/heading-anchor.js";
import { scanLines } from "../parse/scan-lines.js";
import type { LintHost, SignatureSettings } from "../rules/rule.js";
import { DirListings } from "./dir-listing.js";
import { GitRepos } from "./git.js";
import { posixRelative } from "./paths.js";

const REFERENCE_DEFINITION = /^ {0,3}\[((?:[^\\[\]]|\\.){1,999})\]:/;

/** Answers rules' questions about other files, caching folder listings and anchors for one lint run. */
export class FileHost {
  private readonly anchors = new Map<string, ReadonlySet<string> | undefined>();
  private readonly repos: GitRepos;
  private readonly listings = new DirListings();

  /**
   * `root` is where links starting with `/` resolve from (the workspace root, as on GitHub); with `git: false`
   * the git rules see no history; with `signing`, they also see who signed each line.
   */
  constructor(private readonly root: string = process.cwd(), private readonly options: { readonly git?: boolean; readonly signing?: SignatureSettings | undefined } = {}) {
    this.repos = new GitRepos(options.signing, this.listings);
  }

  /** The host for one spec: relative paths resolve from the spec's folder. */
  forSpec(specPath: string): LintHost {
    const at = (rel: string): string => this.resolveLink(specPath, rel);
    const provenance = this.options.git === false ? null : this.repos.provenance(resolve(specPath));
    return {
      // Related documents are mostly the spec's siblings: one cached listing of its folder answers them all.
      fileExists: (rel) => this.listings.exists(at(rel)),
      anchorsOf: (rel) => this.anchorsAt(at(rel)),
      workspacePath: posixRelative(this.root, resolve(specPath)),
      ...(provenance === null ? {} : "facts" in provenance ? { git: provenance.facts } : { gitProblem: provenance.problem }),
    };
  }

  /** The absolute path a link of the spec at `specPath` names: from the root when it starts with "/", else from the spec's folder. */
  resolveLink(specPath: string, rel: string): string {
    return rel.startsWith("/") ? join(this.root, rel) : resolve(dirname(specPath), rel);
  }

  /** Whether an absolute path exists, as `fileExists` answers (from the run's folder listings). */
  existsAt(abs: string): boolean {
    return this.listings.exists(abs);
  }

  /** Whether an absolute path is a symbolic link in its folder's listing, so that whether it exists follows its target. */
  isSymbolicLink(abs: string): boolean {
    return this.listings.isSymbolicLink(abs);
  }

  /** The repository holding a file and the file's path in it, as the git facts find them; null outside git or without git. */
  gitLocation(path: string): { readonly root: string; readonly rel: string } | null {
    return this.options.git === false ? null : this.repos.locate(resolve(path));
  }

  /** Heading anchors of the Markdown file at an absolute path, as `anchorsOf` answers; undefined when it cannot be read. */
  anchorsAt(abs: string): ReadonlySet<string> | undefined {
    if (this.anchors.has(abs)) return this.anchors.get(abs);
    let result: ReadonlySet<string> | undefined;
    try {
      const scan = scanLines(readFileSync(abs, "utf8"));
      // Link reference definitions outside code, so a heading's [text][label] reads as the link it renders as.
      const labels = scan.lines.flatMap((line, i) => (scan.inCode[i] ? [] : REFERENCE_DEFINITION.exec(line)?.[1] ?? []));
      result = headingAnchorsOf(scan.headings.map((h) => h.text), labels);
    } catch {
      result = undefined;
    }
    this.anchors.set(abs, result);
    return result;
  }
}

