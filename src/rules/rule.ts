import type { Fix, Severity, Suggestion } from "../model/diagnostic.js";
import type { PositionMap, Span } from "../model/position.js";
import type { SpecSource } from "../model/source.js";
import type { Field, Spec } from "../model/spec.js";
import type { FieldInfo } from "../types/field-info.js";
import type { ReviewSettings } from "../workflow/people.js";

/** What a rule asks of the outside world; the workspace provides it, rules never touch the file system. */
export interface LintHost {
  /** Whether a file exists, for a path relative to the spec's folder; undefined when unknown. */
  fileExists?(relativePath: string): boolean | undefined;
  /** Heading anchors of a Markdown file relative to the spec's folder; undefined when unknown. */
  anchorsOf?(relativePath: string): ReadonlySet<string> | undefined;
  /** The spec's path relative to the workspace root, with "/" separators. */
  readonly workspacePath?: string;
  /** What git knows of the spec; undefined when it is not a committed file of a git repository. */
  readonly git?: GitFacts;
  /**
   * Why git cannot vouch for the spec's history, when it cannot, and the sentence says how to fix it. Scope
   * "repository": git is missing, refuses the repository (safe.directory), or the clone is shallow, so no history
   * can be trusted; "file": the spec is not in a repository or not committed, so it has no history yet.
   */
  readonly gitProblem?: { readonly reason: string; readonly scope: "repository" | "file" };
}

/** An author as git records one. */
export interface GitAuthor {
  readonly name: string;
  readonly email: string;
  readonly commit: string;
  /** Author date, YYYY-MM-DD. */
  readonly date: string;
}

/** Questions the git rules ask about one committed spec; answers are computed on demand. */
export interface GitFacts {
  /** Who last changed each line of the working file (1-based); null for lines not committed yet. */
  lineAuthor(line: number): GitAuthor | null;
  /** The text of the spec in the commit before the current version: HEAD when the file has uncommitted
   * changes, else the commit before the last one that changed it; null when there is none. */
  previousText(): string | null;
  /**
   * The newest commit that changed the content, as `digestOf` (the approval digest of a version's text) sees it;
   * null when unknown.
   */
  lastContentCommit(digestOf: (text: string) => string): GitAuthor | null;
  /**
   * With signatures configured: the signature of the commit that last changed a line, checked against the allowed
   * signers the chain of trust establishes; null for a line not committed yet or when git could not be asked.
   */
  lineSignature?(line: number): CommitSignature | null;
  /** With signatures configured: the roles and allowed signers as their signed history establishes them. */
  trust?(): TrustFacts;
}

/** What git says of a commit's signature. */
export interface CommitSignature {
  readonly commit: string;
  /** good: a valid signature by a known key (SSH: listed in the allowed signers; GPG: trusted in the keyring). */
  readonly status: "good" | "bad" | "unknown-key" | "expired-signature" | "expired-key" | "revoked-key" | "unsigned" | "unchecked";
  /** For "unchecked": why git could not check the signature (the program that verifies it could not run). */
  readonly problem?: string;
  /** Who signed, for a good signature: the principal of the allowed signers (SSH) or the key's user id (GPG); else "". */
  readonly signer: string;
  /** The e-mail address of the signer, when it has one. */
  readonly signerEmail: string | null;
  /** The key's fingerprint, when the commit is signed. */
  readonly key: string;
  /**
   * The account the commit's `Techspec-Account` trailer names (lower-cased), or null: a review server writes it,
   * and a good signature by a server principal (`signatures.servers`) vouches for that account, not the server.
   */
  readonly account?: string | null;
  /** The commit's author, which is what the commit claims and proves nothing. */
  readonly author: GitAuthor;
}

/** A change to the roles or the allowed signers that the chain of trust refused. */
export interface RefusedChange {
  /** The commit, or "" for uncommitted changes. */
  readonly commit: string;
  readonly author: GitAuthor;
  /** The roles and the signers the change would have set. */
  readonly roles: Readonly<Record<string, readonly string[]>>;
  readonly signers: string | null;
  readonly reason: string;
}

/** The outcome of the chain of trust of the roles and the allowed signers. */
export interface TrustFacts {
  /** The roles as the last trusted change set them; null when nothing is trusted. */
  readonly roles: Readonly<Record<string, readonly string[]>> | null;
  /** The allowed signers as trusted; null when nothing is trusted. */
  readonly signers: string | null;
  readonly refused: readonly RefusedChange[];
  /** Why there is no trusted state at all, or null. */
  readonly problem: string | null;
  /** Whether the configuration or the signers as they are now differ from the trusted state (a refused change is in effect). */
  readonly untrustedInEffect: boolean;
  /** The review servers' principals as trusted (their signatures vouch for the account a commit's trailer names). */
  readonly servers?: readonly string[];
}

/** Settings shared by several rules, from the workspace configuration: the review settings and the Feature ID pattern. */
export interface LintSettings extends ReviewSettings {
  /** Regular expression (source) a Feature ID must match. */
  readonly featureIdPattern: string;
  /** Signed approvals, when the configuration asks for them. */
  readonly signatures?: SignatureSettings;
}

/** The configuration's `signatures`, with absolute paths. */
export interface SignatureSettings {
  readonly required: boolean;
  /** Absolute path of the allowed signers file. */
  readonly allowedSigners: string;
  /** Absolute path of the configuration file that holds `roles` and `signatures`. */
  readonly configFile: string;
  /** Principals (lower-cased e-mail addresses) of review servers' keys, from `signatures.servers`. */
  readonly servers?: readonly string[];
}

/** Everything a rule may read about one spec. */
export interface RuleContext {
  readonly file: string;
  readonly spec: Spec;
  readonly pos: PositionMap;
  readonly source: SpecSource;
  readonly settings: LintSettings;
  /** The rule's own options from the configuration (`["error", { ... }]`), or an empty object. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly host: LintHost;
  /** A Data Model field with its type and constraints read, computed once per spec for all rules. */
  field(field: Field): FieldInfo;
}

/** One finding as a rule reports it; the engine adds file, rule id and the configured severity. */
export interface Report {
  readonly message: string;
  readonly at: Span;
  /** Overrides the rule's default severity for this finding (the configured severity still wins). */
  readonly severity?: Severity;
  readonly fix?: Fix;
  /** Fixes offered rather than applied: they may change what the author meant (a typo's likely correction). */
  readonly suggestions?: readonly Suggestion[];
}

export interface RuleDocs {
  /** A Markdown excerpt that the rule reports. */
  readonly bad: string;
  /** The same excerpt, corrected. */
  readonly good: string;
}

/** A lint rule over one spec: a plain object in its own file, registered in `rules/index.ts`. */
export interface Rule {
  readonly id: string;
  readonly description: string;
  readonly defaultSeverity: Severity;
  /** The severity while a spec is a Draft (or has no status), when it differs: checks that matter from review on. */
  readonly draftSeverity?: Severity;
  readonly fixable?: boolean;
  readonly docs: RuleDocs;
  /** JSON Schema of the rule's options, when it has any. */
  readonly optionsSchema?: Readonly<Record<string, unknown>>;
  check(ctx: RuleContext, report: (r: Report) => void): void;
}

/** The part of a linted spec a workspace rule sees. */
export interface WorkspaceEntry {
  readonly file: string;
  readonly featureId: string | null;
  readonly featureIdAt: Span | null;
}

/** A rule across every spec of a workspace (such as unique Feature IDs). */
export interface WorkspaceRule {
  readonly id: string;
  readonly description: string;
  readonly defaultSeverity: Severity;
  readonly docs: RuleDocs;
  readonly optionsSchema?: Readonly<Record<string, unknown>>;
  checkWorkspace(entries: readonly WorkspaceEntry[], report: (file: string, r: Report) => void): void;
}
