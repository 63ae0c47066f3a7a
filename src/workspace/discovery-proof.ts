// What a search for spec files depended on, so that a lint cache can give the files it found again without crawling
// the tree: every folder a spec could have been found in, each with its metadata and a digest of its listing. The
// files are the same while every folder lists the same entries (by its modification time, or, when that changed, by
// its listing read again). Only searches whose folders can be told this way are proved; any other is done again.
import { createHash } from "node:crypto";
import { readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { Config } from "./config.js";
import type { Listings } from "./discover.js";
import type { DependencyProbe, Proof } from "./lint-dependencies.js";
import { LISTING_LENGTH } from "./lint-cache-file.js";

/** What a search depends on: a key (its arguments, the folder it runs in, the globs) and the folders it crawls from. */
export interface DiscoveryScope {
  readonly key: string;
  readonly bases: readonly string[];
}

/**
 * The folders under the bases (a symbolic link to a folder followed once) as a search saw them, five values each
 * in one flat list (fewer objects to read back): path, modification time, size, inode and a digest of the entries a
 * spec could be found through; and the proofs of the symbolic links met.
 */
export interface Folders {
  readonly folders: readonly (string | number)[];
  readonly links: readonly Proof[];
}

/**
 * The scope of `discoverSpecs(args, config, cwd)`, or null when its folders cannot prove its result: arguments that
 * are files or globs, a workspace of spec roots, or spec globs that leave the root or name hidden folders. With no
 * arguments the search covers the configuration's root; a folder argument, that folder (and the root, whose globs
 * also apply to it when there is a configuration).
 */
export function discoveryScope(args: readonly string[], config: Config, cwd: string): DiscoveryScope | null {
  const c = config as Config & { readonly roots?: unknown; readonly name?: unknown };
  if (c.roots !== undefined || c.name !== undefined) return null;
  for (const pattern of config.specs) {
    const body = pattern.startsWith("!") ? pattern.slice(1) : pattern;
    if (isAbsolute(body) || body.split(/[\\/]/).some((s) => s === ".." || s.startsWith("."))) return null;
  }
  const dirs: string[] = [];
  for (const arg of args) {
    const abs = resolve(cwd, arg);
    try {
      if (!statSync(abs).isDirectory()) return null;
    } catch {
      return null;
    }
    dirs.push(abs);
  }
  const bases = args.length === 0 ? [config.root] : !config.file ? dirs : dirs.every((d) => d === config.root) ? [config.root] : [config.root, ...dirs];
  return { key: JSON.stringify([args, cwd, config.file, config.root, config.specs, config.ignore]), bases: [...new Set(bases)] };
}

/**
 * Names a search never finds a spec through (spec globs match no hidden name, and node_modules and .git are always
 * ignored), so they are neither crawled nor in a listing: a cache file or an editor's swap file beside the specs
 * changes nothing.
 */
const unseen = (name: string): boolean => name.startsWith(".") || name === "node_modules";

/**
 * Every folder under `bases`, each proved before its listing is read, as the search would crawl them (a superset);
 * with each folder's listing, which the search then reads instead of the file system: the files it finds are
 * exactly those of the listings proved.
 */
export function walkFolders(bases: readonly string[]): Folders & { readonly listings: Listings } {
  const folders: (string | number)[] = [];
  const links: Proof[] = [];
  const listings = new Map<string, readonly Dirent[]>();
  const seen = new Set<string>();
  const visit = (dir: string, real: string): void => {
    if (seen.has(real)) return;
    seen.add(real);
    let s: ReturnType<typeof statSync>;
    let entries: Dirent[];
    try {
      s = statSync(dir);
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    folders.push(dir, s.mtimeMs, s.size, s.ino, listingDigest(entries));
    listings.set(dir, entries);
    for (const e of entries) {
      if (unseen(e.name)) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) visit(path, join(real, e.name));
      else if (e.isSymbolicLink()) {
        // A link's target can change without its folder changing: its own proof, and a folder it leads to crawled.
        let t: ReturnType<typeof statSync> | undefined;
        try {
          t = statSync(path);
        } catch {
          t = undefined;
        }
        links.push(t ? [path, t.mtimeMs, t.size, t.ino] : [path]);
        if (t?.isDirectory()) {
          try {
            visit(path, realpathSync(path));
          } catch {
            // gone meanwhile
          }
        }
      }
    }
  };
  for (const base of bases) {
    try {
      visit(base, realpathSync(base));
    } catch {
      // a base that is gone proves nothing
    }
  }
  return { folders, links, listings };
}

/**
 * Whether every folder lists what it listed (by its proof, or, when that changed or is too recent to trust, by its
 * listing read again) and every symbolic link leads where it led.
 */
export function foldersUnchanged(recorded: Folders, probe: DependencyProbe, recordedBefore: number): boolean {
  for (const link of recorded.links) if (!probe.holds(link, recordedBefore)) return false;
  const f = recorded.folders;
  if (f.length % 5 !== 0) return false;
  for (let i = 0; i < f.length; i += 5) {
    if (!folderUnchanged(f[i] as string, f[i + 1] as number, f[i + 2] as number, f[i + 3] as number, f[i + 4] as string, probe, recordedBefore)) return false;
  }
  return true;
}

/** Whether a folder lists what it listed: by its proof [dir, mtimeMs, size, ino], or, when that does not hold, its listing read again. */
export function folderUnchanged(dir: string, mtimeMs: number, size: number, ino: number, listing: string | (() => string), probe: DependencyProbe, recordedBefore: number): boolean {
  if (probe.holdsAt(dir, mtimeMs, size, ino, recordedBefore)) return true;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return listingDigest(entries) === (typeof listing === "string" ? listing : listing());
}

/** A digest of the names and kinds of the entries a spec can be found through. */
function listingDigest(entries: readonly Dirent[]): string {
  const names = entries.filter((e) => !unseen(e.name)).map((e) => `${e.name}\0${e.isDirectory() ? "d" : e.isSymbolicLink() ? "l" : e.isFile() ? "f" : "o"}`).sort();
  return createHash("sha256").update(names.join("\n")).digest("base64").slice(0, LISTING_LENGTH);
}
