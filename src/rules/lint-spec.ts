import { sortDiagnostics, type Diagnostic, type Fix, type Severity } from "../model/diagnostic.js";
import { isKnownStatus } from "../parse/normalize.js";
import { fieldReader } from "../types/field-info.js";
import { parseSpec, type ParseResult } from "../parse/parse-spec.js";
import { rules as allRules } from "./index.js";
import { toDiagnostic } from "./lint-workspace.js";
import type { LintHost, LintSettings, Report } from "./rule.js";
import { DEFAULT_SETTINGS, settingFor, type RuleSetting, type StatusOverride } from "./settings.js";
import { at } from "./util.js";

export { DEFAULT_SETTINGS, settingFor, type RuleSetting, type StatusOverride } from "./settings.js";
export { lintWorkspace } from "./lint-workspace.js";

export interface LintOptions {
  readonly settings?: Partial<LintSettings>;
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  /** Applied after `rules`, in order, when the spec's status matches; the last match wins. */
  readonly overrides?: readonly StatusOverride[];
  readonly host?: LintHost;
  /** Path used in diagnostics when linting text. */
  readonly path?: string;
}

/** The status a spec's severities follow: its own when it is a lifecycle status, else Draft. */
export function severityStatus(status: string | null): string {
  return isKnownStatus(status) ? status! : "Draft";
}

/** Lints one spec (text or an earlier parse result) with every enabled rule; a throwing rule becomes a diagnostic. */
export function lintSpec(input: string | ParseResult, options: LintOptions = {}): Diagnostic[] {
  const parsed = typeof input === "string" ? parseSpec(input, options.path ?? "") : input;
  const file = parsed.spec.path;
  const settings: LintSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const status = severityStatus(parsed.spec.metadata.status);
  const setting = (id: string): RuleSetting | undefined => settingFor(id, status, options.rules ?? {}, options.overrides ?? []);
  const out: Diagnostic[] = [];
  for (const d of parsed.diagnostics) {
    // Parser findings carry a rule id ("parse", or "json-block" for API examples) and follow its setting.
    const configured = setting(d.rule);
    if (configured?.severity === "off") continue;
    out.push(configured ? { ...d, severity: configured.severity as Severity } : d);
  }
  if (!parsed.source.isSpec) return out;
  const field = fieldReader(parsed.spec.dataModel.entities.map((e) => e.name));
  for (const rule of allRules) {
    const configured = setting(rule.id);
    if (configured?.severity === "off") continue;
    // Configured severity, else the finding's own, else the rule's for this status.
    const base = status === "Draft" && rule.draftSeverity ? rule.draftSeverity : rule.defaultSeverity;
    const ctx = { file, spec: parsed.spec, pos: parsed.pos, source: parsed.source, settings, options: configured?.options ?? {}, host: options.host ?? {}, field };
    const report = (r: Report): void => {
      out.push(toDiagnostic(file, rule.id, (configured?.severity as Severity | undefined) ?? r.severity ?? base, r));
    };
    try {
      rule.check(ctx, report);
    } catch (err) {
      const where = at(ctx, "title");
      out.push({ file, ...where, rule: rule.id, severity: "error",
        message: `Rule "${rule.id}" failed on this file: ${(err as Error).message} (please report this; other rules still ran)` });
    }
  }
  return sortDiagnostics(out);
}

/** Applies non-overlapping fixes to `text`, last first; returns the new text, how many were applied and which. */
export function applyFixes(text: string, diagnostics: readonly Diagnostic[]): { text: string; applied: number; fixes: Fix[] } {
  const fixes = diagnostics.flatMap((d) => (d.fix ? [d.fix] : [])).sort((a, b) => b.range[0] - a.range[0]);
  let out = text;
  const applied: Fix[] = [];
  let limit = Infinity;
  for (const f of fixes) {
    if (f.range[1] > limit) continue; // overlaps a later fix already applied
    out = out.slice(0, f.range[0]) + f.text + out.slice(f.range[1]);
    limit = f.range[0];
    applied.push(f);
  }
  return { text: out, applied: applied.length, fixes: applied };
}
