import type { Hover, Position } from "vscode-languageserver";
import type { Diagnostic } from "../model/diagnostic.js";
import { docsUrlOf, ruleInfos } from "./rule-docs.js";
import { contains, rangeOf } from "./text-positions.js";

/**
 * Hover over a finding: for each rule reporting there, its description, the documentation's bad and good
 * examples and the link to docs/rules.md (the editor shows the finding's message itself).
 */
export function hover(diagnostics: readonly Diagnostic[], position: Position): Hover | null {
  const here = diagnostics.filter((d) => contains(rangeOf(d), position));
  if (here.length === 0) return null;
  const infos = ruleInfos();
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const d of here) {
    if (seen.has(d.rule)) continue;
    seen.add(d.rule);
    const info = infos.get(d.rule);
    const lines = [`**techspec** \`${d.rule}\``, "", info?.description ?? ""];
    if (info?.docs) {
      lines.push("", "Reported:", "", fenced(info.docs.bad), "", "Correct:", "", fenced(info.docs.good));
    }
    lines.push("", `[Documentation of ${d.rule}](${docsUrlOf(d)})`);
    parts.push(lines.join("\n"));
  }
  return { contents: { kind: "markdown", value: parts.join("\n\n---\n\n") }, range: rangeOf(here[0]!) };
}

/** Markdown in a fence longer than any backtick run inside it. */
function fenced(text: string): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}markdown\n${text}\n${fence}`;
}
