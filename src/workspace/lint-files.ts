import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { FileHost } from "./host.js";
import { lintFile, type FileResult, type LintJob } from "./lint-file.js";
import type { WorkerRequest } from "./lint-worker.js";

/** Below this many files a worker's start-up costs more than it saves. */
const PARALLEL_THRESHOLD = 200;
const BATCH = 64;

export interface LintFilesOptions {
  /** Called after each finished batch with the number of files done. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Worker threads to use; defaults to the number of cores (1 disables workers). */
  readonly threads?: number;
}

/** Lints files, on worker threads when there are many; results keep the input order. */
export async function lintFiles(files: readonly (readonly [string, string])[], job: LintJob, options: LintFilesOptions = {}): Promise<FileResult[]> {
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), 8));
  if (threads === 1 || files.length < PARALLEL_THRESHOLD) {
    const host = new FileHost(job.root);
    const out: FileResult[] = [];
    for (const [path, display] of files) {
      out.push(lintFile(path, display, job, host));
      if (out.length % BATCH === 0) options.onProgress?.(out.length, files.length);
    }
    return out;
  }
  const results: FileResult[][] = [];
  const batches: { id: number; files: (readonly [string, string])[] }[] = [];
  for (let i = 0; i < files.length; i += BATCH) batches.push({ id: batches.length, files: files.slice(i, i + BATCH) });
  let next = 0;
  let done = 0;
  const url = new URL("./lint-worker.js", import.meta.url);
  await Promise.all(Array.from({ length: Math.min(threads, batches.length) }, () => new Promise<void>((resolvePool, rejectPool) => {
    const worker = new Worker(url);
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
      options.onProgress?.(done, files.length);
      send();
    });
    worker.on("error", rejectPool);
    worker.postMessage({ kind: "job", job } satisfies WorkerRequest);
    send();
  })));
  return results.flat();
}
