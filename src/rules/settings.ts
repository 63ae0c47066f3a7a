// How rules are configured, and the settings when the configuration gives none: apart from the rules, so that
// reading a configuration does not load them.
import type { Severity } from "../model/diagnostic.js";
import type { LintSettings } from "./rule.js";

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

/** Settings used when the configuration gives none. */
export const DEFAULT_SETTINGS: LintSettings = {
  featureIdPattern: "^[A-Z][A-Z0-9]*-\\d+$",
  approvalRoles: ["Engineering Lead", "Architecture Lead", "Security Lead"],
  roles: {},
  requiredApprovals: [],
};

/** The configured setting of a rule for a spec of `status`: the last matching override, else `rules`. */
export function settingFor(ruleId: string, status: string, rules: Readonly<Record<string, RuleSetting>>, overrides: readonly StatusOverride[]): RuleSetting | undefined {
  let setting = rules[ruleId];
  for (const o of overrides) {
    const s = o.rules[ruleId];
    if (s && o.status.includes(status)) setting = s;
  }
  return setting;
}
