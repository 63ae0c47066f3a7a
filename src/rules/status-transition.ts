import { parseSpec } from "../parse/parse-spec.js";
import { canMove, nextStatuses } from "../workflow/lifecycle.js";
import type { Rule } from "./rule.js";
import { at, lifecycleEnforced } from "./util.js";

export const statusTransition: Rule = {
  id: "status-transition",
  description: "In git, the status moved along the lifecycle since the previous committed version (Draft → In Review → Approved → Implemented → Archived, In Review → Draft, any → Superseded).",
  defaultSeverity: "error",
  docs: {
    bad: "**Status**: Approved\n(the previous commit had **Status**: Draft)",
    good: "**Status**: In Review\n(the previous commit had **Status**: Draft)",
  },
  check(ctx, report) {
    const git = ctx.host.git;
    const now = ctx.spec.metadata.status;
    if (now === null) return;
    if (!git) {
      // Where the lifecycle is enforced, a status past Draft in a history git cannot vouch for (a shallow clone,
      // a refused repository, no git) is not passed silently; a spec not committed yet has no history to check.
      if (ctx.host.gitProblem?.scope === "repository" && now !== "Draft" && lifecycleEnforced(ctx.settings)) {
        report({ message: `Status ${now} cannot be checked against the spec's history: ${ctx.host.gitProblem.reason}`, at: at(ctx, "metadata/status"), severity: "error" });
      }
      return;
    }
    const text = git.previousText();
    if (text === null) return;
    const before = parseSpec(text).spec.metadata.status;
    if (before === null || before === now || canMove(before, now)) return;
    report({
      message: `Status moved from ${before} to ${now} since the previous commit; from ${before} a spec may move to ${nextStatuses(before).join(" or ") || "nothing"} (use techspec status)`,
      at: at(ctx, "metadata/status"),
    });
  },
};
