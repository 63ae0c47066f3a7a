import { statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { globSync } from "tinyglobby";
import type { Config } from "./config.js";
import { InputError } from "./errors.js";
import { isInside } from "./paths.js";

/** Globs never searched for specs, whatever the configuration says. */
export const ALWAYS_IGNORED = ["**/node_modules/**", "**/.git/**"];
const GLOB_CHARS = /[*?[\]{}!]/;
const DEFAULT_SPEC_GLOB = "**/technical-specification.md";

/** One file to lint: its absolute path, and whether the user named it explicitly. */
export interface Target {
  readonly path: string;
  readonly explicit: boolean;
}

/**
 * Resolves command-line paths and globs (or, with none, the configured spec globs) to spec files.
 * A directory contributes the spec files under it; a missing path or an empty match is an InputError.
 */
export function discoverSpecs(args: readonly string[], config: Config, cwd: string): Target[] {
  const seen = new Set<string>();
  const out: Target[] = [];
  const add = (path: string, explicit: boolean): void => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ path, explicit });
  };
  const ignore = [...ALWAYS_IGNORED, ...config.ignore];
  const specGlobs = (root: string): string[] => globSync([...config.specs], { cwd: root, ignore, absolute: true, onlyFiles: true, dot: false });
  if (args.length === 0) {
    const found = specGlobs(config.root);
    if (found.length === 0) {
      throw new InputError(`no specs found: nothing matches ${config.specs.map((s) => `"${s}"`).join(", ")} in ${displayDir(config.root, cwd)}${config.file ? "" : ' (create one with "techspec new" or set "specs" in techspec.config.json)'}`);
    }
    for (const f of found.sort()) add(f, false);
    return out;
  }
  for (const arg of args) {
    const abs = resolve(cwd, arg);
    let stat: ReturnType<typeof statSync> | undefined;
    try {
      stat = statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isFile()) {
      add(abs, true);
    } else if (stat?.isDirectory()) {
      // A folder holds specs when they match the configured globs, or the default spec file name.
      // One crawl where one suffices: without a configuration, or when the folder is the configuration's own.
      const found = new Set(
        !config.file ? globSync([DEFAULT_SPEC_GLOB], { cwd: abs, ignore, absolute: true, onlyFiles: true })
          : abs === config.root ? globSync([...config.specs, DEFAULT_SPEC_GLOB], { cwd: abs, ignore, absolute: true, onlyFiles: true })
            : [...specGlobs(config.root).filter((f) => isInside(abs, f)), ...globSync([DEFAULT_SPEC_GLOB], { cwd: abs, ignore, absolute: true, onlyFiles: true })],
      );
      if (found.size === 0) {
        throw new InputError(`no specs found in ${arg} (looked for **/technical-specification.md and the "specs" globs of the configuration)`);
      }
      for (const f of [...found].sort()) add(f, false);
    } else if (GLOB_CHARS.test(arg)) {
      const found = globSync([arg], { cwd, ignore, absolute: true, onlyFiles: true });
      if (found.length === 0) throw new InputError(`no files match "${arg}"`);
      for (const f of found.sort()) add(f, false);
    } else {
      throw new InputError(`${arg}: no such file or directory`);
    }
  }
  return out;
}

function displayDir(dir: string, cwd: string): string {
  const r = relative(cwd, dir);
  return r === "" ? "the current folder" : r;
}
