import { compareStrings, type Diagnostic } from "../model/diagnostic.js";

/** Everything a formatter needs to render one lint run. */
export interface LintReport {
  /** Every linted file path (relative or absolute, as given), including files without findings. */
  files: readonly string[];
  diagnostics: readonly Diagnostic[];
  rules: readonly { id: string; description: string; defaultSeverity: "error" | "warning" | "info"; helpUri?: string }[];
  toolVersion: string;
  cwd: string;
  /** Remarks about the run as a whole, such as approvals whose identities are not verified; not findings. */
  notes?: readonly string[];
}

/** Renders a report as a string; pure (no I/O), deterministic for the same input. */
export type Formatter = (report: LintReport, options: { color: boolean }) => string;

export { compareDiagnostics, compareStrings, sortDiagnostics } from "../model/diagnostic.js";

/** The report's files in the given order, followed by any file that only appears in a diagnostic (sorted), without duplicates. */
export function allFiles(report: LintReport): string[] {
  const seen = new Set<string>(report.files);
  const extra = new Set<string>();
  for (const d of report.diagnostics) if (!seen.has(d.file)) extra.add(d.file);
  return [...seen, ...[...extra].sort(compareStrings)];
}

/** Counts of errors, warnings, infos and diagnostics with fixes, by severity (an info's fix counts with the warnings'). */
export function countDiagnostics(diagnostics: readonly Diagnostic[]): {
  errors: number;
  warnings: number;
  infos: number;
  fixableErrors: number;
  fixableWarnings: number;
} {
  const c = { errors: 0, warnings: 0, infos: 0, fixableErrors: 0, fixableWarnings: 0 };
  for (const d of diagnostics) {
    const error = d.severity === "error";
    if (error) c.errors++;
    else if (d.severity === "warning") c.warnings++;
    else c.infos++;
    if (d.fix) {
      if (error) c.fixableErrors++;
      else c.fixableWarnings++;
    }
  }
  return c;
}

/** Groups sorted diagnostics by file, keeping first-seen order of files. */
export function groupByFile(diagnostics: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const list = groups.get(d.file);
    if (list) list.push(d);
    else groups.set(d.file, [d]);
  }
  return groups;
}
