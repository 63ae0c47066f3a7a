import { contentDigest, digestMatches, displayDigest, strongPin } from "../workflow/digest.js";
import type { Rule } from "./rule.js";
import { at } from "./util.js";

export const approvalStale: Rule = {
  id: "approval-stale",
  description: "An approval pins the digest of the content it approved; the content has changed since (the Approval block, Status and Last Updated aside).",
  defaultSeverity: "error",
  docs: {
    bad: "**Security Lead**: Jane Doe - Approved 2026-11-23 (sha256:3f2a9c1e…)\n(the spec was edited after the approval: its digest is now sha256:9b0c41d2…)",
    good: "**Security Lead**: Jane Doe - Approved 2026-11-25 (sha256:9b0c41d2…)\n(approved again with techspec approve after the edit)",
  },
  check(ctx, report) {
    // A pin shorter than 128 bits proves nothing either way: approval-format asks for a new approval.
    const pinned = ctx.spec.approvals.filter((a) => a.decision === "Approved" && a.digest && strongPin(a.digest));
    if (pinned.length === 0) return;
    const now = contentDigest(ctx);
    ctx.spec.approvals.forEach((a, i) => {
      if (a.decision !== "Approved" || !a.digest || !strongPin(a.digest) || digestMatches(a.digest, now)) return;
      report({
        message: `The ${a.role}'s approval${a.name ? ` by ${a.name}` : ""} pinned ${displayDigest(a.digest)} but the content is now ${displayDigest(now)}: it was changed after the approval (approve again: techspec approve <spec> --role "${a.role}")`,
        at: at(ctx, `approvals/${i}`),
      });
    });
  },
};
