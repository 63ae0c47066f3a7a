import type { Fix, Severity } from "../model/diagnostic.js";
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
  /** The newest commit that changed the content (as the approval digest sees it); null when unknown. */
  lastContentCommit(): GitAuthor | null;
}

/** Settings shared by several rules, from the workspace configuration: the review settings and the Feature ID pattern. */
export interface LintSettings extends ReviewSettings {
  /** Regular expression (source) a Feature ID must match. */
  readonly featureIdPattern: string;
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
