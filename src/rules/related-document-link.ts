import GithubSlugger from "github-slugger";
import type { Rule } from "./rule.js";
import { at, isPlaceholder } from "./util.js";

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

export const relatedDocumentLink: Rule = {
  id: "related-document-link",
  description: "Relative links resolve to existing files, and #anchors to headings of this spec or of the linked file.",
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
        ownAnchors ??= anchorsOf(source.sections.map((s) => s.heading));
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

/** GitHub's anchors for a list of headings, duplicates numbered as GitHub does. */
export function anchorsOf(headings: readonly string[]): Set<string> {
  const slugger = new GithubSlugger();
  const out = new Set<string>();
  for (const h of headings) out.add(slugger.slug(h));
  return out;
}
