// What every section reader shares while one text is parsed: the line scan, the position map it fills and the
// diagnostics it adds. Readers return model values; only positions and diagnostics are written here.
import type { Diagnostic, Severity } from "../model/diagnostic.js";
import type { Span } from "../model/position.js";
import type { CodeBlock, JsonExample } from "../model/source.js";
import { stripBreak } from "./inline.js";
import type { Heading, LineScan } from "./scan-lines.js";

/** The state of one parse: read-only input, plus the position map and diagnostics the readers fill. */
export interface ParseContext {
  readonly text: string;
  readonly path: string;
  readonly scan: LineScan;
  /** Fenced code blocks by their opening line. */
  readonly blockAt: ReadonlyMap<number, CodeBlock>;
  /** Headings by their line. */
  readonly headingAt: ReadonlyMap<number, Heading>;
  readonly pos: Map<string, Span>;
  readonly diagnostics: Diagnostic[];
  /** JSON examples read into the model, with their parse errors. */
  readonly jsonExamples: JsonExample[];
}

/** A new context for `text` scanned as `scan`. */
export function createContext(text: string, path: string, scan: LineScan): ParseContext {
  const blockAt = new Map<number, CodeBlock>();
  for (const b of scan.codeBlocks) blockAt.set(b.line, b);
  const headingAt = new Map<number, Heading>();
  for (const h of scan.headings) headingAt.set(h.line, h);
  return { text, path, scan, blockAt, headingAt, pos: new Map(), diagnostics: [], jsonExamples: [] };
}

/** A span on one line (or ending on `endLine`); columns 1-based, end exclusive. */
export function span(line: number, column: number, endColumn: number, endLine = line): Span {
  return { line, column, endLine, endColumn };
}

/** Adds a diagnostic of the parser (rule `parse` unless given). */
export function report(ctx: ParseContext, at: Span, severity: Severity, message: string, rule = "parse"): void {
  ctx.diagnostics.push({ file: ctx.path, line: at.line, column: at.column, endLine: at.endLine, endColumn: at.endColumn, rule, severity, message });
}

/** A thematic break (`---`, `***`, `___`). */
export const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;

/** Values that say "nothing here": an empty list, not a missing one. */
export const NONE = /^(?:none\.?|n\/a|-|—|nothing|no dependencies\.?|no parameters\.?|no open questions\.?)$/i;

/** True when lines `from`..`to` hold something besides blank lines, comments and thematic breaks. */
export function hasText(ctx: ParseContext, from: number, to: number): boolean {
  const { lines, inCode } = ctx.scan;
  for (let l = from; l <= to; l++) {
    if (inCode[l - 1] === 2) continue;
    const s = lines[l - 1]!;
    if (s.trim() !== "" && !THEMATIC_BREAK.test(s)) return true;
  }
  return false;
}

/** Lines `from`..`to` as text: comments and thematic breaks dropped, hard breaks removed, trimmed. */
export function textOf(ctx: ParseContext, from: number, to: number): string {
  const { lines, inCode } = ctx.scan;
  const out: string[] = [];
  for (let l = from; l <= to; l++) {
    if (inCode[l - 1] === 2) continue;
    const s = lines[l - 1]!;
    if (inCode[l - 1] === 0 && THEMATIC_BREAK.test(s)) continue;
    out.push(inCode[l - 1] === 1 ? s : stripBreak(s));
  }
  while (out.length && out[0]!.trim() === "") out.shift();
  while (out.length && out[out.length - 1]!.trim() === "") out.pop();
  return out.join("\n");
}
