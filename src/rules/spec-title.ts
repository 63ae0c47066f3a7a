import type { Rule } from "./rule.js";
import { at } from "./util.js";

export const specTitle: Rule = {
  id: "spec-title",
  description: "The spec has a title that names the feature (`# Technical Specification: Refund Processing`).",
  defaultSeverity: "error",
  draftSeverity: "warning",
  docs: {
    bad: "# Technical Specification\n\n## Overview",
    good: "# Technical Specification: Refund Processing\n\n## Overview",
  },
  check(ctx, report) {
    const heading = ctx.source.sections.find((s) => s.key === "title");
    if (!heading) {
      report({ message: 'The spec has no title (start it with "# Technical Specification: <feature name>")', at: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
      return;
    }
    const title = ctx.spec.title;
    if (title === null || title.trim() === "") {
      report({ message: `The title "${heading.heading}" does not name the feature (write "# Technical Specification: <feature name>")`, at: at(ctx, "title") });
    }
  },
};
