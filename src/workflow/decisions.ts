// The lifecycle's decisions, shared by the CLI (`status`, `approve`, `supersede`) and the review server: may this
// move happen, may this person decide, what do the new lines say. Pure: the caller reads the spec, supplies the
// date and a lint of the text as it would be, and writes the edits it gets back.
import type { Diagnostic, Fix } from "../model/diagnostic.js";
import type { SpecStatus } from "../model/spec.js";
import { normalizeStatus, STATUSES } from "../parse/normalize.js";
import { parseSpec, type ParseResult } from "../parse/parse-spec.js";
import { contentDigest } from "./digest.js";
import { applyEdits, setApproval, setMetadataLine, setStatus } from "./edit.js";
import { canMove, nextStatuses } from "./lifecycle.js";
import { formatPerson, holders, holdsRole, knownRoles, type Person, type ReviewSettings } from "./people.js";
import { describeStanding, standings } from "./standing.js";

/**
 * Why a lifecycle step cannot be taken. `usage`: the request itself is wrong (an unknown role or status, a
 * rejection without a reason); `refused`: the request is understood and the rules forbid it (the person does not
 * hold the role, the move is not allowed, lint or the approvals stand in the way).
 */
export interface Refusal {
  readonly ok: false;
  readonly kind: "usage" | "refused";
  readonly message: string;
}

const usage = (message: string): Refusal => ({ ok: false, kind: "usage", message });
const refused = (message: string): Refusal => ({ ok: false, kind: "refused", message });

/** A spec as a decision sees it: its parse, and the path to show in messages. */
export interface DecisionTarget {
  readonly parsed: ParseResult;
  readonly display: string;
}

export type Decision = "Approved" | "Rejected";

export interface ApprovalRequest {
  /** The role as the user typed it (matched without regard to case). */
  readonly role: string;
  readonly person: Person;
  readonly decision: Decision;
  /** Why, for a rejection (required there, refused with an approval). */
  readonly reason: string | null;
  /** Today, as YYYY-MM-DD. */
  readonly date: string;
  /** Where the roles come from, for the message when nobody holds one. */
  readonly configFile?: string | null;
}

export interface ApprovalPlan {
  readonly ok: true;
  /** The role as the configuration spells it. */
  readonly role: string;
  readonly decision: Decision;
  readonly reason: string | null;
  readonly date: string;
  /** The content digest the line pins (of the spec as it will be, the line itself left out). */
  readonly digest: string;
  /** What follows the role's label on the Approval line. */
  readonly line: string;
  readonly edits: readonly Fix[];
}

/** Plans one person's decision for one role: the new Approval line and its edits, or why it cannot be recorded. */
export function planApproval(target: DecisionTarget, settings: ReviewSettings, request: ApprovalRequest): ApprovalPlan | Refusal {
  const { parsed, display } = target;
  const known = knownRoles(settings);
  const wanted = request.role.trim().toLowerCase();
  const role = known.find((r) => r.toLowerCase() === wanted);
  if (!wanted) return usage("give the role you decide for");
  if (!role) return usage(`"${request.role}" is not an approval role of ${display} (roles: ${known.join(", ")})`);
  const reasonText = request.reason?.replace(/\s+/g, " ").trim() ?? "";
  if (request.decision === "Rejected" && !reasonText) return usage("a rejection needs a reason saying why");
  if (request.decision === "Approved" && request.reason !== null) return usage("a reason goes with a rejection");
  const person = request.person;
  if (!person.name || !person.email) return usage(`the person deciding needs a name and an e-mail address (got "${formatPerson(person)}")`);
  if (!holdsRole(settings, role, person)) {
    const people = holders(settings, role);
    return refused(people.length === 0
      ? `${formatPerson(person)} cannot decide as ${role}: no one holds that role (add it to "roles" in ${request.configFile ?? "techspec.config.json"}, e.g. "${role}": ["${formatPerson(person)}"])`
      : `${formatPerson(person)} does not hold the ${role} role (held by ${people.map(formatPerson).join(", ")})`);
  }
  const status = parsed.spec.metadata.status;
  if (status === "Superseded" || status === "Archived") return refused(`${display}: the spec is ${status}; there is nothing to decide on`);
  const reason = request.decision === "Rejected" ? reasonText : null;
  const lineFor = (digest: string): string => `${person.name} - ${request.decision} ${request.date} (${digest})${reason ? `: ${reason}` : ""}`;
  // The digest of the text as it will be (the line itself is left out of it): adding the Approval heading, when
  // the spec had none, is then part of what was approved instead of making the approval stale at once.
  const draft = applyEdits(parsed.source.text, setApproval(parsed, role, lineFor(`sha256:${"0".repeat(64)}`)));
  const digest = contentDigest(parseSpec(draft, display));
  const line = lineFor(digest);
  return { ok: true, role, decision: request.decision, reason, date: request.date, digest, line, edits: setApproval(parsed, role, line) };
}

/** The status a user asked for, as the lifecycle spells it, or why it is not one `status` can set. */
export function statusNamed(wanted: string): { readonly ok: true; readonly status: SpecStatus } | Refusal {
  const to = normalizeStatus(wanted);
  if (!(STATUSES as readonly string[]).includes(to)) return usage(`unknown status "${wanted}" (expected ${STATUSES.join(", ")})`);
  if (to === "Superseded") return usage("a spec is superseded by another one: use techspec supersede OLD NEW");
  return { ok: true, status: to as SpecStatus };
}

export interface StatusMoveContext {
  readonly settings: ReviewSettings;
  /** The spec's path from the workspace root (roles may be required per folder). */
  readonly workspacePath: string | undefined;
  readonly date: string;
  /** Lints a text as the spec would be (with the spec's own host): the move is refused on its errors. */
  readonly lint: (text: string) => readonly Diagnostic[];
}

export interface StatusPlan {
  readonly ok: true;
  readonly from: SpecStatus | null;
  readonly to: SpecStatus;
  readonly edits: readonly Fix[];
}

/** Plans a status move: the Status and Last Updated edits, or why the lifecycle, the approvals or lint forbid it. */
export function planStatusMove(target: DecisionTarget, to: SpecStatus, context: StatusMoveContext): StatusPlan | Refusal {
  const { parsed, display } = target;
  const from = parsed.spec.metadata.status;
  const id = parsed.spec.metadata.featureId ?? display;
  if (from === to) return refused(`${display}: ${id} is already ${to}`);
  if (!canMove(from, to)) {
    return refused(`${display}: ${id} cannot move from ${from ?? "no status"} to ${to}; from ${from ?? "no status"} it may move to ${nextStatuses(from).join(" or ") || "nothing"}`);
  }
  if (to === "Approved") {
    const open = standings(parsed, context.workspacePath, context.settings).filter((s) => s.state !== "approved");
    if (open.length > 0) return refused(`${display}: ${id} cannot be Approved yet: ${open.map(describeStanding).join("; ")}`);
  }
  const edits = setStatus(parsed, to, context.date);
  if (to === "In Review" || to === "Approved") {
    // The spec must pass lint as it will be at the new status: what is a warning in a Draft is an error from review on.
    const after = context.lint(applyEdits(parsed.source.text, edits)).filter((d) => d.severity === "error");
    if (after.length > 0) {
      const shown = after.slice(0, 5).map((d) => `\n  ${d.file}:${d.line}:${d.column}  ${d.message}  (${d.rule})`).join("");
      const more = after.length > 5 ? `\n  … and ${after.length - 5} more` : "";
      return refused(`${display}: ${id} cannot move to ${to}: lint reports ${after.length} error${after.length === 1 ? "" : "s"} at that status (fix them first; techspec lint shows them all)${shown}${more}`);
    }
  }
  return { ok: true, from, to, edits };
}

export interface SupersedePlan {
  readonly ok: true;
  readonly oldId: string;
  readonly newId: string;
  readonly oldEdits: readonly Fix[];
  readonly newEdits: readonly Fix[];
}

/**
 * Plans marking `old` as superseded by `neu`, with links both ways. `link(from, to)` is the relative link from one
 * spec to the other (the caller knows where they are on disk).
 */
export function planSupersede(old: DecisionTarget, neu: DecisionTarget, date: string, links: { readonly toNew: string; readonly toOld: string }): SupersedePlan | Refusal {
  const oldId = old.parsed.spec.metadata.featureId;
  const newId = neu.parsed.spec.metadata.featureId;
  if (!oldId || !newId) return usage(`${(oldId ? neu : old).display}: has no Feature ID to link to`);
  if (!canMove(old.parsed.spec.metadata.status, "Superseded")) return refused(`${old.display}: ${oldId} is already superseded`);
  // Both edits first: a spec that cannot be edited leaves neither file changed.
  const oldEdits = setStatus(old.parsed, `Superseded by [${newId}](${links.toNew})`, date);
  const newEdits = setMetadataLine(neu.parsed, "Supersedes", `[${oldId}](${links.toOld})`);
  return { ok: true, oldId, newId, oldEdits, newEdits };
}
