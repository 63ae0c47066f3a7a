import type { Approval } from "../model/spec.js";
import type { ParseResult } from "../parse/parse-spec.js";
import { isPlaceholder } from "../parse/placeholder.js";
import type { ReviewSettings } from "./people.js";
import { contentDigest, digestMatches } from "./digest.js";
import { holdsRole, parsePerson, requiredRoles, rolesConfigured } from "./people.js";

/** Where one required role stands on a spec. */
export interface RoleStanding {
  readonly role: string;
  /** approved: a valid, current approval. Anything else means the spec still waits on this role. */
  readonly state: "approved" | "missing" | "pending" | "rejected" | "stale" | "unpinned" | "not-a-holder";
  readonly approval: Approval | null;
}

/** The standing of every role a spec needs; `approved` only for an approval by a holder, pinned to the current content. */
export function standings(parsed: ParseResult, workspacePath: string | undefined, settings: ReviewSettings): RoleStanding[] {
  const digest = contentDigest(parsed);
  const enforced = rolesConfigured(settings);
  return requiredRoles(parsed.spec, workspacePath, settings).map((role) => {
    const approval = parsed.spec.approvals.find((a) => a.role.toLowerCase() === role.toLowerCase()) ?? null;
    let state: RoleStanding["state"];
    if (!approval || approval.name === "" || isPlaceholder(approval.name)) state = "missing";
    else if (approval.decision === "Rejected") state = "rejected";
    else if (approval.decision !== "Approved") state = "pending";
    else if (enforced && !holdsRole(settings, role, parsePerson(approval.name))) state = "not-a-holder";
    else if (!approval.digest) state = "unpinned";
    else if (!digestMatches(approval.digest, digest)) state = "stale";
    else state = "approved";
    return { role, state, approval };
  });
}

/** One line per role that is not approved, for refusals and listings. */
export function describeStanding(s: RoleStanding): string {
  const who = s.approval?.name ? ` (${s.approval.name})` : "";
  switch (s.state) {
    case "approved": return `${s.role}: approved${who}`;
    case "missing": return `${s.role}: no approval yet`;
    case "pending": return `${s.role}: pending${who}`;
    case "rejected": return `${s.role}: rejected${who}${s.approval?.reason ? `: ${s.approval.reason}` : ""}`;
    case "stale": return `${s.role}: approval${who} is stale, the content changed since ${s.approval?.digest}`;
    case "unpinned": return `${s.role}: approval${who} is not pinned to the content (record it with techspec approve)`;
    case "not-a-holder": return `${s.role}: ${s.approval?.name} does not hold the role`;
  }
}
