import type { Rule } from "./rule.js";
import { isPlaceholder } from "./util.js";

export const unknownType: Rule = {
  id: "unknown-type",
  description: "Every field type is one the type system knows (see docs/types.md) or the name of an entity; unknown types export as text/unknown.",
  defaultSeverity: "warning",
  docs: {
    bad: "| amount | Money | Amount charged | Not null |",
    good: "| amount | Decimal(12,2) | Amount charged | Not null |",
  },
  check({ spec, source, field }, report) {
    for (const et of source.entityTables) {
      const e = spec.dataModel.entities[et.entity]!;
      const col = et.columns.type >= 0 ? et.columns.type : 1;
      et.table?.rows.forEach((row, k) => {
        const f = e.fields[k];
        if (!f || f.type === "" || isPlaceholder(f.type)) return;
        if (field(f).type.kind !== "unknown") return;
        const c = row.cells[col];
        report({
          message: `Type "${f.type}" of "${e.name}.${f.name}" is not a known type (e.g. UUID, String(n), Integer, Decimal(p,s), Boolean, Timestamp, JSON, Enum(a, b), Array<T>, or an entity name); it is exported as text`,
          at: c ? { line: row.line, column: c.column, endLine: row.line, endColumn: c.endColumn } : { line: row.line, column: 1, endLine: row.line, endColumn: row.endColumn },
        });
      });
    }
  },
};
