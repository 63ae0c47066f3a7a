import type { Rule } from "./rule.js";
import { at } from "./util.js";

const RESOLVED = /^(?:~~|\[x\]|resolved\b|answered\b|decided\b|closed\b)/i;

export const openQuestions: Rule = {
  id: "open-questions",
  description: "An Approved spec has no unresolved open questions.",
  defaultSeverity: "error",
  draftSeverity: "warning",
  docs: {
    bad: "**Status**: Approved\n...\n## Open Questions\n\n- Do we refund shipping fees?",
    good: "**Status**: Approved\n...\n## Open Questions\n\n- ~~Do we refund shipping fees?~~ Resolved: yes, pro rata.",
  },
  check(ctx, report) {
    const status = ctx.spec.metadata.status;
    if (status !== "Approved" && status !== "Implemented") return;
    ctx.spec.openQuestions.forEach((q, i) => {
      const raw = ctx.source.lines[(at(ctx, `openQuestions/${i}`).line) - 1] ?? "";
      if (RESOLVED.test(q) || /~~|\[x\]/i.test(raw)) return;
      report({ message: `Status is ${status} but this question is still open: answer it or mark it resolved`, at: at(ctx, `openQuestions/${i}`) });
    });
  },
};
