/** Small inline readers shared by the section readers: labels, plain text, links, table cells. */

const LIST_ITEM = /^(\s*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)/;

/** The indentation and content of a list item line, or null when the line is not one. */
export function listItem(line: string): { indent: number; content: string; contentColumn: number } | null {
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

/** Plain text of an inline value: emphasis, code ticks and surrounding quotes removed, whitespace trimmed. */
export function plain(s: string): string {
  let t = stripBreak(s).trim();
  if (t.indexOf("*") >= 0 || t.indexOf("_") >= 0 || t.indexOf("`") >= 0) {
    t = t.replace(/(\*\*|__)(.+?)\1/g, "$2").replace(/`([^`]*)`/g, "$1");
    t = t.replace(/(^|\s)[*_]([^*_\s][^*_]*?)[*_](?=\s|$|[.,;:])/g, "$1$2");
  }
  return t.trim();
}

/**
 * A `**Label**: value` line (also `__Label__:`, `**Label:**`, and inside a list item).
 * Returns the label as written, the raw value and the value's 1-based column.
 */
export function boldLabel(line: string): { label: string; value: string; valueColumn: number; labelColumn: number } | null {
  let k = 0;
  while (k < line.length && (line[k] === " " || line[k] === "\t")) k++;
  const li = LIST_ITEM.exec(line);
  if (li) k = li[0].length;
  const mark = line.slice(k, k + 2);
  if (mark !== "**" && mark !== "__") return null;
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
export function normalizeName(s: string): string {
  const hit = nameCache.get(s);
  if (hit !== undefined) return hit;
  const v = normalizeUncached(s);
  if (nameCache.size > 2000) nameCache.clear();
  nameCache.set(s, v);
  return v;
}

// Labels repeat across lines and files ("Purpose", "Endpoint"); a small bounded cache keeps this off the profile.
const nameCache = new Map<string, string>();

function normalizeUncached(s: string): string {
  return s
    .toLowerCase()
    .replace(/[*_`]/g, "")
    .replace(/&/g, " and ")
    .replace(/^\s*(?:\d+(?:\.\d+)*\.?|[ivx]+\.)\s+/, "")
    .replace(/[:.\s]+$/, "")
    .replace(/[\s-]+/g, " ")
    .trim();
}

/** Splits a pipe-table row into cells, honouring `\|`; columns are 1-based. */
export function splitRow(line: string): { cells: { text: string; column: number; endColumn: number }[]; endColumn: number } {
  const cells: { text: string; column: number; endColumn: number }[] = [];
  let i = 0;
  const n = line.trimEnd().length;
  while (i < n && (line[i] === " " || line[i] === "\t")) i++;
  if (line[i] === "|") i++;
  let start = i;
  for (; i <= n; i++) {
    const ch = i < n ? line[i] : "|";
    if (ch === "\\" && i + 1 < n) {
      i++;
      continue;
    }
    if (ch === "|") {
      if (i === n && start === n) break; // trailing pipe
      const raw = line.slice(start, i);
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      cells.push({ text: text.replace(/\\\|/g, "|"), column: start + lead + 1, endColumn: start + lead + text.length + 1 });
      start = i + 1;
    }
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

/** Inline links `[text](href)` in a line, skipping images and code spans; columns are 1-based. */
export function findLinks(line: string): { text: string; href: string; column: number; endColumn: number; hrefColumn: number }[] {
  const out: { text: string; href: string; column: number; endColumn: number; hrefColumn: number }[] = [];
  let from = 0;
  for (;;) {
    const mid = line.indexOf("](", from);
    if (mid < 0) return out;
    from = mid + 2;
    // Find the matching `[` to the left, allowing nested brackets and escapes.
    let depth = 0;
    let open = -1;
    for (let j = mid - 1; j >= 0; j--) {
      const ch = line[j];
      if (line[j - 1] === "\\") continue;
      if (ch === "]") depth++;
      else if (ch === "[") {
        if (depth === 0) {
          open = j;
          break;
        }
        depth--;
      }
    }
    if (open < 0 || line[open - 1] === "!" || insideCodeSpan(line, open)) continue;
    let k = mid + 2;
    let href: string;
    let hrefColumn: number;
    if (line[k] === "<") {
      const close = line.indexOf(">", k);
      if (close < 0) continue;
      href = line.slice(k + 1, close);
      hrefColumn = k + 2;
      k = line.indexOf(")", close);
    } else {
      let depthP = 0;
      const s = k;
      while (k < line.length) {
        const ch = line[k];
        if (ch === "\\") { k += 2; continue; }
        if (ch === "(") depthP++;
        else if (ch === ")") { if (depthP === 0) break; depthP--; }
        else if (ch === " " || ch === "\t") break;
        k++;
      }
      href = line.slice(s, k);
      hrefColumn = s + 1;
      if (line[k] !== ")") k = line.indexOf(")", k); // a link title follows
    }
    if (k < 0) continue;
    out.push({ text: line.slice(open + 1, mid), href, column: open + 1, endColumn: k + 2, hrefColumn });
    from = k + 1;
  }
}

function insideCodeSpan(line: string, at: number): boolean {
  let ticks = 0;
  for (let i = 0; i < at; i++) if (line.charCodeAt(i) === 96) ticks++;
  return ticks % 2 === 1;
}

