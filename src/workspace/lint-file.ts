import { renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Diagnostic, Severity } from "../model/diagnostic.js";
import type { Span } from "../model/position.js";
import { NOT_A_SPEC, parseSpec } from "../parse/parse-spec.js";
import { isPlaceholder } from "../parse/placeholder.js";
import { sortDiagnostics } from "../model/diagnostic.js";
import { TEXT_ENCODING_RULE, UNREADABLE_FILE_RULE } from "../rules/index.js";
import { applyFixes, lintSpec, settingFor, severityStatus, type RuleSetting, type StatusOverride } from "../rules/lint-spec.js";
import type { LintSettings } from "../rules/rule.js";
import { InputError } from "./errors.js";
import type { FileHost } from "./host.js";
import { describeReplacement, readSpec, repairHint, rewriteRefusal, type SpecFile } from "./read-spec.js";

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

/** The outcome for one file: diagnostics, and for a file that could not be linted the one-line reason. */
export interface FileResult {
  readonly path: string;
  readonly display: string;
  /** Every finding; for a file that cannot be read as a spec, its one `unreadable-file` finding. */
  readonly diagnostics: Diagnostic[];
  readonly featureId: string | null;
  readonly featureIdAt: Span | null;
  readonly fixed: number;
  /** "<display>: <reason>" when the file could not be read as a spec; it is also the `unreadable-file` finding. */
  readonly inputError: string | null;
  /** Why `--fix` left the file as it was although it had fixes: its bytes did not decode exactly. */
  readonly fixRefused: string | null;
  /** Whether the spec records a decision (an Approved or Rejected line naming someone). */
  readonly decided: boolean;
}

/** Reads, parses and lints one file; with `fix`, writes safe fixes atomically (temp file, then rename). */
export function lintFile(path: string, display: string, job: LintJob, host: FileHost): FileResult {
  const read = readSpec(path, job.maxFileSize);
  if (!read.ok) return unreadableFile(path, display, read.reason, job.rules);
  const { text } = read.file;
  let parsed = parseSpec(text, display);
  if (!parsed.source.isSpec) return unreadableFile(path, display, NOT_A_SPEC, job.rules);
  const specHost = host.forSpec(path);
  const options = { settings: job.settings, rules: job.rules, overrides: job.overrides, host: specHost };
  const encoding = settingFor(TEXT_ENCODING_RULE.id, severityStatus(parsed.spec.metadata.status), job.rules, job.overrides);
  let diagnostics = withEncoding(lintSpec(parsed, options), read.file, display, encoding);
  let fixed = 0;
  let fixRefused: string | null = null;
  if (job.fix && diagnostics.some((d) => d.fix)) {
    // Writing back text that holds U+FFFD for bytes that were not text would change those bytes for good.
    fixRefused = rewriteRefusal(read.file, display);
    const result = fixRefused === null ? applyFixes(text, diagnostics) : null;
    if (result && result.applied > 0 && result.text !== text) {
      writeAtomic(path, result.text);
      fixed = result.applied;
      parsed = parseSpec(result.text, display);
      diagnostics = lintSpec(parsed, options);
    }
  }
  return {
    path, display, diagnostics, fixed, inputError: null, fixRefused,
    decided: parsed.spec.approvals.some((a) => (a.decision === "Approved" || a.decision === "Rejected") && a.name !== "" && !isPlaceholder(a.name)),
    featureId: parsed.spec.metadata.featureId,
    featureIdAt: parsed.pos.get("metadata/featureId") ?? null,
  };
}

/** The result for a file that cannot be read as a spec: one `unreadable-file` finding at 1:1 with the reason. */
function unreadableFile(path: string, display: string, reason: string, rules: Readonly<Record<string, RuleSetting>> = {}): FileResult {
  // It may be downgraded to a warning but not turned off: the run fails (exit 2) either way.
  const severity: Severity = rules[UNREADABLE_FILE_RULE.id]?.severity === "warning" ? "warning" : "error";
  const diagnostic: Diagnostic = { file: display, line: 1, column: 1, endLine: 1, endColumn: 1, rule: UNREADABLE_FILE_RULE.id, severity, message: reason };
  return { path, display, diagnostics: [diagnostic], featureId: null, featureIdAt: null, fixed: 0, inputError: `${display}: ${reason}`, fixRefused: null, decided: false };
}

/** Adds a `text-encoding` finding for each character read as U+FFFD (the listed ones; the last says how many more). */
function withEncoding(diagnostics: Diagnostic[], file: SpecFile, display: string, configured: RuleSetting | undefined): Diagnostic[] {
  const setting = configured?.severity;
  if (file.replacements.length === 0 || setting === "off") return diagnostics;
  const severity: Severity = setting ?? TEXT_ENCODING_RULE.defaultSeverity;
  const last = file.replacements.length - 1;
  const unlisted = file.replacementCount - file.replacements.length;
  file.replacements.forEach((r, i) => {
    const more = i === last && unlisted > 0 ? `; ${unlisted} more in this file are not listed` : "";
    diagnostics.push({
      file: display, line: r.line, column: r.column, endLine: r.line, endColumn: r.column + 1, rule: TEXT_ENCODING_RULE.id, severity,
      message: `${capitalize(describeReplacement(r))} was read as U+FFFD (${repairHint(r)})${more}`,
    });
  });
  return sortDiagnostics(diagnostics);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
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
