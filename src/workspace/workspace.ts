import { displayPath, posixRelative } from "./paths.js";
import { NOT_A_SPEC, parseSpec, type ParseResult } from "../parse/parse-spec.js";
import { resolveConfig, type Config } from "./config.js";
import { discoverSpecs, type Target } from "./discover.js";
import { InputError } from "./errors.js";
import { readSpec } from "./read-spec.js";

/** One spec of a workspace: where it is and what the parser made of it (or why it could not be read). */
export interface WorkspaceSpec {
  readonly path: string;
  readonly display: string;
  readonly parsed: ParseResult | null;
  /** "<display>: <reason>" when the file cannot be read as a spec. */
  readonly error: string | null;
}

/** A folder of specs with its configuration. */
export interface Workspace {
  readonly root: string;
  readonly config: Config;
  readonly specs: readonly WorkspaceSpec[];
}

/** Loads the configuration that applies to `cwd` and parses every spec it names (or the given paths). */
export async function loadWorkspace(cwd: string = process.cwd(), options: { config?: string; paths?: readonly string[]; allowEmpty?: boolean } = {}): Promise<Workspace> {
  const config = await resolveConfig(cwd, options.config);
  let targets: Target[];
  try {
    targets = discoverSpecs(options.paths ?? [], config, cwd);
  } catch (err) {
    if (options.allowEmpty && err instanceof InputError && !options.paths?.length) targets = [];
    else throw err;
  }
  const specs = targets.map(({ path, unreadable }): WorkspaceSpec => {
    const display = displayPath(path, cwd);
    const read = unreadable === undefined ? readSpec(path, config.maxFileSize) : { ok: false as const, reason: unreadable };
    if (!read.ok) return { path, display, parsed: null, error: `${display}: ${read.reason}` };
    const parsed = parseSpec(read.file.text, display);
    if (!parsed.source.isSpec) return { path, display, parsed: null, error: `${display}: ${NOT_A_SPEC}` };
    return { path, display, parsed, error: null };
  });
  return { root: config.root, config, specs };
}


/** A spec's path relative to the workspace root, with "/" separators (what `requiredApprovals.when.paths` match). */
export function workspacePathOf(ws: Workspace, path: string): string {
  return posixRelative(ws.root, path);
}
