import { MIN_PINNED_DIGITS, strongPin } from "../workflow/digest.js";
import { knownRoles, requiredRoles } from "../workflow/people.js";
import type { Rule } from "./rule.js";
import { at, isPlaceholder, replaceSpan } from "./util.js";

const DECISIONS = ["Approved", "Pending", "Rejected"];

export const approvalFormat: Rule = {
  id: "approval-format",
  description: "The Approval block has a line per configured role (a missing one is a warning until the spec is Approved), each with a name and a decision of Approved, Pending or Rejected (non-canonical casing is a fixable warning; an unknown role is a warning; a decision pinned with fewer than 128 bits of digest, written before pins were that long, is a warning and counts as no decision).",
  defaultSeverity: "error",
  fixable: true,
  docs: {
    bad: "## Approval\n\n**Engineering Lead**: Grace Hopper - approved\n**Security Lead**: Alan Turing - Maybe",
    good: "## Approval\n\n**Engineering Lead**: Grace Hopper - Approved\n**Architecture Lead**: Barbara Liskov - Pending\n**Security Lead**: Alan Turing - Pending",
  },
  check(ctx, report) {
    const { spec, source, settings } = ctx;
    if (!source.sections.some((s) => s.key === "approval")) return;
    const required = new Map(requiredRoles(spec, ctx.host.workspacePath, settings).map((r) => [r.toLowerCase(), r]));
    const roles = new Map(knownRoles(settings).map((r) => [r.toLowerCase(), r]));
    const present = new Set<string>();
    spec.approvals.forEach((a, i) => {
      const where = at(ctx, `approvals/${i}`);
      const raw = source.rawDecisions[i] ?? "";
      const role = a.role.toLowerCase();
      if (present.has(role)) report({ message: `The ${a.role} appears twice in the Approval block`, at: where });
      present.add(role);
      if (!roles.has(role)) {
        report({ message: `"${a.role}" is not an approval role (expected ${[...roles.values()].join(", ")}; configure "approvalRoles" to add one)`, at: where, severity: "warning" });
      }
      if (isPlaceholder(raw) || isPlaceholder(a.name)) return;
      const decisionAt = at(ctx, `approvals/${i}/decision`);
      if (raw === "") {
        report({ message: `The ${a.role}'s approval has no decision (write "Name - Approved", "- Pending" or "- Rejected")`, at: decisionAt });
      } else if (!DECISIONS.includes(a.decision)) {
        report({ message: `Decision "${raw}" of the ${a.role} is not Approved, Pending or Rejected`, at: decisionAt });
      } else {
        // Only the decision word is checked and fixed; a note after it, such as "(2026-02-01)", stays.
        const word = /^\S+/.exec(raw)![0];
        if (word !== a.decision) {
          const wordAt = { ...decisionAt, endColumn: decisionAt.column + word.length };
          const exact = source.lines[decisionAt.line - 1]!.slice(wordAt.column - 1, wordAt.endColumn - 1) === word;
          report({
            message: `Decision "${word}" should be written "${a.decision}"`,
            at: wordAt,
            severity: "warning",
            ...(exact ? { fix: replaceSpan(source, wordAt, a.decision) } : {}),
          });
        }
      }
      if (a.digest && !strongPin(a.digest) && (a.decision === "Approved" || a.decision === "Rejected")) {
        report({
          message: `The ${a.role}'s ${a.decision} decision pins only ${a.digest.length - "sha256:".length} hex digits (${a.digest}); a pin needs at least ${MIN_PINNED_DIGITS} (128 bits) to prove what was decided, so it counts as no decision: decide again with techspec approve <spec> --role "${a.role}"${a.decision === "Rejected" ? " --reject --reason TEXT" : ""}`,
          at: decisionAt,
          severity: "warning",
        });
      }
      if (a.name === "" && a.decision !== "Pending") {
        report({ message: `The ${a.role}'s ${a.decision} decision has no name: who decided?`, at: where });
      }
    });
    // A missing line blocks nothing until the spec is Approved (techspec approve adds it); then approval-consistent reports it too.
    const decided = spec.metadata.status === "Approved" || spec.metadata.status === "Implemented";
    for (const [key, role] of required) {
      if (!present.has(key)) {
        report({ message: `The Approval block has no line for the ${role} (add "**${role}**: Name - Pending")`, at: at(ctx, "approvals"), ...(decided ? {} : { severity: "warning" as const }) });
      }
    }
  },
};
