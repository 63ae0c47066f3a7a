// The metadata block (Feature ID, Author, dates, Status), wherever authors put it before the content: under the
// title, under Overview, in a blockquote, as bold or plain labels, bullets, or a table (one row per key, or one
// header row of keys over a row of values).
import type { Metadata } from "../../model/spec.js";
import { boldLabel, isDelimiterRow, isTableLine, normalizeName, plain, splitRow, stripBreak } from "../inline.js";
import { normalizeStatus } from "../normalize.js";
import { span, type ParseContext } from "../context.js";

type Key = keyof Metadata;

/** The metadata labels, by normalized spelling. */
export const METADATA_LABELS: Readonly<Record<string, Key>> = {
  "feature id": "featureId", id: "featureId", feature: "featureId", "spec id": "featureId", "document id": "featureId",
  "feature identifier": "featureId", "spec identifier": "featureId",
  author: "author", authors: "author", owner: "author", owners: "author", "author and role": "author", "authored by": "author",
  "created date": "createdDate", created: "createdDate", "date created": "createdDate", "creation date": "createdDate", date: "createdDate",
  "created on": "createdDate",
  "last updated": "lastUpdated", updated: "lastUpdated", "last modified": "lastUpdated", "updated date": "lastUpdated",
  "last update": "lastUpdated", "updated on": "lastUpdated", modified: "lastUpdated",
  status: "status", state: "status", "document status": "status", "spec status": "status",
};

/** What the metadata reader found: the values, and the Status as written (for casing fixes). */
export interface MetadataResult {
  readonly metadata: Metadata;
  readonly rawStatus: string | null;
}

const BLOCKQUOTE = /^ {0,3}(?:> ?)+/;
const PLAIN_LABEL = /^(\s*(?:[-*+]\s+)?)(?:([*_])([^*_]{1,40})\2|([A-Za-z][A-Za-z ]{1,24}))\s*:\s*(.*)$/;

/** Reads metadata from the given line ranges (1-based, inclusive); the first value of each key wins. */
export function readMetadata(ctx: ParseContext, ranges: readonly (readonly [number, number])[]): MetadataResult {
  const { lines, inCode } = ctx.scan;
  const meta: { -readonly [K in Key]: Metadata[K] } = { featureId: null, author: null, createdDate: null, lastUpdated: null, status: null };
  let rawStatus: string | null = null;
  const set = (field: Key, value: string, line: number, column: number, rawEnd: number): void => {
    if (meta[field] !== null) return;
    const raw = stripBreak(value).trim();
    const v = plain(raw);
    const vCol = column + Math.max(0, raw.indexOf(v.charAt(0)));
    ctx.pos.set(`metadata/${field}`, span(line, vCol, rawEnd > 0 && v === raw.replace(/\\\|/g, "|") ? rawEnd : vCol + v.length));
    if (field === "status") {
      rawStatus = v;
      meta.status = normalizeStatus(v);
    } else {
      meta[field] = v;
    }
  };
  for (const [from, to] of ranges) {
    for (let l = from; l <= to; l++) {
      if (inCode[l - 1]) continue;
      const full = lines[l - 1]!;
      const quote = BLOCKQUOTE.exec(full);
      const offset = quote ? quote[0].length : 0;
      const line = offset ? full.slice(offset) : full;
      if (isTableLine(line)) {
        const row = splitRow(line);
        const keys = row.cells.map((c) => METADATA_LABELS[normalizeName(plain(c.text))]);
        const next = l + 1 <= to ? splitRow((lines[l] ?? "").replace(BLOCKQUOTE, "")) : null;
        if (keys.filter(Boolean).length >= 2 && next && isDelimiterRow(next.cells) && l + 2 <= to && isTableLine(lines[l + 1] ?? "")) {
          // A header row of keys over one row of values.
          const valueLine = lines[l + 1]!;
          const vOffset = BLOCKQUOTE.exec(valueLine)?.[0].length ?? 0;
          const values = splitRow(valueLine.slice(vOffset)).cells;
          keys.forEach((k, i) => {
            const c = values[i];
            if (k && c) set(k, c.text, l + 2, c.column + vOffset, c.endColumn + vOffset);
          });
          l += 2;
          continue;
        }
        if (row.cells.length >= 2) {
          const field = METADATA_LABELS[normalizeName(row.cells[0]!.text.replace(/[*_`]/g, ""))];
          const cell = row.cells[1]!;
          // The cell as written (escapes included) is what an edit replaces.
          if (field) set(field, cell.text, l, cell.column + offset, cell.endColumn + offset);
        }
        continue;
      }
      const b = boldLabel(line);
      if (b) {
        const field = METADATA_LABELS[normalizeName(b.label)];
        if (field) set(field, b.value, l, b.valueColumn + offset, -1);
        continue;
      }
      const m = PLAIN_LABEL.exec(line);
      if (m) {
        const field = METADATA_LABELS[normalizeName(m[3] ?? m[4]!)];
        if (field) set(field, m[5]!, l, line.length - m[5]!.length + 1 + offset, -1);
      }
    }
  }
  return { metadata: meta, rawStatus };
}
