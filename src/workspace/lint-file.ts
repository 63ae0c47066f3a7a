import { createHash } from "node:crypto";
import type { Diagnostic, Fix, Severity } from "../model/diagnostic.js";
import type { Span } from "../model/position.js";
import { NOT_A_SPEC, parseSpec, type ParseResult } from "../parse/parse-spec.js";
import { recordsDecision } from "../workflow/standing.js";
import { sortDiagnostics } from "../model/diagnostic.js";
import { TEXT_ENCODING_RULE, UNREADABLE_FILE_RULE } from "../rules/index.js";
import { applyFixes, lintSpec, settingFor, severityStatus, type RuleSetting, type StatusOverride } from "../rules/lint-spec.js";
import type { LintSettings } from "../rules/rule.js";
import { writeTarget } from "./atomic-write.js";
import { editBytes } from "./byte-edit.js";
import { InputError } from "./errors.js";
import { isInside } from "./paths.js";
import type { FileHost } from "./host.js";
import { DependencyRecorder, digestOf, type CacheRecord, type DependencyProbe } from "./lint-dependencies.js";
import { decodeSpecBytes, describeReplacement, readSpec, repairHint, type SpecFile } from "./read-spec.js";

/** What linting needs to know, plain data so it can cross into a worker thread. */
export interface LintJob {
  readonly settings: LintSettings;
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly overrides: readonly StatusOverride[];
  readonly maxFileSize: number;
  readonly fix: boolean;
  /** Folder that links starting with "/" resolve from. */
  readonly root: string;
  /** Whether results carry what they depended on, for a lint cache (see lint-cache.ts); no part of the cache's key. */
  readonly cache?: boolean;
  /** In a workspace with several spec roots: each root's settings, the deepest folder first; a file takes its nearest root's. */
  readonly roots?: readonly RootLintSettings[];
}

/** The lint settings of one spec root of a workspace, for the files under its folder. */
export interface RootLintSettings extends Pick<LintJob, "settings" | "rules" | "overrides" | "maxFileSize"> {
  readonly dir: string;
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
  /**
   * With `fix`, the fixes to write, computed from the bytes with digest `digest`; `diagnostics` are then those of
   * the fixed file. `lintFiles` writes them in the main thread (`writeFixes`), under the file's lock.
   */
  readonly pendingFix: PendingFix | null;
  /** "<display>: <reason>" when the file could not be read as a spec; it is also the `unreadable-file` finding. */
  readonly inputError: string | null;
  /** Why `--fix` left the file as it was although it had fixes (a link out of the workspace, a change under it), in one line. */
  readonly fixRefused: string | null;
  /** Whether the spec records a decision (an Approved or Rejected line naming someone). */
  readonly decided: boolean;
  /** With a DependencyProbe: the file's metadata and digest, and what its findings depended on, for a lint cache. */
  readonly cache?: CacheRecord;
}

/** Fixes to write to one file: text edits, and the SHA-256 of the bytes they apply to. */
export interface PendingFix {
  readonly edits: readonly Fix[];
  readonly applied: number;
  readonly digest: string;
}

/** The SHA-256 of a file's bytes, which says whether fixes computed from them still apply. */
export function bytesDigest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Reads, parses and lints one file. With `fix`, also computes the safe fixes and the findings of the fixed file,
 * without writing it: that is for `writeFixes`, in the main thread, so no write is ever cut short with a worker.
 * `onParsed` receives the parse of a spec file (of the fixed text, with fixes), for a caller that needs it too.
 * With `probe` (the run's, over `host`), the result also says what it depended on (`cache`), for a lint cache.
 */
export function lintFile(path: string, display: string, workspaceJob: LintJob, host: FileHost, onParsed?: (parsed: ParseResult) => void, probe?: DependencyProbe): FileResult {
  const job = jobFor(workspaceJob, path);
  // The file's metadata before its bytes, and the git state before the spec's host reads git.
  const recorder = probe ? new DependencyRecorder(probe, path) : null;
  const read = readSpec(path, job.maxFileSize);
  if (!read.ok) return unreadableFile(path, display, read.reason, job.rules);
  const { text } = read.file;
  let parsed = parseSpec(text, display);
  if (!parsed.source.isSpec) return withRecord(unreadableFile(path, display, NOT_A_SPEC, job.rules), recorder, read.file.bytes);
  const specHost = recorder ? recorder.wrap(host.forSpec(path)) : host.forSpec(path);
  const options = { settings: job.settings, rules: job.rules, overrides: job.overrides, host: specHost };
  const encoding = settingFor(TEXT_ENCODING_RULE.id, severityStatus(parsed.spec.metadata.status), job.rules, job.overrides);
  let diagnostics = withEncoding(lintSpec(parsed, options), read.file, display, encoding);
  let pendingFix: PendingFix | null = null;
  let fixRefused: string | null = null;
  if (job.fix && diagnostics.some((d) => d.fix)) {
    const result = applyFixes(text, diagnostics);
    if (result.applied > 0 && result.text !== text) {
      try {
        writeTarget(path, display, job.root);
        // The fixes go to the bytes, so what did not decode (an invalid byte, a NUL) is kept as it was.
        const fixedFile = decodeSpecBytes(editBytes(read.file, result.fixes, display));
        if (!fixedFile.ok) throw new InputError(`${display}: ${fixedFile.reason}`);
        parsed = parseSpec(fixedFile.file.text, display);
        const after = settingFor(TEXT_ENCODING_RULE.id, severityStatus(parsed.spec.metadata.status), job.rules, job.overrides);
        diagnostics = withEncoding(lintSpec(parsed, options), fixedFile.file, display, after);
        pendingFix = { edits: result.fixes, applied: result.applied, digest: bytesDigest(read.file.bytes) };
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        fixRefused = `${err.message}; --fix left it as it was`;
      }
    }
  }
  onParsed?.(parsed);
  return withRecord({
    path, display, diagnostics, fixed: 0, pendingFix, inputError: null, fixRefused,
    decided: parsed.spec.approvals.some(recordsDecision),
    featureId: parsed.spec.metadata.featureId,
    featureIdAt: parsed.pos.get("metadata/featureId") ?? null,
  }, recorder, read.file.bytes);
}

/** The result with what the recorder saw, when there is one. */
function withRecord(result: FileResult, recorder: DependencyRecorder | null, bytes: Uint8Array): FileResult {
  return recorder ? { ...result, cache: recorder.record(digestOf(bytes)) } : result;
}

/** The one `unreadable-file` finding at 1:1 with the reason (shared by lint and the language server). */
export function unreadableFinding(display: string, reason: string, rules: Readonly<Record<string, RuleSetting>> = {}): Diagnostic {
  // It may be downgraded to a warning but not turned off: the run fails (exit 2) either way.
  const severity: Severity = rules[UNREADABLE_FILE_RULE.id]?.severity === "warning" ? "warning" : "error";
  return { file: display, line: 1, column: 1, endLine: 1, endColumn: 1, rule: UNREADABLE_FILE_RULE.id, severity, message: reason };
}

/** The result for a file that cannot be read as a spec: one `unreadable-file` finding at 1:1 with the reason. */
function unreadableFile(path: string, display: string, reason: string, rules: Readonly<Record<string, RuleSetting>> = {}): FileResult {
  const diagnostic = unreadableFinding(display, reason, rules);
  return { path, display, diagnostics: [diagnostic], featureId: null, featureIdAt: null, fixed: 0, pendingFix: null, inputError: `${display}: ${reason}`, fixRefused: null, decided: false };
}

/** Adds a `text-encoding` finding for each character read as U+FFFD (the listed ones; the last says how many more). */
export function withEncoding(diagnostics: Diagnostic[], file: SpecFile, display: string, configured: RuleSetting | undefined): Diagnostic[] {
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

/** The job with the settings of the spec root nearest `path` (the job itself outside a workspace with several roots). */
function jobFor(job: LintJob, path: string): LintJob {
  const root = job.roots?.find((r) => isInside(r.dir, path));
  return root ? { ...job, settings: root.settings, rules: root.rules, overrides: root.overrides, maxFileSize: root.maxFileSize } : job;
}
