import { STATUSES } from "../parse/normalize.js";
import { SECTION_TITLES } from "../parse/section-keys.js";
import { inputRules, rules, UNREADABLE_FILE_RULE, workspaceRules } from "../rules/index.js";

const SEVERITY = { enum: ["off", "info", "warn", "warning", "error"] };

/** JSON Schema of `techspec.config.json`, built from the code's own lists (rules, section keys). */
export function configSchema(): Record<string, unknown> {
  const ruleProps: Record<string, unknown> = {};
  for (const r of inputRules) {
    // A file that cannot be read fails the run whatever its severity, so it may be downgraded but not turned off.
    const severity = r.id === UNREADABLE_FILE_RULE.id ? { enum: SEVERITY.enum.filter((s) => s !== "off") } : SEVERITY;
    ruleProps[r.id] = { description: r.description, oneOf: [severity, { type: "array", items: [severity], minItems: 1, maxItems: 1 }] };
  }
  for (const r of [...rules, ...workspaceRules]) {
    ruleProps[r.id] = r.optionsSchema
      ? { description: r.description, oneOf: [SEVERITY, { type: "array", items: [SEVERITY, r.optionsSchema], minItems: 1, maxItems: 2 }] }
      // Most rules take no options: they share one definition (the schema, and the validator compiled from it, hold it once).
      : { description: r.description, allOf: [{ $ref: "#/definitions/ruleSetting" }] };
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://techspec.dev/schemas/techspec.config.schema.json",
    title: "techspec configuration (techspec.config.json)",
    type: "object",
    additionalProperties: false,
    properties: {
      $schema: { type: "string", description: "Path or URL of this schema, for editors." },
      specs: {
        description: "Globs of spec files, relative to the folder of the configuration file.",
        type: "array", items: { type: "string", minLength: 1 }, minItems: 1,
        default: ["**/technical-specification.md"],
      },
      ignore: { description: "Globs of paths never linted (node_modules and .git always are).", type: "array", items: { type: "string", minLength: 1 } },
      workspaces: {
        description: "Spec roots of a monorepo, as npm's workspaces: globs of folders relative to this file (\"packages/*\"; \"!\" leaves folders out). Each folder matched holds specs of its own, found by the \"specs\" globs relative to it; a techspec.config.json there may set what differs (idPrefix, specs, rules, ...), the rest comes from this file. Feature IDs are unique per prefix across every root.",
        type: "array", items: { type: "string", minLength: 1 },
      },
      name: { description: "Name of this spec root in a workspace (default: its folder relative to the workspace's configuration, \".\" for that folder itself), as `techspec new --root` and `list` show it.", type: "string", minLength: 1 },
      specsDir: { description: "Folder where `techspec new` creates spec folders.", type: "string", minLength: 1, default: "specs" },
      idPrefix: { description: "Prefix of Feature IDs allocated by `techspec new`.", type: "string", pattern: "^[A-Za-z][A-Za-z0-9]*[-_]?$", default: "FEAT-" },
      idDigits: { description: "Digits of the number of allocated Feature IDs (zero-padded).", type: "integer", minimum: 1, maximum: 12, default: 4 },
      featureIdPattern: { description: "Regular expression every Feature ID must match; defaults to the prefix followed by digits.", type: "string", minLength: 1 },
      approvalRoles: {
        description: "Roles whose approval every spec needs.",
        type: "array", items: { type: "string", minLength: 1 }, minItems: 1, uniqueItems: true,
        default: ["Engineering Lead", "Architecture Lead", "Security Lead"],
      },
      roles: {
        description: "Who holds each approval role, as \"Name <email>\" (or a name alone). `techspec approve` refuses anyone else, and approver-role and approval-provenance check approval lines against it; with no roles configured those checks are off.",
        type: "object",
        additionalProperties: { type: "array", items: { type: "string", minLength: 1, pattern: "^[^<>]*(<[^<>\\s]+@[^<>\\s]+>)?\\s*$" }, uniqueItems: true },
        default: {},
      },
      signatures: {
        description: "Signed approvals: with required true, an Approved or Rejected line counts only when the commit that last wrote it carries a good signature (SSH via gpg.format=ssh, checked against allowedSigners; or GPG, checked against the verifier's keyring) of the person the line names, who holds the role. Changes to roles or to the allowed signers must be signed by a key allowed before them. See docs/signatures.md.",
        type: "object", additionalProperties: false, required: ["required", "allowedSigners"],
        properties: {
          required: { type: "boolean", description: "Whether approvals must be signed." },
          allowedSigners: { type: "string", minLength: 1, description: "The allowed signers file (git's gpg.ssh.allowedSignersFile format: \"jane@example.com ssh-ed25519 AAAA…\" per line), relative to this file. Inside the repository its history is verified commit by commit; outside it, it is trusted as it is." },
          servers: {
            type: "array", uniqueItems: true, items: { type: "string", pattern: "^[^\\s<>@]+@[^\\s<>@]+$" },
            description: "Principals (e-mail addresses in the allowed signers) of review servers' keys (techspec serve --signing-key): a commit such a key signs vouches for the account its Techspec-Account trailer names, who must hold the role. A server's key never vouches for changes to the roles or the signers.",
          },
        },
      },
      requiredApprovals: {
        description: "Roles some specs need besides approvalRoles, declared by condition: the spec has a Data Model (dataModel), has APIs (apis), or lies under one of the folders (paths, relative to this file). Every condition given must hold.",
        type: "array",
        items: {
          type: "object", additionalProperties: false, required: ["role"],
          properties: {
            role: { type: "string", minLength: 1 },
            when: {
              type: "object", additionalProperties: false, minProperties: 1,
              properties: {
                dataModel: { type: "boolean" },
                apis: { type: "boolean" },
                paths: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
              },
            },
          },
        },
        default: [],
      },
      maxFileSize: { description: "Largest spec file read, in bytes.", type: "integer", minimum: 1, default: 10485760 },
      sqlNaming: { description: "How `techspec export sql` names tables and columns.", enum: ["snake_case", "preserve"], default: "snake_case" },
      rules: { $ref: "#/definitions/rules" },
      overrides: {
        description: "Rule settings for specs of some statuses, applied after \"rules\" in order (the last match wins), like ESLint's overrides matched on the spec's Status instead of its file. \"Draft\" also matches a spec with no status or an unknown one.",
        type: "array",
        items: {
          type: "object", additionalProperties: false, required: ["status", "rules"],
          properties: {
            status: { type: "array", items: { enum: [...STATUSES] }, minItems: 1, uniqueItems: true },
            rules: { $ref: "#/definitions/rules" },
          },
        },
        default: [],
      },
    },
    definitions: {
      sectionKey: { enum: Object.keys(SECTION_TITLES) },
      ruleSetting: { oneOf: [SEVERITY, { type: "array", items: [SEVERITY, { type: "object", maxProperties: 0 }], minItems: 1, maxItems: 2 }] },
      // One definition for "rules" and each override's "rules": the schema and its compiled validator hold it once.
      rules: { description: "Severity (off, info, warn, error) and options of each rule.", type: "object", additionalProperties: false, properties: ruleProps },
    },
  };
}
