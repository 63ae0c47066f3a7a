// The public library API: `import { parseSpec, lintSpec, loadWorkspace } from "techspec"`.
export type * from "./model/index.js";
export { spanOf } from "./model/position.js";
export { parseSpec, NOT_A_SPEC, type ParseResult } from "./parse/parse-spec.js";
export { lintSpec, lintWorkspace, applyFixes, DEFAULT_SETTINGS, type LintOptions, type RuleSetting } from "./rules/lint-spec.js";
export { inputRules, rules, workspaceRules } from "./rules/index.js";
export type { Rule, WorkspaceRule, RuleContext, Report, LintHost, LintSettings, WorkspaceEntry } from "./rules/rule.js";
export { loadWorkspace, type Workspace, type WorkspaceSpec } from "./workspace/workspace.js";
export { loadConfig, resolveConfig, type Config } from "./workspace/config.js";
export { lintFiles } from "./workspace/lint-files.js";
export { UsageError, ConfigError, InputError } from "./workspace/errors.js";
export { formatters, type FormatName } from "./format/index.js";
export { exporters, checkExport, type Exporter, type ExportOptions } from "./export/exporter.js";
export { ExportError } from "./export/export-error.js";
export { specIdentity, type SpecIdentity } from "./export/spec-identity.js";
export { buildSite, type SiteOptions, type SiteResult } from "./site/build-site.js";
export { summarize, type SpecSummary, type ApprovalState } from "./workspace/summary.js";
