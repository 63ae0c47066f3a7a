import type { Span } from "../model/position.js";
import { excerpt } from "../parse/inline.js";
import { parseFieldType } from "../types/data-type.js";
import { requiredFlag } from "../types/field-info.js";
import { namingProblems, problemSpan, relationalModel } from "../types/relational-model.js";
import type { Rule } from "./rule.js";
import { at, isPlaceholder, sectionByKey } from "./util.js";

/** Data Model text that says the feature has no data of its own. */
const NO_DATA_MODEL = /\b(?:none|n\/a|not applicable|unchanged|stateless|no (?:new |changes to the |persistent |stored )?(?:data model|data|entities|entity|tables?|schema|database|storage)(?: changes?)?|no (?:data model |schema |database )?changes?)\b/i;

export const entityTable: Rule = {
  id: "entity-table",
  description: "Entity tables have a Field and a Type column (any order; Description, Constraints, Required and other columns optional), as many cells a row as the header, at least one field, unique fields and SQL names, one primary key unless composite, readable Required cells, and foreign keys, defaults and checks PostgreSQL and SQLite accept (a duplicate entity name, and a Data Model without entities, are warnings).",
  defaultSeverity: "error",
  docs: {
    bad: "| Field | Type | Description | Constraints |\n|---|---|---|---|\n| id | UUID | Identifier | Primary key |\n| id | UUID | Duplicate | |\n| orderId | Integer | Order | Foreign key → Order.id, Check must be positive |",
    good: "| Field | Type | Required | Description | Validation |\n|---|---|---|---|---|\n| id | UUID | Yes (PK) | Identifier | |\n| orderId | UUID | Yes | Order | Foreign key → Order.id |\n| quantity | Integer | Yes | Units | Check > 0 |",
  },
  check(ctx, report) {
    const { spec, source, pos } = ctx;
    const entities = spec.dataModel.entities;

    const dm = sectionByKey(source, "dataModel");
    if (dm && entities.length === 0) {
      const index = source.sections.indexOf(dm);
      const hasChildren = source.sections.some((s) => s.parent === index);
      // An empty section is empty-section's finding; text saying there is no data model is deliberate.
      if ((dm.hasText || hasChildren) && !NO_DATA_MODEL.test(spec.dataModel.overview ?? "")) {
        report({
          message: `Data Model section has no entity (add "Entity 1: Name" with a | Field | Type | Description | Constraints | table, or say "None" when the feature stores no data)`,
          at: dm.span, severity: "warning",
        });
      }
    }

    const entityNames = new Map<string, number>();
    for (const et of source.entityTables) {
      const e = entities[et.entity]!;
      const base = `dataModel/entities/${et.entity}`;
      const firstIndex = isPlaceholder(e.name) || e.name.trim() === "" ? undefined : entityNames.get(e.name.toLowerCase());
      if (firstIndex !== undefined) {
        report({ message: `Entity "${e.name}" is declared twice (first as entity ${firstIndex + 1}); only the first is exported`, at: at(ctx, base), severity: "warning" });
      } else entityNames.set(e.name.toLowerCase(), et.entity);
      const t = et.table;
      if (!t) continue; // an entity without fields is a relational-model problem, reported below
      const header = t.header.cells.map((c) => c.text.trim());
      const missing = [et.columns.name < 0 ? "Field" : "", et.columns.type < 0 ? "Type" : ""].filter(Boolean);
      if (missing.length) {
        report({
          message: `Entity "${e.name}" table has no ${missing.join(" and no ")} column (expected | Field | Type | Description | Constraints |; Field may be called Name, Column or Property, and columns may come in any order)`,
          at: { line: t.header.line, column: 1, endLine: t.header.line, endColumn: t.header.endColumn },
        });
      }
      if (!t.delimiter) {
        report({ message: `Entity "${e.name}" table has no delimiter row (|---|---|) under its header`, at: { line: t.header.line + 1, column: 1, endLine: t.header.line + 1, endColumn: 1 } });
      }
      const width = t.header.cells.length;
      const headerShown = excerpt(`| ${header.join(" | ")} |`); // once per table, quoted in each short row
      let primaryKeys = 0;
      // A composite key is declared on a key's constraint or in the entity's text above the table.
      let composite = source.lines.slice(at(ctx, base).line, t.header.line - 1).some((l) => /composite/i.test(l));
      for (let k = 0; k < t.rows.length; k++) {
        const row = t.rows[k]!;
        const rowAt = (): Span => ({ line: row.line, column: 1, endLine: row.line, endColumn: row.endColumn });
        if (row.cells.length !== width) {
          report({ message: `Row of entity "${excerpt(e.name)}" has ${row.cells.length} cell${row.cells.length === 1 ? "" : "s"}, expected ${width} like its header (${headerShown})`, at: rowAt() });
        }
        const f = e.fields[k];
        if (!f || f.name === "" || isPlaceholder(f.name)) continue;
        const info = ctx.field(f);
        if (info.primaryKey) {
          primaryKeys++;
          if (info.constraints.some((c) => c.kind === "primaryKey" && c.composite)) composite = true;
        }
        const flag = requiredFlag(f.required);
        if (f.required !== null && f.required.trim() !== "" && !isPlaceholder(f.required) && flag.required === null && flag.note === null) {
          const c = et.columns.required >= 0 ? row.cells[et.columns.required] : undefined;
          report({ message: `Required "${excerpt(f.required ?? "")}" of "${excerpt(e.name)}.${excerpt(f.name)}" is not a value techspec reads (expected Yes, No, or Yes (PK))`,
            at: c ? { line: row.line, column: c.column, endLine: row.line, endColumn: c.endColumn } : rowAt() });
        }
        // Contradictory markers: the export would have to pick one. (Only a field marked both ways can be one.)
        if (!info.nullable && !info.primaryKey) continue;
        const markedType = /[?|<]/.test(f.type) && parseFieldType(f.type).nullable;
        const nullBecause = [
          markedType ? `type "${f.type}"` : "",
          info.constraints.some((c) => c.kind === "nullable") ? "Nullable" : "",
          flag.required === false ? `Required "${f.required}"` : "",
        ].filter(Boolean);
        const notNullBecause = [
          info.primaryKey ? "primary key" : "",
          info.constraints.some((c) => c.kind === "notNull") ? "Not null" : "",
          flag.required === true && !info.primaryKey ? `Required "${f.required}"` : "",
        ].filter(Boolean);
        if (nullBecause.length && notNullBecause.length) {
          report({ message: `Field "${excerpt(e.name)}.${excerpt(f.name)}" is both nullable (${nullBecause.join(", ")}) and required (${notNullBecause.join(", ")}); keep one`, at: rowAt() });
        }
      }
      if (primaryKeys > 1 && !composite) {
        report({ message: `Entity "${e.name}" has ${primaryKeys} primary keys (declare a composite key as "Primary key (composite)")`, at: at(ctx, base) });
      }
    }

    // Everything that would make the SQL export fail or be unfaithful, under either naming the export offers.
    const model = relationalModel(spec, ctx.field);
    const seen = new Set<string>();
    for (const p of [...model.problems, ...namingProblems(model, "snake_case"), ...namingProblems(model, "preserve")]) {
      const m = /^dataModel\/entities\/(\d+)(?:\/fields\/(\d+))?$/.exec(p.path);
      const e = m ? entities[Number(m[1])] : undefined;
      const f = m?.[2] !== undefined ? e?.fields[Number(m[2])] : undefined;
      if (e && isPlaceholder(e.name)) continue;
      if (f && (isPlaceholder(f.name) || (p.cell === "type" && isPlaceholder(f.type)) || (p.cell === "constraints" && isPlaceholder(f.constraints)))) continue;
      const where = problemSpan(p, pos, source);
      const key = `${where.line}:${where.column}:${p.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report({ message: p.message, at: where });
    }
  },
};
