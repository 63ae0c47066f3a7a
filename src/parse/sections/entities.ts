// One entity of the Data Model: its field table, read by the header's column names in any order; columns
// techspec has no field for are kept in each field's `extra`.
import type { EntityTable, SourceSection, TableRow } from "../../model/source.js";
import type { Entity, Field } from "../../model/spec.js";
import { isDelimiterRow, isTableLine, normalizeName, plain, splitRow } from "../inline.js";
import { itemName } from "../section-keys.js";
import { span, type ParseContext } from "../context.js";

type Role = "name" | "type" | "description" | "constraints" | "required";

/** Header names of an entity table's columns: the role each names, and its rank within the role (Constraints before Notes). */
const COLUMN_NAMES: ReadonlyMap<string, { readonly role: Role; readonly rank: number }> = new Map(([
  ["name", 0, ["field", "fields", "field name", "name", "column", "column name", "attribute", "property", "property name"]],
  ["type", 0, ["type", "data type", "datatype", "sql type", "column type", "field type"]],
  ["required", 0, ["required", "mandatory", "req", "required?"]],
  ["constraints", 0, ["constraints", "constraint", "validation", "validations", "validation rules"]],
  ["constraints", 1, ["rules", "notes", "note", "modifiers", "attributes"]],
  ["description", 0, ["description", "desc", "meaning", "purpose", "details", "definition"]],
  ["description", 1, ["comments", "comment", "remarks", "remark"]],
] as const).flatMap(([role, rank, names]) => names.map((n) => [n, { role, rank }] as const)));

const NO_EXTRA: Record<string, string> = Object.freeze({});

/** Reads the entity of section `s`: the first table in its extent is its field table. */
export function readEntity(ctx: ParseContext, s: SourceSection, index: number): { entity: Entity; table: EntityTable } {
  const base = `dataModel/entities/${index}`;
  ctx.pos.set(base, s.span);
  ctx.pos.set(`${base}/name`, s.span);
  const { lines, inCode } = ctx.scan;
  const name = itemName(s.heading);
  const fields: Field[] = [];
  const columns = { name: -1, type: -1, description: -1, constraints: -1, required: -1 };
  let l = s.bodyStart;
  while (l <= s.end && (inCode[l - 1] || !isTableLine(lines[l - 1]!))) l++;
  if (l > s.end) return { entity: { name, fields }, table: { entity: index, table: null, columns } };
  const rows: TableRow[] = [];
  for (; l <= s.end && !inCode[l - 1] && isTableLine(lines[l - 1]!); l++) {
    const r = splitRow(lines[l - 1]!);
    rows.push({ line: l, cells: r.cells, endColumn: r.endColumn });
  }
  const header = rows[0]!;
  const delimiter = rows[1] && isDelimiterRow(rows[1].cells) ? rows[1] : null;
  const body = rows.slice(delimiter ? 2 : 1);
  // Each role takes its best-ranked column, the leftmost among equals.
  const best: Partial<Record<Role, number>> = {};
  header.cells.forEach((c, k) => {
    const hit = COLUMN_NAMES.get(normalizeName(plain(c.text)));
    if (!hit) return;
    const current = best[hit.role];
    if (current === undefined || hit.rank < COLUMN_NAMES.get(normalizeName(plain(header.cells[current]!.text)))!.rank) best[hit.role] = k;
  });
  const taken = new Set<number>();
  for (const role of Object.keys(best) as Role[]) {
    columns[role] = best[role]!;
    taken.add(best[role]!);
  }
  // A header with no column name techspec knows is read by position, as the template orders it.
  const known = taken.size > 0;
  const col: Record<Role, number> = {
    name: columns.name >= 0 ? columns.name : !taken.has(0) ? 0 : -1,
    type: columns.type >= 0 ? columns.type : !taken.has(1) ? 1 : -1,
    description: columns.description >= 0 ? columns.description : known ? -1 : 2,
    constraints: columns.constraints >= 0 ? columns.constraints : known ? -1 : 3,
    required: columns.required,
  };
  const used = new Set(Object.values(col).filter((k) => k >= 0));
  const extraCols = header.cells.map((c, k) => ({ k, name: plain(c.text) || `Column ${k + 1}` })).filter((c) => !used.has(c.k));
  for (const r of body) {
    const cell = (k: number): string => (k < 0 ? "" : plain(r.cells[k]?.text ?? ""));
    // Cell spans stay in `source.entityTables`; the row span is enough for the model.
    ctx.pos.set(`${base}/fields/${fields.length}`, span(r.line, 1, r.endColumn));
    // Most tables have no other columns: their fields share one frozen empty object.
    let extra: Record<string, string> = NO_EXTRA;
    if (extraCols.length > 0) {
      extra = {};
      for (const c of extraCols) if (r.cells[c.k] !== undefined) extra[c.name] = cell(c.k);
    }
    fields.push({
      name: cell(col.name), type: cell(col.type), description: cell(col.description), constraints: cell(col.constraints),
      required: col.required >= 0 ? cell(col.required) : null, extra,
    });
  }
  return { entity: { name, fields }, table: { entity: index, table: { header, delimiter, rows: body }, columns } };
}
