import { parentPort } from "node:worker_threads";
import { FileHost } from "./host.js";
import { lintFile, type LintJob } from "./lint-file.js";
import { DependencyProbe } from "./lint-dependencies.js";

/** Messages a lint worker receives: the job once, then batches of files. */
export type WorkerRequest =
  | { readonly kind: "job"; readonly job: LintJob }
  | { readonly kind: "batch"; readonly id: number; readonly files: readonly (readonly [string, string])[]; readonly fresh?: boolean };

const port = parentPort;
if (port) {
  let job: LintJob | null = null;
  let host = new FileHost();
  // For a lint cache: what the rules ask is recorded, with what the world said of it before they asked.
  let probe: DependencyProbe | undefined;
  port.on("message", (msg: WorkerRequest) => {
    if (msg.kind === "job") {
      job = msg.job;
      host = new FileHost(job.root, { signing: job.settings.signatures });
      probe = job.cache ? new DependencyProbe(host) : undefined;
      return;
    }
    // A long-lived worker (the review server's) asks for fresh folder listings and git facts with each batch.
    if (msg.fresh && job) {
      host = new FileHost(job.root, { signing: job.settings.signatures });
      probe = job.cache ? new DependencyProbe(host) : undefined;
    }
    try {
      const results = msg.files.map(([path, display]) => lintFile(path, display, job!, host, undefined, probe));
      port.postMessage({ id: msg.id, results });
    } catch (err) {
      port.postMessage({ id: msg.id, error: (err as Error).message });
    }
  });
}
