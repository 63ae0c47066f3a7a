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
import { LintWorker } from "../workspace/lint-files.js";
import { posixRelative } from "../workspace/paths.js";
import { readSpec } from "../workspace/read-spec.js";
import { rootFor, rootLintSettings } from "../workspace/spec-roots.js";
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
  /** In a workspace with spec roots (`workspaces`): the name of the root the file belongs to; else null. */
  readonly root: string | null;
  readonly size: number;
  readonly mtimeMs: number;
}

export const revisionOf = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

export interface RefreshOptions {
  /** Read every file again, changed or not. */
  readonly force?: boolean;
  /** Check these files only. */
  readonly paths?: readonly string[];
  /** With `paths`: read them again whatever their size and time say (a write was just made). */
  readonly reread?: boolean;
  /** Without `paths`: search the workspace for new spec files too. */
  readonly discover?: boolean;
}

export class SpecIndex {
  private byPath = new Map<string, IndexedSpec>();
  private byId = new Map<string, IndexedSpec>();
  private readonly worker: LintWorker;
  /** Grows whenever a spec is added, changed or removed: what was computed from the index is current while it stays. */
  generation = 0;
  /** Refreshes run one at a time, each from the state the one before left. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly config: Config) {
    this.worker = new LintWorker({ settings: config.settings, rules: config.rules, overrides: config.overrides, maxFileSize: config.maxFileSize, fix: false, root: config.root, ...rootLintSettings(config) });
  }

  /** Every spec, in path order. */
  all(): IndexedSpec[] {
    return [...this.byPath.values()];
  }

  get(id: string): IndexedSpec | undefined {
    return this.byId.get(id) ?? this.byId.get(id.toUpperCase());
  }

  /** The spec read from this file, if it is one of the workspace's. */
  atPath(path: string): IndexedSpec | undefined {
    return this.byPath.get(path);
  }

  /**
   * Reads again the spec files whose size or modification time changed (every one with `force`), linted on the
   * index's worker thread, so git and the rules never block the caller's event loop. With `paths`, only those files
   * are checked (`reread`: read whatever their size and time say, after a write); else every known file, and with
   * `discover` the workspace is searched for new ones. Returns the specs added, changed or removed.
   */
  refresh(options: RefreshOptions = {}): Promise<{ changed: IndexedSpec[]; removed: IndexedSpec[] }> {
    const run = this.queue.then(() => this.refreshNow(options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async refreshNow(options: RefreshOptions): Promise<{ changed: IndexedSpec[]; removed: IndexedSpec[] }> {
    const only = options.paths !== undefined;
    let targets: string[];
    if (only || !options.discover) {
      // Only the files already known (and any named): a stat each, no crawl.
      targets = [...new Set([...this.byPath.keys(), ...(options.paths ?? [])])];
    } else {
      try {
        targets = discoverSpecs([], this.config, this.config.root).map((t) => t.path);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        targets = []; // no specs yet
      }
    }
    const named = new Set(options.paths ?? []);
    const next = new Map<string, IndexedSpec>();
    const read: IndexedSpec[] = [];
    for (const path of targets.sort()) {
      const old = this.byPath.get(path);
      // With `paths`, the files named are checked, the others kept as they are (no stat).
      if (old && only && !named.has(path)) {
        next.set(path, old);
        continue;
      }
      let stat: { size: number; mtimeMs: number } | undefined;
      try {
        stat = statSync(path);
      } catch {
        stat = undefined;
      }
      // Without a crawl, a known file that is gone is removed; one never seen waits for the next crawl.
      if (!stat && (only || !options.discover)) continue;
      const forced = options.force || (options.reread && named.has(path));
      if (old && stat && !forced && old.size === stat.size && old.mtimeMs === stat.mtimeMs) {
        next.set(path, old);
        continue;
      }
      const entry = this.read(path, stat);
      next.set(path, entry);
      read.push(entry);
    }
    const linted = await this.worker.lint(read.filter((e) => e.parsed).map((e) => [e.path, e.display] as const));
    const diagnostics = new Map(linted.map((r) => [r.path, r.diagnostics]));
    const changed: IndexedSpec[] = [];
    for (const entry of read) {
      const done = entry.parsed ? { ...entry, diagnostics: diagnostics.get(entry.path) ?? [] } : entry;
      next.set(entry.path, done);
      if (this.byPath.get(entry.path)?.revision !== done.revision || entry.parsed) changed.push(done);
    }
    const removed = [...this.byPath.values()].filter((s) => !next.has(s.path));
    if (changed.length || removed.length) this.generation++;
    this.byPath = next;
    this.byId = new Map();
    for (const s of next.values()) if (s.id && !this.byId.has(s.id)) this.byId.set(s.id, s);
    return { changed, removed };
  }

  close(): Promise<void> {
    return this.worker.close();
  }

  private read(path: string, stat: { size: number; mtimeMs: number } | undefined): IndexedSpec {
    const display = posixRelative(this.config.root, path);
    const config = rootFor(this.config, path);
    const base = { path, display, root: config.name ?? null, size: stat?.size ?? -1, mtimeMs: stat?.mtimeMs ?? -1, diagnostics: [] };
    const read = readSpec(path, config.maxFileSize);
    if (!read.ok) return { ...base, id: null, revision: "", text: "", parsed: null, error: read.reason, summary: null };
    const parsed = parseSpec(read.file.text, display);
    const revision = revisionOf(read.file.bytes);
    if (!parsed.source.isSpec) return { ...base, id: null, revision, text: read.file.text, parsed: null, error: NOT_A_SPEC, summary: null };
    return { ...base, id: parsed.spec.metadata.featureId, revision, text: read.file.text, parsed, error: null, summary: summarize(parsed, config, path, display) };
  }
}
