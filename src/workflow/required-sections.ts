// Which template sections a spec must have at each status. The required-section rule checks them; the
// workspace summary measures completeness against the Approved list.

const REVIEW = ["overview", "introduction", "relatedDocuments", "architecture", "architecture.systemContext",
  "architecture.components", "implementation", "implementation.security", "testing", "deployment",
  "deployment.rollback", "approval"];

/** Sections required at each status unless the configuration says otherwise (keys of `SECTION_TITLES`). */
export const DEFAULT_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  Draft: ["overview", "introduction"],
  "In Review": REVIEW,
  Approved: [...REVIEW, "testing.unit", "testing.integration", "deployment.migration"],
};

/**
 * The section keys a status requires: the configured list for it (the required-section rule's options) or the
 * default; Implemented, Archived and Superseded use Approved's, a status without a list uses Draft's.
 */
export function requiredSections(status: string | null, configured: Readonly<Record<string, unknown>> = {}): readonly string[] {
  const table = { ...DEFAULT_REQUIRED, ...(configured as Record<string, readonly string[]>) };
  const s = status ?? "Draft";
  const level = s === "Implemented" || s === "Archived" || s === "Superseded" ? "Approved" : s;
  return table[level] ?? table["Draft"] ?? [];
}
