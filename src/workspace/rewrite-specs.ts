// How `status`, `approve` and `supersede` write: the edits a command computed from the specs it read are applied
// to the files' bytes under each file's lock, only if the files still hold the text the edits were computed from,
// and all files are replaced or none.
import type { Fix } from "../model/diagnostic.js";
import type { ParseResult } from "../parse/parse-spec.js";
import { replaceFiles, writeTarget, type PendingWrite, type WriteContext } from "./atomic-write.js";
import { editBytes } from "./byte-edit.js";
import { InputError, RaceError } from "./errors.js";
import { lockFiles } from "./file-lock.js";
import { readSpec } from "./read-spec.js";

/** The edits of one spec, against the text it was parsed from. */
export interface SpecEdit {
  readonly spec: { readonly path: string; readonly display: string; readonly parsed: ParseResult };
  readonly edits: readonly Fix[];
}

/** Where and how specs are rewritten. */
export interface RewriteOptions extends WriteContext {
  /** The workspace root: a symbolic link leading out of it is not written through. */
  readonly root: string;
  readonly maxFileSize: number;
  /** How long to wait for another run's lock (see `lockFiles`). */
  readonly lockTimeoutMs?: number;
}

/**
 * Applies each spec's edits to its file, all or none. Throws RaceError, having written nothing, when a spec no
 * longer holds the text its edits were computed from (another run wrote it in between): the command is then run
 * again from what is there now. InputError for a link out of the workspace, a file that cannot be written.
 */
export async function rewriteSpecs(edits: readonly SpecEdit[], options: RewriteOptions): Promise<void> {
  const targets = edits.map((e) => ({ ...e, target: writeTarget(e.spec.path, e.spec.display, options.root) }));
  for (let i = 1; i < targets.length; i++) {
    const same = targets.slice(0, i).find((t) => t.target === targets[i]!.target);
    if (same) throw new InputError(`${same.spec.display} and ${targets[i]!.spec.display} are the same file`);
  }
  const locks = await lockFiles(targets.map((t) => ({ path: t.target, display: t.spec.display })), {
    ...(options.leftovers ? { leftovers: options.leftovers } : {}), ...(options.lockTimeoutMs !== undefined ? { timeoutMs: options.lockTimeoutMs } : {}),
  });
  try {
    const writes: PendingWrite[] = [];
    for (const t of targets) {
      if (t.edits.length === 0) continue;
      const read = readSpec(t.target, options.maxFileSize);
      if (!read.ok || read.file.text !== t.spec.parsed.source.text) {
        throw new RaceError(`${t.spec.display}: changed since techspec read it (another run or an editor wrote it at the same moment); nothing was written: run the command again`);
      }
      const after = editBytes(read.file, t.edits, t.spec.display);
      if (!after.equals(read.file.bytes)) writes.push({ path: t.target, display: t.spec.display, before: read.file.bytes, after });
    }
    replaceFiles(writes, {
      ...options,
      check: () => {
        const lost = locks.find((l) => !l.held());
        if (lost) throw new RaceError(`${lost.path}: the lock was taken over while techspec was writing (it was judged stale); nothing was written: run the command again`);
      },
    });
  } finally {
    for (const l of locks) l.release();
  }
}

/**
 * Replaces a spec's whole text (an edit saved from the review server), under its lock, only if the file's bytes
 * still have the digest `base` the edit started from: otherwise RaceError, and nothing is written.
 */
export async function replaceSpecText(spec: { readonly path: string; readonly display: string }, base: (bytes: Buffer) => boolean, text: string, options: RewriteOptions): Promise<void> {
  const target = writeTarget(spec.path, spec.display, options.root);
  const [lock] = await lockFiles([{ path: target, display: spec.display }], {
    ...(options.leftovers ? { leftovers: options.leftovers } : {}), ...(options.lockTimeoutMs !== undefined ? { timeoutMs: options.lockTimeoutMs } : {}),
  });
  try {
    const read = readSpec(target, options.maxFileSize);
    if (!read.ok || !base(read.file.bytes)) throw new RaceError(`${spec.display}: changed since the edit began; nothing was written`);
    const after = Buffer.from(text, "utf8");
    if (after.equals(read.file.bytes)) return;
    replaceFiles([{ path: target, display: spec.display, before: read.file.bytes, after }], {
      ...options,
      check: () => {
        if (!lock!.held()) throw new RaceError(`${spec.display}: the lock was taken over while techspec was writing; nothing was written`);
      },
    });
  } finally {
    lock!.release();
  }
}
