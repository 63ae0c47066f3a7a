import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { escapePath, globSync as glob, type FileSystemAdapter, type GlobOptions } from "tinyglobby";
import type { Config } from "./config.js";
import { InputError } from "./errors.js";
import { isInside, posixRelative } from "./paths.js";
import { unreadableReason } from "./read-spec.js";
import { rootFor, rootNames, specRoots } from "./spec-roots.js";

/** Globs never searched for specs, whatever the configuration says. */
export const ALWAYS_IGNORED = ["**/node_modules/**", "**/.git/**"];
const GLOB_CHARS = /[*?[\]{}!]/;
const DEFAULT_SPEC_GLOB = "**/technical-specification.md";

/** One file to lint: its absolute path, whether the user named it explicitly, and why it cannot be read if that is known. */
export interface Target {
  readonly path: string;
  readonly explicit: boolean;
  /** For a command-line path that does not exist or cannot be followed: "no such file or directory", "symbolic link loop". */
  readonly unreadable?: string;
}

/**
 * Resolves command-line paths and globs (or, with none, the configured spec globs) to spec files.
 * A directory contributes the spec files under it. A path that does not exist (or loops) is returned as an
 * unreadable target, so that it is reported with the others; a folder or glob that matches nothing, or no
 * specs at all, is an InputError. A file reached by several paths (through a symbolic link) is listed once.
 */
export function discoverSpecs(args: readonly string[], config: Config, cwd: string, listed?: Listings): Target[] {
  const seen = new Set<string>();
  const out: Target[] = [];
  const realPath = realPaths(listed);
  // Folders already listed (by a lint cache proving them) are not listed again.
  const globSync: Glob = listed ? (patterns, options) => glob(patterns, { ...options, fs: listedFs(listed) }) : glob;
  const add = (path: string, explicit: boolean): void => {
    const real = realPath(path);
    if (seen.has(real)) return;
    seen.add(real);
    out.push({ path, explicit });
  };
  // Paths that lead to the file itself first, so that one reached through a symbolic link is kept under its own name.
  const addFound = (found: Iterable<string>): void => {
    const files = [...found].sort().map((path) => ({ path, real: realPath(path) }));
    const batch: string[] = [];
    const take = (f: { path: string; real: string }): void => {
      if (seen.has(f.real)) return;
      seen.add(f.real);
      batch.push(f.path);
    };
    files.filter((f) => f.path === f.real).forEach(take);
    files.forEach(take);
    for (const path of batch.sort()) out.push({ path, explicit: false });
  };
  const ignore = [...ALWAYS_IGNORED, ...config.ignore];
  const specGlobs = (root: string): string[] => config.roots ? workspaceSpecs(config, globSync) : globSync([...config.specs], { cwd: root, ignore, absolute: true, onlyFiles: true, dot: false });
  if (args.length === 0) {
    const found = specGlobs(config.root);
    if (found.length === 0 && config.roots) {
      throw new InputError(`no specs found: nothing matches the "specs" globs of the spec roots ${rootNames(config)} (create one with "techspec new --root NAME")`);
    }
    if (found.length === 0) {
      throw new InputError(`no specs found: nothing matches ${config.specs.map((s) => `"${s}"`).join(", ")} in ${displayDir(config.root, cwd)}${config.file ? "" : ' (create one with "techspec new" or set "specs" in techspec.config.json)'}`);
    }
    addFound(found);
    return out;
  }
  for (const arg of args) {
    const abs = resolve(cwd, arg);
    let stat: ReturnType<typeof statSync> | undefined;
    let statError: unknown;
    try {
      stat = statSync(abs);
    } catch (err) {
      statError = err;
    }
    if (stat?.isDirectory()) {
      // A folder holds specs when they match the configured globs, or the default spec file name.
      // One crawl where one suffices: without a configuration, or when the folder is the configuration's own.
      const found = new Set(
        !config.file ? globSync([DEFAULT_SPEC_GLOB], { cwd: abs, ignore, absolute: true, onlyFiles: true })
          : abs === config.root && !config.roots ? globSync([...config.specs, DEFAULT_SPEC_GLOB], { cwd: abs, ignore, absolute: true, onlyFiles: true })
            : [...specGlobs(config.root).filter((f) => isInside(abs, f)), ...globSync([DEFAULT_SPEC_GLOB], { cwd: abs, ignore, absolute: true, onlyFiles: true })],
      );
      if (found.size === 0 && /\.(md|markdown)$/i.test(arg)) {
        // Named like a spec file: the user meant a file, and this one cannot be read as one.
        if (!seen.has(abs)) out.push({ path: abs, explicit: true, unreadable: "cannot read (is a directory)" });
        seen.add(abs);
        continue;
      }
      if (found.size === 0) {
        throw new InputError(`no specs found in ${arg} (looked for **/technical-specification.md and the "specs" globs of the configuration)`);
      }
      addFound(found);
    } else if (stat) {
      // A file, or something that is not one (a FIFO, a device): reading it says which.
      add(abs, true);
    } else if (GLOB_CHARS.test(arg)) {
      const found = globSync([arg], { cwd, ignore, absolute: true, onlyFiles: true });
      if (found.length === 0) throw new InputError(`no files match "${arg}"`);
      addFound(found);
    } else if (!seen.has(abs)) {
      seen.add(abs);
      out.push({ path: abs, explicit: true, unreadable: unreadableReason(statError) });
    }
  }
  return out;
}

/**
 * The specs of every root of a workspace, each root's `specs` and `ignore` globs read from its own folder and the
 * workspace's `ignore` everywhere; a file belongs to the nearest root holding it, and only that root's globs count.
 */
function workspaceSpecs(config: Config, globSync: Glob): string[] {
  const out: string[] = [];
  const roots = specRoots(config);
  const folderOf = (r: Config): string => escapePath(posixRelative(config.root, r.root));
  for (const root of roots) {
    const prefix = root === config ? "" : `${folderOf(root)}/`;
    const under = (p: string): string => (p.startsWith("!") && !p.startsWith("!(") ? `!${under(p.slice(1))}` : isAbsolute(p) ? p : `${prefix}${p}`);
    // The roots inside this one are searched on their own: not crawling them here keeps each folder crawled once.
    const inner = roots.filter((r) => r !== root && r !== config && isInside(root.root, r.root)).map((r) => `${folderOf(r)}/**`);
    const found = globSync(root.specs.map(under), {
      cwd: config.root, absolute: true, onlyFiles: true, dot: false,
      ignore: [...ALWAYS_IGNORED, ...config.ignore, ...(root === config ? [] : root.ignore.map(under)), ...inner],
    });
    for (const f of found) if (rootFor(config, f) === root) out.push(f);
  }
  return out;
}

/**
 * A function giving the path with every symbolic link resolved, or the path itself when it cannot be resolved.
 * Folders are resolved once and remembered, so a file whose name is not a link costs one `lstat`, not one
 * `readlink` per component of its path.
 */
function realPaths(listed?: Listings): (path: string) => string {
  const folders = new Map<string, string>();
  const links = new Map<string, ReadonlyMap<string, boolean>>();
  // Whether the folder's listing shows the name as a symbolic link; undefined when the folder was not listed.
  const linkIn = (dir: string, name: string): boolean | undefined => {
    let names = links.get(dir);
    if (names === undefined) {
      const entries = listed?.get(dir);
      if (!entries) return undefined;
      names = new Map(entries.map((e) => [e.name, e.isSymbolicLink()]));
      links.set(dir, names);
    }
    return names.get(name);
  };
  const resolveIn = (path: string): string => {
    const up = dirname(path);
    if (up === path) return realpathSync.native(path);
    const candidate = join(folder(up), basename(path));
    return (linkIn(up, basename(path)) ?? lstatSync(candidate).isSymbolicLink()) ? realpathSync.native(path) : candidate;
  };
  const folder = (path: string): string => {
    let hit = folders.get(path);
    if (hit === undefined) {
      hit = resolveIn(path);
      folders.set(path, hit);
    }
    return hit;
  };
  return (path) => {
    try {
      return resolveIn(path);
    } catch {
      return path;
    }
  };
}

/** tinyglobby's globSync, over the file system or over folders already listed. */
type Glob = (patterns: readonly string[], options: Omit<GlobOptions, "patterns">) => string[];

/** Folders' entries as `readdirSync(dir, { withFileTypes: true })` gave them, by absolute path. */
export type Listings = ReadonlyMap<string, readonly Dirent[]>;

/** The file system tinyglobby crawls, with the folders already listed answered from their listing. */
function listedFs(listed: Listings): FileSystemAdapter {
  const readdir = ((path: string, options?: unknown): unknown => {
    const dir = path.length > 1 ? path.replace(/[\\/]+$/, "") : path;
    return listed.get(isAbsolute(dir) ? dir : resolve(dir)) ?? readdirSync(path, options as { withFileTypes: true });
  }) as unknown as typeof readdirSync;
  return { readdirSync: readdir };
}

function displayDir(dir: string, cwd: string): string {
  const r = relative(cwd, dir);
  return r === "" ? "the current folder" : r;
}
