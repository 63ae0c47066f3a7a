// The lint of one open document: `lintFile`'s steps (decode, parse, lintSpec, text-encoding findings) over the
// editor's text instead of the file's bytes, so the editor reports what `techspec lint` reports once it is saved.
// Encoding and unreadable findings come from lint-file.ts itself; test/lsp-features.test.ts compares the two engines on the same texts.
import type { Diagnostic } from "../model/diagnostic.js";
import type { Span } from "../model/position.js";
import { NOT_A_SPEC, parseSpec, type ParseResult } from "../parse/parse-spec.js";
import { TEXT_ENCODING_RULE } from "../rules/index.js";
import { lintSpec, settingFor, severityStatus, type RuleSetting } from "../rules/lint-spec.js";
import type { LintHost } from "../rules/rule.js";
import { unreadableFinding, withEncoding, type LintJob } from "../workspace/lint-file.js";
import { decodeSpecBytes, type SpecFile } from "../workspace/read-spec.js";

/** What linting a document needs of the configuration (a `LintJob` without what only `--fix` uses). */
export type DocumentLintJob = Pick<LintJob, "settings" | "rules" | "overrides" | "maxFileSize">;

/** The text to lint and where it stands. */
export interface DocumentInput {
  /** The path diagnostics name, as lint shows it (relative to the configuration's folder). */
  readonly display: string;
  readonly text: string;
  /**
   * The file as read from disk, when its decoded text is `text` (the document has no unsaved changes): its bytes'
   * encoding problems (invalid UTF-8 the editor shows as U+FFFD) are then reported as lint reports them.
   */
  readonly diskFile?: SpecFile | null;
}

/** The outcome for one document. */
export interface DocumentLint {
  /** The parse of the text, or null when it was not read as a spec. */
  readonly parsed: ParseResult | null;
  readonly diagnostics: readonly Diagnostic[];
  /** Whether lint counts it among the linted specs the workspace rules see (it read as a spec). */
  readonly linted: boolean;
  readonly featureId: string | null;
  readonly featureIdAt: Span | null;
}

/**
 * Lints a document's text as `lintFile` lints a file. `named` says whether lint's discovery names the file (the
 * configuration's `specs` globs): a named file that cannot be read as a spec gets lint's `unreadable-file` finding;
 * any other Markdown file gets nothing unless it reads as a spec.
 */
export function lintDocument(input: DocumentInput, job: DocumentLintJob, host: LintHost, named: boolean): DocumentLint {
  const { display, text } = input;
  const size = Buffer.byteLength(text, "utf8");
  if (size > job.maxFileSize) {
    return unreadable(named, display, `file is ${mb(size)}, over the ${mb(job.maxFileSize)} limit for a spec (raise "maxFileSize" in techspec.config.json if it is really one spec)`, job.rules);
  }
  let file: SpecFile;
  if (input.diskFile && input.diskFile.text === text) file = input.diskFile;
  else {
    const decoded = decodeSpecBytes(Buffer.from(text, "utf8"));
    if (!decoded.ok) return unreadable(named, display, decoded.reason, job.rules);
    file = decoded.file;
  }
  const parsed = parseSpec(file.text, display);
  if (!parsed.source.isSpec) return unreadable(named, display, NOT_A_SPEC, job.rules);
  const diagnostics = lintSpec(parsed, { settings: job.settings, rules: job.rules, overrides: job.overrides, host });
  const encoding = settingFor(TEXT_ENCODING_RULE.id, severityStatus(parsed.spec.metadata.status), job.rules, job.overrides);
  return {
    parsed,
    diagnostics: withEncoding(diagnostics, file, display, encoding),
    linted: true,
    featureId: parsed.spec.metadata.featureId,
    featureIdAt: parsed.pos.get("metadata/featureId") ?? null,
  };
}

/** As `lintFile` reports a file that cannot be read as a spec: one `unreadable-file` finding at 1:1; nothing for a file lint does not name. */
function unreadable(named: boolean, display: string, reason: string, rules: Readonly<Record<string, RuleSetting>>): DocumentLint {
  return { parsed: null, diagnostics: named ? [unreadableFinding(display, reason, rules)] : [], linted: false, featureId: null, featureIdAt: null };
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}
