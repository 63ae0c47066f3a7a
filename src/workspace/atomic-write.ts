// Replacing files whole or not at all: new content goes to a temporary file beside the target (same folder, so the
// rename is atomic) with the target's mode and owner, and is renamed over it only after the target was checked to
// hold exactly the bytes the new content was computed from. Several files are replaced together: when one rename
// fails, the files already replaced get their old bytes back.
import { randomBytes } from "node:crypto";
import {
  closeSync, fchmodSync, fchownSync, fsyncSync, lstatSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats,
} from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { InputError, RaceError } from "./errors.js";
import { removeStale, type Leftovers } from "./leftovers.js";
import { isInside } from "./paths.js";
import { unreadableReason } from "./read-spec.js";

/** Points where tests pause or interfere with a write; never set outside tests. */
export interface WriteHooks {
  /** Called once every temporary file is written, before the targets are checked and the temporary files renamed. */
  readonly beforeRename?: (temps: readonly string[]) => void;
}

/** What a write needs from the run: where to register its temporary files, and the test hooks. */
export interface WriteContext {
  readonly leftovers?: Leftovers;
  readonly hooks?: WriteHooks;
}

/** One file to replace: the bytes it held when read (checked again just before the rename) and its new bytes. */
export interface PendingWrite {
  /** The file itself (a symbolic link already resolved, see `writeTarget`). */
  readonly path: string;
  readonly display: string;
  readonly before: Buffer;
  readonly after: Buffer;
}

/** Temporary files: `.<name>.techspec-<pid>-<random>.tmp` beside their target. */
const TEMP = /^\..+\.techspec-(\d+)-[0-9a-f]+\.tmp$/;

function tempPathOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.techspec-${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
}

/**
 * The file a write to `path` lands on: `path` with its symbolic links resolved, so a link stays a link and its
 * target gets the new content. A link that leads out of the workspace `root` is refused (InputError): a spec in a
 * workspace must not be a way to overwrite a file elsewhere. A path given outside the workspace without any link
 * on the way is written where it is.
 */
export function writeTarget(path: string, display: string, root: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    throw new InputError(`${display}: ${unreadableReason(err)}`, { cause: err });
  }
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    realRoot = resolve(root);
  }
  if (relative(resolve(root), resolve(path)) === relative(realRoot, real) || isInside(realRoot, real)) return real;
  let link = false;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    // realpath succeeded, so lstat does too
  }
  throw new InputError(`${display}: ${link ? "is a symbolic link" : "leads through a symbolic link"} to ${real}, outside the workspace (${realRoot}); techspec does not write there (edit that file where it is, or replace the link with a copy)`);
}

/**
 * Replaces every file with its new bytes, or none: temporary files first (each with its target's mode and owner),
 * then `check` (the caller's locks still held) and a check that each target still holds `before`, then the
 * renames. Throws RaceError when a target changed, InputError when it cannot write; either way nothing changed.
 */
export function replaceFiles(writes: readonly PendingWrite[], context: WriteContext & { readonly check?: () => void } = {}): void {
  const { leftovers, hooks } = context;
  const temps: string[] = [];
  const discard = (from: number): void => {
    for (const t of temps.slice(from)) {
      leftovers?.delete(t);
      try {
        unlinkSync(t);
      } catch {
        // renamed or never made
      }
    }
  };
  try {
    for (const dir of new Set(writes.map((w) => dirname(w.path)))) removeStale(dir, TEMP);
    for (const w of writes) {
      let st: Stats;
      try {
        st = statSync(w.path);
      } catch (err) {
        throw new RaceError(`${w.display}: ${unreadableReason(err)} (it was removed while techspec was writing it); nothing was written: run the command again`, { cause: err });
      }
      temps.push(writeTemp(w.path, w.display, w.after, st, leftovers));
    }
    hooks?.beforeRename?.(temps);
    context.check?.();
    for (const w of writes) {
      let now: Buffer | null;
      try {
        now = readFileSync(w.path);
      } catch {
        now = null;
      }
      if (now === null || !now.equals(w.before)) {
        throw new RaceError(`${w.display}: changed while techspec was writing it (another program wrote it at the same moment); nothing was written: run the command again`);
      }
    }
  } catch (err) {
    discard(0);
    throw err;
  }
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i]!;
    try {
      renameSync(temps[i]!, w.path);
      leftovers?.delete(temps[i]!);
    } catch (err) {
      discard(i);
      const done = writes.slice(0, i);
      const lost = done.filter((d) => !restore(d, leftovers));
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      const others = done.length === 0 ? "nothing was written"
        : lost.length === 0 ? `${done.map((d) => d.display).join(", ")} got ${done.length === 1 ? "its" : "their"} old content back, so nothing changed`
        : `${lost.map((d) => d.display).join(", ")} could not get ${lost.length === 1 ? "its" : "their"} old content back and ${lost.length === 1 ? "holds" : "hold"} the new one`;
      throw new InputError(`${w.display}: cannot write (${code}); ${others}`, { cause: err });
    }
  }
}

/** Puts the bytes a replaced file held back, through a temporary file; false when that fails too. */
function restore(w: PendingWrite, leftovers: Leftovers | undefined): boolean {
  let tmp: string | null = null;
  try {
    tmp = writeTemp(w.path, w.display, w.before, statSync(w.path), leftovers);
    renameSync(tmp, w.path);
    leftovers?.delete(tmp);
    return true;
  } catch {
    if (tmp !== null) {
      leftovers?.delete(tmp);
      try {
        unlinkSync(tmp);
      } catch {
        // never made
      }
    }
    return false;
  }
}

/** Writes `data` to a new temporary file beside `target` with the mode and owner of `like` (when given); returns its path. */
function writeTemp(target: string, display: string, data: Buffer, like: Stats | null, leftovers: Leftovers | undefined): string {
  const tmp = tempPathOf(target);
  leftovers?.add(tmp);
  let fd: number;
  try {
    fd = openSync(tmp, "wx", like ? like.mode & 0o777 : 0o666);
  } catch (err) {
    leftovers?.delete(tmp);
    throw new InputError(`${display}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  try {
    for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at);
    if (like) {
      // The owner first: changing it clears set-id bits, which the mode then puts back. A user who may not give the
      // file away keeps it as their own, as an editor saving it would.
      if (like.uid !== process.getuid?.() || like.gid !== process.getgid?.()) {
        try {
          fchownSync(fd, like.uid, like.gid);
        } catch {
          // not permitted
        }
      }
      fchmodSync(fd, like.mode & 0o7777);
    }
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    leftovers?.delete(tmp);
    try {
      unlinkSync(tmp);
    } catch {
      // gone
    }
    throw new InputError(`${display}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  closeSync(fd);
  return tmp;
}

/**
 * Writes a file the command creates or owns whole (a report, an export, a configuration) through a temporary file
 * and a rename, so a crash never leaves it half-written; an existing file keeps its mode.
 */
export function writeAtomic(path: string, data: string | Buffer, leftovers?: Leftovers): void {
  removeStale(dirname(path), TEMP);
  let like: Stats | null = null;
  try {
    like = statSync(path);
  } catch {
    // a new file
  }
  const tmp = writeTemp(path, path, typeof data === "string" ? Buffer.from(data, "utf8") : data, like?.isFile() ? like : null, leftovers);
  try {
    renameSync(tmp, path);
    leftovers?.delete(tmp);
  } catch (err) {
    leftovers?.delete(tmp);
    try {
      unlinkSync(tmp);
    } catch {
      // gone
    }
    throw new InputError(`${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
}
