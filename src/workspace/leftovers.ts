// What an interrupted run must not leave behind. Temporary files, lock files and half-built site folders are
// registered while they exist, so an interrupt (SIGINT, SIGTERM) removes them; their names carry the process id,
// so what a killed process (SIGKILL, a crash) left is recognized and removed by the next run.
import { readdirSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/** Files and folders being made and not finished yet; `removeAll` deletes those that are still there. */
export class Leftovers {
  private readonly entries = new Map<string, { readonly folder: boolean; readonly still?: () => boolean }>();
  private armed = false;

  /** `onFirstUse` runs once, when the first path is added (the CLI installs its signal handlers then). */
  constructor(private readonly onFirstUse?: () => void) {}

  /** Registers a file (or, with `folder`, a folder) to remove if the run is interrupted; `still` says whether it is still ours. */
  add(path: string, options: { readonly folder?: boolean; readonly still?: () => boolean } = {}): void {
    if (!this.armed) {
      this.armed = true;
      this.onFirstUse?.();
    }
    this.entries.set(path, { folder: options.folder ?? false, ...(options.still ? { still: options.still } : {}) });
  }

  /** Forgets a path that was finished (renamed into place) or removed. */
  delete(path: string): void {
    this.entries.delete(path);
  }

  /** Removes every registered path that is still there and still ours; returns how many were removed. */
  removeAll(): number {
    let removed = 0;
    for (const [path, e] of this.entries) {
      try {
        if (e.still && !e.still()) continue;
        if (e.folder) rmSync(path, { recursive: true, force: true });
        else unlinkSync(path);
        removed++;
      } catch {
        // already gone
      }
    }
    this.entries.clear();
    return removed;
  }
}

/** Whether a process with this id runs on this machine (a process of another user counts as running). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the entries of `dir` whose name matches `pattern` (its first group the process id that made them) and
 * whose process is gone: what a killed run left. Returns their names.
 */
export function removeStale(dir: string, pattern: RegExp): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // another run removed it first, or it cannot be removed: it is not ours to insist on
    }
  }
  return removed;
}

/** `text` with the characters a regular expression gives a meaning to escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}
