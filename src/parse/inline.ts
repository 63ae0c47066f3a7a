/** Small inline readers shared by the section readers: labels, plain text, links, table cells. */
import { StringMemo } from "../model/memo.js";

const LIST_ITEM = /^(\s*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)/;

/** The indentation and content of a list item line, or null when the line is not one. */
export function listItem(line: string): { indent: number; content: string; contentColumn: number } | null {
  // By hand, as LIST_ITEM reads it: this is asked of most lines of a spec, and a match array per line adds up.
  let i = 0;
  let c = line.charCodeAt(0);
  while (c === 32 || c === 9) c = line.charCodeAt(++i);
  // Other white space before the marker (a form feed, a no-break space): the pattern itself decides.
  if ((c >= 10 && c <= 13) || c === 160 || c > 0x167f) return listItemByPattern(line);
  const indent = i;
  if (c === 45 /* - */ || c === 42 /* * */ || c === 43 /* + */) i++;
  else {
    const digits = i;
    while (c >= 48 && c <= 57) c = line.charCodeAt(++i);
    if (i === digits || i - digits > 9 || (c !== 46 /* . */ && c !== 41 /* ) */)) return null;
    i++;
  }
  c = line.charCodeAt(i);
  if (i < line.length && c !== 32 && c !== 9) return null;
  while (c === 32 || c === 9) c = line.charCodeAt(++i);
  return { indent, content: line.slice(i), contentColumn: i + 1 };
}

function listItemByPattern(line: string): { indent: number; content: string; contentColumn: number } | null {
  const m = LIST_ITEM.exec(line);
  if (!m) return null;
  return { indent: m[1]!.length, content: line.slice(m[0].length), contentColumn: m[0].length + 1 };
}

/** Removes hard-break markers (a trailing backslash or trailing spaces). */
export function stripBreak(s: string): string {
  let t = s.trimEnd();
  if (t.endsWith("\\") && !t.endsWith("\\\\")) t = t.slice(0, -1).trimEnd();
  return t;
}

const MARKUP = /[*_`]/;

/** Plain text of an inline value: emphasis, code ticks and surrounding quotes removed, whitespace trimmed. */
export function plain(s: string): string {
  const end = s.charCodeAt(s.length - 1);
  let t = end === 32 || end === 9 || end === 92 ? stripBreak(s).trim() : s.trim();
  if (MARKUP.test(t)) {
    t = t.replace(/(\*\*|__)(.+?)\1/g, "$2").replace(/`([^`]*)`/g, "$1");
    t = t.replace(/(^|\s)[*_]([^*_\s][^*_]*?)[*_](?=\s|$|[.,;:])/g, "$1$2");
  }
  return t.trim();
}

/**
 * A `**Label**: value` line (also `__Label__:`, `**Label:**`, and inside a list item).
 * Returns the label as written, the raw value and the value's 1-based column.
 */
export function boldLabel(line: string, item?: { readonly contentColumn: number } | null): { label: string; value: string; valueColumn: number; labelColumn: number } | null {
  // `item` is the line's list marker when the caller has read it already (null: the line is not a list item).
  const li = item === undefined ? listItem(line) : item;
  let k = 0;
  if (li) k = li.contentColumn - 1;
  else while (k < line.length && (line.charCodeAt(k) === 32 || line.charCodeAt(k) === 9)) k++;
  const c0 = line.charCodeAt(k);
  if ((c0 !== 42 /* * */ && c0 !== 95 /* _ */) || line.charCodeAt(k + 1) !== c0) return null;
  const mark = c0 === 42 ? "**" : "__";
  const close = line.indexOf(mark, k + 2);
  if (close < 0) return null;
  let label = line.slice(k + 2, close).trim();
  let p = close + 2;
  let colonInside = false;
  if (label.endsWith(":")) {
    label = label.slice(0, -1).trim();
    colonInside = true;
  }
  while (p < line.length && (line[p] === " " || line[p] === "\t")) p++;
  if (line[p] === ":") p++;
  else if (!colonInside) return null;
  while (p < line.length && (line[p] === " " || line[p] === "\t")) p++;
  return { label, value: line.slice(p), valueColumn: p + 1, labelColumn: k + 3 };
}

/** Lower-cased label with punctuation and numbering removed, for matching against known names. */
export function normalizeName(s: string, cache = true): string {
  // Headings are mostly unique (entity and API names) and would only churn the cache.
  if (!cache) return normalizeUncached(s);
  return nameCache.of(s, normalizeUncached);
}

// Labels repeat across lines and files ("Purpose", "Endpoint"); a small bounded cache keeps this off the profile.
const nameCache = new StringMemo<string>(2000);

function normalizeUncached(s: string): string {
  // Most labels and headings are plain words: skip the general path.
  if (/^[A-Za-z]+(?: [A-Za-z]+)*$/.test(s)) return s.toLowerCase();
  return s
    .toLowerCase()
    .replace(/[*_`]/g, "")
    .replace(/&/g, " and ")
    .replace(/^\s*(?:\d+(?:\.\d+)*\.?|[ivx]+\.)\s+/, "")
    .replace(/[\s-]+/g, " ")
    .replace(/[:. ]+$/, "") // after collapsing runs, so the trailing match stays linear
    .trim();
}

/** Splits a pipe-table row into cells, honouring `\|`; columns are 1-based. */
export function splitRow(line: string): { cells: { text: string; column: number; endColumn: number }[]; endColumn: number } {
  const cells: { text: string; column: number; endColumn: number }[] = [];
  let n = line.length;
  while (n > 0 && (line.charCodeAt(n - 1) === 32 || line.charCodeAt(n - 1) === 9)) n--;
  let i = 0;
  while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  if (line.charCodeAt(i) === 124) i++;
  let start = i;
  let escaped = false;
  for (; i <= n; i++) {
    const ch = i < n ? line.charCodeAt(i) : 124;
    if (ch === 92 && i + 1 < n) {
      if (line.charCodeAt(i + 1) === 124) escaped = true;
      i++;
      continue;
    }
    if (ch !== 124) continue;
    if (i === n && start === n) break; // trailing pipe
    let a = start;
    let b = i;
    while (a < b && (line.charCodeAt(a) === 32 || line.charCodeAt(a) === 9)) a++;
    while (b > a && (line.charCodeAt(b - 1) === 32 || line.charCodeAt(b - 1) === 9)) b--;
    const raw = line.slice(a, b);
    cells.push({ text: escaped ? raw.replace(/\\\|/g, "|") : raw, column: a + 1, endColumn: b + 1 });
    escaped = false;
    start = i + 1;
  }
  return { cells, endColumn: n + 1 };
}

const DELIMITER_CELL = /^:?-+:?$/;

/** True for a table delimiter row such as `|---|:--:|`. */
export function isDelimiterRow(cells: readonly { text: string }[]): boolean {
  return cells.length > 0 && cells.every((c) => DELIMITER_CELL.test(c.text.replace(/\s+/g, "")));
}

/** True when the line looks like a pipe-table row. */
export function isTableLine(line: string): boolean {
  const t = line.trimStart();
  return t.startsWith("|") || (t.includes("|") && /^[^|]+\|/.test(t) && t.split("|").length > 2);
}

/** Ranges [start, end) of backtick code spans in a line, found in one pass. */
export function codeSpans(line: string): [number, number][] {
  const out: [number, number][] = [];
  if (line.indexOf("`") < 0) return out;
  // Positions of every run of each length, so a closing run is found without rescanning.
  const runs: { at: number; n: number }[] = [];
  for (let i = 0; i < line.length; i++) {
    if (line.charCodeAt(i) !== 96) continue;
    let n = 1;
    while (line.charCodeAt(i + n) === 96) n++;
    runs.push({ at: i, n });
    i += n - 1;
  }
  const nextSame = new Array<number>(runs.length).fill(-1);
  const last = new Map<number, number>();
  for (let k = runs.length - 1; k >= 0; k--) {
    const r = runs[k]!;
    nextSame[k] = last.get(r.n) ?? -1;
    last.set(r.n, k);
  }
  for (let k = 0; k < runs.length; k++) {
    const close = nextSame[k]!;
    if (close < 0) continue;
    out.push([runs[k]!.at, runs[close]!.at + runs[close]!.n]);
    k = close;
  }
  return out;
}

/** True when `at` lies inside one of `spans` (sorted, as `codeSpans` returns them). */
export function inSpans(spans: readonly [number, number][], at: number): boolean {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = spans[mid]!;
    if (at < a) hi = mid - 1;
    else if (at >= b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Inline links `[text](href)` in a line, skipping images and code spans; one pass, columns 1-based. */
export function findLinks(line: string): { text: string; href: string; column: number; endColumn: number; hrefColumn: number }[] {
  const out: { text: string; href: string; column: number; endColumn: number; hrefColumn: number }[] = [];
  const spans = codeSpans(line);
  let open = 0; // the `[` still open are openStack[0..open)
  // Where the next `)` / `>` is, searched once per position so unclosed links stay linear.
  let parenAt = -1;
  const nextParen = (from: number): number => {
    if (from > parenAt && parenAt !== -2) {
      parenAt = line.indexOf(")", from);
      if (parenAt < 0) parenAt = -2;
    }
    return parenAt === -2 ? -1 : parenAt;
  };
  let angleAt = -1;
  const nextAngle = (from: number): number => {
    if (from > angleAt && angleAt !== -2) {
      angleAt = line.indexOf(">", from);
      if (angleAt < 0) angleAt = -2;
    }
    return angleAt === -2 ? -1 : angleAt;
  };
  // A destination scan with no `)` after it (`[](` repeated, say) is read once, not once per `](` inside it.
  let failed: DestinationEnds | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charCodeAt(i);
    if (ch === 92 /* \ */) {
      i++;
      continue;
    }
    if (ch === 91 /* [ */) {
      if (!inSpans(spans, i)) {
        if (open === openStack.length) openStack = grown(openStack);
        openStack[open++] = i;
      }
      continue;
    }
    if (ch !== 93 /* ] */ || open === 0 || inSpans(spans, i)) continue;
    const start = openStack[--open]!;
    if (line.charCodeAt(i + 1) !== 40 /* ( */ || line[start - 1] === "!") continue;
    let k = i + 2;
    let href: string;
    let hrefColumn: number;
    if (line[k] === "<") {
      const close = nextAngle(k);
      if (close < 0) continue;
      href = line.slice(k + 1, close);
      hrefColumn = k + 2;
      k = nextParen(close);
    } else {
      const s0 = k;
      k = failed !== null && s0 > failed.from && s0 < failed.to ? failed.end(s0) : destinationEnd(line, s0);
      href = line.slice(s0, k);
      hrefColumn = s0 + 1;
      if (line[k] !== ")") {
        const end = k;
        k = nextParen(k); // a link title follows
        // No `)` after this destination: a later destination that starts inside it ends where its parentheses
        // close below its start, or where this one ended; `failed` finds that without rescanning.
        if (k < 0 && (failed === null || s0 >= failed.to)) failed = new DestinationEnds(line, s0, end);
      }
    }
    if (k < 0) continue;
    out.push({ text: line.slice(start + 1, i), href, column: start + 1, endColumn: k + 2, hrefColumn });
    open = 0; // links do not nest
    i = k;
  }
  // A pathological line (a run of 100,000 `[`) does not keep its stack for the rest of the run.
  if (openStack.length > 65_536) openStack = new Int32Array(256);
  return out;
}

// Positions of unclosed `[`, shared by every call (findLinks never runs inside itself): one typed buffer instead
// of an array per line, which past 16,384 entries would be copied into a fresh large object at every growth.
let openStack: Int32Array = new Int32Array(256);

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Where a link destination starting at `from` ends: at a space or tab, at a `)` that closes below its start, or at
 * the end of the line (past it after a trailing backslash). Backslash escapes are skipped in pairs.
 */
function destinationEnd(line: string, from: number): number {
  let depth = 0;
  let k = from;
  while (k < line.length) {
    const c = line.charCodeAt(k);
    if (c === 92 /* \ */) { k += 2; continue; }
    if (c === 40 /* ( */) depth++;
    else if (c === 41 /* ) */) { if (depth === 0) break; depth--; }
    else if (c === 32 || c === 9) break;
    k++;
  }
  return k;
}

/**
 * `destinationEnd` for starts inside the destination [from, to) that a scan from `from` read, never falling below
 * its starting depth: a scan from a later start (on a backslash-pair boundary, as findLinks's are) ends at the first
 * `)` read at the depth it started at, or at `to`. The `)`s are grouped by the depth before them, and starts come
 * in increasing order, so every query advances cursors and the whole range is read twice at most.
 */
class DestinationEnds {
  /** Positions of each `)` by the depth before it (relative to `from`), in increasing order. */
  private readonly closes = new Map<number, number[]>();
  private readonly cursors = new Map<number, number>();
  /** A position on a pair boundary already reached by `end`, and the depth before it. */
  private at: number;
  private depth = 0;

  constructor(private readonly line: string, readonly from: number, readonly to: number) {
    this.at = from;
    let depth = 0;
    for (let k = from; k < to; k++) {
      const c = line.charCodeAt(k);
      if (c === 92) k++;
      else if (c === 40) depth++;
      else if (c === 41) {
        const list = this.closes.get(depth);
        if (list) list.push(k);
        else this.closes.set(depth, [k]);
        depth--;
      }
    }
  }

  /** Where a destination that starts at `start` (from < start < to, not before the previous start) ends. */
  end(start: number): number {
    while (this.at < start) {
      const c = this.line.charCodeAt(this.at);
      if (c === 92) { this.at += 2; continue; }
      if (c === 40) this.depth++;
      else if (c === 41) this.depth--;
      this.at++;
    }
    if (this.at !== start) return destinationEnd(this.line, start); // not on a pair boundary: read it directly
    const list = this.closes.get(this.depth);
    if (!list) return this.to;
    let c = this.cursors.get(this.depth) ?? 0;
    while (c < list.length && list[c]! < start) c++;
    this.cursors.set(this.depth, c);
    return c < list.length ? list[c]! : this.to;
  }
}

/**
 * A text as a message quotes it: long ones cut. Names repeat in the findings of their items (every constraint of an
 * entity's fields names the entity), so quoting them whole would make the report quadratic in a long name.
 */
export function excerpt(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/** The span of the first (or last) separator `\s+<mark>\s+` in `s`, for marks such as "-", "–", "—"; linear time. */
export function findSeparator(s: string, marks: string, last = false): { start: number; end: number } | null {
  const n = s.length;
  for (let step = 0; step < n; step++) {
    const i = last ? n - 1 - step : step;
    if (marks.indexOf(s[i]!) < 0) continue;
    if (i === 0 || i === n - 1 || !/\s/.test(s[i - 1]!) || !/\s/.test(s[i + 1]!)) continue;
    let a = i - 1;
    while (a > 0 && /\s/.test(s[a - 1]!)) a--;
    let b = i + 2;
    while (b < n && /\s/.test(s[b]!)) b++;
    return { start: a, end: b };
  }
  return null;
}

/** Splits a trailing parenthesized note off a value: "Approved (2026-02-01)" → ["Approved", "2026-02-01"]; linear time. */
export function splitParenSuffix(s: string): { head: string; note: string | null; noteStart: number } {
  const t = s.trimEnd();
  if (!t.endsWith(")")) return { head: s, note: null, noteStart: -1 };
  const open = t.lastIndexOf("(");
  if (open < 0 || t.indexOf(")", open) !== t.length - 1) return { head: s, note: null, noteStart: -1 };
  return { head: t.slice(0, open).trimEnd(), note: t.slice(open + 1, -1), noteStart: open };
}
