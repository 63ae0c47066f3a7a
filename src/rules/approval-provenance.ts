import { formatPerson, holders, holdsRole, rolesConfigured } from "../workflow/people.js";
import type { Rule } from "./rule.js";
import { at, isPlaceholder } from "./util.js";

export const approvalProvenance: Rule = {
  id: "approval-provenance",
  description: "In git, the commit that last changed an Approved or Rejected line is authored by someone holding that role (skipped outside git, for uncommitted lines, and while no roles are configured).",
  defaultSeverity: "error",
  docs: {
    bad: "**Security Lead**: Jane Doe - Approved 2026-11-23 (sha256:3f2a9c1e)\n(the line was committed by Mallory <mallory@example.com>, who is not a Security Lead)",
    good: "**Security Lead**: Jane Doe - Approved 2026-11-23 (sha256:3f2a9c1e)\n(committed by Jane Doe <jane@example.com>, a Security Lead)",
  },
  check(ctx, report) {
    const git = ctx.host.git;
    if (!git || !rolesConfigured(ctx.settings)) return;
    ctx.spec.approvals.forEach((a, i) => {
      if ((a.decision !== "Approved" && a.decision !== "Rejected") || isPlaceholder(a.name)) return;
      const where = at(ctx, `approvals/${i}`);
      const author = git.lineAuthor(where.line);
      if (!author || holdsRole(ctx.settings, a.role, { name: author.name, email: author.email })) return;
      const people = holders(ctx.settings, a.role);
      report({
        message: `The ${a.role}'s ${a.decision} line was written by ${author.name} <${author.email}> in commit ${author.commit.slice(0, 8)} (${author.date}), who does not hold the ${a.role} role`
          + `${people.length ? ` (held by ${people.map(formatPerson).join(", ")})` : ""}: only a holder of the role may record it (techspec approve)`,
        at: where,
      });
    });
  },
};
