import type { ParseResult } from "../parse/parse-spec.js";
import type { DocumentLint } from "./document-lint.js";
import type { TextPositions } from "./text-positions.js";

/** One open document linted at one version: what every editor feature reads. */
export interface DocumentState {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly path: string;
  /** The path diagnostics name: relative to the configuration's folder, as lint run there shows it. */
  readonly display: string;
  readonly positions: TextPositions;
  readonly lint: DocumentLint;
  /** The parse of the text (the lint's, or one made for the editor features when the text is not a spec yet). */
  readonly parsed: ParseResult;
  /** Absolute paths of the local files the text links to. */
  readonly links: ReadonlySet<string>;
}
