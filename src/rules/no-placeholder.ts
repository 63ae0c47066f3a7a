import { codeSpans, inSpans } from "../parse/inline.js";
import { isPlaceholderText } from "../parse/placeholder.js";
import type { Rule } from "./rule.js";

export const noPlaceholder: Rule = {
  id: "no-placeholder",
  description: "Template placeholders (the template's own bracketed texts such as [Feature Name] or [YYYY-MM-DD], bracketed instructions such as [Describe the rollback plan], fill-ins such as [Team Name]) must be replaced; other brackets ([Authorize], [x], footnotes, link references) are content.",
  defaultSeverity: "error",
  draftSeverity: "warning",
  docs: {
    bad: "**Author**: [Name and Role]\n\n## Introduction\n\n[Provide a brief introduction to this technical specification.]",
    good: "**Author**: Ada Lovelace, Staff Engineer\n\n## Introduction\n\nRefunds let support agents return part or all of a card payment.",
  },
  check({ source }, report) {
    const { lines, inCode, linkLabels } = source;
    for (let i = 0; i < lines.length; i++) {
      if (inCode[i]) continue;
      const line = lines[i]!;
      let from = line.indexOf("[");
      let spans: [number, number][] | undefined;
      while (from >= 0) {
        const close = line.indexOf("]", from + 1);
        if (close < 0) break;
        const inner = line.slice(from + 1, close);
        const nested = inner.lastIndexOf("[");
        if (nested >= 0) {
          from = from + 1 + nested;
          continue;
        }
        const next = line[close + 1];
        // Images, escaped brackets, links ([text](url), [text][ref]), defined references and code are content.
        const skip = line[from - 1] === "!" || line[from - 1] === "\\" || next === "(" || next === "["
          || linkLabels.has(inner.toLowerCase()) || !isPlaceholderText(inner) || inSpans(spans ??= codeSpans(line), from);
        if (!skip) {
          report({
            message: `Template placeholder "[${inner.length > 48 ? `${inner.slice(0, 45).trimEnd()}…` : inner}]" left in: replace it with the real content`,
            at: { line: i + 1, column: from + 1, endLine: i + 1, endColumn: close + 2 },
          });
        }
        from = line.indexOf("[", close + 1);
      }
    }
    for (const b of source.codeBlocks) {
      if (b.text.includes('"field1"') && b.text.includes('"value1"')) {
        report({
          message: 'Template example JSON ("field1": "value1") left in: replace it with a real request or response',
          at: { line: b.contentLine, column: 1, endLine: b.endLine, endColumn: 1 },
        });
      }
    }
  },
};
