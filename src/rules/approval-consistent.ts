import { requiredRoles } from "../workflow/people.js";
import type { Rule } from "./rule.js";
import { at } from "./util.js";

export const approvalConsistent: Rule = {
  id: "approval-consistent",
  description: "An Approved (or Implemented) spec has every approval Approved; a Rejected approval forbids Approved.",
  defaultSeverity: "error",
  docs: {
    bad: "**Status**: Approved\n...\n**Engineering Lead**: Grace Hopper - Approved\n**Security Lead**: Alan Turing - Pending",
    good: "**Status**: In Review\n...\n**Engineering Lead**: Grace Hopper - Approved\n**Security Lead**: Alan Turing - Pending",
  },
  check(ctx, report) {
    const status = ctx.spec.metadata.status;
    if (status !== "Approved" && status !== "Implemented") return;
    const approvals = ctx.spec.approvals;
    const roles = new Set(approvals.map((a) => a.role.toLowerCase()));
    for (const role of requiredRoles(ctx.spec, ctx.host.workspacePath, ctx.settings)) {
      if (!roles.has(role.toLowerCase())) {
        report({ message: `Status is ${status} but there is no approval by the ${role}`, at: at(ctx, "metadata/status") });
      }
    }
    approvals.forEach((a, i) => {
      if (a.decision === "Approved") return;
      const why = a.decision === "Rejected" ? "a Rejected approval forbids it" : "every approval must be Approved";
      report({
        message: `Status is ${status} but the ${a.role}'s approval is ${a.decision || "missing"} (${why})`,
        at: at(ctx, `approvals/${i}/decision`),
      });
    });
  },
};
