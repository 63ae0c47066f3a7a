// Review comments stay pinned to the text they quote: when a spec changes, each comment moves to where its quote
// is now (the occurrence nearest its old place), and one whose quote is gone is marked outdated — never dropped.
// Lines and headings come from the parser's reading of the spec (its line starts and sections).
import type { SpecSource } from "../model/source.js";
import type { Comment } from "../store/store.js";

export interface AnchorUpdate {
  readonly id: number;
  readonly startLine: number;
  readonly endLine: number;
  readonly heading: string;
  readonly outdated: boolean;
}

/** 1-based line of an offset, from the offsets where lines start. */
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

/** The heading of the innermost section holding a 1-based line, or "". */
function headingAt(source: SpecSource, line: number): string {
  let heading = "";
  for (const s of source.sections) {
    if (s.line > line) break;
    heading = s.heading;
  }
  return heading;
}

/** Where each comment of a spec belongs in `source`; only the comments whose place changed. */
export function reanchor(comments: readonly Comment[], source: SpecSource): AnchorUpdate[] {
  const { text } = source;
  // Quotes are taken from the spec's lines (without their \r): a CRLF file is searched with its own line ends.
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const out: AnchorUpdate[] = [];
  for (const c of comments) {
    const quote = c.anchor.quote.split(/\r?\n/).join(eol);
    let best = -1;
    let bestDistance = Infinity;
    // At most 1,000 occurrences are weighed: a quote of one common word may appear everywhere.
    let seen = 0;
    for (let at = text.indexOf(quote); at >= 0 && quote.length > 0 && seen++ < 1000; at = text.indexOf(quote, at + 1)) {
      const distance = Math.abs(lineAt(source.lineStarts, at) - c.anchor.startLine);
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
    const startLine = lineAt(source.lineStarts, best);
    const endLine = lineAt(source.lineStarts, best + Math.max(quote.length - 1, 0));
    const heading = headingAt(source, startLine) || c.anchor.heading;
    if (c.outdated || startLine !== c.anchor.startLine || endLine !== c.anchor.endLine || heading !== c.anchor.heading) {
      out.push({ id: c.id, startLine, endLine, heading, outdated: false });
    }
  }
  return out;
}
