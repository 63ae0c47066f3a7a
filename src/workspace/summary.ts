import type { ParseResult } from "../parse/parse-spec.js";
import { DEFAULT_REQUIRED } from "../rules/required-section.js";
import { requiredRoles } from "../workflow/people.js";
import type { Config } from "./config.js";

export { STATUSES } from "../parse/normalize.js";

/** Where a spec's sign-off stands: every configured role approved, any role rejected, or still waiting. */
export type ApprovalState = "approved" | "rejected" | "pending";

/** What `techspec list` and the portal's index show of one spec. */
export interface SpecSummary {
  readonly id: string | null;
  readonly title: string | null;
  readonly status: string | null;
  readonly author: string | null;
  readonly lastUpdated: string | null;
  readonly approvals: { readonly done: number; readonly total: number; readonly state: ApprovalState };
  /** Percentage of the required sections that are filled in. */
  readonly completeness: number;
  readonly path: string;
}

/**
 * Summarizes a parsed spec under a configuration; `workspacePath` (the spec's path from the configuration's
 * folder) lets path-based `requiredApprovals` count among the roles.
 */
export function summarize(parsed: ParseResult, config: Config, path: string, workspacePath?: string): SpecSummary {
  const spec = parsed.spec;
  const roles = requiredRoles(spec, workspacePath, config.settings);
  const required = (config.rules["required-section"]?.options?.["Approved"] as string[] | undefined) ?? DEFAULT_REQUIRED["Approved"]!;
  const decided = (role: string, decision: string): boolean => spec.approvals.some((a) => a.role.toLowerCase() === role.toLowerCase() && a.decision === decision);
  const done = roles.filter((r) => decided(r, "Approved")).length;
  const state: ApprovalState = spec.approvals.some((a) => a.decision === "Rejected") ? "rejected" : done === roles.length && roles.length > 0 ? "approved" : "pending";
  return {
    id: spec.metadata.featureId, title: spec.title, status: spec.metadata.status, author: spec.metadata.author,
    lastUpdated: spec.metadata.lastUpdated, approvals: { done, total: roles.length, state },
    completeness: completeness(parsed, required), path,
  };
}

/** Percentage of the required sections that exist and hold more than template placeholders. */
export function completeness(parsed: ParseResult, required: readonly string[]): number {
  if (required.length === 0) return 100;
  const { sections, lines, inCode } = parsed.source;
  let filled = 0;
  for (const key of required) {
    const s = sections.find((x) => x.key === key);
    if (!s) continue;
    for (let l = s.bodyStart; l <= s.end; l++) {
      const t = lines[l - 1]!.trim();
      if (inCode[l - 1] === 2 || t === "" || /^#/.test(t) || /^-{3,}$/.test(t)) continue;
      if (/^(?:[-*+]\s+)?(?:\*\*[^*]+\*\*:\s*)?\[[^\]]*\]\s*(?:-\s*\[[^\]]*\])?$/.test(t)) continue; // a placeholder line
      filled++;
      break;
    }
  }
  return Math.round((filled / required.length) * 100);
}

/**
 * The people named in an Author field. The template asks for "Name and Role", so each person is the text before
 * the role: "Jane Doe, Staff Engineer", "Jane Doe (Staff Engineer)", "Jane Doe - Staff Engineer"; several people
 * are joined with ";", "&" or "and".
 */
export function authorsOf(author: string | null): string[] {
  if (!author) return [];
  return author.split(/\s*(?:;|&|\band\b)\s*/)
    .map((a) => a.replace(/<[^>]*>/g, "").split(/,|\(|\s[-–—]\s/)[0]!.trim())
    .filter((a) => a !== "");
}
