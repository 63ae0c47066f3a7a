import type { Diagnostic } from "../model/diagnostic.js";
import type { Spec } from "../model/spec.js";
import { exportComponentFlowchart, exportErDiagram } from "../export/mermaid.js";
import type { ParseResult } from "../parse/parse-spec.js";
import type { SpecSummary } from "../workspace/summary.js";
import { describeStanding, type RoleStanding } from "../workflow/standing.js";
import { displayDigest } from "../workflow/digest.js";
import { escapeHtml, html, Raw, relUrl } from "./html.js";
import { renderMarkdown, resolveLink, type LinkResolver, type RenderedHeading, type UnpublishedLink } from "./markdown.js";

/** One spec as the site publishes it. */
export interface SitePage {
  readonly slug: string;
  readonly path: string;
  readonly display: string;
  readonly parsed: ParseResult;
  readonly diagnostics: readonly Diagnostic[];
  /** Status, approvals (each required role's standing) and completeness, as `techspec list` shows them. */
  readonly summary: SpecSummary;
}

/** A generated artefact of a spec; `path` is null when its exporter failed. */
export interface Download {
  readonly label: string;
  readonly path: string | null;
  /** File name the browser saves it under. */
  readonly name: string;
  readonly error?: string;
}

const STANDING_LABEL: Record<RoleStanding["state"], string> = {
  approved: "Approved", missing: "Missing", pending: "Pending", rejected: "Rejected", stale: "Stale", unpinned: "Approved (not pinned)", "weak-pin": "Approved (pin too short)", "not-a-holder": "Not a role holder",
};

/** A status as a CSS class suffix. */
export function statusClass(status: string | null): string {
  return (status ?? "none").toLowerCase().replace(/[^a-z]+/g, "-");
}

/**
 * The body of a spec's page; `diagrams` tells whether it needs the diagram renderer, `unpublished` how many of its
 * links it shows as not published.
 */
export function renderSpecPage(p: SitePage, sitePath: string, downloads: readonly Download[], resolve: LinkResolver): { html: Raw; diagrams: boolean; unpublished: number } {
  const { summary } = p;
  const spec = p.parsed.spec;
  const doc = renderMarkdown(p.parsed.source.text, resolve);
  const u = (to: string): string => relUrl(sitePath, to);
  const errors = p.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = p.diagnostics.length - errors;
  const diagrams: Raw[] = [];
  if (spec.dataModel.entities.length > 0) diagrams.push(figure("Data Model", exportErDiagram(spec)));
  if (spec.architecture.components.length > 0) diagrams.push(figure("Components", exportComponentFlowchart(spec)));
  const apiHeadings = headingsForApis(spec, doc.headings);
  const related = spec.relatedDocuments.map((l) => {
    const target = l.href === null ? { missing: "no link given" } : resolveLink(l.href, resolve);
    return "href" in target ? html`<li><a href="${target.href}">${l.title}</a></li>` : html`<li><span class="missing" title="${target.missing}">${l.title}</span></li>`;
  });
  const lines = p.parsed.source.text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  const body = html`
<nav class="crumbs"><a href="${u("index.html")}">All specs</a> / ${summary.root !== undefined ? html`<a href="${u("index.html")}?root=${encodeURIComponent(summary.root)}" title="The specs of this spec root">${summary.root}</a> / ` : ""}${summary.id ?? p.display}</nav>
<header class="spec-head">
<h1>${spec.title ?? p.display}</h1>
<p class="meta">
<span class="badge status-${statusClass(summary.status)}">${summary.status ?? "No status"}</span>
${summary.id ? html`<span>${summary.id}</span>` : ""}
${summary.root !== undefined ? html`<span class="root">in ${summary.root}</span>` : ""}
${summary.author ? html`<span>by ${summary.author}</span>` : ""}
${spec.metadata.createdDate ? html`<span>created ${spec.metadata.createdDate}</span>` : ""}
${summary.lastUpdated ? html`<span>updated ${summary.lastUpdated}</span>` : ""}
</p>
<p class="meta">
<span class="badge approval-${summary.approvals.state}">approvals ${summary.approvals.done}/${summary.approvals.total}</span>
<span class="badge">${summary.completeness}% complete</span>
<a class="badge ${errors ? "has-errors" : ""}" href="#problems">${errors} error${errors === 1 ? "" : "s"}</a>
<a class="badge ${warnings ? "has-warnings" : ""}" href="#problems">${warnings} warning${warnings === 1 ? "" : "s"}</a>
<span class="path">${p.display}</span>
</p>
</header>
<div class="layout">
<aside class="panels">
<section class="panel" id="problems">
<h2>Problems</h2>
${p.diagnostics.length === 0 ? html`<p class="ok">No problems found.</p>` : html`<ol class="diagnostics">${p.diagnostics.map((d) => html`<li class="${d.severity}"><a class="loc" href="#L${d.line}">${d.line}:${d.column}</a> <span class="sev">${d.severity}</span> ${d.message} <code class="rule">${d.rule}</code></li>`)}</ol>`}
</section>
${unpublishedPanel(doc.unpublished, true)}
<section class="panel" id="approvals">
<h2>Approvals</h2>
${summary.approvals.roles.length === 0 ? html`<p>No approvals required.</p>` : html`<ul class="approvals">${summary.approvals.roles.map((st) => html`<li><span class="role">${st.role}</span> ${st.approval?.name ?? ""}
<span class="badge standing-${st.state}" title="${describeStanding(st)}">${STANDING_LABEL[st.state]}</span>${st.approval?.date ? html` <span class="when">${st.approval.date}</span>` : ""}${st.approval?.digest ? html` <code class="digest" title="${st.approval.digest}">${displayDigest(st.approval.digest)}</code>` : ""}</li>`)}</ul>`}
</section>
<section class="panel" id="apis">
<h2>APIs</h2>
${spec.apis.length === 0 ? html`<p>No APIs.</p>` : html`<ul class="apis">${spec.apis.map((a, i) => html`<li>${apiHeadings[i] ? html`<a href="#${apiHeadings[i]!}">${a.name}</a>` : a.name}<br><span class="method method-${(a.method ?? "").toLowerCase()}">${a.method ?? "?"}</span> <code>${a.endpoint ?? "(no endpoint)"}</code></li>`)}</ul>`}
</section>
<section class="panel" id="downloads">
<h2>Downloads</h2>
<ul class="downloads">${downloads.map((d) => d.path ? html`<li><a href="${u(d.path)}" download="${d.name}">${d.label}</a></li>` : html`<li><span class="missing" title="${d.error ?? ""}">${d.label} (export failed)</span></li>`)}</ul>
</section>
<section class="panel" id="related">
<h2>Related documents</h2>
${related.length === 0 ? html`<p>None listed.</p>` : html`<ul>${related}</ul>`}
</section>
</aside>
<div class="content">
${diagrams.length > 0 ? html`<section class="diagrams" id="diagrams"><h2>Diagrams</h2>${diagrams}</section>` : ""}
<article class="markdown">
${new Raw(doc.html)}
</article>
<details class="source" id="source">
<summary>Markdown source (${lines.length} lines)</summary>
<pre><code>${sourceLines(lines)}</code></pre>
</details>
</div>
</div>`;
  return { html: body, diagrams: diagrams.length > 0 || /<pre class="mermaid">/.test(doc.html), unpublished: doc.unpublished.length };
}

/** The source view's lines, each a span its line number links to (one string: a spec may have 100,000 lines). */
function sourceLines(lines: readonly string[]): Raw {
  let out = "";
  for (let i = 0; i < lines.length; i++) out += `<span class="line" id="L${i + 1}">${escapeHtml(lines[i]!)}</span>\n`;
  return new Raw(out);
}

/** The body of a page for a linked Markdown document (a PRD, a test plan). */
export function renderDocPage(display: string, doc: { html: string; headings: RenderedHeading[]; unpublished: readonly UnpublishedLink[] }): { html: Raw; headings: RenderedHeading[]; diagrams: boolean; unpublished: number } {
  return {
    html: html`<p class="path">${display}</p>\n<article class="markdown">\n${new Raw(doc.html)}\n</article>\n${unpublishedPanel(doc.unpublished, false)}`,
    headings: doc.headings,
    diagrams: /<pre class="mermaid">/.test(doc.html),
    unpublished: doc.unpublished.length,
  };
}

/** The body of the page a link to an SVG image opens: the image through `<img>`, the only way the site shows one. */
export function renderImagePage(display: string, dataUrl: string): Raw {
  return html`<p class="path">${display}</p>\n<figure class="image"><img src="${dataUrl}" alt="${display}"></figure>`;
}

/**
 * The links of a page that are not published, each with why: a finding beside the rendered text (where each such
 * link is plain text). On a spec page each line number opens the Markdown source there.
 */
function unpublishedPanel(links: readonly UnpublishedLink[], withSource: boolean): Raw | "" {
  if (links.length === 0) return "";
  const at = (line: number | null): Raw | "" => line === null ? "" : withSource ? html`<a class="loc" href="#L${line}">${line}</a> ` : html`<span class="loc">${line}</span> `;
  return html`<section class="panel" id="unpublished">
<h2>Links not published</h2>
<ol class="diagnostics unpublished">${links.map((l) => html`<li>${at(l.line)}${l.reason}</li>`)}</ol>
</section>`;
}

function figure(caption: string, source: string): Raw {
  return html`<details class="diagram" open><summary>${caption}</summary><figure class="diagram"><pre class="mermaid">${source}</pre></figure></details>`;
}

/** A name read backwards word by word; `headings` are the headings whose text ends with these words, in order. */
interface WordNode {
  readonly next: Map<string, WordNode>;
  readonly headings: number[];
  /** How many of `headings` lie before the heading the last API took. */
  cursor: number;
}

/**
 * The rendered heading of each API ("API 2: Cancel Refund"), in order, or null: for each API the first heading after
 * the previous API's that is its name or ends with " " + its name (case aside), i.e. whose words end with the name's
 * words. The names are a trie read backwards by words, and each heading is filed under the names it ends with while
 * walking it from its last word, so no API rereads the headings (a search per API was quadratic in APIs × headings).
 */
function headingsForApis(spec: Spec, headings: readonly RenderedHeading[]): (string | null)[] {
  const node = (): WordNode => ({ next: new Map(), headings: [], cursor: 0 });
  const root = node();
  const ends = spec.apis.map((a) => {
    let at = root;
    const words = a.name.toLowerCase().split(" ");
    for (let w = words.length - 1; w >= 0; w--) {
      let child = at.next.get(words[w]!);
      if (!child) at.next.set(words[w]!, (child = node()));
      at = child;
    }
    return at;
  });
  headings.forEach((h, i) => {
    const text = h.text.toLowerCase();
    let at: WordNode | undefined = root;
    for (let end = text.length; ;) {
      const space = end > 0 ? text.lastIndexOf(" ", end - 1) : -1;
      at = at.next.get(text.slice(space + 1, end));
      if (!at) break;
      at.headings.push(i);
      if (space < 0) break;
      end = space;
    }
  });
  let from = 0;
  return ends.map((end) => {
    while (end.cursor < end.headings.length && end.headings[end.cursor]! < from) end.cursor++;
    const i = end.headings[end.cursor];
    if (i === undefined) return null;
    from = i + 1;
    return headings[i]!.id;
  });
}
