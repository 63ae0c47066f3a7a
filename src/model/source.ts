import type { Span } from "./position.js";

/** One heading and the lines it owns. Lines are 1-based and inclusive. */
export interface SourceSection {
  /** Template key such as `introduction` or `implementation.security`; null for a section the template does not know. */
  readonly key: string | null;
  readonly heading: string;
  readonly level: number;
  readonly line: number;
  /** Span of the heading text (without the `#` marks). */
  readonly span: Span;
  /** First and last line of the section's own body, before any sub-heading. */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** Last line of the section including its sub-sections. */
  readonly end: number;
  /** Index of the enclosing section in `SpecSource.sections`, or -1. */
  readonly parent: number;
  /** True when the own body has a line that is not blank, a comment or a rule. */
  readonly hasText: boolean;
}

/** A fenced code block. `text` is the content with the fence's indentation removed. */
export interface CodeBlock {
  readonly line: number;
  readonly endLine: number;
  readonly lang: string;
  readonly text: string;
  /** Line and column (1-based) where `text` starts in the source; content lines share `indent`. */
  readonly contentLine: number;
  readonly indent: number;
  /** Offsets in the source text of the content as written (indentation included), for exact positions. */
  readonly contentStart: number;
  readonly contentEnd: number;
  readonly closed: boolean;
}

export interface TableCell {
  readonly text: string;
  readonly column: number;
  readonly endColumn: number;
}

export interface TableRow {
  readonly line: number;
  readonly cells: readonly TableCell[];
  /** Column after the last character of the row. */
  readonly endColumn: number;
}

/** A Markdown pipe table as written: header, delimiter row (null when missing) and body rows. */
export interface SourceTable {
  readonly header: TableRow;
  readonly delimiter: TableRow | null;
  readonly rows: readonly TableRow[];
}

/** An inline link `[text](href)` outside code. */
export interface InlineLink {
  readonly text: string;
  readonly href: string;
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  /** Column where the href starts. */
  readonly hrefColumn: number;
}

/** A JSON example read into the model, with where it failed to parse. */
export interface JsonExample {
  /** Model path of the value, e.g. `apis/0/requestBody`. */
  readonly path: string;
  readonly block: CodeBlock;
  /** `tooDeep`: the example nests more levels than techspec reads (it is valid JSON otherwise, or its error comes later). */
  readonly error: { readonly message: string; readonly line: number; readonly column: number; readonly tooDeep?: true } | null;
}

/** The entity table of `dataModel/entities/<index>`. */
export interface EntityTable {
  readonly entity: number;
  readonly table: SourceTable | null;
  /** Columns of the header mapped to field/type/description/constraints/required, -1 when missing. */
  readonly columns: { readonly name: number; readonly type: number; readonly description: number; readonly constraints: number; readonly required: number };
}

/** What the parser saw in the text, beside the model: what rules need to point at the source. */
export interface SpecSource {
  readonly text: string;
  /** Lines without their terminators; `lines[0]` is line 1. */
  readonly lines: readonly string[];
  /** Offset in `text` where each line starts. */
  readonly lineStarts: readonly number[];
  /** 1 where the line is inside a fenced code block (fences included); index 0 is line 1. */
  readonly inCode: Uint8Array;
  readonly sections: readonly SourceSection[];
  readonly codeBlocks: readonly CodeBlock[];
  readonly links: readonly InlineLink[];
  /** Labels of link reference definitions (`[label]: url`), lower-cased. */
  readonly linkLabels: ReadonlySet<string>;
  /** Link reference definitions (`[label]: url`); `text` is the label as written. */
  readonly linkDefinitions: readonly InlineLink[];
  readonly entityTables: readonly EntityTable[];
  readonly jsonExamples: readonly JsonExample[];
  /** Raw approval decisions as written, parallel to `spec.approvals`. */
  readonly rawDecisions: readonly string[];
  /** Raw status as written, or null. */
  readonly rawStatus: string | null;
  /** True when the text has the spec title or the Overview metadata. */
  readonly isSpec: boolean;
}
