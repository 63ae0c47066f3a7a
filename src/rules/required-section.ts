import { SECTION_TITLES } from "../parse/section-keys.js";
import { requiredSections } from "../workflow/required-sections.js";
import type { Rule } from "./rule.js";
import { at } from "./util.js";

const sectionKeys = Object.keys(SECTION_TITLES);

export const requiredSection: Rule = {
  id: "required-section",
  description: "Sections the spec's status requires must be present (configurable per status).",
  defaultSeverity: "error",
  draftSeverity: "warning",
  docs: {
    bad: "**Status**: In Review\n\n## Implementation Details\n\n### Performance Considerations\n\nP99 under 200 ms.",
    good: "**Status**: In Review\n\n## Implementation Details\n\n### Security Considerations\n\nRefunds need the refunds:write scope.\n\n### Performance Considerations\n\nP99 under 200 ms.",
  },
  optionsSchema: {
    type: "object",
    description: "Section keys required per status; a status not listed uses the default.",
    additionalProperties: { type: "array", items: { enum: sectionKeys }, uniqueItems: true },
  },
  check(ctx, report) {
    const written = ctx.spec.metadata.status;
    const required = requiredSections(written, ctx.options);
    const present = new Set(ctx.source.sections.map((s) => s.key));
    for (const key of required) {
      if (present.has(key)) continue;
      const title = SECTION_TITLES[key] ?? key;
      const parentKey = key.includes(".") ? key.slice(0, key.indexOf(".")) : null;
      const where = parentKey ? ` under "${SECTION_TITLES[parentKey] ?? parentKey}"` : "";
      report({
        message: `Required section "${title}" is missing${written ? ` for status ${written}` : ""} (add ${/^[AEIOU]/.test(title) ? "an" : "a"} "${title}" heading${where})`,
        at: at(ctx, "title"),
      });
    }
  },
};
