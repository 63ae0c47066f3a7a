import { headingAnchorsOf } from "../parse/heading-anchor.js";
import type { Rule } from "./rule.js";
import { at, isPlaceholder } from "./util.js";

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

export const relatedDocumentLink: Rule = {
  id: "related-document-link",
  description: "Relative links resolve to existing files (names matched exactly, as on GitHub, also where the file system ignores case), and #anchors to headings of this spec or of the linked file, as GitHub makes anchors (from the heading's rendered text: `## Open Questions about [RFC 9110](…)` is #open-questions-about-rfc-9110).",
  defaultSeverity: "error",
  docs: {
    bad: "- [Test Plan](./test-plan-old.md)\n- [Rollback](#rollback-plan)",
    good: "- [Test Plan](./test-plan.md)\n- [Rollback](#rollback)",
  },
  check(ctx, report) {
    const { source, host } = ctx;
    let ownAnchors: Set<string> | null = null;
    for (const link of [...source.links, ...source.linkDefinitions]) {
      const href = link.href.trim();
      const where = { line: link.line, column: link.hrefColumn, endLine: link.line, endColumn: link.hrefColumn + link.href.length };
      if (href === "") {
        report({ message: `Link "${link.text}" has an empty target`, at: where });
        continue;
      }
      if (EXTERNAL.test(href) || isPlaceholder(href)) continue;
      const hash = href.indexOf("#");
      const file = decode(hash >= 0 ? href.slice(0, hash) : href).split("?")[0]!;
      const anchor = hash >= 0 ? decode(href.slice(hash + 1)) : "";
      if (file === "") {
        if (anchor === "") continue;
        // The headings as written (links, code, emphasis and all), which is what GitHub's anchors come from.
        ownAnchors ??= headingAnchorsOf(source.sections.map((s) => source.lines[s.line - 1]!.slice(s.span.column - 1, s.span.endColumn - 1)),
          source.linkDefinitions.map((d) => d.text));
        if (!ownAnchors.has(anchor.toLowerCase())) {
          report({ message: `Anchor "#${anchor}" does not match any heading of this spec`, at: where });
        }
        continue;
      }
      const exists = host.fileExists?.(file);
      if (exists === false) {
        report({ message: `Linked document "${file}" does not exist (paths are relative to this spec's folder)`, at: where });
        continue;
      }
      if (anchor && exists && /\.(md|markdown)$/i.test(file)) {
        const anchors = host.anchorsOf?.(file);
        if (anchors && !anchors.has(anchor.toLowerCase())) {
          report({ message: `Anchor "#${anchor}" does not match any heading of "${file}"`, at: where });
        }
      }
    }
    ctx.spec.relatedDocuments.forEach((d, i) => {
      if (d.href === null && !isPlaceholder(d.title)) {
        // `[Title]` alone is a reference link whose definition is missing.
        const title = /^\[[^\]]*\]$/.test(d.title) ? d.title.slice(1, -1) : d.title;
        report({ message: `Related document "${title}" has no link (write it as [${title}](./file.md))`, at: at(ctx, `relatedDocuments/${i}`) });
      }
    });
  },
};

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
