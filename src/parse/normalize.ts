import type { Decision, SpecStatus } from "../model/spec.js";
import { splitParenSuffix } from "./inline.js";

const STATUSES: Record<string, SpecStatus> = {
  draft: "Draft", "in review": "In Review", review: "In Review", "under review": "In Review",
  approved: "Approved", implemented: "Implemented", archived: "Archived", superseded: "Superseded",
};

/** The canonical status for a written one (any case, `in-review`, `in_review`); unknown values are kept. */
export function normalizeStatus(raw: string): SpecStatus {
  const k = splitParenSuffix(raw).head.toLowerCase().replace(/[-_\s]+/g, " ").trim();
  const direct = STATUSES[k];
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
