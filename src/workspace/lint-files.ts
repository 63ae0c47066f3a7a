import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { replaceFiles, writeTarget, type WriteContext } from "./atomic-write.js";
import { editBytes } from "./byte-edit.js";
import { InputError, RaceError } from "./errors.js";
import { lockFile } from "./file-lock.js";
import { FileHost } from "./host.js";
import type { FileResult, LintJob } from "./lint-file.js";
import type { LintCache } from "./lint-cache.js";
import type { DependencyProbe } from "./lint-dependencies.js";
import { readSpec } from "./read-spec.js";
import type { ParseResult } from "../parse/parse-spec.js";
import type { WorkerRequest } from "./lint-worker.js";

/** Below this many files a worker's start-up costs more than it saves. */
const PARALLEL_THRESHOLD = 200;
const BATCH = 64;

export interface LintFilesOptions extends WriteContext {
  /** Called after each finished batch with the number of files done. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Worker threads to use; defaults to the number of cores (1 disables workers). */
  readonly threads?: number;
  /** Receives the parse of each spec linted in this thread (a worker's parses stay in the worker), keyed by path. */
  readonly onParsed?: (path: string, parsed: ParseResult) => void;
  /**
   * Answers files from this cache when they are proved unchanged, and keeps the others' findings in it (the
   * caller saves it). With `job.fix`, a file with fixes is linted again, and a file --fix rewrites is not kept.
   * Files it answers are not parsed: `onParsed` sees the others only.
   */
  readonly cache?: LintCache;
}

/** Lints files, on worker threads when there are many; results keep the input order. With `job.fix`, writes the fixes. */
export async function lintFiles(files: readonly (readonly [string, string])[] | (() => readonly (readonly [string, string])[]),
  job: LintJob, options: LintFilesOptions = {}): Promise<FileResult[]> {
  const { cache } = options;
  const results = cache ? await lintCached(files, job, options, cache) : await lintAll(files, job, options);
  const out = job.fix ? await writeFixes(results, job, options) : results;
  if (!cache) return out;
  return out.map((r) => {
    if (!r.cache) return r;
    cache.store(r);
    const { cache: _record, ...rest } = r;
    return rest;
  });
}

/** Files the cache answers, and the others linted (recording what they depend on), in the input order. */
async function lintCached(files: readonly (readonly [string, string])[] | (() => readonly (readonly [string, string])[]),
  job: LintJob, options: LintFilesOptions, cache: LintCache): Promise<FileResult[]> {
  const recording: LintJob = { ...job, cache: true };
  // A warm cache answers most files: workers start only when there are many files left to lint.
  if (cache.size > 0 && typeof files === "function") files = files();
  const hits: (FileResult | null)[] = [];
  const todo: (readonly [string, string])[] = [];
  const list = (): readonly (readonly [string, string])[] => {
    for (const [path, display] of typeof files === "function" ? files() : files) {
      const hit = cache.lookup(path, display, job.fix);
      hits.push(hit);
      if (!hit) todo.push([path, display]);
    }
    return todo;
  };
  const answered = (): number => hits.length - todo.length;
  const { onProgress } = options;
  const linted = await lintAll(typeof files === "function" ? list : list(), recording, {
    ...options, ...(onProgress ? { onProgress: (done: number, total: number) => onProgress(done + answered(), total + answered()) } : {}),
  }, cache.probe);
  let next = 0;
  return hits.map((h) => h ?? linted[next++]!);
}

async function lintAll(files: readonly (readonly [string, string])[] | (() => readonly (readonly [string, string])[]),
  job: LintJob, options: LintFilesOptions, probe?: DependencyProbe): Promise<FileResult[]> {
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 8));
  // Given a function, workers boot (load modules, warm up) while it finds the files.
  const early = typeof files === "function" && threads > 1 ? Array.from({ length: threads }, () => startWorker(job)) : [];
  let list: readonly (readonly [string, string])[];
  try {
    list = typeof files === "function" ? files() : files;
  } catch (err) {
    await Promise.all(early.map((w) => w.terminate()));
    throw err;
  }
  if (threads === 1 || list.length < PARALLEL_THRESHOLD) {
    await Promise.all(early.map((w) => w.terminate()));
    if (list.length === 0) return [];
    // The linter is loaded only when there is a file to lint here: a run the cache answers whole never loads it.
    const { lintFile } = await import("./lint-file.js");
    // With a cache, its probe (and the probe's host): what the lookups already asked is not asked again.
    const host = probe?.host ?? new FileHost(job.root, { signing: job.settings.signatures });
    const out: FileResult[] = [];
    for (const [path, display] of list) {
      const onParsed = options.onParsed;
      out.push(lintFile(path, display, job, host, onParsed && ((parsed) => onParsed(path, parsed)), probe));
      if (out.length % BATCH === 0) options.onProgress?.(out.length, list.length);
    }
    return out;
  }
  const results: FileResult[][] = [];
  const batches: { id: number; files: (readonly [string, string])[] }[] = [];
  for (let i = 0; i < list.length; i += BATCH) batches.push({ id: batches.length, files: list.slice(i, i + BATCH) });
  let next = 0;
  let done = 0;
  const workers = early.length ? early : Array.from({ length: threads }, () => startWorker(job));
  await Promise.all(workers.map((worker) => new Promise<void>((resolvePool, rejectPool) => {
    const send = (): void => {
      const b = batches[next++];
      if (!b) {
        void worker.terminate().then(() => resolvePool());
        return;
      }
      worker.postMessage({ kind: "batch", id: b.id, files: b.files } satisfies WorkerRequest);
    };
    worker.on("message", (msg: { id: number; results?: FileResult[]; error?: string }) => {
      if (msg.error !== undefined || !msg.results) {
        void worker.terminate();
        rejectPool(new Error(msg.error ?? "lint worker failed"));
        return;
      }
      results[msg.id] = msg.results;
      done += msg.results.length;
      options.onProgress?.(done, list.length);
      send();
    });
    worker.on("error", rejectPool);
    send();
  })));
  return results.flat();
}

function startWorker(job: LintJob): Worker {
  // Linting allocates many short-lived strings and spans: a larger young generation means fewer scavenges.
  const worker = new Worker(new URL("./lint-worker.js", import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  worker.postMessage({ kind: "job", job } satisfies WorkerRequest);
  return worker;
}

/**
 * Writes the fixes the lint found, one file at a time under its lock, in the main thread. Fixes computed from bytes
 * the file no longer holds are computed again from what it holds now; a file that changes even while locked, or
 * cannot be written, is left as it is and says why in `fixRefused` (with the findings of the file as it is).
 */
export async function writeFixes(results: readonly FileResult[], job: LintJob, context: WriteContext = {}): Promise<FileResult[]> {
  if (!results.some((r) => r.pendingFix)) return [...results];
  const { bytesDigest, lintFile } = await import("./lint-file.js");
  const host = new FileHost(job.root);
  const out: FileResult[] = [];
  for (const r of results) {
    if (!r.pendingFix) {
      out.push(r);
      continue;
    }
    try {
      const target = writeTarget(r.path, r.display, job.root);
      const lock = await lockFile(target, r.display, context.leftovers ? { leftovers: context.leftovers } : {});
      try {
        const read = readSpec(target, job.maxFileSize);
        let current = r;
        if (!read.ok || bytesDigest(read.file.bytes) !== r.pendingFix.digest) current = lintFile(r.path, r.display, job, host);
        const fix = current.pendingFix;
        if (!fix || !read.ok) {
          out.push(current);
          continue;
        }
        if (fix.digest !== bytesDigest(read.file.bytes)) throw new RaceError(`${r.display}: changed while techspec was fixing it`);
        replaceFiles([{ path: target, display: r.display, before: read.file.bytes, after: editBytes(read.file, fix.edits, r.display) }], {
          ...context,
          check: () => {
            if (!lock.held()) throw new RaceError(`${r.display}: its lock was taken over while techspec was fixing it`);
          },
        });
        out.push({ ...current, pendingFix: null, fixed: fix.applied });
      } finally {
        lock.release();
      }
    } catch (err) {
      if (!(err instanceof InputError || err instanceof RaceError)) throw err;
      const why = err instanceof RaceError
        ? `${r.display}: changed while techspec was fixing it (another program wrote it at the same moment), so --fix left it as it was; run techspec lint --fix again`
        : `${err.message}; --fix left it as it was`;
      out.push({ ...lintFile(r.path, r.display, { ...job, fix: false }, host), fixRefused: why });
    }
  }
  return out;
}

/**
 * One lint worker thread kept for a long-running process (the review server): linting, and with it every git
 * call the rules make, happens off the main thread, so requests are never blocked. Each batch is linted with
 * fresh folder listings and git facts.
 */
export class LintWorker {
  private readonly worker: Worker;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (r: FileResult[]) => void; reject: (e: Error) => void }>();
  private failed: Error | null = null;

  constructor(job: LintJob) {
    this.worker = startWorker(job);
    this.worker.unref();
    this.worker.on("message", (msg: { id: number; results?: FileResult[]; error?: string }) => {
      const w = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (msg.results) w?.resolve(msg.results);
      else w?.reject(new Error(msg.error ?? "lint worker failed"));
    });
    const fail = (err: Error): void => {
      this.failed = err;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`the lint worker stopped (exit ${code})`)));
  }

  lint(files: readonly (readonly [string, string])[]): Promise<FileResult[]> {
    if (this.failed) return Promise.reject(this.failed);
    if (files.length === 0) return Promise.resolve([]);
    const id = this.next++;
    return new Promise((resolvePromise, rejectPromise) => {
      this.waiting.set(id, { resolve: resolvePromise, reject: rejectPromise });
      this.worker.postMessage({ kind: "batch", id, files, fresh: true } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    this.failed ??= new Error("the lint worker was closed");
    await this.worker.terminate();
  }
}
