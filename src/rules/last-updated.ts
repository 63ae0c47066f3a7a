import { parseSpec } from "../parse/parse-spec.js";
import { contentDigest } from "../workflow/digest.js";
import type { Rule } from "./rule.js";
import { at, lifecycleEnforced, replaceSpan } from "./util.js";

export const lastUpdated: Rule = {
  id: "last-updated",
  description: "In git, Last Updated is not older than the last commit that changed the content (the Approval block, Status and Last Updated aside); --fix sets it to that commit's date.",
  defaultSeverity: "warning",
  fixable: true,
  docs: {
    bad: "**Last Updated**: 2026-03-01\n(the content was last changed in a commit of 2026-04-12)",
    good: "**Last Updated**: 2026-04-12",
  },
  check(ctx, report) {
    const git = ctx.host.git;
    const written = ctx.spec.metadata.lastUpdated;
    if (!written || !/^\d{4}-\d{2}-\d{2}$/.test(written)) return;
    if (!git) {
      const status = ctx.spec.metadata.status;
      if (ctx.host.gitProblem?.scope === "repository" && status !== null && status !== "Draft" && lifecycleEnforced(ctx.settings)) {
        report({ message: `Last Updated cannot be checked against the spec's history: ${ctx.host.gitProblem.reason}`, at: at(ctx, "metadata/lastUpdated"), severity: "error" });
      }
      return;
    }
    const last = git.lastContentCommit((text) => contentDigest(parseSpec(text, ctx.file)));
    if (!last || written >= last.date) return;
    const where = at(ctx, "metadata/lastUpdated");
    const exact = ctx.source.lines[where.line - 1]!.slice(where.column - 1, where.endColumn - 1) === written;
    report({
      message: `Last Updated is ${written} but the content was changed on ${last.date} (commit ${last.commit.slice(0, 8)} by ${last.name})`,
      at: where,
      ...(exact ? { fix: replaceSpan(ctx.source, where, last.date) } : {}),
    });
  },
};
