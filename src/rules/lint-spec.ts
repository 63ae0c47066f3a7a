import { sortDiagnostics, type Diagnostic, type Fix, type Severity } from "../model/diagnostic.js";
import { isKnownStatus } from "../parse/normalize.js";
import { fieldReader } from "../types/field-info.js";
import { parseSpec, type ParseResult } from "../parse/parse-spec.js";
import { rules as allRules, workspaceRules } from "./index.js";
import type { LintHost, LintSettings, Report, WorkspaceEntry } from "./rule.js";
import { at } from "./util.js";

/** How one rule is configured: its severity (or off) and its options. */
export interface RuleSetting {
  readonly severity: Severity | "off";
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Rule settings for specs of some statuses (ESLint's overrides, matched on the spec's status instead of its file). */
export interface StatusOverride {
  /** Statuses the override applies to; "Draft" also matches a spec with no status or an unknown one. */
  readonly status: readonly string[];
  readonly rules: Readonly<Record<string, RuleSetting>>;
}

export interface LintOptions {
  readonly settings?: Partial<LintSettings>;
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  /** Applied after `rules`, in order, when the spec's status matches; the last match wins. */
  readonly overrides?: readonly StatusOverride[];
  readonly host?: LintHost;
  /** Path used in diagnostics when linting text. */
  readonly path?: string;
}

/** Settings used when the configuration gives none. */
export const DEFAULT_SETTINGS: LintSettings = {
  featureIdPattern: "^[A-Z][A-Z0-9]*-\\d+$",
  approvalRoles: ["Engineering Lead", "Architecture Lead", "Security Lead"],
  roles: {},
  requiredApprovals: [],
};

/** The status a spec's severities follow: its own when it is a lifecycle status, else Draft. */
export function severityStatus(status: string | null): string {
  return isKnownStatus(status) ? status! : "Draft";
}

/** The configured setting of a rule for a spec of `status`: the last matching override, else `rules`. */
export function settingFor(ruleId: string, status: string, rules: Readonly<Record<string, RuleSetting>>, overrides: readonly StatusOverride[]): RuleSetting | undefined {
  let setting = rules[ruleId];
  for (const o of overrides) {
    const s = o.rules[ruleId];
    if (s && o.status.includes(status)) setting = s;
  }
  return setting;
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

function toDiagnostic(file: string, rule: string, severity: Severity, r: Report): Diagnostic {
  const d: Diagnostic = {
    file, line: r.at.line, column: r.at.column, endLine: r.at.endLine, endColumn: r.at.endColumn,
    rule, severity, message: r.message,
  };
  if (r.fix) d.fix = r.fix;
  if (r.suggestions?.length) d.suggestions = r.suggestions;
  return d;
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
