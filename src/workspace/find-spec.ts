import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { ParseResult } from "../parse/parse-spec.js";
import { writeTarget } from "./atomic-write.js";
import { InputError } from "./errors.js";
import { loadWorkspace, type Workspace, type WorkspaceSpec } from "./workspace.js";

/** One spec named by path or Feature ID, parsed, with its workspace. */
export interface FoundSpec {
  readonly ws: Workspace;
  readonly spec: WorkspaceSpec & { readonly parsed: ParseResult };
}

/** What the caller will do with the specs found. */
export interface FindOptions {
  /** The specs are to be rewritten: refuse, before anything else is checked, one that is a symbolic link out of the workspace. */
  readonly edit?: boolean;
}

/** Finds a spec by file path or by Feature ID (case-insensitive) in the workspace of `cwd`. */
export async function findSpec(cwd: string, target: string, config?: string, options: FindOptions = {}): Promise<FoundSpec> {
  const { ws, specs } = await findSpecs(cwd, [target], config, options);
  return { ws, spec: specs[0]! };
}

/**
 * Finds several specs, reading the workspace once: only the named files when every target is a file. With
 * `edit`, every spec is checked before any is written, so a refusal leaves all of them unchanged.
 */
export async function findSpecs(cwd: string, targets: readonly string[], config?: string, options: FindOptions = {}): Promise<{ ws: Workspace; specs: FoundSpec["spec"][] }> {
  const files = targets.map((t) => {
    const abs = resolve(cwd, t);
    return existsSync(abs) && statSync(abs).isFile() ? abs : null;
  });
  const opts = config ? { config } : {};
  const ws = await loadWorkspace(cwd, files.every((f) => f !== null) ? { ...opts, paths: targets } : opts);
  const specs: FoundSpec["spec"][] = [];
  for (const [i, target] of targets.entries()) {
    const file = files[i];
    // A file the configuration's globs leave out is still read when named.
    const found = file
      ? ws.specs.find((s) => s.path === file) ?? (await loadWorkspace(cwd, { ...opts, paths: [target] })).specs[0]
      : ws.specs.find((s) => s.parsed?.spec.metadata.featureId?.toLowerCase() === target.toLowerCase());
    if (!found) throw new InputError(`no spec with Feature ID "${target}" (and no such file); "techspec list" shows the workspace's specs`);
    if (!found.parsed) throw new InputError(found.error ?? `${found.display}: cannot be read`);
    if (options.edit) writeTarget(found.path, found.display, ws.root);
    specs.push(found as FoundSpec["spec"]);
  }
  return { ws, specs };
}
