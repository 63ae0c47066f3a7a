import { readdirSync, statSync, type Dirent } from "node:fs";
import { basename, dirname } from "node:path";

/**
 * Answers "does this path exist?" for one run from folder listings: a folder is listed once, however many of its
 * entries are asked about (a spec's related documents are its siblings, and its folder is also where git looks for
 * `.git`), which costs one directory read instead of one path lookup per question. Names match exactly, as links
 * resolve on GitHub, also on a file system that ignores case; a symbolic link exists when its target does, and a
 * folder that cannot be listed is asked of the file system itself.
 */
export class DirListings {
  private readonly listings = new Map<string, ReadonlyMap<string, boolean> | null>();

  /** Whether an absolute, normalized path exists (following symbolic links, as `stat` does). */
  exists(abs: string): boolean {
    const dir = dirname(abs);
    if (dir === abs) return statExists(abs);
    const listing = this.list(dir);
    if (listing === null) return statExists(abs);
    // true: a plain entry; false: a symbolic link, which exists only when its target does.
    const plain = listing.get(basename(abs));
    if (plain === undefined) return false;
    return plain || statExists(abs);
  }

  /** Whether the listing of its folder shows an absolute, normalized path as a symbolic link (whose existence follows its target). */
  isSymbolicLink(abs: string): boolean {
    const dir = dirname(abs);
    return dir !== abs && this.list(dir)?.get(basename(abs)) === false;
  }

  private list(dir: string): ReadonlyMap<string, boolean> | null {
    let hit = this.listings.get(dir);
    if (hit === undefined) {
      let entries: Dirent[] | null;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        entries = null;
      }
      hit = entries === null ? null : new Map(entries.map((e) => [e.name, !e.isSymbolicLink()]));
      this.listings.set(dir, hit);
    }
    return hit;
  }
}

/** Whether stat finds the path; any failure (ENOENT, ENOTDIR under a file, a loop, no permission) is "no". */
function statExists(abs: string): boolean {
  try {
    return statSync(abs, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}
