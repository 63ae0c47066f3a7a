// Labelled blocks: `**Label**: value` lines (in a list or not, colon inside or outside the bold), known plain
// labels (`- Purpose: value`) and sub-headings, each with the lines that belong to it: its nested bullets, the
// bullets and paragraphs after a label that stands alone on its line, and its fenced code blocks.
import type { CodeBlock } from "../../model/source.js";
import { boldLabel, listItem, normalizeName, stripBreak } from "../inline.js";
import type { ParseContext } from "../context.js";

/** A line that belongs to a label. `code` is set on the opening line of a fenced block (its other lines are skipped). */
export interface BlockLine {
  readonly line: number;
  readonly text: string;
  readonly item: { readonly indent: number; readonly content: string; readonly contentColumn: number } | null;
  readonly code: CodeBlock | null;
}

/** One label and what belongs to it. */
export interface LabelledBlock {
  /** The label as written, and normalized for lookups. */
  readonly label: string;
  readonly key: string;
  readonly line: number;
  readonly labelColumn: number;
  /** The value on the label's own line (hard break removed), and its column. */
  readonly value: string;
  readonly valueColumn: number;
  /** True for a sub-heading used as a label. */
  readonly heading: boolean;
  readonly lines: BlockLine[];
}

/** A plain `- Label: value` line, when the label is a known one. */
function plainLabel(line: string, known: Readonly<Record<string, unknown>>): { label: string; value: string; valueColumn: number; labelColumn: number } | null {
  if (line.indexOf(":") < 0) return null;
  const m = /^(\s*[-*+]\s+)([A-Za-z][A-Za-z ]{1,30}?)\s*:\s*(.*)$/.exec(line);
  if (!m || known[normalizeName(m[2]!)] === undefined) return null;
  return { label: m[2]!, value: m[3]!, valueColumn: line.length - m[3]!.length + 1, labelColumn: m[1]!.length + 1 };
}

/**
 * Splits lines `from`..`to` into labelled blocks; `known` are the labels the reader understands (any bold label
 * still ends the one before it). Lines before the first label are returned under `loose`.
 */
export function labelledBlocks(ctx: ParseContext, from: number, to: number, known: Readonly<Record<string, unknown>>): { blocks: LabelledBlock[]; loose: BlockLine[] } {
  const { lines, inCode } = ctx.scan;
  const headingAt = ctx.headingAt;
  const blocks: LabelledBlock[] = [];
  const loose: BlockLine[] = [];
  let current: LabelledBlock | null = null;
  // The indentation of the current label's bullet; -1 when the label stands on a line of its own.
  let labelIndent = -1;
  for (let l = from; l <= to; l++) {
    const line = lines[l - 1]!;
    const code = inCode[l - 1];
    if (code === 2) continue;
    if (code === 1) {
      const block = ctx.blockAt.get(l);
      if (block) (current ? current.lines : loose).push({ line: l, text: line, item: null, code: block });
      continue;
    }
    const h = headingAt.get(l);
    if (h) {
      current = { label: h.text, key: normalizeName(h.text, false), line: l, labelColumn: h.column, value: "", valueColumn: h.endColumn, heading: true, lines: [] };
      blocks.push(current);
      labelIndent = -1;
      continue;
    }
    if (line.trim() === "") continue;
    const li = listItem(line);
    const deeper = li !== null && labelIndent >= 0 && li.indent > labelIndent;
    const b = deeper ? null : boldLabel(line, li) ?? (li !== null ? plainLabel(line, known) : null);
    const isKnown = b !== null && known[normalizeName(b.label)] !== undefined;
    // A bold label starts a block unless it is a bullet inside the current label's list (`- **409**: Conflict`).
    if (b && (isKnown || !li || labelIndent >= 0 || current === null)) {
      current = {
        label: b.label, key: normalizeName(b.label), line: l, labelColumn: b.labelColumn,
        value: stripBreak(b.value), valueColumn: b.valueColumn, heading: false, lines: [],
      };
      blocks.push(current);
      labelIndent = li ? li.indent : -1;
      continue;
    }
    if (li && labelIndent >= 0 && li.indent <= labelIndent) {
      current = null; // a sibling bullet that is not a label ends the label
      labelIndent = -1;
    }
    (current ? current.lines : loose).push({ line: l, text: line, item: li, code: null });
  }
  return { blocks, loose };
}
