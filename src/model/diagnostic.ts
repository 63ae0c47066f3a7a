/** Severity of a finding; "off" exists only in configuration. */
export type Severity = "error" | "warning";

/** A text edit against the original source: replace the characters in [start, end) with `text`. */
export interface Fix {
  readonly range: readonly [number, number];
  readonly text: string;
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
  fix?: Fix;
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
  return [...diagnostics].sort(compareDiagnostics);
}
