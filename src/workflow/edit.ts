// Line edits the lifecycle commands make: each replaces or inserts only the lines it owns (Status, Last Updated,
// Supersedes, one approval line), keeping the rest of the file byte for byte, line endings included.
import type { ParseResult } from "../parse/parse-spec.js";
import { splitRow } from "../parse/inline.js";

/** A spec's text as lines, with the line ending it uses. */
class Lines {
  readonly lines: string[];
  readonly eol: string;
  constructor(text: string) {
    this.eol = /\r\n/.test(text) ? "\r\n" : "\n";
    this.lines = text.split(/\r?\n/);
  }
  toString(): string {
    return this.lines.join(this.eol);
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

/** Replaces the value of a metadata line found by the parser (`metadata/status`, `metadata/lastUpdated`). */
function replaceValue(doc: Lines, parsed: ParseResult, path: string, value: string): boolean {
  const span = parsed.pos.get(path);
  if (!span) return false;
  const line = doc.lines[span.line - 1]!;
  doc.lines[span.line - 1] = line.slice(0, span.column - 1) + value + line.slice(span.endColumn - 1);
  return true;
}

/** The line (1-based) of the Status metadata, or of the Overview's last metadata line. */
function statusLine(parsed: ParseResult): number {
  const span = parsed.pos.get("metadata/status");
  if (!span) throw new EditError(parsed, "the spec has no **Status** line in its Overview (add \"**Status**: Draft\")");
  return span.line;
}

/** Sets Status (a new value as it should be written) and Last Updated (added before Status when missing). */
export function setStatus(text: string, parsed: ParseResult, status: string, date: string): string {
  const doc = new Lines(text);
  const line = statusLine(parsed);
  replaceValue(doc, parsed, "metadata/status", status);
  if (!replaceValue(doc, parsed, "metadata/lastUpdated", date)) doc.lines.splice(line - 1, 0, `**Last Updated**: ${date}  `);
  return doc.toString();
}

/** Sets or adds a metadata line such as `**Supersedes**: [FEAT-0001](../x/technical-specification.md)` after Status. */
export function setMetadataLine(text: string, parsed: ParseResult, label: string, value: string): string {
  const doc = new Lines(text);
  const line = statusLine(parsed);
  const overview = parsed.source.sections.find((s) => s.key === "overview");
  const from = overview ? overview.bodyStart : line;
  const to = overview ? overview.end : line;
  // The label, then the value up to the trailing whitespace (kept): `(.*?)(\s*)$` without its retries over a run of spaces.
  const re = new RegExp(`^\\s*(?:[-*+]\\s+)?\\*\\*${label}\\*\\*:\\s*`, "i");
  for (let l = from; l <= to; l++) {
    const text = doc.lines[l - 1]!;
    const m = re.exec(text);
    let end = text.length;
    while (m && end > m[0].length && /\s/.test(text[end - 1]!)) end--;
    if (m && !/[\n\r\u2028\u2029]/.test(text.slice(m[0].length, end))) {
      doc.lines[l - 1] = `${m[0]}${value}${text.slice(end)}`;
      return doc.toString();
    }
  }
  // The Status line is usually the last of the block: give it a hard line break before the new line.
  const status = doc.lines[line - 1]!;
  if (!/ {2}$/.test(status) && !/^\s*[-*+]\s/.test(status)) doc.lines[line - 1] = `${status.trimEnd()}  `;
  doc.lines.splice(line, 0, `${/^\s*[-*+]\s/.test(status) ? "- " : ""}**${label}**: ${value}`);
  return doc.toString();
}

/** Writes the line of one role in the Approval block: replaced when the role has one, else added (with the section when missing). */
export function setApproval(text: string, parsed: ParseResult, role: string, value: string): string {
  const doc = new Lines(text);
  const i = parsed.spec.approvals.findIndex((a) => a.role.toLowerCase() === role.toLowerCase());
  if (i >= 0) {
    const span = parsed.pos.get(`approvals/${i}`)!;
    const line = doc.lines[span.line - 1]!;
    const bold = boldLine(line);
    if (bold) {
      doc.lines[span.line - 1] = `${bold.label}${value}${bold.hardBreak}`;
      return doc.toString();
    }
    const row = splitRow(line);
    if (row.cells.length !== 3) throw new EditError(parsed, `line ${span.line}: the approval table row does not have the three cells Role | Name | Decision; edit it by hand`);
    const [name, decision] = splitNameDecision(value);
    doc.lines[span.line - 1] = `| ${row.cells[0]!.text.trim()} | ${name} | ${decision} |`;
    return doc.toString();
  }
  const section = parsed.source.sections.find((s) => s.key === "approval");
  if (!section) {
    while (doc.lines.length > 0 && doc.lines[doc.lines.length - 1]!.trim() === "") doc.lines.pop();
    doc.lines.push("", "## Approval", "", `**${role}**: ${value}`, "");
    return doc.toString();
  }
  const lastSpan = parsed.spec.approvals.length > 0 ? parsed.pos.get(`approvals/${parsed.spec.approvals.length - 1}`) : undefined;
  if (lastSpan) {
    const last = doc.lines[lastSpan.line - 1]!;
    if (/^\s*\|/.test(last)) {
      const [name, decision] = splitNameDecision(value);
      doc.lines.splice(lastSpan.line, 0, `| ${role} | ${name} | ${decision} |`);
      return doc.toString();
    }
    const list = /^\s*[-*+]\s/.test(last);
    if (!list && !/ {2}$/.test(last)) doc.lines[lastSpan.line - 1] = `${last.trimEnd()}  `;
    doc.lines.splice(lastSpan.line, 0, `${list ? "- " : ""}**${role}**: ${value}`);
    return doc.toString();
  }
  // An Approval heading with no approval lines yet: the new line goes right after the heading's blank line.
  doc.lines.splice(section.line, 0, "", `**${role}**: ${value}`);
  return doc.toString();
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
