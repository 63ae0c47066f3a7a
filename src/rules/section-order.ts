import { SUB_SECTIONS, TOP_SECTIONS } from "../parse/section-keys.js";
import type { Rule } from "./rule.js";

const ORDER = new Map<string, number>();
TOP_SECTIONS.forEach((s, i) => ORDER.set(s.key, i * 100));
for (const s of SUB_SECTIONS) ORDER.set(s.key, (ORDER.get(s.parent) ?? 0) + 1 + SUB_SECTIONS.filter((x) => x.parent === s.parent).indexOf(s));
// The template puts Data Model and API Design after Components, under Architecture.
const TITLE = new Map<string, string>([...TOP_SECTIONS, ...SUB_SECTIONS].map((s) => [s.key, s.title]));

export const sectionOrder: Rule = {
  id: "section-order",
  description: "Template sections appear in the template's order.",
  defaultSeverity: "warning",
  docs: {
    bad: "## Architecture\n\n...\n\n## Introduction\n\n...",
    good: "## Introduction\n\n...\n\n## Architecture\n\n...",
  },
  check({ source }, report) {
    let last: { key: string; rank: number } | null = null;
    for (const s of source.sections) {
      if (s.key === null) continue;
      const rank = ORDER.get(s.key);
      if (rank === undefined) continue;
      if (last && rank < last.rank) {
        report({
          message: `Section "${TITLE.get(s.key)}" should come before "${TITLE.get(last.key)}" (template order)`,
          at: s.span,
        });
        continue;
      }
      last = { key: s.key, rank };
    }
  },
};
