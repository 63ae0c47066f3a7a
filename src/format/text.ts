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

let SPACES = " ".repeat(256);

/** `n` spaces (none when n <= 0), cut from one long string: a report pads tens of thousands of cells. */
function spaces(n: number): string {
  if (n <= 0) return "";
  while (SPACES.length < n) SPACES += SPACES;
  return SPACES.slice(0, n);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

const SEVERITY_STYLE = { error: "red", warning: "yellow", info: "cyan" } as const;

/** One file's rows, each ended by a newline: the file, then each finding with its columns aligned. */
function formatGroup(file: string, diagnostics: readonly Diagnostic[], color: boolean): string {
  // A report of thousands of files formats tens of thousands of rows: each cell is cleaned and measured once, and
  // the text grows as one string rather than as lines joined at the end.
  const n = diagnostics.length;
  const locations: string[] = new Array<string>(n);
  const locationWidths: number[] = new Array<number>(n);
  const messages: string[] = new Array<string>(n);
  const messageWidths: number[] = new Array<number>(n);
  const shownFile = clean(file);
  let locationWidth = 0;
  let severityWidth = 0;
  let messageWidth = 0;
  for (let i = 0; i < n; i++) {
    const d = diagnostics[i]!;
    const location = `${d.file === file ? shownFile : clean(d.file)}:${d.line}:${d.column}`;
    const message = clean(d.message);
    locations[i] = location;
    locationWidths[i] = width(location);
    messages[i] = message;
    messageWidths[i] = width(message);
    locationWidth = Math.max(locationWidth, locationWidths[i]!);
    severityWidth = Math.max(severityWidth, width(d.severity));
    messageWidth = Math.max(messageWidth, messageWidths[i]!);
  }
  let out = `${paint(color, shownFile, "underline")}\n`;
  const severities = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const d = diagnostics[i]!;
    let sev = severities.get(d.severity);
    if (sev === undefined) {
      sev = paint(color, d.severity, SEVERITY_STYLE[d.severity] ?? "cyan") + spaces(severityWidth - width(d.severity));
      severities.set(d.severity, sev);
    }
    const rule = clean(d.rule);
    const line = `  ${locations[i]!}${spaces(locationWidth - locationWidths[i]!)}  ${sev}  ${messages[i]!}${spaces(messageWidth - messageWidths[i]!)}  ${paint(color, rule, "dim")}`;
    out += `${rule === "" || /\s/.test(rule.slice(-1)) ? line.trimEnd() : line}\n`;
  }
  return out;
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
  let out = "";
  for (const [file, list] of groupByFile(sorted)) out += `${formatGroup(file, list, color)}\n`;
  const summaryStyle = c.errors > 0 ? "red" : c.warnings > 0 ? "yellow" : "cyan";
  const infos = c.infos > 0 ? `, ${plural(c.infos, "info")}` : "";
  out += paint(color, `✖ ${plural(total, "problem")} (${plural(c.errors, "error")}, ${plural(c.warnings, "warning")}${infos})`, summaryStyle, "bold");
  if (c.fixableErrors + c.fixableWarnings > 0) {
    out += `\n${paint(
      color,
      `  ${plural(c.fixableErrors, "error")} and ${plural(c.fixableWarnings, "warning")} potentially fixable with the --fix option.`,
      summaryStyle,
      "bold",
    )}`;
  }
  return `${out}\n${notes}`;
};
