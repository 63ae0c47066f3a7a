import { SECTION_TITLES } from "../parse/section-keys.js";
import type { Rule } from "./rule.js";

const DEFAULT_IGNORE = ["openQuestions"];

export const emptySection: Rule = {
  id: "empty-section",
  description: "A template section has content: text, a list, a table or sub-sections.",
  defaultSeverity: "error",
  draftSeverity: "warning",
  docs: {
    bad: "### Rollback\n\n## Open Questions",
    good: "### Rollback\n\nDisable the refunds flag; the old flow stays deployed until day 14.\n\n## Open Questions",
  },
  optionsSchema: {
    type: "object",
    properties: { ignore: { type: "array", items: { enum: Object.keys(SECTION_TITLES) }, uniqueItems: true } },
    additionalProperties: false,
  },
  check({ source, options }, report) {
    const ignore = new Set((options["ignore"] as string[] | undefined) ?? DEFAULT_IGNORE);
    const withChildren = new Set<number>();
    for (const s of source.sections) if (s.parent >= 0) withChildren.add(s.parent);
    source.sections.forEach((s, i) => {
      if (s.key === null || s.key === "title" || ignore.has(s.key) || s.hasText || withChildren.has(i)) return;
      if (!SECTION_TITLES[s.key]) return; // components, entities and APIs have rules of their own
      report({ message: `Section "${s.heading}" is empty: write its content or remove the heading`, at: s.span });
    });
  },
};
