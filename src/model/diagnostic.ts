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
