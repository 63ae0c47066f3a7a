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

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+|(?=[^#\s]))(.*?)(?:[ \t]+#+)?[ \t]*$/;

/** Splits `text` into lines (LF or CRLF, BOM skipped) and finds fenced code blocks, comments and headings. */
export function scanLines(text: string): LineScan {
  const lines: string[] = [];
  const lineStarts: number[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = n;
    lineStarts.push(start);
    lines.push(text.charCodeAt(end - 1) === 13 && end > start ? text.slice(start, end - 1) : text.slice(start, end));
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
      const m = FENCE_OPEN.exec(line);
      if (m && !(c === 96 && m[0].slice(k + m[2]!.length).includes("`"))) {
        i = readFence(lines, i, m[1]!.length, m[2]!, m[3]!.toLowerCase(), inCode, codeBlocks);
        continue;
      }
    } else if (c === 35 /* # */ && k <= 3) {
      const m = HEADING.exec(line);
      if (m) {
        const body = m[2]!;
        const column = body.length ? line.indexOf(body, m[1]!.length + k) + 1 : line.length + 1;
        headings.push({ line: i + 1, level: m[1]!.length, text: body, column, endColumn: column + body.length });
      }
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

function readFence(lines: string[], open: number, indent: number, fence: string, lang: string,
  inCode: Uint8Array, out: CodeBlock[]): number {
  const ch = fence[0]!;
  inCode[open] = 1;
  const body: string[] = [];
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
    body.push(cut ? line.slice(cut) : line);
  }
  out.push({
    line: open + 1,
    endLine: closed ? i + 1 : lines.length,
    lang,
    text: body.join("\n"),
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
