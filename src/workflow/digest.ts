import { createHash } from "node:crypto";
import type { PositionMap } from "../model/position.js";
import type { SpecSource } from "../model/source.js";
import type { Approval } from "../model/spec.js";
import { isPlaceholder } from "../parse/placeholder.js";

/** Hex digits of SHA-256 an approval must pin at least (128 bits) for the pin to count as proof. */
export const MIN_PINNED_DIGITS = 32;

/** Longest role label and name an approval line may have and still be left out of the digest as one. */
const MAX_ROLE = 60;
const MAX_NAME = 100;
/** Most words a name may have ("Dr. Jane van der Berg <jane@example.com>"): a sentence on a role's line is content. */
const MAX_NAME_WORDS = 7;

/** What `contentDigest` reads of a parsed spec (a `ParseResult` or a rule's context). */
export interface DigestInput {
  readonly source: SpecSource;
  readonly pos: PositionMap;
  readonly spec: { readonly approvals: readonly Approval[] };
}

/**
 * The digest an approval pins: SHA-256 of the whole spec except the approval lines themselves, the value of
 * Status and the Last Updated line, so that recording a decision, moving the status or touching the date
 * never makes an approval stale, and any other edit does: a heading named Approval, text under the Approval
 * heading that is not an approval line, a second approval block are all covered. An approval line is one the
 * parser read as a role's decision (Approved, Pending, Rejected, a template placeholder, or none yet) with a
 * short role and a name of a few words; any other line of the block is content. Line endings and trailing white space are
 * normalized, and runs of blank lines count as one, so reformatting white space does not count as a change.
 */
export function contentDigest(parsed: DigestInput): string {
  const { lines } = parsed.source;
  const skip = new Set<number>();
  const blank = new Map<number, { column: number; endColumn: number }>();
  parsed.spec.approvals.forEach((a, i) => {
    const span = parsed.pos.get(`approvals/${i}`);
    if (span && isApprovalLine(a, parsed.source.rawDecisions[i] ?? "")) skip.add(span.line);
  });
  const status = parsed.pos.get("metadata/status");
  if (status && !skip.has(status.line)) blank.set(status.line, status);
  const updated = parsed.pos.get("metadata/lastUpdated");
  if (updated && !skip.has(updated.line)) {
    const line = lines[updated.line - 1] ?? "";
    const rest = line.slice(0, updated.column - 1) + line.slice(updated.endColumn - 1);
    // The whole line when it holds nothing but its label (techspec status adds it so); else only the value.
    if (/^[\s>|*_:.-]*last[\s_-]*updated[\s|*_:.-]*$/i.test(rest)) skip.add(updated.line);
    else blank.set(updated.line, updated);
  }
  const hash = createHash("sha256");
  let pendingBlank = false;
  let started = false;
  for (let i = 0; i < lines.length; i++) {
    if (skip.has(i + 1)) continue;
    let line = lines[i]!;
    const b = blank.get(i + 1);
    if (b) line = line.slice(0, b.column - 1) + line.slice(b.endColumn - 1);
    const t = line.trimEnd();
    if (t === "") {
      pendingBlank = started;
      continue;
    }
    if (started) hash.update(pendingBlank ? "\n\n" : "\n");
    hash.update(t);
    started = true;
    pendingBlank = false;
  }
  return `sha256:${hash.digest("hex")}`;
}

/** Whether a parsed approval is a decision line that the digest leaves out (see `contentDigest`). */
function isApprovalLine(a: Approval, rawDecision: string): boolean {
  if (a.role.length > MAX_ROLE || a.name.length > MAX_NAME || a.name.split(/\s+/).length > MAX_NAME_WORDS) return false;
  return a.decision === "Approved" || a.decision === "Pending" || a.decision === "Rejected" || rawDecision.trim() === "" || isPlaceholder(rawDecision);
}

/** Whether a pinned digest is long enough to prove anything (at least 128 bits). */
export function strongPin(pinned: string): boolean {
  return /^sha256:[0-9a-f]+$/i.test(pinned) && pinned.length - "sha256:".length >= MIN_PINNED_DIGITS;
}

/** Whether a pinned digest names the given full digest: at least 128 bits of it, all equal. */
export function digestMatches(pinned: string, full: string): boolean {
  return strongPin(pinned) && full.startsWith(pinned.toLowerCase());
}

/** A digest as messages and listings show it: "sha256:" and its first 12 hex digits, then "…". */
export function displayDigest(digest: string): string {
  return digest.length > "sha256:".length + 12 ? `${digest.slice(0, "sha256:".length + 12)}…` : digest;
}
