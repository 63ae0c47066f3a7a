// One writer per spec at a time. A lock is a file next to the spec, created with O_EXCL (so exactly one process
// creates it) and holding the process id, the host, the time and a random token. A lock whose process is gone is
// stale and is broken under a second O_EXCL file, so two processes never both remove it and both take it.
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { InputError } from "./errors.js";
import { processAlive, type Leftovers } from "./leftovers.js";

/** A lock held on one file. */
export interface FileLock {
  /** The lock file. */
  readonly path: string;
  /** Whether the lock file is still this lock (no one broke it as stale). */
  held(): boolean;
  /** Removes the lock file if it is still this lock. */
  release(): void;
}

/** How long to wait for a lock another run holds. */
export const LOCK_TIMEOUT_MS = 10_000;
/** A lock older than this is stale whatever its process (a stopped or unreachable one); writes take milliseconds. */
const LOCK_MAX_AGE_MS = 10 * 60_000;
/** An empty or unreadable lock file, or a breaker file, older than this was left by a process killed in between. */
const HALF_MADE_MS = 10_000;

/** The lock file of `target`: `.<name>.techspec-lock` beside it. */
export function lockPathOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.techspec-lock`);
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly time: string;
  readonly token: string;
}

export interface LockOptions {
  readonly leftovers?: Leftovers;
  /** How long to wait for another run's lock before giving up (default LOCK_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/**
 * Locks the files (in path order, so two runs locking the same files cannot wait for each other), waiting while
 * another run holds one. Throws an InputError naming the holder when it does not let go in time.
 */
export async function lockFiles(files: readonly { readonly path: string; readonly display: string }[], options: LockOptions = {}): Promise<FileLock[]> {
  const sorted = [...new Map(files.map((f) => [f.path, f])).values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const locks: FileLock[] = [];
  try {
    for (const f of sorted) locks.push(await lockFile(f.path, f.display, options));
  } catch (err) {
    for (const l of locks) l.release();
    throw err;
  }
  return locks;
}

/** Locks one file; see `lockFiles`. */
export async function lockFile(target: string, display: string, options: LockOptions = {}): Promise<FileLock> {
  const path = lockPathOf(target);
  const deadline = Date.now() + (options.timeoutMs ?? LOCK_TIMEOUT_MS);
  for (;;) {
    const lock = tryLock(path, display, options.leftovers);
    if (lock) return lock;
    const raw = readLock(path);
    if (raw !== null && isStale(path, raw) && breakStale(path, raw)) continue;
    if (Date.now() >= deadline) {
      const holder = parseHolder(raw ?? "");
      const who = holder ? `process ${holder.pid}${holder.host === hostname() ? "" : ` on ${holder.host}`}, since ${holder.time}` : "another process";
      throw new InputError(`${display}: another techspec run (${who}) is writing it; run the command again when it is done (if none is running, delete ${path})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 30)));
  }
}

/** Creates the lock file, or returns null when it exists. */
function tryLock(path: string, display: string, leftovers: Leftovers | undefined): FileLock | null {
  const content = `${JSON.stringify({ pid: process.pid, host: hostname(), time: new Date().toISOString(), token: randomBytes(8).toString("hex") } satisfies Holder)}\n`;
  const held = (): boolean => readLock(path) === content;
  // Registered first, so an interrupt can never find the lock made and not registered; `held` keeps another's.
  leftovers?.add(path, { still: held });
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o644);
  } catch (err) {
    leftovers?.delete(path);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return null;
    throw new InputError(`${display}: cannot be locked for writing (${code ?? (err as Error).message} on ${basename(path)} in ${dirname(path)})`, { cause: err });
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return {
    path,
    held,
    release: () => {
      leftovers?.delete(path);
      if (held()) {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }
    },
  };
}

function readLock(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function parseHolder(raw: string): Holder | null {
  try {
    const h = JSON.parse(raw) as Partial<Holder>;
    return typeof h.pid === "number" && typeof h.host === "string" && typeof h.time === "string" && typeof h.token === "string" ? (h as Holder) : null;
  } catch {
    return null;
  }
}

function ageOf(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** A lock of a process that is gone (on this host), an old one, or one its maker never finished writing. */
function isStale(path: string, raw: string): boolean {
  const holder = parseHolder(raw);
  if (!holder) return ageOf(path) > HALF_MADE_MS;
  if (holder.host === hostname() && !processAlive(holder.pid)) return true;
  const since = Date.parse(holder.time);
  return !Number.isNaN(since) && Date.now() - since > LOCK_MAX_AGE_MS;
}

/**
 * Removes a stale lock, if it is still the one judged stale, while holding `<lock>.break` (O_EXCL): of several
 * runs that found it stale, one removes it and the others then see it gone or replaced by a live lock. False when
 * another run is breaking it (the caller waits a moment).
 */
function breakStale(path: string, raw: string): boolean {
  const breaker = `${path}.break`;
  let fd: number;
  try {
    fd = openSync(breaker, "wx", 0o644);
  } catch {
    // Another run is breaking it; a breaker is held for microseconds, so an old one was left by a killed run.
    if (ageOf(breaker) > HALF_MADE_MS) {
      try {
        unlinkSync(breaker);
      } catch {
        // gone already
      }
    }
    return false;
  }
  try {
    closeSync(fd);
    if (readLock(path) === raw) unlinkSync(path);
  } catch {
    // gone already
  } finally {
    try {
      unlinkSync(breaker);
    } catch {
      // gone already
    }
  }
  return true;
}
