// What the review server knows about the workspace: every spec file, read, parsed and linted, addressed by its
// Feature ID. The files stay the truth: `refresh` reads again whatever changed on disk (by size and mtime, or a
// file named by the watcher), so edits made with git or an editor outside the server appear without a restart.
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import type { Diagnostic } from "../model/diagnostic.js";
import { NOT_A_SPEC, parseSpec, type ParseResult } from "../parse/parse-spec.js";
import type { Config } from "../workspace/config.js";
import { discoverSpecs } from "../workspace/discover.js";
import { InputError } from "../workspace/errors.js";
import { FileHost } from "../workspace/host.js";
import { lintFile } from "../workspace/lint-file.js";
import { posixRelative } from "../workspace/paths.js";
import { readSpec } from "../workspace/read-spec.js";
import { summarize, type SpecSummary } from "../workspace/summary.js";

/** One spec file as the server sees it. */
export interface IndexedSpec {
  /** The Feature ID, or null for a spec that has none (listed, not addressable). */
  readonly id: string | null;
  readonly path: string;
  /** The path from the workspace root, with "/" separators. */
  readonly display: string;
  /** SHA-256 of the file's bytes: the revision edits and comments name, and the source's ETag. */
  readonly revision: string;
  readonly text: string;
  readonly parsed: ParseResult | null;
  /** Why the file cannot be read as a spec, or null. */
  readonly error: string | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: SpecSummary | null;
  readonly size: number;
  readonly mtimeMs: number;
}

export const revisionOf = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

export class SpecIndex {
  private byPath = new Map<string, IndexedSpec>();
  private byId = new Map<string, IndexedSpec>();

  constructor(readonly config: Config) {}

  /** Every spec, in path order. */
  all(): IndexedSpec[] {
    return [...this.byPath.values()];
  }

  get(id: string): IndexedSpec | undefined {
    return this.byId.get(id) ?? this.byId.get(id.toUpperCase());
  }

  /**
   * Finds the workspace's specs again and reads those that changed (all of them with `force`, or the given paths).
   * Returns the specs that were added, changed or removed, by path.
   */
  refresh(options: { force?: boolean; paths?: readonly string[] } = {}): { changed: IndexedSpec[]; removed: IndexedSpec[] } {
    let targets: string[];
    try {
      targets = discoverSpecs([], this.config, this.config.root).map((t) => t.path);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      targets = []; // no specs yet
    }
    const named = new Set(options.paths ?? []);
    const host = new FileHost(this.config.root, { signing: this.config.settings.signatures });
    const next = new Map<string, IndexedSpec>();
    const changed: IndexedSpec[] = [];
    for (const path of targets.sort()) {
      const old = this.byPath.get(path);
      let stat: { size: number; mtimeMs: number } | undefined;
      try {
        stat = statSync(path);
      } catch {
        stat = undefined;
      }
      if (old && stat && !options.force && !named.has(path) && old.size === stat.size && old.mtimeMs === stat.mtimeMs) {
        next.set(path, old);
        continue;
      }
      const entry = this.read(path, host, stat);
      next.set(path, entry);
      if (!old || old.revision !== entry.revision) changed.push(entry);
    }
    const removed = [...this.byPath.values()].filter((s) => !next.has(s.path));
    this.byPath = next;
    this.byId = new Map();
    for (const s of next.values()) if (s.id && !this.byId.has(s.id)) this.byId.set(s.id, s);
    return { changed, removed };
  }

  private read(path: string, host: FileHost, stat: { size: number; mtimeMs: number } | undefined): IndexedSpec {
    const display = posixRelative(this.config.root, path);
    const base = { path, display, size: stat?.size ?? -1, mtimeMs: stat?.mtimeMs ?? -1 };
    const read = readSpec(path, this.config.maxFileSize);
    if (!read.ok) return { ...base, id: null, revision: "", text: "", parsed: null, error: read.reason, diagnostics: [], summary: null };
    const parsed = parseSpec(read.file.text, display);
    const revision = revisionOf(read.file.bytes);
    if (!parsed.source.isSpec) return { ...base, id: null, revision, text: read.file.text, parsed: null, error: NOT_A_SPEC, diagnostics: [], summary: null };
    const { config } = this;
    const result = lintFile(path, display, { settings: config.settings, rules: config.rules, overrides: config.overrides, maxFileSize: config.maxFileSize, fix: false, root: config.root }, host);
    return {
      ...base, id: parsed.spec.metadata.featureId, revision, text: read.file.text, parsed, error: null,
      diagnostics: result.diagnostics, summary: summarize(parsed, config, path, display),
    };
  }
}
