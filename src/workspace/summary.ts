import type { ParseResult } from "../parse/parse-spec.js";
import { requiredSections } from "../workflow/required-sections.js";
import { approvalState, standings, type ApprovalState, type RoleStanding } from "../workflow/standing.js";
import type { Config } from "./config.js";

export { STATUSES } from "../parse/normalize.js";

export type { ApprovalState };

/** What `techspec list` and the portal's index show of one spec. */
export interface SpecSummary {
  readonly id: string | null;
  readonly title: string | null;
  readonly status: string | null;
  readonly author: string | null;
  readonly lastUpdated: string | null;
  readonly approvals: {
    /** Required roles whose standing is approved. */
    readonly done: number;
    /** Required roles. */
    readonly total: number;
    /** approved, rejected or pending, as `approvalState` decides from `roles`. */
    readonly state: ApprovalState;
    /** Each required role's standing, in the order the roles are required: what done, total and state count. */
    readonly roles: readonly RoleStanding[];
  };
  /** Percentage of the required sections that are filled in. */
  readonly completeness: number;
  readonly path: string;
  /** In a workspace with spec roots (`workspaces`): the name of the root the spec belongs to. */
  readonly root?: string;
}

/**
 * Summarizes a parsed spec under a configuration (in a workspace, its spec root's); `workspacePath` (the spec's path from the configuration's
 * folder) lets path-based `requiredApprovals` count among the roles. The approvals are counted from the roles'
 * standings, so done/total, state and the roles a spec waits on always agree.
 */
export function summarize(parsed: ParseResult, config: Config, path: string, workspacePath?: string): SpecSummary {
  const spec = parsed.spec;
  const roles = standings(parsed, workspacePath, config.settings);
  const done = roles.filter((r) => r.state === "approved").length;
  return {
    id: spec.metadata.featureId, title: spec.title, status: spec.metadata.status, author: spec.metadata.author,
    lastUpdated: spec.metadata.lastUpdated, approvals: { done, total: roles.length, state: approvalState(spec, roles), roles },
    completeness: completeness(parsed, requiredSections("Approved", config.rules["required-section"]?.options)), path,
    ...(config.name !== undefined ? { root: config.name } : {}),
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
  // Split on the bare separator and trim the whitespace beside it: `\s*(?:;|&|and)\s*` would retry its leading
  // `\s*` from every space of a long run, quadratic in the run.
  const parts = author.split(/;|&|\band\b/);
  return parts
    .map((a, i) => withoutTags(i > 0 ? (i < parts.length - 1 ? a.trim() : a.trimStart()) : i < parts.length - 1 ? a.trimEnd() : a).split(/,|\(|\s[-–—]\s/)[0]!.trim())
    .filter((a) => a !== "");
}

/** `s` without `<...>` tags (`s.replace(/<[^>]*>/g, "")`), in one pass: once no `>` follows a `<`, none follows any later one. */
export function withoutTags(s: string): string {
  let out = "";
  let from = 0;
  for (;;) {
    const lt = s.indexOf("<", from);
    if (lt < 0) break;
    const gt = s.indexOf(">", lt + 1);
    if (gt < 0) break;
    out += s.slice(from, lt);
    from = gt + 1;
  }
  return from === 0 ? s : out + s.slice(from);
}
