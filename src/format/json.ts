import type { Diagnostic } from "../model/diagnostic.js";
import { allFiles, countDiagnostics, sortDiagnostics, type Formatter } from "./formatter.js";

/** Copies a diagnostic with a fixed key order, dropping any properties outside the Diagnostic shape. */
function plain(d: Diagnostic): Diagnostic {
  const out: Diagnostic = {
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    rule: d.rule,
    severity: d.severity,
    message: d.message,
  };
  if (d.fix) out.fix = { range: [d.fix.range[0], d.fix.range[1]], text: d.fix.text };
  if (d.suggestions?.length) out.suggestions = d.suggestions.map((x) => ({ message: x.message, fix: { range: [x.fix.range[0], x.fix.range[1]], text: x.fix.text } }));
  if (d.url) out.url = d.url;
  return out;
}

/** JSON report `{ summary: { files, errors, warnings }, diagnostics }`, 2-space indented, diagnostics sorted by file, line, column. */
export const formatJson: Formatter = (report) => {
  const diagnostics = sortDiagnostics(report.diagnostics).map(plain);
  const c = countDiagnostics(diagnostics);
  const out = {
    summary: { files: allFiles(report).length, errors: c.errors, warnings: c.warnings, ...(c.infos ? { infos: c.infos } : {}) },
    diagnostics,
    ...(report.notes?.length ? { notes: [...report.notes] } : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
};
