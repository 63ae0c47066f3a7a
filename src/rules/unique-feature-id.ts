import { isPlaceholder } from "../parse/placeholder.js";
import type { WorkspaceRule } from "./rule.js";

export const uniqueFeatureId: WorkspaceRule = {
  id: "unique-feature-id",
  description: "Every spec of the workspace has its own Feature ID.",
  defaultSeverity: "error",
  docs: {
    bad: "specs/a/technical-specification.md: **Feature ID**: FEAT-0007\nspecs/b/technical-specification.md: **Feature ID**: FEAT-0007",
    good: "specs/a/technical-specification.md: **Feature ID**: FEAT-0007\nspecs/b/technical-specification.md: **Feature ID**: FEAT-0008",
  },
  checkWorkspace(entries, report) {
    const byId = new Map<string, (typeof entries)[number][]>();
    for (const e of entries) {
      if (!e.featureId || isPlaceholder(e.featureId)) continue;
      const list = byId.get(e.featureId);
      if (list) list.push(e);
      else byId.set(e.featureId, [e]);
    }
    for (const [id, list] of byId) {
      if (list.length < 2) continue;
      for (const e of list) {
        const others = list.filter((o) => o !== e).map((o) => o.file);
        const shown = others.slice(0, 3).join(", ") + (others.length > 3 ? ` and ${others.length - 3} more` : "");
        report(e.file, {
          message: `Feature ID ${id} is also used by ${shown} (run "techspec new" to allocate a free ID)`,
          at: e.featureIdAt ?? { line: 1, column: 1, endLine: 1, endColumn: 1 },
        });
      }
    }
  },
};
