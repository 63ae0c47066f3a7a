import type { Diagnostic } from "../model/diagnostic.js";
import { allFiles, countDiagnostics, groupByFile, sortDiagnostics, type Formatter } from "./formatter.js";

// Raw SGR escapes rather than util.styleText: on Node 20 styleText checks process.stdout / NO_COLOR itself,
// which would make this formatter impure; the caller decides colour through options.color.
type Style = "red" | "yellow" | "cyan" | "green" | "dim" | "bold" | "underline";
const SGR: Record<Style, readonly [number, number]> = {
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  green: [32, 39],
  dim: [2, 22],
  bold: [1, 22],
  underline: [4, 24],
};

function paint(color: boolean, text: string, ...styles: Style[]): string {
  if (!color || text === "") return text;
  let out = text;
  for (const s of styles) out = `\x1b[${SGR[s][0]}m${out}\x1b[${SGR[s][1]}m`;
  return out;
}

const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/** Keeps one diagnostic on one line and stops control characters (e.g. ESC from the source) reaching the terminal. */
function clean(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text
    .replace(/\r\n|[\r\n\t]/g, " ")
    .replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Display width approximated by code points. */
function width(text: string): number {
  return /[\uD800-\uDFFF]/.test(text) ? [...text].length : text.length;
}

function pad(text: string, to: number): string {
  return text + " ".repeat(Math.max(0, to - width(text)));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function formatGroup(file: string, diagnostics: readonly Diagnostic[], color: boolean): string[] {
  const rows = diagnostics.map((d) => ({
    location: `${clean(d.file)}:${d.line}:${d.column}`,
    severity: d.severity,
    message: clean(d.message),
    rule: clean(d.rule),
  }));
  const w = { location: 0, severity: 0, message: 0 };
  for (const r of rows) {
    w.location = Math.max(w.location, width(r.location));
    w.severity = Math.max(w.severity, width(r.severity));
    w.message = Math.max(w.message, width(r.message));
  }
  const lines = [paint(color, clean(file), "underline")];
  for (const r of rows) {
    const sev = paint(color, r.severity, r.severity === "error" ? "red" : r.severity === "warning" ? "yellow" : "cyan") + " ".repeat(w.severity - width(r.severity));
    lines.push(`  ${pad(r.location, w.location)}  ${sev}  ${pad(r.message, w.message)}  ${paint(color, r.rule, "dim")}`.trimEnd());
  }
  return lines;
}

/** ESLint-stylish text: diagnostics grouped by file with aligned `file:line:column  severity  message  rule` rows and a summary. */
export const formatText: Formatter = (report, options) => {
  const color = options.color;
  const sorted = sortDiagnostics(report.diagnostics);
  const c = countDiagnostics(sorted);
  const total = c.errors + c.warnings + c.infos;
  const notes = (report.notes ?? []).map((n) => `${paint(color, "note", "dim")}: ${n}\n`).join("");
  if (total === 0) {
    const files = allFiles(report).length;
    return `${paint(color, `✔ ${plural(files, "file")} checked, no problems`, "green", "bold")}\n${notes}`;
  }
  const lines: string[] = [];
  for (const [file, list] of groupByFile(sorted)) {
    lines.push(...formatGroup(file, list, color), "");
  }
  const summaryStyle = c.errors > 0 ? "red" : c.warnings > 0 ? "yellow" : "cyan";
  const infos = c.infos > 0 ? `, ${plural(c.infos, "info")}` : "";
  lines.push(
    paint(color, `✖ ${plural(total, "problem")} (${plural(c.errors, "error")}, ${plural(c.warnings, "warning")}${infos})`, summaryStyle, "bold"),
  );
  if (c.fixableErrors + c.fixableWarnings > 0) {
    lines.push(
      paint(
        color,
        `  ${plural(c.fixableErrors, "error")} and ${plural(c.fixableWarnings, "warning")} potentially fixable with the --fix option.`,
        summaryStyle,
        "bold",
      ),
    );
  }
  return `${lines.join("\n")}\n${notes}`;
};
