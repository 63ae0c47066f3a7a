import { renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Span } from "../model/position.js";
import { NOT_A_SPEC, parseSpec } from "../parse/parse-spec.js";
import { applyFixes, lintSpec, type RuleSetting, type StatusOverride } from "../rules/lint-spec.js";
import type { LintSettings } from "../rules/rule.js";
import { InputError } from "./errors.js";
import type { FileHost } from "./host.js";
import { readSpecFile } from "./read-spec.js";

/** What linting needs to know, plain data so it can cross into a worker thread. */
export interface LintJob {
  readonly settings: LintSettings;
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly overrides: readonly StatusOverride[];
  readonly maxFileSize: number;
  readonly fix: boolean;
  /** Folder that links starting with "/" resolve from. */
  readonly root: string;
}

/** The outcome for one file: diagnostics, or the one-line reason it could not be linted. */
export interface FileResult {
  readonly path: string;
  readonly display: string;
  readonly diagnostics: Diagnostic[];
  readonly featureId: string | null;
  readonly featureIdAt: Span | null;
  readonly fixed: number;
  readonly inputError: string | null;
  /** Whether git history was available for the file (it is committed in a repository). */
  readonly inGit: boolean;
}

/** Reads, parses and lints one file; with `fix`, writes safe fixes atomically (temp file, then rename). */
export function lintFile(path: string, display: string, job: LintJob, host: FileHost): FileResult {
  let text: string;
  try {
    text = readSpecFile(path, display, job.maxFileSize);
  } catch (err) {
    if (err instanceof InputError) return failed(path, display, err.message);
    throw err;
  }
  let parsed = parseSpec(text, display);
  if (!parsed.source.isSpec) return failed(path, display, `${display}: ${NOT_A_SPEC}`);
  const specHost = host.forSpec(path);
  const options = { settings: job.settings, rules: job.rules, overrides: job.overrides, host: specHost };
  let diagnostics = lintSpec(parsed, options);
  let fixed = 0;
  if (job.fix && diagnostics.some((d) => d.fix)) {
    const result = applyFixes(text, diagnostics);
    if (result.applied > 0 && result.text !== text) {
      writeAtomic(path, result.text);
      fixed = result.applied;
      parsed = parseSpec(result.text, display);
      diagnostics = lintSpec(parsed, options);
    }
  }
  return {
    path, display, diagnostics, fixed, inputError: null, inGit: specHost.git !== undefined,
    featureId: parsed.spec.metadata.featureId,
    featureIdAt: parsed.pos.get("metadata/featureId") ?? null,
  };
}

function failed(path: string, display: string, message: string): FileResult {
  return { path, display, diagnostics: [], featureId: null, featureIdAt: null, fixed: 0, inputError: message, inGit: false };
}

/** Writes a file through a temporary sibling and a rename, so a crash never leaves it half-written. */
export function writeAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file was never created
    }
    throw new InputError(`${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
}
