import { closest } from "../model/closest.js";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { globSync } from "tinyglobby";
import type { Severity } from "../model/diagnostic.js";
import { ruleCatalog } from "../rules/catalog.js";
import { UNREADABLE_FILE_RULE } from "../rules/input-rules.js";
import { DEFAULT_SETTINGS, type RuleSetting, type StatusOverride } from "../rules/settings.js";
import type { LintSettings, SignatureSettings } from "../rules/rule.js";
import type { ValidateFunction } from "ajv";
import type { RequiredApproval } from "../workflow/people.js";
import { ConfigError } from "./errors.js";
import { posixRelative } from "./paths.js";

/** File name of the configuration. */
export const CONFIG_FILE = "techspec.config.json";

/** A loaded configuration with every default filled in. */
export interface Config {
  /** Absolute path of the configuration file, or null when defaults are used. */
  readonly file: string | null;
  /** Folder globs and relative paths are resolved from. */
  readonly root: string;
  readonly specs: readonly string[];
  readonly ignore: readonly string[];
  readonly specsDir: string;
  readonly idPrefix: string;
  readonly idDigits: number;
  readonly settings: LintSettings;
  readonly maxFileSize: number;
  /** How `techspec export sql` names tables and columns. */
  readonly sqlNaming: "snake_case" | "preserve";
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** Rule settings by spec status, applied after `rules`. */
  readonly overrides: readonly StatusOverride[];
  /**
   * In a workspace (a configuration with `workspaces`, and each of its spec roots): the root's name, its folder from
   * the workspace's folder ("." for that folder itself) or the `name` its configuration sets. Absent outside one.
   */
  readonly name?: string;
  /** In a workspace's configuration: its other spec roots in path order, each with its configuration (`root` is its folder). */
  readonly roots?: readonly Config[];
}

/** The configuration used when there is no configuration file. */
export function defaultConfig(root: string): Config {
  return {
    file: null, root, specs: ["**/technical-specification.md"], ignore: [], specsDir: "specs",
    idPrefix: "FEAT-", idDigits: 4, settings: DEFAULT_SETTINGS, maxFileSize: 10 * 1024 * 1024, sqlNaming: "snake_case", rules: {}, overrides: [],
  };
}

/** Finds `techspec.config.json` in `from` or its ancestors. */
export function findConfig(from: string): string | null {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * Loads and validates a configuration file; throws ConfigError naming the key and the reason. A configuration with
 * `workspaces` comes with its spec roots (`roots`). With `workspace`, the file is loaded as one of that workspace's
 * spec roots: what it leaves unset comes from the workspace's configuration (ESLint's cascade).
 */
export async function loadConfig(file: string, workspace?: Config): Promise<Config> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`${file}: cannot read the configuration (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(`${file}: the configuration must be a JSON object`);
  }
  const obj = raw as Record<string, unknown>;
  checkRuleIds(file, obj["rules"], "rules");
  if (Array.isArray(obj["overrides"])) obj["overrides"].forEach((o, i) => checkRuleIds(file, (o as Record<string, unknown> | null)?.["rules"], `overrides[${i}].rules`));
  const unreadable = (obj["rules"] as Record<string, unknown> | undefined)?.[UNREADABLE_FILE_RULE.id];
  if (unreadable === "off" || (Array.isArray(unreadable) && unreadable[0] === "off")) {
    // A file that cannot be read fails the run (exit 2) whatever its severity: hiding it would leave the report incomplete.
    throw new ConfigError(`${file}: "rules.${UNREADABLE_FILE_RULE.id}" cannot be "off" (use "warn" or "error"); to leave a file out, add it to "ignore"`);
  }
  await validate(file, obj);
  if (workspace) checkMember(file, obj, workspace);
  const signaturesRequired = (obj["signatures"] as { required?: unknown } | undefined)?.required === true || workspace?.settings.signatures?.required === true;
  if (signaturesRequired) {
    // The rule that checks the signatures cannot be what a configuration change quietly turns down.
    const weakened = [obj["rules"], ...((obj["overrides"] as { rules?: unknown }[] | undefined) ?? []).map((o) => o?.rules)].some((r) => {
      const v = (r as Record<string, unknown> | undefined)?.["approval-provenance"];
      const level = Array.isArray(v) ? v[0] : v;
      return level !== undefined && level !== "error";
    });
    if (weakened) throw new ConfigError(`${file}: "approval-provenance" must stay "error" while "signatures.required" is true (it is the rule that checks the signatures); remove its setting from "rules" and "overrides"`);
  }
  const root = dirname(resolve(file));
  // A spec root of a workspace starts from the workspace's settings; its `ignore` is its own (the workspace's applies everywhere).
  const base: Config = workspace ? { ...workspace, root, ignore: [] } : defaultConfig(root);
  const idPrefix = (obj["idPrefix"] as string | undefined) ?? base.idPrefix;
  const pattern = (obj["featureIdPattern"] as string | undefined) ?? (obj["idPrefix"] !== undefined ? `^${escapeRe(idPrefix)}\\d+$` : base.settings.featureIdPattern);
  try {
    new RegExp(pattern);
  } catch (err) {
    throw new ConfigError(`${file}: "featureIdPattern" is not a valid regular expression (${(err as Error).message})`);
  }
  const rules = { ...base.rules, ...ruleSettings(obj["rules"]) };
  const overrides = [...base.overrides, ...((obj["overrides"] ?? []) as { status: string[]; rules: unknown }[]).map((o) => ({ status: o.status, rules: ruleSettings(o.rules) }))];
  const config: Config = {
    file: resolve(file), root,
    specs: (obj["specs"] as string[] | undefined) ?? base.specs,
    ignore: (obj["ignore"] as string[] | undefined) ?? base.ignore,
    specsDir: (obj["specsDir"] as string | undefined) ?? base.specsDir,
    idPrefix,
    idDigits: (obj["idDigits"] as number | undefined) ?? base.idDigits,
    settings: {
      featureIdPattern: pattern,
      approvalRoles: (obj["approvalRoles"] as string[] | undefined) ?? base.settings.approvalRoles,
      roles: (obj["roles"] as Record<string, string[]> | undefined) ?? base.settings.roles,
      requiredApprovals: workspace && obj["requiredApprovals"] !== undefined
        ? fromWorkspaceRoot(obj["requiredApprovals"] as RequiredApproval[], posixRelative(workspace.root, root))
        : (obj["requiredApprovals"] as RequiredApproval[] | undefined) ?? base.settings.requiredApprovals,
      ...(workspace ? (base.settings.signatures ? { signatures: base.settings.signatures } : {}) : signatureSettings(file, root, obj["signatures"])),
    },
    maxFileSize: (obj["maxFileSize"] as number | undefined) ?? base.maxFileSize,
    sqlNaming: (obj["sqlNaming"] as "snake_case" | "preserve" | undefined) ?? base.sqlNaming,
    rules,
    overrides,
  };
  if (workspace) return { ...config, name: (obj["name"] as string | undefined) ?? posixRelative(workspace.root, root) };
  if (obj["workspaces"] === undefined) return config;
  const top: Config = { ...config, name: (obj["name"] as string | undefined) ?? "." };
  return { ...top, roots: await loadRoots(top, obj["workspaces"] as string[]) };
}

/** What a spec root's configuration may not set: workspaces of its own, or the trust that only the workspace's file carries. */
function checkMember(file: string, obj: Record<string, unknown>, workspace: Config): void {
  const where = `it is a spec root of the workspace of ${workspace.file}`;
  if (obj["workspaces"] !== undefined) throw new ConfigError(`${file}: "workspaces" cannot be set here: ${where}, and workspaces do not nest (list every spec root in that file)`);
  if (obj["signatures"] !== undefined) throw new ConfigError(`${file}: "signatures" cannot be set here: ${where}, whose "signatures" apply to every root`);
  if (obj["roles"] !== undefined && workspace.settings.signatures) {
    // The chain of trust replays the history of the workspace's configuration only: roles set elsewhere would escape it.
    throw new ConfigError(`${file}: "roles" cannot be set here while ${workspace.file} sets "signatures": ${where}, and only that file's roles are verified by signed commits`);
  }
}

/** A spec root's `requiredApprovals` with its `paths` made relative to the workspace's folder, as specs' paths are. */
function fromWorkspaceRoot(list: readonly RequiredApproval[], rel: string): RequiredApproval[] {
  return list.map((r) => (r.when?.paths ? { ...r, when: { ...r.when, paths: r.when.paths.map((p) => `${rel}/${p.replace(/\\/g, "/").replace(/^\.\//, "")}`) } } : r));
}

/** The folders `workspaces` globs match (relative to `root`, `!` to leave some out), as npm finds workspaces; absolute, in path order. */
export function workspaceFolders(root: string, patterns: readonly string[]): string[] {
  // The folders discovery never searches (discover.ts's ALWAYS_IGNORED, which imports this module's types).
  const found = globSync([...patterns], { cwd: root, onlyDirectories: true, absolute: true, expandDirectories: false, ignore: ["**/node_modules/**", "**/.git/**"] });
  const top = resolve(root);
  return [...new Set(found.map((d) => resolve(d)))].filter((d) => d !== top).sort();
}

/** The spec roots of a workspace: each folder `workspaces` matches, with its own configuration or the workspace's. */
async function loadRoots(top: Config, patterns: readonly string[]): Promise<Config[]> {
  const roots: Config[] = [];
  const names = new Map<string, string>();
  for (const dir of workspaceFolders(top.root, patterns)) {
    const file = join(dir, CONFIG_FILE);
    const member: Config = existsSync(file) ? await loadConfig(file, top) : { ...top, file: null, root: dir, ignore: [], name: posixRelative(top.root, dir) };
    const rel = posixRelative(top.root, dir);
    const taken = member.name === top.name ? "." : names.get(member.name!);
    if (taken !== undefined) throw new ConfigError(`${top.file}: the spec roots ${taken} and ${rel} are both named ${JSON.stringify(member.name)} (set "name" in their techspec.config.json to tell them apart)`);
    names.set(member.name!, rel);
    roots.push(member);
  }
  return roots;
}

/**
 * The configuration of the workspace whose `workspaces` list the folder of `file` (the nearest such one above it),
 * or null. Only the `workspaces` of the configurations above are read here; the one found is loaded in full later.
 */
function workspaceOf(file: string): string | null {
  const folder = dirname(resolve(file));
  if (dirname(folder) === folder) return null;
  for (let above = dirname(folder); ;) {
    const candidate = findConfig(above);
    if (candidate === null) return null;
    const dir = dirname(candidate);
    let patterns: unknown;
    try {
      patterns = (JSON.parse(readFileSync(candidate, "utf8").replace(/^\uFEFF/, "")) as { workspaces?: unknown } | null)?.workspaces;
    } catch {
      patterns = undefined; // not readable here: it is reported when it is used
    }
    if (Array.isArray(patterns) && patterns.every((p) => typeof p === "string" && p !== "") && workspaceFolders(dir, patterns).includes(folder)) return candidate;
    if (dirname(dir) === dir) return null;
    above = dirname(dir);
  }
}

/** The `signatures` settings with absolute paths; the allowed signers file must exist when signatures are required. */
function signatureSettings(file: string, root: string, raw: unknown): { signatures?: SignatureSettings } {
  if (raw === undefined) return {};
  const s = raw as { required: boolean; allowedSigners: string; servers?: string[] };
  const allowedSigners = resolve(root, s.allowedSigners);
  if (s.required && !existsSync(allowedSigners)) {
    throw new ConfigError(`${file}: "signatures.allowedSigners" names ${s.allowedSigners}, which does not exist (create it with one "email key-type key" line per signer, see docs/signatures.md)`);
  }
  return { signatures: { required: s.required, allowedSigners, configFile: resolve(file), ...(s.servers ? { servers: s.servers.map((x) => x.toLowerCase()) } : {}) } };
}

/** Loads the configuration that applies to `cwd` (an explicit file wins), or the defaults. */
export async function resolveConfig(cwd: string, explicit?: string): Promise<Config> {
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new ConfigError(`${explicit}: configuration file does not exist`);
    return loadConfig(workspaceOf(file) ?? file);
  }
  const found = findConfig(cwd);
  // Inside a spec root with a configuration of its own, the workspace that lists it is what applies (npm workspaces).
  return found ? loadConfig(workspaceOf(found) ?? found) : defaultConfig(resolve(cwd));
}

/** Every rule id a configuration may name, from the catalog (the rules themselves are not loaded to read one). */
const ruleIds: readonly string[] = ruleCatalog.map(([id]) => id);

/** Refuses a rule id the configuration names that is not a rule, with a did-you-mean. */
function checkRuleIds(file: string, rulesIn: unknown, where: string): void {
  if (rulesIn === undefined || rulesIn === null || typeof rulesIn !== "object" || Array.isArray(rulesIn)) return;
  for (const id of Object.keys(rulesIn)) {
    if (id !== "parse" && !ruleIds.includes(id)) {
      const hint = closest(id, ruleIds);
      throw new ConfigError(`${file}: "${where}.${id}" is not a rule${hint ? ` (did you mean "${hint}"?)` : ""}; run "techspec rules" for the list`);
    }
  }
}

/** `{ id: "warn" | ["error", { options }] }` → settings (validated by the schema first). */
function ruleSettings(rulesIn: unknown): Record<string, RuleSetting> {
  const rules: Record<string, RuleSetting> = {};
  for (const [id, v] of Object.entries((rulesIn ?? {}) as Record<string, unknown>)) {
    const [sev, options] = Array.isArray(v) ? v : [v];
    rules[id] = { severity: normalizeSeverity(sev as string), options: (options ?? {}) as Record<string, unknown> };
  }
  return rules;
}

function normalizeSeverity(s: string): Severity | "off" {
  return s === "off" ? "off" : s === "error" ? "error" : s === "info" ? "info" : "warning";
}

async function validate(file: string, obj: Record<string, unknown>): Promise<void> {
  // Compiled ahead of time from configSchema() (npm run gen; test/generated.test.ts keeps it current), and loaded
  // only when a configuration exists: start-up without one does not read its 80 KB.
  const check = (await import("./config-validator.js")).validate as unknown as ValidateFunction;
  if (check(obj)) return;
  const e = check.errors?.[0];
  if (!e) throw new ConfigError(`${file}: invalid configuration`);
  const key = e.instancePath.replace(/^\//, "").replace(/\//g, ".") || "(top level)";
  const got = e.instancePath ? valueAt(obj, e.instancePath) : undefined;
  let why = e.message ?? "is invalid";
  if (e.keyword === "additionalProperties") {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    const { configSchema } = await import("./config-schema.js");
    const known = Object.keys((configSchema()["properties"] as Record<string, unknown>));
    const hint = closest(extra, known);
    throw new ConfigError(`${file}: unknown key "${e.instancePath ? `${key}.` : ""}${extra}"${hint ? ` (did you mean "${hint}"?)` : ""}`);
  }
  if (e.keyword === "oneOf" || e.keyword === "enum") why = 'must be "off", "info", "warn" or "error", or ["error", { options }]';
  throw new ConfigError(`${file}: "${key}" ${why}${got !== undefined ? ` (got ${JSON.stringify(got)})` : ""}`);
}

function valueAt(obj: unknown, pointer: string): unknown {
  let v: unknown = obj;
  for (const part of pointer.split("/").slice(1)) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return v;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export { closest };
