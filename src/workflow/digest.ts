import { createHash } from "node:crypto";
import type { PositionMap } from "../model/position.js";
import type { SpecSource } from "../model/source.js";

/** How many hex digits of the digest an approval line shows. */
export const SHOWN_DIGITS = 8;

/**
 * The digest an approval pins: SHA-256 of the spec's content without the Approval block, the Status line and
 * the Last Updated line, so recording a decision, moving the status or touching the date never makes an
 * approval stale, and any other edit does. Line endings, trailing spaces and runs of blank lines are
 * normalized first, so reformatting whitespace does not count as a change.
 */
export function contentDigest(parsed: { readonly source: SpecSource; readonly pos: PositionMap }): string {
  const { lines, sections } = parsed.source;
  const skip = new Set<number>();
  for (const key of ["metadata/status", "metadata/lastUpdated"]) {
    const span = parsed.pos.get(key);
    if (span) skip.add(span.line);
  }
  for (const s of sections) {
    if (s.key !== "approval") continue;
    for (let l = s.line; l <= s.end; l++) skip.add(l);
  }
  const kept: string[] = [];
  lines.forEach((line, i) => {
    if (skip.has(i + 1)) return;
    const t = line.replace(/\s+$/, "");
    if (t === "" && (kept.length === 0 || kept[kept.length - 1] === "")) return;
    kept.push(t);
  });
  while (kept.length > 0 && kept[kept.length - 1] === "") kept.pop();
  return `sha256:${createHash("sha256").update(kept.join("\n")).digest("hex")}`;
}

/** The short form written on approval lines ("sha256:3f2a9c1e"). */
export function shortDigest(digest: string): string {
  return digest.slice(0, "sha256:".length + SHOWN_DIGITS);
}

/** Whether a pinned (possibly shortened) digest names the given full digest. */
export function digestMatches(pinned: string, full: string): boolean {
  return pinned.length >= "sha256:".length + 6 && full.startsWith(pinned.toLowerCase());
}
