import { headingAnchorsOf } from "../parse/heading-anchor.js";
import { scanLines } from "../parse/scan-lines.js";

// As FileHost reads a linked file (workspace/host.ts), so that an open document answers as its saved file would.
const REFERENCE_DEFINITION = /^ {0,3}\[((?:[^\\[\]]|\\.){1,999})\]:/;

/** The heading anchors GitHub gives a Markdown text: what a `file.md#anchor` link to it may name. */
export function markdownAnchors(text: string): ReadonlySet<string> {
  const scan = scanLines(text);
  // Link reference definitions outside code, so a heading's [text][label] reads as the link it renders as.
  const labels = scan.lines.flatMap((line, i) => (scan.inCode[i] ? [] : REFERENCE_DEFINITION.exec(line)?.[1] ?? []));
  return headingAnchorsOf(scan.headings.map((h) => h.text), labels);
}
