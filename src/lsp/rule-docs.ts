import type { Diagnostic } from "../model/diagnostic.js";
import { inputRules, rules, workspaceRules } from "../rules/index.js";
import type { RuleDocs } from "../rules/rule.js";
import { ruleDocsUrl } from "../workspace/package-files.js";

/** What the editor shows of a rule: its description and, for rules that have them, the bad and good examples. */
export interface RuleInfo {
  readonly id: string;
  readonly description: string;
  readonly docs: RuleDocs | null;
}

/** Every rule by id: the input rules (parse, unreadable-file, text-encoding), the rules, the workspace rules. */
export function ruleInfos(): ReadonlyMap<string, RuleInfo> {
  const out = new Map<string, RuleInfo>();
  for (const r of inputRules) out.set(r.id, { id: r.id, description: r.description, docs: null });
  for (const r of [...rules, ...workspaceRules]) out.set(r.id, { id: r.id, description: r.description, docs: r.docs });
  return out;
}

/** The link to a diagnostic's rule documentation: the one it carries, else the package's docs/rules.md at the rule, as lint links it. */
export function docsUrlOf(d: Diagnostic): string {
  return d.url ?? ruleDocsUrl(d.rule);
}
