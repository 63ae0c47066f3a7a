// What the spec page shows beside the spec: its history from git, and for each decision on it, what changed
// (semantically: APIs, Data Model, sections) since the version the approver decided on.
import { diffSpecs, type Change } from "../diff/spec-diff.js";
import type { Spec } from "../model/spec.js";
import { specHistory, type LogEntry } from "../workspace/spec-history.js";

export interface SinceDecision {
  readonly role: string;
  readonly name: string;
  readonly decision: string;
  /** The commit that recorded the decision, and its date. */
  readonly commit: string;
  readonly date: string;
  /** What changed since, without the Approval block and Last Updated (which every decision changes). */
  readonly changes: readonly Change[];
}

export interface ReviewHistory {
  readonly entries: readonly LogEntry[];
  readonly sinceDecision: readonly SinceDecision[];
  /** Why there is no history (not in git, not committed yet), or null. */
  readonly problem: string | null;
}

export async function reviewHistory(path: string, current: Spec): Promise<ReviewHistory> {
  const history = await specHistory(path);
  if ("problem" in history) return { entries: [], sinceDecision: [], problem: history.problem };
  const sinceDecision: SinceDecision[] = [];
  for (const a of current.approvals) {
    if (a.decision !== "Approved" && a.decision !== "Rejected") continue;
    // The newest commit that recorded this very decision (same name, decision, date and digest).
    const at = [...history.entries].reverse().find((e) => e.events.some((ev) => ev.type === "approval" && ev.role === a.role && ev.name === a.name
      && ev.decision === a.decision && ev.date === a.date && ev.digest === a.digest));
    if (!at) continue;
    const changes = diffSpecs(at.spec, current).filter((c) => !(c.area === "metadata" && (c.subject.startsWith("approval ") || c.subject === "lastUpdated")));
    sinceDecision.push({ role: a.role, name: a.name, decision: a.decision, commit: at.commit, date: at.date, changes });
  }
  return { entries: history.entries.map(({ spec: _version, ...entry }) => entry), sinceDecision, problem: null };
}
