/** Severity of a finding; "off" exists only in configuration. An "info" finding never fails a run. */
export type Severity = "error" | "warning" | "info";

/** A text edit against the original source: replace the characters in [start, end) with `text`. */
export interface Fix {
  readonly range: readonly [number, number];
  readonly text: string;
}

/** A fix offered to a person rather than applied by `--fix`: it may change what the author meant. */
export interface Suggestion {
  /** What applying it does: `Change the type to "Varchar(64)"`. */
  readonly message: string;
  readonly fix: Fix;
}

/** The one diagnostic shape every layer speaks: 1-based lines and columns, columns in UTF-16 code units (as ESLint, LSP and SARIF count). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Severity;
  message: string;
  /** An edit safe to apply without asking (`--fix`, an editor's fix-all). */
  fix?: Fix;
  /** Edits that are not safe to apply without asking, offered in editors as quick fixes. */
  suggestions?: readonly Suggestion[];
  /** The rule's documentation: a file: URL into the package's docs/rules.md (or docs/verify.md for verify's checks). */
  url?: string;
}

/** Code-unit string order, independent of the locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders diagnostics by file, line, column, then end position, rule and message, so every output is stable. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    compareStrings(a.rule, b.rule) ||
    compareStrings(a.message, b.message)
  );
}

/** A sorted copy of the diagnostics (the one ordering every layer uses). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  // Most lists come sorted already (a formatter is handed lint's sorted report): one pass tells.
  for (let i = 1; i < diagnostics.length; i++) {
    if (compareDiagnostics(diagnostics[i - 1]!, diagnostics[i]!) > 0) return [...diagnostics].sort(compareDiagnostics);
  }
  return [...diagnostics];
}
