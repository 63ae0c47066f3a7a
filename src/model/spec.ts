/** JSON value as parsed from a request or response example. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Lifecycle status of a spec, normalized; an unrecognized value is kept as written. */
export type SpecStatus = "Draft" | "In Review" | "Approved" | "Implemented" | "Archived" | "Superseded" | (string & {});

/** Decision of one approval, normalized; an unrecognized value is kept as written. */
export type Decision = "Approved" | "Pending" | "Rejected" | (string & {});

export interface Metadata {
  readonly featureId: string | null;
  readonly author: string | null;
  readonly createdDate: string | null;
  readonly lastUpdated: string | null;
  readonly status: SpecStatus | null;
}

export interface Link {
  readonly title: string;
  readonly href: string | null;
}

export interface Component {
  readonly name: string;
  readonly purpose: string | null;
  readonly responsibilities: string | null;
  readonly interfaces: string | null;
  readonly dependencies: readonly string[];
  /** Every other labelled field of the component (`**Location:** …`), by its label as written. */
  readonly extra: Readonly<Record<string, string>>;
}

export interface Field {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  /** The Constraints column (or Validation, Rules, Notes when the table has no Constraints column). */
  readonly constraints: string;
  /** The Required column as written (`Yes`, `No`, `Yes (PK)`), or null when the table has none. */
  readonly required: string | null;
  /** Every other column of the row, by its header text, so nothing the author wrote is dropped. */
  readonly extra: Readonly<Record<string, string>>;
}

export interface Entity {
  readonly name: string;
  readonly fields: readonly Field[];
}

export interface Parameter {
  readonly name: string;
  readonly type: string | null;
  readonly description: string | null;
}

export interface ErrorResponse {
  readonly status: string;
  readonly description: string;
}

export interface Api {
  readonly name: string;
  readonly endpoint: string | null;
  readonly method: string | null;
  readonly parameters: readonly Parameter[];
  /**
   * The request body example: the parsed JSON value, or, for a block in another known language (```markdown,
   * ```xml, a media type such as ```application/x-ndjson), the block's text as a string. Null when there is none,
   * its JSON does not parse, or its language is not one techspec reads.
   */
  readonly requestBody: JsonValue | null;
  /**
   * Media type of `requestBody`: "application/json" for a JSON example, "text/markdown" for a ```markdown block, the
   * type written for a ```type/subtype block; null when `requestBody` is null. Always set by the parser; absent in a
   * model built by hand or by an older version, where a non-null body is JSON.
   */
  readonly requestMediaType?: string | null;
  /** The success response example, read like `requestBody`. */
  readonly response: JsonValue | null;
  /** Media type of `response`, as `requestMediaType` is of `requestBody`. */
  readonly responseMediaType?: string | null;
  readonly errors: readonly ErrorResponse[];
}

export interface Approval {
  readonly role: string;
  readonly name: string;
  readonly decision: Decision;
  /** Date of the decision as recorded by `techspec approve` ("Approved 2026-11-23 (sha256:…)"), or null. */
  readonly date: string | null;
  /** Digest of the content the decision was made on ("sha256:3f2a9c1e"), or null when none is pinned. */
  readonly digest: string | null;
  /** Reason given with a decision ("Rejected 2026-11-23 (sha256:…): reason"), or null. */
  readonly reason: string | null;
}

/** Every heading of the document in order; `key` names the template section it was read as. */
export interface SectionRef {
  readonly heading: string;
  readonly level: number;
  readonly line: number;
  readonly key: string | null;
  /** Body text of a section the template does not know, or of one whose prose has no model field (Appendix, the introductions of Components and API Design), so nothing is dropped. */
  readonly content?: string;
}

/** The typed model of one technical specification; plain data, `JSON.stringify` is its public format. */
export interface Spec {
  readonly path: string;
  readonly title: string | null;
  readonly metadata: Metadata;
  readonly introduction: string | null;
  readonly relatedDocuments: readonly Link[];
  readonly architecture: {
    readonly overview: string | null;
    readonly systemContext: string | null;
    readonly components: readonly Component[];
  };
  readonly dataModel: { readonly overview: string | null; readonly entities: readonly Entity[] };
  readonly apis: readonly Api[];
  readonly implementation: {
    readonly overview: string | null;
    readonly algorithms: string | null;
    readonly libraries: readonly string[];
    readonly configuration: string | null;
    readonly security: string | null;
    readonly performance: string | null;
    readonly scalability: string | null;
  };
  readonly testing: {
    readonly overview: string | null;
    readonly unit: string | null;
    readonly integration: string | null;
    readonly endToEnd: string | null;
  };
  readonly deployment: {
    readonly overview: string | null;
    readonly dependencies: readonly string[];
    readonly migration: string | null;
    readonly rollback: string | null;
  };
  readonly openQuestions: readonly string[];
  readonly references: readonly Link[];
  readonly approvals: readonly Approval[];
  readonly sections: readonly SectionRef[];
}
