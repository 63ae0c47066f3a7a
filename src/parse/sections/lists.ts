// Sections whose value is a list of strings (Open Questions, Libraries and Frameworks, deployment Dependencies):
// top-level bullets with their continuation lines, or paragraphs when the author wrote no list.
import type { SourceSection } from "../../model/source.js";
import { listItem, plain, stripBreak } from "../inline.js";
import { NONE, span, THEMATIC_BREAK, type ParseContext } from "../context.js";

/** One top-level list item of a section, continuation lines joined. */
export interface ListEntry {
  text: string;
  readonly raw: string;
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
}

/** Top-level list items of a section's own body, with continuation lines joined. */
export function listItems(ctx: ParseContext, s: SourceSection): ListEntry[] {
  const { lines, inCode } = ctx.scan;
  const items: ListEntry[] = [];
  let base = -1;
  for (let l = s.bodyStart; l <= s.bodyEnd; l++) {
    if (inCode[l - 1]) continue;
    const line = lines[l - 1]!;
    const li = listItem(line);
    if (li && (base < 0 || li.indent <= base + 1)) {
      if (base < 0) base = li.indent;
      const raw = stripBreak(li.content);
      items.push({ text: plain(raw), raw, line: l, column: li.contentColumn, endColumn: li.contentColumn + raw.length });
    } else if (items.length && line.trim() !== "" && (li || /^\s/.test(line))) {
      const last = items[items.length - 1]!;
      const more = plain(li ? li.content : line);
      last.text = `${last.text}${li ? "; " : " "}${more}`;
    }
  }
  return items;
}

/** The section's list as strings at `path/<i>`; paragraphs stand for items when there is no list; "None." is an empty list. */
export function readStrings(ctx: ParseContext, s: SourceSection, path: string): string[] {
  const items = listItems(ctx, s);
  const out: string[] = [];
  if (items.length === 0) {
    const { lines, inCode } = ctx.scan;
    let para: string[] = [];
    let first = 0;
    const flush = (): void => {
      const text = plain(para.join(" "));
      if (para.length && !NONE.test(text)) {
        ctx.pos.set(`${path}/${out.length}`, span(first, 1, lines[first - 1]!.length + 1));
        out.push(text);
      }
      para = [];
    };
    for (let l = s.bodyStart; l <= s.bodyEnd; l++) {
      const line = lines[l - 1]!;
      if (inCode[l - 1] === 2 || THEMATIC_BREAK.test(line) || line.trim() === "") {
        flush();
        continue;
      }
      if (para.length === 0) first = l;
      para.push(stripBreak(line).trim());
    }
    flush();
    return out;
  }
  for (const it of items) {
    if (NONE.test(it.text)) continue;
    ctx.pos.set(`${path}/${out.length}`, span(it.line, it.column, it.endColumn));
    out.push(it.text);
  }
  return out;
}
