// Line edits the lifecycle commands make: each replaces or inserts only the lines it owns (Status, Last Updated,
// Supersedes, one approval line). An edit is a replacement of a range of the text, so every other character,
// line endings (a lone CRLF among LF lines), trailing spaces, a byte order mark and a missing final newline
// included, stays as it was; the workspace applies the same edits to the file's bytes (`editBytes`).
import type { Fix } from "../model/diagnostic.js";
import type { SpecSource } from "../model/source.js";
import type { ParseResult } from "../parse/parse-spec.js";
import { splitRow } from "../parse/inline.js";

/** The edits being made to one spec's text, line by line, by offsets into the text the parser saw. */
class LineEdits {
  readonly edits: Fix[] = [];
  constructor(private readonly source: SpecSource) {}

  /** Line `n` (1-based) without its line ending. */
  line(n: number): string {
    return this.source.lines[n - 1]!;
  }

  private start(n: number): number {
    return this.source.lineStarts[n - 1]!;
  }

  private end(n: number): number {
    return this.start(n) + this.line(n).length;
  }

  /** The line ending of line `n` as written: "\r\n", "\n", or "" for a last line without one. */
  private eol(n: number): string {
    const next = this.source.lineStarts[n];
    return next === undefined ? "" : this.source.text.slice(this.end(n), next);
  }

  /** The line ending of the first of lines `near` that has one (a new line takes its neighbours'), else LF. */
  private neighbourEol(...near: number[]): string {
    for (const m of near) {
      const e = m >= 1 && m <= this.source.lines.length ? this.eol(m) : "";
      if (e !== "") return e;
    }
    return "\n";
  }

  /** Replaces the characters of line `n` from `column` to `endColumn` (1-based, exclusive). */
  replaceColumns(n: number, column: number, endColumn: number, value: string): void {
    this.edits.push({ range: [this.start(n) + column - 1, this.start(n) + endColumn - 1], text: value });
  }

  /** Replaces line `n` (its line ending stays). */
  replaceLine(n: number, content: string): void {
    this.edits.push({ range: [this.start(n), this.end(n)], text: content });
  }

  /** Inserts lines before line `n`, each ending as its neighbours do. */
  insertBefore(n: number, lines: readonly string[]): void {
    const eol = this.neighbourEol(n - 1, n, n + 1);
    this.edits.push({ range: [this.start(n), this.start(n)], text: lines.map((l) => l + eol).join("") });
  }

  /** Inserts lines after line `n`; after a last line without a line ending, the file still ends without one. */
  insertAfter(n: number, lines: readonly string[]): void {
    const own = this.eol(n);
    if (own !== "") {
      const at = this.source.lineStarts[n]!;
      this.edits.push({ range: [at, at], text: lines.map((l) => l + own).join("") });
    } else {
      const eol = this.neighbourEol(n - 1, n - 2);
      this.edits.push({ range: [this.end(n), this.end(n)], text: lines.map((l) => eol + l).join("") });
    }
  }
}

/** Thrown when the file lacks what an edit needs; the message names the file and says what to add. Like an input error, it exits 2. */
export class EditError extends Error {
  readonly code = "INPUT";
  constructor(parsed: ParseResult, message: string) {
    super(`${parsed.spec.path}: ${message}`);
    this.name = "EditError";
  }
}

/** The text with `edits` applied (non-overlapping ranges of the original text, in any order). */
export function applyEdits(text: string, edits: readonly Fix[]): string {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let out = "";
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.range[0]) + e.text;
    at = e.range[1];
  }
  return out + text.slice(at);
}

/** Replaces the value of a metadata line found by the parser (`metadata/status`, `metadata/lastUpdated`). */
function replaceValue(doc: LineEdits, parsed: ParseResult, path: string, value: string): boolean {
  const span = parsed.pos.get(path);
  if (!span) return false;
  doc.replaceColumns(span.line, span.column, span.endColumn, value);
  return true;
}

/** The line (1-based) of the Status metadata, or of the Overview's last metadata line. */
function statusLine(parsed: ParseResult): number {
  const span = parsed.pos.get("metadata/status");
  if (!span) throw new EditError(parsed, "the spec has no **Status** line in its Overview (add \"**Status**: Draft\")");
  return span.line;
}

/** The edits that set Status (a new value as it should be written) and Last Updated (added before Status when missing). */
export function setStatus(parsed: ParseResult, status: string, date: string): Fix[] {
  const doc = new LineEdits(parsed.source);
  const line = statusLine(parsed);
  replaceValue(doc, parsed, "metadata/status", status);
  if (!replaceValue(doc, parsed, "metadata/lastUpdated", date)) doc.insertBefore(line, [`**Last Updated**: ${date}  `]);
  return doc.edits;
}

/** The edits that set or add a metadata line such as `**Supersedes**: [FEAT-0001](../x/technical-specification.md)` after Status. */
export function setMetadataLine(parsed: ParseResult, label: string, value: string): Fix[] {
  const doc = new LineEdits(parsed.source);
  const line = statusLine(parsed);
  const overview = parsed.source.sections.find((s) => s.key === "overview");
  const from = overview ? overview.bodyStart : line;
  const to = overview ? overview.end : line;
  // The label, then the value up to the trailing whitespace (kept): `(.*?)(\s*)$` without its retries over a run of spaces.
  const re = new RegExp(`^\\s*(?:[-*+]\\s+)?\\*\\*${label}\\*\\*:\\s*`, "i");
  for (let l = from; l <= to; l++) {
    const text = doc.line(l);
    const m = re.exec(text);
    let end = text.length;
    while (m && end > m[0].length && /\s/.test(text[end - 1]!)) end--;
    if (m && !/[\n\r\u2028\u2029]/.test(text.slice(m[0].length, end))) {
      doc.replaceColumns(l, m[0].length + 1, end + 1, value);
      return doc.edits;
    }
  }
  // The Status line is usually the last of the block: give it a hard line break before the new line.
  const status = doc.line(line);
  const list = /^\s*[-*+]\s/.test(status);
  if (!/ {2}$/.test(status) && !list) doc.replaceLine(line, `${status.trimEnd()}  `);
  doc.insertAfter(line, [`${list ? "- " : ""}**${label}**: ${value}`]);
  return doc.edits;
}

/** The edits that write the line of one role in the Approval block: replaced when the role has one, else added (with the section when missing). */
export function setApproval(parsed: ParseResult, role: string, value: string): Fix[] {
  const doc = new LineEdits(parsed.source);
  const i = parsed.spec.approvals.findIndex((a) => a.role.toLowerCase() === role.toLowerCase());
  if (i >= 0) {
    const span = parsed.pos.get(`approvals/${i}`)!;
    const line = doc.line(span.line);
    const bold = boldLine(line);
    if (bold) {
      doc.replaceColumns(span.line, bold.label.length + 1, line.length - bold.hardBreak.length + 1, value);
      return doc.edits;
    }
    const row = splitRow(line);
    if (row.cells.length !== 3) throw new EditError(parsed, `line ${span.line}: the approval table row does not have the three cells Role | Name | Decision; edit it by hand`);
    const [name, decision] = splitNameDecision(value);
    doc.replaceLine(span.line, `| ${row.cells[0]!.text.trim()} | ${name} | ${decision} |`);
    return doc.edits;
  }
  const section = parsed.source.sections.find((s) => s.key === "approval");
  if (!section) {
    // A new section after the last line that is not blank; blank lines after it stay where they are.
    let last = parsed.source.lines.length;
    while (last > 1 && doc.line(last).trim() === "") last--;
    doc.insertAfter(last, ["", "## Approval", "", `**${role}**: ${value}`]);
    return doc.edits;
  }
  const lastSpan = parsed.spec.approvals.length > 0 ? parsed.pos.get(`approvals/${parsed.spec.approvals.length - 1}`) : undefined;
  if (lastSpan) {
    const last = doc.line(lastSpan.line);
    if (/^\s*\|/.test(last)) {
      const [name, decision] = splitNameDecision(value);
      doc.insertAfter(lastSpan.line, [`| ${role} | ${name} | ${decision} |`]);
      return doc.edits;
    }
    const list = /^\s*[-*+]\s/.test(last);
    if (!list && !/ {2}$/.test(last)) doc.replaceLine(lastSpan.line, `${last.trimEnd()}  `);
    doc.insertAfter(lastSpan.line, [`${list ? "- " : ""}**${role}**: ${value}`]);
    return doc.edits;
  }
  // An Approval heading with no approval lines yet: the new line goes right after the heading's blank line.
  doc.insertAfter(section.line, ["", `**${role}**: ${value}`]);
  return doc.edits;
}

/**
 * A `**Role**: value` line split as `/^(\s*(?:[-*+]\s+)?\*\*[^*]+\*\*:\s*)(.*?)( {2,})?$/` splits it: the label with
 * the spaces after it, and the hard break (two or more trailing spaces) kept when the value is replaced. The trailing
 * run is counted rather than matched, since `(.*?)( {2,})?$` retries the run from each of its spaces (quadratic).
 */
function boldLine(line: string): { label: string; hardBreak: string } | null {
  const m = /^\s*(?:[-*+]\s+)?\*\*[^*]+\*\*:\s*/.exec(line);
  if (!m || /[\n\r\u2028\u2029]/.test(line.slice(m[0].length))) return null; // `.` matches no line terminator
  let end = line.length;
  while (end > m[0].length && line.charCodeAt(end - 1) === 32) end--;
  return { label: m[0], hardBreak: line.length - end >= 2 ? line.slice(end) : "" };
}

/** "Jane Doe - Approved 2026-11-23 (…)" → ["Jane Doe", "Approved 2026-11-23 (…)"]. */
function splitNameDecision(value: string): [string, string] {
  const at = value.indexOf(" - ");
  return at < 0 ? ["", value] : [value.slice(0, at), value.slice(at + 3)];
}
