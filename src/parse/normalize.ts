import type { Decision, SpecStatus } from "../model/spec.js";
import { splitParenSuffix } from "./inline.js";

/** The lifecycle statuses, in lifecycle order: the one list every layer uses. */
export const STATUSES = ["Draft", "In Review", "Approved", "Implemented", "Archived", "Superseded"] as const;

/** Spellings of each status, lower-cased with separators as spaces. */
const SPELLINGS: Record<string, SpecStatus> = {
  ...Object.fromEntries(STATUSES.map((s) => [s.toLowerCase(), s])),
  review: "In Review", "under review": "In Review", wip: "Draft", "work in progress": "Draft", proposed: "In Review", accepted: "Approved",
};

/** Whether a normalized status is one of the lifecycle statuses. */
export function isKnownStatus(status: string | null): boolean {
  return status !== null && (STATUSES as readonly string[]).includes(status);
}

/** The canonical status for a written one (any case, `in-review`, `in_review`); unknown values are kept. */
export function normalizeStatus(raw: string): SpecStatus {
  const k = splitParenSuffix(raw).head.toLowerCase().replace(/[-_\s]+/g, " ").trim();
  const direct = SPELLINGS[k];
  if (direct) return direct;
  if (/^superseded\b/.test(k)) return "Superseded";
  return raw;
}

/** The canonical decision (`Approved`, `Pending`, `Rejected`) for a written one; unknown values are kept. */
export function normalizeDecision(raw: string): Decision {
  const k = splitParenSuffix(raw).head.toLowerCase().replace(/[.!]$/, "").trim();
  if (k === "approved") return "Approved";
  if (k === "pending") return "Pending";
  if (k === "rejected") return "Rejected";
  return raw;
}

/** A decision as `techspec approve` writes it: the word, then an optional date, digest and reason. */
export interface DecisionParts {
  readonly decision: Decision;
  readonly date: string | null;
  readonly digest: string | null;
  readonly reason: string | null;
}

// Read from trimmed text, so the reason runs to the end: `(.*?)[ \t]*$` would retry a run of spaces inside it from
// each of its spaces.
const RECORDED = /^([A-Za-z]+)(?:[ \t]+(\d{4}-\d{2}-\d{2}))?(?:[ \t]*\((sha256:[0-9a-fA-F]{6,64})\))?(?:[ \t]*[:—–][ \t]*(.*))?$/;

/** Splits "Approved 2026-11-23 (sha256:3f2a9c1e)" or "Rejected 2026-11-23 (sha256:…): reason"; other text is a plain decision. */
export function parseDecision(raw: string): DecisionParts {
  const m = RECORDED.exec(raw.trim());
  if (m && (m[2] !== undefined || m[3] !== undefined)) {
    return { decision: normalizeDecision(m[1]!), date: m[2] ?? null, digest: m[3]?.toLowerCase() ?? null, reason: m[4] || null };
  }
  return { decision: normalizeDecision(raw), date: null, digest: null, reason: null };
}
