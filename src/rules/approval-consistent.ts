import { namesSomeone, standings } from "../workflow/standing.js";
import type { Rule } from "./rule.js";
import { at } from "./util.js";

export const approvalConsistent: Rule = {
  id: "approval-consistent",
  description: "An Approved (or Implemented) spec has every required role's approval standing as approved (as `techspec list` counts it): none missing, Pending or Rejected, and, where roles are configured, each pinned to the content; a Rejected decision by any role forbids Approved. Stale approvals are approval-stale's to report, approvals by someone without the role approver-role's.",
  defaultSeverity: "error",
  docs: {
    bad: "**Status**: Approved\n...\n**Engineering Lead**: Grace Hopper - Approved\n**Security Lead**: Alan Turing - Pending",
    good: "**Status**: In Review\n...\n**Engineering Lead**: Grace Hopper - Approved\n**Security Lead**: Alan Turing - Pending",
  },
  check(ctx, report) {
    const status = ctx.spec.metadata.status;
    if (status !== "Approved" && status !== "Implemented") return;
    const approvals = ctx.spec.approvals;
    const required = standings(ctx, ctx.host.workspacePath, ctx.settings);
    for (const st of required) {
      const i = st.approval ? approvals.indexOf(st.approval) : -1;
      const a = st.approval;
      switch (st.state) {
        case "missing":
          report({ message: `Status is ${status} but there is no approval by the ${st.role}`, at: at(ctx, i >= 0 ? `approvals/${i}` : "metadata/status") });
          break;
        case "pending":
          report({ message: `Status is ${status} but the ${st.role}'s approval is ${a?.decision || "missing"} (every approval must be Approved)`, at: at(ctx, `approvals/${i}/decision`) });
          break;
        case "rejected":
          report({ message: `Status is ${status} but the ${st.role}'s approval is Rejected (a Rejected approval forbids it)`, at: at(ctx, `approvals/${i}/decision`) });
          break;
        case "unpinned":
          report({
            message: `Status is ${status} but the ${st.role}'s approval by ${a?.name} is not pinned to the content it approved (record it with techspec approve <spec> --role "${st.role}")`,
            at: at(ctx, `approvals/${i}`),
          });
          break;
        case "weak-pin":
          report({
            message: `Status is ${status} but the ${st.role}'s approval by ${a?.name} pins a digest shorter than 128 bits, which proves nothing (approve again: techspec approve <spec> --role "${st.role}")`,
            at: at(ctx, `approvals/${i}`),
          });
          break;
        case "approved":
        case "stale": // approval-stale reports it
        case "not-a-holder": // approver-role reports it
          break;
      }
    }
    // A role the spec does not need is not waited on, but a rejection on record still contradicts the status.
    const needed = new Set(required.map((st) => st.role.toLowerCase()));
    approvals.forEach((a, i) => {
      if (needed.has(a.role.toLowerCase()) || a.decision !== "Rejected" || !namesSomeone(a)) return;
      report({ message: `Status is ${status} but the ${a.role}'s approval is Rejected (a Rejected approval forbids it)`, at: at(ctx, `approvals/${i}/decision`) });
    });
  },
};
