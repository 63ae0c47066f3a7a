import type { Rule } from "./rule.js";
import { at, isPlaceholder } from "./util.js";

export const componentDependency: Rule = {
  id: "component-dependency",
  description: "A component dependency names a component of the spec or an external system the spec mentions elsewhere.",
  defaultSeverity: "warning",
  docs: {
    bad: "#### Component 1: Refund Service\n\n- **Dependencies**: Ledger Sync\n\n(no component or other mention of Ledger Sync)",
    good: "#### Component 1: Refund Service\n\n- **Dependencies**: Ledger Service, PostgreSQL\n\n#### Component 2: Ledger Service\n...\n### Libraries and Frameworks\n- PostgreSQL 16",
  },
  check(ctx, report) {
    const components = ctx.spec.architecture.components;
    if (components.length === 0) return;
    const names = new Set(components.map((c) => c.name.toLowerCase()));
    let lower: string | null = null;
    components.forEach((c, i) => {
      c.dependencies.forEach((dep, j) => {
        const d = dep.toLowerCase();
        if (names.has(d) || isPlaceholder(dep)) return;
        const where = at(ctx, `architecture/components/${i}/dependencies/${j}`);
        // The dependency's own line does not count as a mention.
        const from = ctx.source.lineStarts[where.line - 1] ?? 0;
        const to = from + (ctx.source.lines[where.line - 1] ?? "").length;
        // Most mentions are spelled the same way: try that before lower-casing the whole text.
        if (mentionedOutside(ctx.source.text, dep, from, to)) return;
        lower ??= ctx.source.text.toLowerCase();
        // Lower-casing keeps offsets unless some letter changes length (İ): then compare counts instead.
        if (lower.length === ctx.source.text.length ? mentionedOutside(lower, d, from, to)
          : count(lower, d) > count((ctx.source.lines[where.line - 1] ?? "").toLowerCase(), d)) return;
        report({
          message: `Dependency "${dep}" of component "${c.name}" is neither a component of this spec nor mentioned elsewhere in it (name the component exactly, or describe the external system)`,
          at: where,
        });
      });
    });
  },
};

/** Occurrences of `needle` in `hay` as a whole word (not inside a longer word). */
function count(hay: string, needle: string): number {
  if (needle === "") return 0;
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) {
    if (!isWordChar(hay.charCodeAt(i - 1)) && !isWordChar(hay.charCodeAt(i + needle.length))) n++;
  }
  return n;
}

/** Whether `needle` occurs in `hay` as a whole word (not inside a longer word) outside offsets `from`..`to`; stops at the first. */
function mentionedOutside(hay: string, needle: string, from: number, to: number): boolean {
  if (needle === "") return false;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) {
    if (i >= from && i < to) {
      i = Math.max(i, to - needle.length); // skip the rest of the dependency's line
      continue;
    }
    if (!isWordChar(hay.charCodeAt(i - 1)) && !isWordChar(hay.charCodeAt(i + needle.length))) return true;
  }
  return false;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}
