// The lint cache (`techspec lint --cache`): each file's findings, kept with the digest of its bytes and what the
// rules asked beyond them (see lint-dependencies.ts), under a key of everything else they depend on: techspec's
// version, the rules, the resolved configuration. A cache never changes a result: whatever is not proved the same
// is linted again, and a cache file that cannot be read as one is an empty cache.
import { isAscii } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Diagnostic } from "../model/diagnostic.js";
import { ruleCatalog } from "../rules/catalog.js";
import { writeAtomic } from "./atomic-write.js";
import type { Config } from "./config.js";
import type { Listings } from "./discover.js";
import { discoveryScope, folderUnchanged, foldersUnchanged, walkFolders } from "./discovery-proof.js";
import { InputError } from "./errors.js";
import { FileHost } from "./host.js";
import { CacheFileReader, CacheFileWriter, FORMAT, type NewEntry, type StoredDeps, type StoredFound } from "./lint-cache-file.js";
import { DependencyProbe, RACY_MS, type Dependencies, type Proof, type ProofRef } from "./lint-dependencies.js";
import type { FileResult, LintJob } from "./lint-file.js";
import { packageVersion } from "./package-files.js";

/**
 * How a file is known to be unchanged: by its size and modification time, its bytes read only when they differ
 * (ESLint's default, `metadata`), or always by its bytes (`content`), which also asks every dependency again.
 */
export type CacheStrategy = "metadata" | "content";

/** The default cache file, in the working folder (as ESLint's .eslintcache). */
export const DEFAULT_CACHE_LOCATION = ".techspec-cache";

export interface LintCacheOptions {
  readonly strategy?: CacheStrategy;
  /** techspec's version, part of the key; the installed package's by default. */
  readonly version?: string;
}

/**
 * The cache file a `--cache-location` names, as ESLint reads it: a folder (one that exists, or a path ending in a
 * separator) holds a file named after the working folder; anything else is the file itself.
 */
export function cacheFileFor(location: string, cwd: string): string {
  const abs = resolve(cwd, location);
  let folder = /[\\/]$/.test(location);
  if (!folder) {
    try {
      folder = statSync(abs).isDirectory();
    } catch {
      folder = false;
    }
  }
  return folder ? join(abs, `${DEFAULT_CACHE_LOCATION}-${createHash("sha256").update(cwd).digest("hex").slice(0, 16)}`) : abs;
}

/** The key of a run: everything a file's findings depend on besides its bytes and what the rules asked. */
export function cacheKey(job: LintJob, version: string): string {
  const { fix: _fix, cache: _cache, ...config } = job;
  return createHash("sha256").update(JSON.stringify([FORMAT, version, process.version, ruleCatalog, canonical(config)])).digest("base64");
}

/** The last search for spec files, as this run knows it. */
interface Found {
  readonly key: string;
  readonly links: readonly Proof[];
  readonly files: readonly (readonly [path: string, display: string])[];
  /** Its folders (path, mtimeMs, size, inode, listing digest, flat); with `fromReader`, those not given by an entry of the file read. */
  readonly folders: readonly (string | number)[];
  /** Whether it was read from the file (whose entries give the other folders) rather than made in this run. */
  readonly fromReader: boolean;
}

/** A file of this run: an entry of the file read, answered, with its size and mtime as now seen; or one linted. */
type Used = { readonly from: number; readonly size: number; readonly mtimeMs: number } | { readonly entry: Omit<NewEntry, "deps">; readonly deps: Dependencies };

/**
 * A lint cache for one run: `open` reads it (a missing, unreadable, corrupt or foreign file is an empty cache),
 * `cachedFiles` gives the files the last run found when their folders are unchanged, `lookup` gives a file's findings
 * when they are proved current, `store` keeps what was linted, and `save` writes this run's entries, replacing the
 * file atomically.
 */
export class LintCache {
  /** Files answered from the cache, and files not, in this run. */
  hits = 0;
  misses = 0;
  /** Whether the files to lint came from the cache. */
  foundInCache = false;
  /** The probe this run checks dependencies with; linting in the main thread records with it too. */
  readonly probe: DependencyProbe;
  private readonly reader: CacheFileReader | null;
  private readonly index = new Map<string, number>();
  private readonly used = new Map<string, Used>();
  private found: Found | null = null;
  /** When the file was last written (file-system time): proofs taken just before it are not trusted. */
  private readonly writtenAt: number;
  private changed: boolean;
  /** The generation of the entries on disk once `save` has run (null until then, or when it could not write). */
  private saved: string | null = null;

  private constructor(readonly file: string, private readonly key: string, private readonly strategy: CacheStrategy, job: LintJob) {
    this.probe = new DependencyProbe(new FileHost(job.root, { signing: job.settings.signatures }));
    const read = readCache(file, key);
    this.reader = read?.reader ?? null;
    this.writtenAt = read?.writtenAt ?? 0;
    this.changed = this.reader === null;
    const r = this.reader;
    if (!r) return;
    for (let i = 0; i < r.count; i++) this.index.set(r.path(i), i);
    const f = r.data.found;
    if (f && typeof f.key === "string" && Array.isArray(f.links) && Array.isArray(f.folders) && Array.isArray(f.files)
      && f.links.every((l) => Array.isArray(l) && typeof l[0] === "string" && (l.length === 1 || l.length === 4))) {
      const files: (readonly [string, string])[] = [];
      for (const x of f.files) {
        if (typeof x === "number" && x >= 0 && x < r.count) files.push([r.path(x), r.display(x)]);
        else if (Array.isArray(x) && typeof x[0] === "string" && typeof x[1] === "string") files.push([x[0], x[1]]);
        else break;
      }
      if (files.length === f.files.length) this.found = { key: f.key, links: f.links, files, folders: f.folders, fromReader: true };
    }
  }

  /** Opens the cache at `file` (see `cacheFileFor`) for a run of `job`. */
  static open(file: string, job: LintJob, options: LintCacheOptions = {}): LintCache {
    return new LintCache(file, cacheKey(job, options.version ?? packageVersion()), options.strategy ?? "metadata", job);
  }

  /** How many files the cache holds. */
  get size(): number {
    return this.index.size;
  }

  /**
   * The spec files the last run found (as [path, display]), when it searched the same way (`discoverSpecs(args,
   * config, cwd)`) and every folder it searched lists what it listed; null when they must be searched for (`search`).
   * Never with the content strategy, nor for a search whose folders cannot prove its result (files or globs named).
   */
  cachedFiles(args: readonly string[], config: Config, cwd: string): readonly (readonly [string, string])[] | null {
    const scope = this.strategy === "metadata" ? discoveryScope(args, config, cwd) : null;
    const last = this.found;
    if (!scope || !last || last.key !== scope.key || !this.unchangedSearch(last)) return null;
    this.foundInCache = true;
    return last.files;
  }

  /** The spec files `find` gives for the same search (see `cachedFiles`), kept for the next run with its folders, proved first. */
  search(args: readonly string[], config: Config, cwd: string, find: (listed?: Listings) => readonly (readonly [string, string])[]): readonly (readonly [string, string])[] {
    const scope = this.strategy === "metadata" ? discoveryScope(args, config, cwd) : null;
    if (!scope) return find();
    const { folders, links, listings } = walkFolders(scope.bases);
    const files = find(listings);
    this.found = { key: scope.key, links, folders, files: files.map(([path, display]) => [path, display] as const), fromReader: false };
    this.changed = true;
    return files;
  }

  private unchangedSearch(found: Found): boolean {
    if (!foldersUnchanged(found, this.probe, this.writtenAt)) return false;
    const r = this.reader;
    if (!found.fromReader || !r) return true;
    for (let i = 0; i < r.count; i++) {
      if (!r.hasListing(i)) continue;
      const m = r.number(i, 2);
      if (m === -1 || !folderUnchanged(dirname(r.path(i)), m, r.number(i, 3), r.number(i, 4), () => r.listing(i)!, this.probe, this.writtenAt)) return false;
    }
    return true;
  }

  /**
   * The findings of a file when its bytes and every answer its rules got are proved unchanged; null otherwise.
   * With `fix`, a file whose findings have fixes is not answered (it is linted, to compute them).
   */
  lookup(path: string, display: string, fix: boolean): FileResult | null {
    const i = this.index.get(path);
    const result = i === undefined ? null : this.current(i, path, display, fix);
    if (result) this.hits++;
    else this.misses++;
    return result;
  }

  private current(i: number, path: string, display: string, fix: boolean): FileResult | null {
    const r = this.reader!;
    if (r.display(i) !== display) return null;
    // Not kept in the probe: a file linted again in this thread takes its proof anew, before it is read again.
    const now = statOf(path);
    if (now === undefined) return null;
    const mtimeMs = r.mtimeMs(i);
    const same = now.mtimeMs === mtimeMs && now.size === r.size(i);
    if ((this.strategy === "content" || !same || mtimeMs >= this.writtenAt - RACY_MS) && this.probe.fileDigest(path) !== r.digest(i)) return null;
    let diagnostics: Diagnostic[];
    try {
      const deps = r.depsOf(i);
      if (!deps || !this.probe.unchanged(path, deps, r.folder(i, dirname(path)), this.strategy === "metadata", this.writtenAt)) return null;
      diagnostics = r.diagnostics(i);
    } catch {
      // An entry of the wrong shape (a file edited by hand) is one to lint again.
      return null;
    }
    if (fix && diagnostics.some((d) => d.fix)) return null;
    // The same bytes under new metadata (a checkout, a copy) are remembered, so that the next run need not read them.
    if (!same) this.changed = true;
    this.used.set(path, { from: i, size: now.size, mtimeMs: now.mtimeMs });
    return {
      path, display, diagnostics, featureId: r.featureId(i), featureIdAt: r.featureIdAt(i), fixed: 0, pendingFix: null,
      inputError: r.inputError(i), fixRefused: null, decided: r.decided(i),
    };
  }

  /** Keeps a linted file's findings for the next run, unless `--fix` changed it or they cannot be checked again. */
  store(result: FileResult): void {
    const rec = result.cache;
    if (!rec || rec.volatile || result.pendingFix !== null || result.fixed > 0 || result.fixRefused !== null || rec.proof.length === 1) return;
    this.used.set(result.path, {
      deps: rec.deps,
      entry: {
        path: result.path, display: result.display, size: rec.proof[2], mtimeMs: rec.proof[1], digest: rec.digest,
        folder: rec.folder.length === 4 ? [rec.folder[1], rec.folder[2], rec.folder[3]] : null, featureId: result.featureId,
        featureIdAt: result.featureIdAt, decided: result.decided, inputError: result.inputError, diagnostics: result.diagnostics,
      },
    });
    this.changed = true;
  }

  /**
   * Writes the entries of this run, when anything changed, through a temporary file and a rename: those of files
   * not linted this time are dropped, as ESLint does. Throws InputError when the file cannot be written.
   */
  save(): void {
    const r = this.reader;
    // A file of entries without a generation (written before there were generations) is written again with one.
    if (!this.changed && this.used.size === this.index.size && r?.generation != null) {
      this.saved = r.generation;
      return;
    }
    // The same entries (each copied, none dropped) keep their generation, and so the report made from them.
    const copies = r !== null && this.used.size === r.count && [...this.used.values()].every((u) => "from" in u);
    const generation = copies && r.generation !== null ? r.generation : randomBytes(12).toString("base64url");
    const proofs: Proof[] = [];
    const proofIndex = new Map<string, number>();
    const ref = (p: ProofRef): number => {
      if (p === null) return -1;
      if (p === "folder") return -2;
      const k = JSON.stringify(p);
      let i = proofIndex.get(k);
      if (i === undefined) proofIndex.set(k, (i = proofs.push(p) - 1));
      return i;
    };
    // Each distinct set of dependencies once (most specs of a workspace ask the same questions).
    const stored: StoredDeps[] = [];
    const storedIndex = new Map<string, number>();
    const byDeps = new Map<Dependencies, number>();
    const depsIndex = (d: Dependencies): number => {
      let j = byDeps.get(d);
      if (j === undefined) {
        const s: StoredDeps = {
          ...(d.exists.length ? { e: d.exists.map(([rel, answer, p]) => [rel, answer, ref(p)] as const) } : {}),
          ...(d.anchors.length ? { a: d.anchors.map(([rel, digest, p]) => [rel, digest, ref(p)] as const) } : {}),
          ...(d.files.length ? { f: d.files.map(([path, digest, p]) => [path, digest, ref(p)] as const) } : {}),
          ...(d.git ? { g: [d.git.root, d.git.token] as const } : {}),
        };
        const k = JSON.stringify(s);
        j = storedIndex.get(k);
        if (j === undefined) storedIndex.set(k, (j = stored.push(s) - 1));
        byDeps.set(d, j);
      }
      return j;
    };
    // The last search's folders go with the entry of a file in them whose proof of the folder is the same, else apart.
    const f = this.found;
    const apart: (string | number)[] = f?.fromReader ? [...f.folders] : [];
    const walked = new Map<string, readonly [number, number, number, string]>();
    if (f && !f.fromReader) {
      for (let i = 0; i + 4 < f.folders.length; i += 5) {
        walked.set(f.folders[i] as string, [f.folders[i + 1] as number, f.folders[i + 2] as number, f.folders[i + 3] as number, f.folders[i + 4] as string]);
      }
    }
    const carried = new Set<number>();
    const writer = new CacheFileWriter(r);
    const written = new Map<string, number>();
    for (const [path, u] of this.used) {
      written.set(path, writer.count);
      let listing: string | null = null;
      const proof = "from" in u ? (r!.number(u.from, 2) === -1 ? null : [r!.number(u.from, 2), r!.number(u.from, 3), r!.number(u.from, 4)]) : u.entry.folder;
      if (f && !f.fromReader) {
        const w = walked.get(dirname(path));
        if (w && proof && w[0] === proof[0] && w[1] === proof[1] && w[2] === proof[2]) {
          listing = w[3];
          walked.delete(dirname(path));
        }
      } else if (f && "from" in u) {
        listing = r!.listing(u.from);
        if (listing !== null) carried.add(u.from);
      }
      if ("from" in u) writer.copy(u.from, u.size, u.mtimeMs, depsIndex(r!.depsOf(u.from)!), listing);
      else writer.add({ ...u.entry, deps: depsIndex(u.deps) }, listing);
    }
    for (const [dir, [m, s, ino, listing]] of walked) apart.push(dir, m, s, ino, listing);
    if (f?.fromReader && r) {
      for (let i = 0; i < r.count; i++) {
        const listing = r.listing(i);
        if (listing !== null && !carried.has(i)) apart.push(dirname(r.path(i)), r.number(i, 2), r.number(i, 3), r.number(i, 4), listing);
      }
    }
    const found: StoredFound | null = f && {
      key: f.key, links: f.links, folders: apart,
      files: f.files.map(([path, display]) => {
        const i = written.get(path);
        const u = this.used.get(path);
        const shown = u ? ("from" in u ? r!.display(u.from) : u.entry.display) : null;
        return i !== undefined && shown === display ? i : [path, display] as const;
      }),
    };
    const data = writer.build(this.key, proofs, stored, found, generation);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
    } catch (err) {
      throw new InputError(`${this.file}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
    }
    // ASCII only (other characters escaped), so that reading it back needs no UTF-8 decoding.
    writeAtomic(this.file, JSON.stringify(data).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
    this.saved = generation;
  }

  /**
   * The key of the report of this run, once saved, when its results are exactly the entries on disk (each file
   * answered or kept, none twice): the report is then a function of those entries, the files' order and how it is
   * shown, and the one made last time for the same key can be given again. Null when the run cannot say.
   */
  reportKey(results: readonly FileResult[], shown: ReportOptions): string | null {
    if (this.saved === null || results.length !== this.used.size || !results.every((r) => this.used.has(r.path))) return null;
    const files = results.map((r) => [r.path, r.display]);
    return createHash("sha256").update(JSON.stringify([REPORT_FORMAT, this.saved, shown.format, shown.color, shown.quiet, shown.cwd, shown.docs, files])).digest("base64");
  }

  /** The report kept under `key` with its counts, when the file beside the cache holds that one, whole; null otherwise. */
  keptReport(key: string): KeptReport | null {
    let fd: number;
    try {
      fd = openSync(this.reportFile, "r");
    } catch {
      return null;
    }
    try {
      // The head line first: a report of another key (or no report at all) is not read further.
      const start = Buffer.alloc(4096);
      const got = readSync(fd, start, 0, start.length, 0);
      const nl = start.subarray(0, got).indexOf(0x0a);
      if (nl < 0) return null;
      let head: unknown;
      try {
        head = JSON.parse(start.toString("latin1", 0, nl));
      } catch {
        return null;
      }
      const h = head as Partial<Record<"techspecLintReport" | "key" | "bytes" | "digest" | "errors" | "warnings", unknown>> | null;
      if (!h || h.techspecLintReport !== REPORT_FORMAT || h.key !== key || !Number.isSafeInteger(h.bytes) || typeof h.digest !== "string"
        || !Number.isSafeInteger(h.errors) || !Number.isSafeInteger(h.warnings)) return null;
      const size = nl + 1 + (h.bytes as number);
      if (fstatSync(fd).size !== size) return null;
      // The reads above were at given offsets: the file is read from its start.
      const bytes = readFileSync(fd);
      if (bytes.length !== size) return null;
      const output = bytes.subarray(nl + 1);
      if (h.digest !== createHash("sha256").update(output).digest("base64")) return null;
      return { output, errors: h.errors as number, warnings: h.warnings as number };
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  }

  /** Keeps the report of this run under `key` (see `reportKey`) beside the cache; false when it could not be written. */
  keepReport(key: string, report: KeptReport): boolean {
    const output = typeof report.output === "string" ? Buffer.from(report.output) : report.output;
    const head = JSON.stringify({
      techspecLintReport: REPORT_FORMAT, key, bytes: output.length, digest: createHash("sha256").update(output).digest("base64"),
      errors: report.errors, warnings: report.warnings,
    });
    try {
      writeAtomic(this.reportFile, Buffer.concat([Buffer.from(`${head}\n`, "latin1"), output]));
      return true;
    } catch {
      // Only a shortcut: the next run makes its report again.
      return false;
    }
  }

  /** The file the last report is kept in: the cache file's name with `.report` after it. */
  get reportFile(): string {
    return `${this.file}.report`;
  }
}

/** The version of the kept report's file. */
const REPORT_FORMAT = 1;

/** How a run shows its report: what, besides the results, the report depends on. */
export interface ReportOptions {
  readonly format: string;
  readonly color: boolean;
  readonly quiet: boolean;
  readonly cwd: string;
  /** Where the findings' documentation links lead (the installed package's docs). */
  readonly docs: string;
}

/** A report as written (its bytes, or its text before they are made) and the counts its exit code comes from. */
export interface KeptReport {
  readonly output: string | Buffer;
  readonly errors: number;
  readonly warnings: number;
}

/** The cache file and when it was written, when it is one of this key; null for anything else (missing, corrupt, foreign). */
function readCache(file: string, key: string): { readonly reader: CacheFileReader; readonly writtenAt: number } | null {
  try {
    const writtenAt = statSync(file).mtimeMs;
    const bytes = readFileSync(file);
    const reader = CacheFileReader.parse(isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8"), key);
    return reader && { reader, writtenAt };
  } catch {
    return null;
  }
}

function statOf(path: string): { readonly mtimeMs: number; readonly size: number } | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** A JSON value with object keys sorted, so that two configurations compare by content, not layout. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}
