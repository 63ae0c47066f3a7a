// Links: every inline link and link reference definition of the document (for the link rule), and the link
// lists of Related Documents and References.
import type { InlineLink, SourceSection } from "../../model/source.js";
import type { Link } from "../../model/spec.js";
import { findLinks, plain } from "../inline.js";
import { NONE, span, type ParseContext } from "../context.js";
import { listItems } from "./lists.js";

/** Every link of the document outside code. */
export interface DocumentLinks {
  readonly links: InlineLink[];
  /** Labels of link reference definitions, lower-cased. */
  readonly labels: Set<string>;
  readonly definitions: InlineLink[];
  /** Reference definitions by lower-cased label. */
  readonly hrefByLabel: ReadonlyMap<string, string>;
}

/** Inline links and link reference definitions, in one pass over the non-code lines. */
export function collectLinks(ctx: ParseContext): DocumentLinks {
  const { lines, inCode } = ctx.scan;
  const links: InlineLink[] = [];
  const labels = new Set<string>();
  const definitions: InlineLink[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (inCode[i]) continue;
    const line = lines[i]!;
    if (line.indexOf("]") < 0) continue;
    if (line.indexOf("](") >= 0) {
      for (const k of findLinks(line)) {
        links.push({ text: k.text, href: k.href, line: i + 1, column: k.column, endColumn: k.endColumn, hrefColumn: k.hrefColumn });
      }
    }
    if (line.indexOf("]:") >= 0) {
      const m = /^(\s{0,3}\[([^\]^][^\]]*)\]:\s*)<?([^\s>]+)/.exec(line); // not footnotes ([^1]:)
      if (m) {
        labels.add(m[2]!.toLowerCase());
        const hrefColumn = line.indexOf(m[3]!, m[1]!.length) + 1;
        definitions.push({ text: m[2]!, href: m[3]!, line: i + 1, column: 1, endColumn: line.length + 1, hrefColumn });
      }
    }
  }
  return { links, labels, definitions, hrefByLabel: new Map(definitions.map((d) => [d.text.toLowerCase(), d.href])) };
}

/** The links a section lists (Related Documents, References) at `path/<i>`; a list item without a link keeps its text. */
export function readLinks(ctx: ParseContext, s: SourceSection, path: string, doc: DocumentLinks): Link[] {
  const out: Link[] = [];
  for (const it of listItems(ctx, s)) {
    if (NONE.test(it.text)) continue;
    const link = findLinks(it.raw)[0];
    ctx.pos.set(`${path}/${out.length}`, span(it.line, it.column, it.endColumn));
    if (link) {
      out.push({ title: plain(link.text), href: link.href });
      continue;
    }
    // A reference-style link: [text][label], [label][] or [label] with a definition.
    const ref = referenceLink(it.raw);
    const href = ref ? doc.hrefByLabel.get(ref.label.toLowerCase()) : undefined;
    out.push(ref && href !== undefined ? { title: plain(ref.text), href } : { title: it.text, href: null });
  }
  if (out.length === 0) {
    // Links written as paragraphs rather than a list.
    const { lines, inCode } = ctx.scan;
    for (let l = s.bodyStart; l <= s.bodyEnd; l++) {
      if (inCode[l - 1]) continue;
      for (const k of findLinks(lines[l - 1]!)) {
        ctx.pos.set(`${path}/${out.length}`, span(l, k.column, k.endColumn));
        out.push({ title: plain(k.text), href: k.href });
      }
    }
  }
  return out;
}

/** The first `[text][label]`, `[label][]` or `[label]` of a line; linear time. */
function referenceLink(raw: string): { text: string; label: string } | null {
  const open = raw.indexOf("[");
  if (open < 0) return null;
  const close = raw.indexOf("]", open + 1);
  if (close < 0) return null;
  const text = raw.slice(raw.lastIndexOf("[", close), close).slice(1);
  if (text === "") return null;
  if (raw[close + 1] === "[") {
    const end = raw.indexOf("]", close + 2);
    const label = end < 0 ? "" : raw.slice(close + 2, end);
    return { text, label: label || text };
  }
  return { text, label: text };
}
