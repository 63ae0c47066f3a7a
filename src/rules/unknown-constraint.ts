import type { Rule } from "./rule.js";
import { isPlaceholder } from "./util.js";

export const unknownConstraint: Rule = {
  id: "unknown-constraint",
  description: "Every constraint is one the type system knows (Primary key, Not null, Nullable, Unique, Default, Foreign key → Entity.field, Check, Indexed, min/max length); unknown ones are not exported.",
  defaultSeverity: "warning",
  docs: {
    bad: "| email | Email | Login | Not null, lowercase only |",
    good: "| email | Email | Login | Not null, Unique, Check email = lower(email) |",
  },
  check({ spec, source, field }, report) {
    for (const et of source.entityTables) {
      const e = spec.dataModel.entities[et.entity]!;
      const col = et.columns.constraints >= 0 ? et.columns.constraints : 3;
      et.table?.rows.forEach((row, k) => {
        const f = e.fields[k];
        if (!f || isPlaceholder(f.constraints)) return;
        const unknown = field(f).unknownConstraints;
        const c = row.cells[col];
        for (const u of unknown) {
          report({
            message: `Constraint "${u}" of "${e.name}.${f.name}" is not one techspec knows (Primary key, Not null, Nullable, Unique, Default <value>, Foreign key → Entity.field, Check <expr>, Indexed, min/max length); it is not exported`,
            at: c ? { line: row.line, column: c.column, endLine: row.line, endColumn: c.endColumn } : { line: row.line, column: 1, endLine: row.line, endColumn: row.endColumn },
          });
        }
      });
    }
  },
};
