import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { ParseResult } from "../parse/parse-spec.js";
import { InputError } from "./errors.js";
import { loadWorkspace, type Workspace, type WorkspaceSpec } from "./workspace.js";

/** One spec named by path or Feature ID, parsed, with its workspace. */
export interface FoundSpec {
  readonly ws: Workspace;
  readonly spec: WorkspaceSpec & { readonly parsed: ParseResult };
}

/** Finds a spec by file path or by Feature ID (case-insensitive) in the workspace of `cwd`. */
export async function findSpec(cwd: string, target: string, config?: string): Promise<FoundSpec> {
  const asFile = resolve(cwd, target);
  const isFile = existsSync(asFile) && statSync(asFile).isFile();
  const ws = await loadWorkspace(cwd, { ...(config ? { config } : {}), ...(isFile ? { paths: [target] } : {}) });
  const found = isFile
    ? ws.specs[0]
    : ws.specs.find((s) => s.parsed?.spec.metadata.featureId?.toLowerCase() === target.toLowerCase());
  if (!found) throw new InputError(`no spec with Feature ID "${target}" (and no such file); "techspec list" shows the workspace's specs`);
  if (!found.parsed) throw new InputError(found.error ?? `${found.display}: cannot be read`);
  return { ws, spec: found as FoundSpec["spec"] };
}
