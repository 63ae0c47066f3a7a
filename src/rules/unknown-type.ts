import type { Rule } from "./rule.js";
import { excerpt } from "../parse/inline.js";
import { MAX_TYPE_NESTING } from "../types/data-type.js";
import { forEachFieldCell, isPlaceholder } from "./util.js";

export const unknownType: Rule = {
  id: "unknown-type",
  description: "Every field type is one the type system knows (see docs/types.md) or the name of an entity; unknown types export as text/unknown.",
  defaultSeverity: "warning",
  docs: {
    bad: "| amount | Money | Amount charged | Not null |",
    good: "| amount | Decimal(12,2) | Amount charged | Not null |",
  },
  check({ spec, source, field }, report) {
    forEachFieldCell(spec, source, "type", (e, f, at) => {
      const type = field(f).type;
      if (f.type === "" || isPlaceholder(f.type) || type.kind !== "unknown") return;
      report({
        message: type.tooDeep
          ? `Type "${excerpt(f.type)}" of "${excerpt(e.name)}.${excerpt(f.name)}" nests arrays more than ${MAX_TYPE_NESTING} levels deep, which techspec does not read; it is exported as text`
          : `Type "${f.type}" of "${excerpt(e.name)}.${excerpt(f.name)}" is not a known type (e.g. UUID, String(n), Integer, Decimal(p,s), Boolean, Timestamp, JSON, Enum(a, b), Array<T>, or an entity name); it is exported as text`,
        at,
      });
    });
  },
};
