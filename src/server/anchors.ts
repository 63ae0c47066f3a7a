// Review comments stay pinned to the text they quote: when a spec changes, each comment moves to where its quote
// is now (the occurrence nearest its old place), and one whose quote is gone is marked outdated — never dropped.
import type { Comment } from "../store/store.js";

export interface AnchorUpdate {
  readonly id: number;
  readonly startLine: number;
  readonly endLine: number;
  readonly heading: string;
  readonly outdated: boolean;
}

const lineStarts = (text: string): number[] => {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
};

/** 1-based line of an offset. */
function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The text of the last ATX heading at or above a 1-based line, or "". */
function headingAbove(lines: readonly string[], line: number): string {
  let fence: string | null = null;
  let heading = "";
  for (let i = 0; i < line && i < lines.length; i++) {
    const l = lines[i]!;
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(l);
    if (f) {
      if (fence === null) fence = f[1]![0]!;
      else if (f[1]![0] === fence) fence = null;
      continue;
    }
    const h = fence === null ? /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(l) : null;
    if (h) heading = h[1]!;
  }
  return heading;
}

/** Where each thread-starting comment of a spec belongs in `text`; only the comments whose place changed. */
export function reanchor(comments: readonly Comment[], text: string): AnchorUpdate[] {
  const normalized = text.replace(/\r\n?/g, "\n");
  const starts = lineStarts(normalized);
  const lines = normalized.split("\n");
  const out: AnchorUpdate[] = [];
  for (const c of comments) {
    const quote = c.anchor.quote.replace(/\r\n?/g, "\n");
    let best = -1;
    let bestDistance = Infinity;
    // At most 1,000 occurrences are weighed: a quote of one common word may appear everywhere.
    let seen = 0;
    for (let at = normalized.indexOf(quote); at >= 0 && quote.length > 0 && seen++ < 1000; at = normalized.indexOf(quote, at + 1)) {
      const distance = Math.abs(lineAt(starts, at) - c.anchor.startLine);
      if (distance < bestDistance) {
        best = at;
        bestDistance = distance;
      }
      if (distance === 0) break;
    }
    if (best < 0) {
      if (!c.outdated) out.push({ id: c.id, startLine: c.anchor.startLine, endLine: c.anchor.endLine, heading: c.anchor.heading, outdated: true });
      continue;
    }
    const startLine = lineAt(starts, best);
    const endLine = lineAt(starts, best + Math.max(quote.length - 1, 0));
    const heading = headingAbove(lines, startLine) || c.anchor.heading;
    if (c.outdated || startLine !== c.anchor.startLine || endLine !== c.anchor.endLine || heading !== c.anchor.heading) {
      out.push({ id: c.id, startLine, endLine, heading, outdated: false });
    }
  }
  return out;
}
