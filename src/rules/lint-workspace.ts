// The rules over the whole workspace (unique Feature IDs), run over what lint learned of each spec: apart from the
// rules over one spec, so that a lint whose every file the cache answers does not load those.
import type { Diagnostic, Severity } from "../model/diagnostic.js";
import type { Report, WorkspaceEntry, WorkspaceRule } from "./rule.js";
import type { RuleSetting } from "./settings.js";
import { uniqueFeatureId } from "./unique-feature-id.js";

/** Rules over the whole workspace. */
export const workspaceRules: readonly WorkspaceRule[] = [uniqueFeatureId];

/** Runs the workspace rules (such as unique Feature IDs) over what lint learned of each spec. */
export function lintWorkspace(entries: readonly WorkspaceEntry[], configured: Readonly<Record<string, RuleSetting>> = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of workspaceRules) {
    const setting = configured[rule.id];
    if (setting?.severity === "off") continue;
    try {
      rule.checkWorkspace(entries, (file, r) => out.push(toDiagnostic(file, rule.id, (setting?.severity as Severity | undefined) ?? r.severity ?? rule.defaultSeverity, r)));
    } catch (err) {
      out.push({ file: entries[0]?.file ?? "", line: 1, column: 1, endLine: 1, endColumn: 1, rule: rule.id, severity: "error",
        message: `Rule "${rule.id}" failed: ${(err as Error).message} (please report this)` });
    }
  }
  return out;
}

/** A rule's report as a finding of `file` with the severity it is given. */
export function toDiagnostic(file: string, rule: string, severity: Severity, r: Report): Diagnostic {
  const d: Diagnostic = {
    file, line: r.at.line, column: r.at.column, endLine: r.at.endLine, endColumn: r.at.endColumn,
    rule, severity, message: r.message,
  };
  if (r.fix) d.fix = r.fix;
  if (r.suggestions?.length) d.suggestions = r.suggestions;
  return d;
}
