import { formatPerson, holders, parsePerson, rolesConfigured, samePerson } from "../workflow/people.js";
import type { Rule } from "./rule.js";
import { at, isPlaceholder } from "./util.js";

export const approverRole: Rule = {
  id: "approver-role",
  description: "The person named on an Approved or Rejected line holds that role in the configuration's \"roles\" (off while no roles are configured).",
  defaultSeverity: "error",
  docs: {
    bad: "// techspec.config.json: \"roles\": { \"Security Lead\": [\"Jane Doe <jane@example.com>\"] }\n**Security Lead**: John Roe - Approved",
    good: "**Security Lead**: Jane Doe - Approved",
  },
  check(ctx, report) {
    if (!rolesConfigured(ctx.settings)) return;
    ctx.spec.approvals.forEach((a, i) => {
      if ((a.decision !== "Approved" && a.decision !== "Rejected") || a.name === "" || isPlaceholder(a.name)) return;
      const people = holders(ctx.settings, a.role);
      if (people.some((h) => samePerson(h, parsePerson(a.name)))) return;
      report({
        message: people.length === 0
          ? `${a.name} is named as ${a.role}, but no one holds the ${a.role} role (add it to "roles" in the configuration)`
          : `${a.name} does not hold the ${a.role} role (held by ${people.map(formatPerson).join(", ")}; see "roles" in the configuration)`,
        at: at(ctx, `approvals/${i}`),
      });
    });
  },
};
