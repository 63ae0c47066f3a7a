import type { Rule } from "./rule.js";
import { at, isPlaceholder } from "./util.js";

const FOREIGN_KEY = /(?:foreign\s+key|\bfk\b|references)\s*(?:→|->|=>|to\b|:)?\s*`?([A-Za-z_][\w]*)(?:\.([A-Za-z_]\w*))?/i;
const PRIMARY_KEY = /\bprimary\s+key\b|\bpk\b/i;

/** Entity name and field a Foreign key constraint points at, if the constraint has one. */
export function foreignKeyOf(constraints: string): { entity: string; field: string | null } | null {
  const m = FOREIGN_KEY.exec(constraints);
  return m ? { entity: m[1]!, field: m[2] ?? null } : null;
}

export const entityTable: Rule = {
  id: "entity-table",
  description: "Entity tables have the Field/Type/Description/Constraints header, 4 cells a row, unique fields, one primary key unless composite, and foreign keys to existing entities (a duplicate entity name is a warning).",
  defaultSeverity: "error",
  docs: {
    bad: "| Field | Type | Description | Constraints |\n|---|---|---|---|\n| id | UUID | Identifier | Primary key |\n| id | UUID | Duplicate |\n| orderId | UUID | Order | Foreign key → Ordr.id |",
    good: "| Field | Type | Description | Constraints |\n|---|---|---|---|\n| id | UUID | Identifier | Primary key |\n| orderId | UUID | Order | Foreign key → Order.id |",
  },
  check(ctx, report) {
    const { spec, source } = ctx;
    const entities = spec.dataModel.entities;
    const byName = new Map(entities.map((e) => [e.name.toLowerCase(), e]));
    const entityNames = new Map<string, number>();
    for (const et of source.entityTables) {
      const e = entities[et.entity]!;
      const base = `dataModel/entities/${et.entity}`;
      const firstIndex = isPlaceholder(e.name) ? undefined : entityNames.get(e.name.toLowerCase());
      if (firstIndex !== undefined) {
        report({ message: `Entity "${e.name}" is declared twice (first as entity ${firstIndex + 1})`, at: at(ctx, base), severity: "warning" });
      } else entityNames.set(e.name.toLowerCase(), et.entity);
      const t = et.table;
      if (!t) {
        report({ message: `Entity "${e.name}" has no field table (| Field | Type | Description | Constraints |)`, at: at(ctx, base) });
        continue;
      }
      const missing = (["name", "type", "description", "constraints"] as const).filter((k) => et.columns[k] < 0);
      const width = t.header.cells.length;
      if (missing.length || width !== 4) {
        const names = { name: "Field", type: "Type", description: "Description", constraints: "Constraints" };
        report({
          message: `Entity "${e.name}" table header should be | Field | Type | Description | Constraints |${missing.length ? ` (missing ${missing.map((k) => names[k]).join(", ")})` : ` (found ${width} columns)`}`,
          at: { line: t.header.line, column: 1, endLine: t.header.line, endColumn: t.header.endColumn },
        });
      }
      if (!t.delimiter) {
        report({ message: `Entity "${e.name}" table has no delimiter row (|---|---|---|---|) under its header`, at: { line: t.header.line + 1, column: 1, endLine: t.header.line + 1, endColumn: 1 } });
      }
      const fieldNames = new Map<string, number>();
      let primaryKeys = 0;
      // A composite key is declared on a key's constraint or in the entity's text above the table.
      let composite = /composite/i.test(source.lines.slice(at(ctx, base).line, t.header.line - 1).join(" "));
      t.rows.forEach((row, k) => {
        const rowAt = { line: row.line, column: 1, endLine: row.line, endColumn: row.endColumn };
        if (row.cells.length !== width || row.cells.length !== 4) {
          report({ message: `Row of entity "${e.name}" has ${row.cells.length} cells, expected 4 (Field | Type | Description | Constraints)`, at: rowAt });
        }
        const f = e.fields[k]!;
        const cellAt = (col: number) => {
          const c = row.cells[col];
          return c ? { line: row.line, column: c.column, endLine: row.line, endColumn: c.endColumn } : rowAt;
        };
        if (f.name === "") {
          report({ message: `Row of entity "${e.name}" has no field name`, at: rowAt });
          return;
        }
        if (isPlaceholder(f.name)) return;
        const seen = fieldNames.get(f.name.toLowerCase());
        if (seen !== undefined) {
          report({ message: `Field "${f.name}" of entity "${e.name}" is declared twice (first on line ${seen})`, at: cellAt(et.columns.name >= 0 ? et.columns.name : 0) });
        } else fieldNames.set(f.name.toLowerCase(), row.line);
        if (f.type === "") report({ message: `Field "${f.name}" of entity "${e.name}" has no type`, at: cellAt(et.columns.type >= 0 ? et.columns.type : 1) });
        if (PRIMARY_KEY.test(f.constraints)) {
          primaryKeys++;
          if (/composite/i.test(f.constraints)) composite = true;
        }
        const fk = foreignKeyOf(f.constraints);
        if (fk && !isPlaceholder(f.constraints)) {
          const target = byName.get(fk.entity.toLowerCase());
          const where = cellAt(et.columns.constraints >= 0 ? et.columns.constraints : 3);
          if (!target) {
            report({ message: `Foreign key of "${e.name}.${f.name}" names entity "${fk.entity}", which is not in the Data Model`, at: where });
          } else if (fk.field && !target.fields.some((x) => x.name.toLowerCase() === fk.field!.toLowerCase())) {
            report({ message: `Foreign key of "${e.name}.${f.name}" names field "${fk.entity}.${fk.field}", which entity "${target.name}" does not have`, at: where });
          }
        }
      });
      if (primaryKeys > 1 && !composite) {
        report({
          message: `Entity "${e.name}" has ${primaryKeys} primary keys (declare a composite key as "Primary key (composite)")`,
          at: at(ctx, base),
        });
      }
    }
  },
};
