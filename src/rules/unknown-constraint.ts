import type { Rule } from "./rule.js";
import { excerpt } from "../parse/inline.js";
import { forEachFieldCell, isPlaceholder } from "./util.js";

export const unknownConstraint: Rule = {
  id: "unknown-constraint",
  description: "Every constraint is one the type system knows (Primary key, Not null, Nullable, Unique, Default, Foreign key → Entity.field, Check, Indexed, min/max length); unknown ones are not exported.",
  defaultSeverity: "warning",
  docs: {
    bad: "| email | Email | Login | Not null, lowercase only |",
    good: "| email | Email | Login | Not null, Unique, Check email = lower(email) |",
  },
  check({ spec, source, field }, report) {
    forEachFieldCell(spec, source, "constraints", (e, f, at) => {
      if (isPlaceholder(f.constraints)) return;
      for (const u of field(f).unknownConstraints) {
        report({
          message: `Constraint "${u}" of "${excerpt(e.name)}.${excerpt(f.name)}" is not one techspec knows (Primary key, Not null, Nullable, Unique, Default <value>, Foreign key → Entity.field, Check <expr>, Indexed, min/max length); it is not exported`,
          at,
        });
      }
    });
  },
};
