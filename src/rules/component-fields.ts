import type { Rule } from "./rule.js";
import { at, isPlaceholder } from "./util.js";

const FIELDS = [["purpose", "Purpose"], ["responsibilities", "Responsibilities"], ["interfaces", "Interfaces"], ["dependencies", "Dependencies"]] as const;

export const componentFields: Rule = {
  id: "component-fields",
  description: "Every component has a name and its Purpose, Responsibilities, Interfaces and Dependencies; names are unique (a duplicate name is a warning).",
  defaultSeverity: "error",
  docs: {
    bad: "#### Component 1: Refund Service\n\n- **Purpose**: Issues refunds.",
    good: "#### Component 1: Refund Service\n\n- **Purpose**: Issues refunds.\n- **Responsibilities**: Validate amounts, call the processor.\n- **Interfaces**: REST /api/v1/refunds\n- **Dependencies**: Payment Gateway, PostgreSQL",
  },
  check(ctx, report) {
    const seen = new Map<string, number>();
    ctx.spec.architecture.components.forEach((c, i) => {
      const base = `architecture/components/${i}`;
      if (!c.name || /^component\s*\d*\s*[:.\-–—]?\s*$/i.test(c.name)) {
        report({ message: `Component ${i + 1} has no name (write "#### Component ${i + 1}: Name")`, at: at(ctx, base) });
      }
      for (const [key, label] of FIELDS) {
        const present = key === "dependencies" ? ctx.pos.has(`${base}/dependencies`) : c[key] !== null;
        const empty = key === "dependencies" ? false : (c[key] ?? "").trim() === "";
        if (!present) {
          report({ message: `Component "${c.name}" has no ${label} (add "- **${label}**: ...")`, at: at(ctx, base) });
        } else if (empty) {
          report({ message: `Component "${c.name}" has an empty ${label}`, at: at(ctx, `${base}/${key}`) });
        }
      }
      if (isPlaceholder(c.name)) return; // no-placeholder reports it
      const k = c.name.toLowerCase();
      const first = seen.get(k);
      if (first !== undefined) {
        report({ message: `Component "${c.name}" is declared twice (first as component ${first + 1})`, at: at(ctx, base), severity: "warning" });
      } else seen.set(k, i);
    });
  },
};
