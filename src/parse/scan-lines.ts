import type { CodeBlock } from "../model/source.js";

/** A heading line: `level` from the `#` count, `text` without the marks, columns 1-based. */
export interface Heading {
  readonly line: number;
  readonly level: number;
  readonly text: string;
  readonly column: number;
  readonly endColumn: number;
}

/** The block structure of a text: lines, fenced code, comments and headings, found in one pass. */
export interface LineScan {
  readonly lines: string[];
  readonly lineStarts: number[];
  /** 0 text, 1 fenced code (fences included), 2 HTML comment; index 0 is line 1. */
  readonly inCode: Uint8Array;
  readonly codeBlocks: CodeBlock[];
  readonly headings: Heading[];
}



/** Splits `text` into lines (LF or CRLF, BOM skipped) and finds fenced code blocks, comments and headings. */
export function scanLines(text: string): LineScan {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  // Sized once: an array grown line by line past 16,384 entries is copied into a new large object at each growth,
  // which made 20,000 lines cost 6 times 10,000.
  let count = 1;
  for (let i = text.indexOf("\n", start); i >= 0; i = text.indexOf("\n", i + 1)) count++;
  const lines = new Array<string>(count);
  const lineStarts = new Array<number>(count);
  for (let k = 0; start <= n; k++) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = n;
    lineStarts[k] = start;
    lines[k] = text.charCodeAt(end - 1) === 13 && end > start ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
  }
  const inCode = new Uint8Array(lines.length);
  const codeBlocks: CodeBlock[] = [];
  const headings: Heading[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let k = 0;
    while (k < line.length && (line.charCodeAt(k) === 32 || line.charCodeAt(k) === 9)) k++;
    const c = line.charCodeAt(k);
    if (c === 96 /* ` */ || c === 126 /* ~ */) {
      let n = 0;
      while (line.charCodeAt(k + n) === c) n++;
      const info = line.slice(k + n).trim();
      // A backtick fence's info string may not contain a backtick (that is an inline code span).
      if (n >= 3 && !(c === 96 && info.includes("`"))) {
        const lang = (/^[^\s`]*/.exec(info)?.[0] ?? "").toLowerCase();
        i = readFence(lines, lineStarts, text.length, i, k, line.slice(k, k + n), lang, inCode, codeBlocks);
        continue;
      }
    } else if (c === 35 /* # */ && k <= 3) {
      const h = heading(line, k);
      if (h) headings.push({ line: i + 1, ...h });
    } else if (c === 60 /* < */ && line.startsWith("<!--", k)) {
      inCode[i] = 2;
      if (line.indexOf("-->", k + 4) < 0) {
        while (++i < lines.length) {
          inCode[i] = 2;
          if (lines[i]!.includes("-->")) break;
        }
      }
    }
  }
  return { lines, lineStarts, inCode, codeBlocks, headings };
}

/** An ATX heading starting at `k` (its `#`), without the closing `#` sequence; linear time. */
function heading(line: string, k: number): { level: number; text: string; column: number; endColumn: number } | null {
  let n = 0;
  while (line.charCodeAt(k + n) === 35) n++;
  if (n > 6) return null;
  let start = k + n;
  const after = line.charCodeAt(start);
  if (after === 35) return null;
  while (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9) start++;
  let end = line.length;
  while (end > start && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  // A closing sequence of #s counts only after whitespace (or when it is all there is).
  let h = end;
  while (h > start && line.charCodeAt(h - 1) === 35) h--;
  if (h < end && (h === start || line.charCodeAt(h - 1) === 32 || line.charCodeAt(h - 1) === 9)) {
    end = h;
    while (end > start && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  }
  const text = line.slice(start, end);
  return { level: n, text, column: text.length ? start + 1 : line.length + 1, endColumn: text.length ? end + 1 : line.length + 1 };
}

function readFence(lines: string[], lineStarts: number[], textEnd: number, open: number, indent: number, fence: string, lang: string,
  inCode: Uint8Array, out: CodeBlock[]): number {
  const ch = fence[0]!;
  inCode[open] = 1;
  let body = ""; // one string, not an array to join (see scanLines on large arrays)
  let i = open + 1;
  let closed = false;
  for (; i < lines.length; i++) {
    inCode[i] = 1;
    const line = lines[i]!;
    const t = line.trim();
    if (t.length >= fence.length && t[0] === ch && isFenceClose(t, ch, fence.length)) {
      closed = true;
      break;
    }
    // Content lines lose up to the fence's indentation, as CommonMark does.
    let cut = 0;
    while (cut < indent && cut < line.length && line.charCodeAt(cut) === 32) cut++;
    body += i > open + 1 ? `\n${cut ? line.slice(cut) : line}` : cut ? line.slice(cut) : line;
  }
  const contentStart = lineStarts[open + 1] ?? textEnd;
  // End of the last content line, without its line terminator (LF or CRLF).
  let contentEnd = closed ? Math.max(contentStart, lineStarts[i]! - 1) : textEnd;
  if (contentEnd > contentStart && lines[closed ? i - 1 : lines.length - 1] !== undefined) {
    const lastLine = closed ? i - 1 : lines.length - 1;
    contentEnd = Math.max(contentStart, lineStarts[lastLine]! + lines[lastLine]!.length);
  }
  out.push({
    contentStart,
    contentEnd,
    line: open + 1,
    endLine: closed ? i + 1 : lines.length,
    lang,
    text: body,
    contentLine: open + 2,
    indent,
    closed,
  });
  return closed ? i : lines.length - 1;
}

function isFenceClose(t: string, ch: string, min: number): boolean {
  let k = 0;
  while (k < t.length && t[k] === ch) k++;
  return k >= min && t.slice(k).trim() === "";
}
