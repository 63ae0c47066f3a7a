import type { Suggestion } from "../model/diagnostic.js";
import type { Rule } from "./rule.js";
import { closest } from "../model/closest.js";
import { excerpt } from "../parse/inline.js";
import { MAX_TYPE_NESTING, parseType } from "../types/data-type.js";
import { forEachFieldCell, isPlaceholder, replaceSpan } from "./util.js";

/** Type names as they are best written, offered as corrections of a misspelt one (arguments kept). */
const TYPE_NAMES = ["UUID", "String", "Varchar", "Char", "Text", "Integer", "BigInt", "SmallInt", "Decimal", "Numeric", "Float", "Double",
  "Boolean", "Timestamp", "DateTime", "Date", "Time", "JSON", "JSONB", "Email", "URL", "Enum", "Bytes", "Binary"];

export const unknownType: Rule = {
  id: "unknown-type",
  description: "Every field type is one the type system knows (see docs/types.md) or the name of an entity; unknown types export as text/unknown.",
  defaultSeverity: "warning",
  docs: {
    bad: "| amount | Money | Amount charged | Not null |",
    good: "| amount | Decimal(12,2) | Amount charged | Not null |",
  },
  check({ spec, source, field }, report) {
    const entities = spec.dataModel.entities.map((e) => e.name);
    forEachFieldCell(spec, source, "type", (e, f, at) => {
      const type = field(f).type;
      if (f.type === "" || isPlaceholder(f.type) || type.kind !== "unknown") return;
      const better = type.tooDeep ? undefined : correction(f.type, entities);
      const suggestions: Suggestion[] = better ? [{ message: `Change the type to "${better}"`, fix: replaceSpan(source, at, better) }] : [];
      report({
        suggestions,
        message: type.tooDeep
          ? `Type "${excerpt(f.type)}" of "${excerpt(e.name)}.${excerpt(f.name)}" nests arrays more than ${MAX_TYPE_NESTING} levels deep, which techspec does not read; it is exported as text`
          : `Type "${f.type}" of "${excerpt(e.name)}.${excerpt(f.name)}" is not a known type (e.g. UUID, String(n), Integer, Decimal(p,s), Boolean, Timestamp, JSON, Enum(a, b), Array<T>, or an entity name); it is exported as text`,
        at,
      });
    });
  },
};

/**
 * The likely intended type of a misspelt one: the nearest known type name or entity name (`Varchr(64)` →
 * `Varchar(64)`, `Custmer` → `Customer`), its arguments kept, when the result is a type techspec reads.
 */
function correction(written: string, entities: readonly string[]): string | undefined {
  // A type name is short: a long cell is no typo of one (and the pattern below stays cheap on what it is given).
  if (written.length > 64) return undefined;
  const m = /^\s*([A-Za-z][A-Za-z ]*?)\s*(\(.*\))?\s*$/.exec(written);
  if (!m) return undefined;
  const name = closest(m[1]!, m[2] ? TYPE_NAMES : [...TYPE_NAMES, ...entities]);
  if (!name) return undefined;
  const candidate = `${name}${m[2] ?? ""}`;
  return parseType(candidate, entities).kind === "unknown" ? undefined : candidate;
}
