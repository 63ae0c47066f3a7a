import type { PositionMap } from "../model/position.js";
import type { SpecSource } from "../model/source.js";
import type { Approval, Spec } from "../model/spec.js";
import { isPlaceholder } from "../parse/placeholder.js";
import type { ReviewSettings } from "./people.js";
import { contentDigest, digestMatches, displayDigest, strongPin } from "./digest.js";
import { holdsRole, parsePerson, requiredRoles, rolesConfigured } from "./people.js";

/** Where one required role stands on a spec. */
export interface RoleStanding {
  readonly role: string;
  /** approved: a valid, current approval. Anything else means the spec still waits on this role. */
  readonly state: "approved" | "missing" | "pending" | "rejected" | "stale" | "unpinned" | "weak-pin" | "not-a-holder";
  readonly approval: Approval | null;
}

/**
 * Where a spec's sign-off stands as a whole: `rejected` when any decision on it is a rejection (by a required
 * role or another one); else `approved` when every required role's standing is approved; else `pending`: some
 * role is missing, pending, stale, not pinned, or approved by someone who does not hold it, and the spec waits.
 */
export type ApprovalState = "approved" | "rejected" | "pending";

/** The sign-off of a spec from its roles' standings (see `ApprovalState`). */
export function approvalState(spec: Spec, roles: readonly RoleStanding[]): ApprovalState {
  if (roles.some((r) => r.state === "rejected") || spec.approvals.some((a) => a.decision === "Rejected" && namesSomeone(a))) return "rejected";
  return roles.every((r) => r.state === "approved") ? "approved" : "pending";
}

/** Whether an approval line names someone: not empty and not a template placeholder such as "[Name]". */
export function namesSomeone(a: Approval): boolean {
  return a.name !== "" && !isPlaceholder(a.name);
}

/** Whether an approval line records a decision someone made: Approved or Rejected, by someone named. */
export function recordsDecision(a: Approval): boolean {
  return (a.decision === "Approved" || a.decision === "Rejected") && namesSomeone(a);
}

/** What `standings` reads of a parsed spec (a `ParseResult` or a rule's context). */
export interface StandingInput {
  readonly spec: Spec;
  readonly source: SpecSource;
  readonly pos: PositionMap;
}

/**
 * The standing of every role a spec needs: the one place that decides whether a role approved. `approved` only
 * for an Approved decision that is not stale (a pinned digest must match the current content) and, where the
 * configuration names role holders, that is given by a holder and pinned to the content. Without configured
 * roles nobody can record a pinned approval (`techspec approve` needs a holder), so there an Approved line
 * counts as written unless its pin is stale.
 */
export function standings(parsed: StandingInput, workspacePath: string | undefined, settings: ReviewSettings): RoleStanding[] {
  let digest: string | null = null;
  const current = (): string => (digest ??= contentDigest(parsed));
  const enforced = rolesConfigured(settings);
  return requiredRoles(parsed.spec, workspacePath, settings).map((role) => {
    const approval = parsed.spec.approvals.find((a) => a.role.toLowerCase() === role.toLowerCase()) ?? null;
    let state: RoleStanding["state"];
    if (!approval || !namesSomeone(approval)) state = "missing";
    else if (approval.decision === "Rejected") state = "rejected";
    else if (approval.decision !== "Approved") state = "pending";
    else if (enforced && !holdsRole(settings, role, parsePerson(approval.name))) state = "not-a-holder";
    else if (approval.digest && !strongPin(approval.digest)) state = "weak-pin";
    else if (approval.digest && !digestMatches(approval.digest, current())) state = "stale";
    else if (enforced && !approval.digest) state = "unpinned";
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
    case "stale": return `${s.role}: approval${who} is stale, the content changed since ${displayDigest(s.approval?.digest ?? "")}`;
    case "unpinned": return `${s.role}: approval${who} is not pinned to the content (record it with techspec approve)`;
    case "weak-pin": return `${s.role}: approval${who} pins a digest shorter than 128 bits (${s.approval?.digest}); approve again with techspec approve`;
    case "not-a-holder": return `${s.role}: ${s.approval?.name} does not hold the role`;
  }
}
