import { authorsOf, STATUSES, type SpecSummary } from "../workspace/summary.js";
import { html, type Raw } from "./html.js";
import { statusClass } from "./spec-page.js";

/** Fields of the client-side search index, in the order the browser script loads them. */
export const SEARCH_FIELDS = ["title", "id", "author", "status", "text"] as const;

/** One spec as the index lists it. */
export interface IndexEntry {
  readonly slug: string;
  readonly url: string;
  readonly summary: SpecSummary;
  readonly errors: number;
  readonly warnings: number;
  readonly introduction: string | null;
}

/** Cards a board column shows before "show all". */
const BOARD_CARDS = 5;

/**
 * The index page: status board, filters, search box and the table of every spec (usable without scripts). With the
 * names of a workspace's spec roots, the table has a group of rows per root (in that order) and a filter by root.
 */
export function renderIndex(entries: readonly IndexEntry[], title: string, inputErrors: readonly string[], roots: readonly string[] = []): Raw {
  const sorted = [...entries].sort((a, b) => (a.summary.id ?? "\uffff").localeCompare(b.summary.id ?? "\uffff") || a.summary.path.localeCompare(b.summary.path));
  const columns: string[] = [...STATUSES];
  for (const e of entries) {
    const s = e.summary.status ?? "No status";
    if (!columns.includes(s)) columns.push(s);
  }
  const authors = [...new Set(entries.flatMap((e) => authorsOf(e.summary.author)))].sort((a, b) => a.localeCompare(b));
  const errors = entries.reduce((n, e) => n + e.errors, 0);
  const warnings = entries.reduce((n, e) => n + e.warnings, 0);
  const board = columns.map((status) => {
    const inColumn = entries.filter((e) => (e.summary.status ?? "No status") === status)
      .sort((a, b) => (b.summary.lastUpdated ?? "").localeCompare(a.summary.lastUpdated ?? "") || (a.summary.id ?? "").localeCompare(b.summary.id ?? ""));
    return html`<section class="column status-${statusClass(status)}">
<h3><button type="button" class="filter-status" data-status="${status}" title="Show only ${status} specs">${status} <span class="count">${inColumn.length}</span></button></h3>
<ul>${inColumn.slice(0, BOARD_CARDS).map((e) => html`<li><a href="${e.url}"><span class="id">${e.summary.id ?? ""}</span> ${e.summary.title ?? e.summary.path}</a></li>`)}</ul>
${inColumn.length > BOARD_CARDS ? html`<button type="button" class="filter-status more" data-status="${status}">show all ${inColumn.length}</button>` : ""}
</section>`;
  });
  return html`
<h1>${title}</h1>
<p class="summary">${entries.length} spec${entries.length === 1 ? "" : "s"} · ${errors} error${errors === 1 ? "" : "s"} · ${warnings} warning${warnings === 1 ? "" : "s"}</p>
${inputErrors.length > 0 ? html`<div class="input-errors"><p>${inputErrors.length} file(s) could not be published:</p><ul>${inputErrors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ""}
<section class="board" aria-label="Status board">
${board}
</section>
<form class="filters" id="filters">
<label>Search <input type="search" id="q" name="q" placeholder="Words from any spec" autocomplete="off"></label>
<label>Status <select id="status" name="status"><option value="">All</option>${columns.map((s) => html`<option>${s}</option>`)}</select></label>
<label>Author <select id="author" name="author"><option value="">All</option>${authors.map((a) => html`<option>${a}</option>`)}</select></label>
${roots.length > 0 ? html`<label>Root <select id="root" name="root"><option value="">All</option>${roots.filter((r) => entries.some((e) => e.summary.root === r)).map((r) => html`<option>${r}</option>`)}</select></label>` : ""}
<label>Approval <select id="approval" name="approval"><option value="">All</option><option value="approved">Approved by every role</option><option value="pending">Waiting for approval</option><option value="rejected">Rejected by a role</option></select></label>
<button type="reset" id="reset">Clear</button>
</form>
<p id="count" class="count" aria-live="polite">${entries.length} of ${entries.length} specs</p>
<div class="table-wrap">
<table class="specs" id="specs">
<thead><tr><th>ID</th><th>Title</th><th>Status</th><th>Author</th><th>Updated</th><th>Approvals</th><th>Complete</th><th>Errors</th><th>Warnings</th></tr></thead>
${roots.length === 0 ? html`<tbody>
${sorted.map(row)}</tbody>` : roots.map((r) => {
    const inRoot = sorted.filter((e) => e.summary.root === r);
    return inRoot.length === 0 ? "" : html`<tbody class="root" data-root="${r}">
<tr class="root-head"><th colspan="9" scope="rowgroup">${r} <span class="count">${inRoot.length} spec${inRoot.length === 1 ? "" : "s"}</span></th></tr>
${inRoot.map(row)}</tbody>`;
  })}
</table>
</div>
<p id="no-results" class="empty" hidden>No spec matches. Clear the filters or try fewer words.</p>`;
}

/** One spec's row of the index table. */
function row(e: IndexEntry): Raw {
  return html`<tr data-slug="${e.slug}" data-status="${e.summary.status ?? "No status"}" data-authors="${authorsOf(e.summary.author).join("|")}" data-approval="${e.summary.approvals.state}"${e.summary.root !== undefined ? html` data-root="${e.summary.root}"` : ""}>
<td class="id">${e.summary.id ?? "—"}</td>
<td class="title"><a href="${e.url}">${e.summary.title ?? e.summary.path}</a>${e.introduction ? html`<div class="intro">${excerpt(e.introduction)}</div>` : ""}</td>
<td><span class="badge status-${statusClass(e.summary.status)}">${e.summary.status ?? "—"}</span></td>
<td>${e.summary.author ?? "—"}</td>
<td class="num" data-label="updated">${e.summary.lastUpdated ?? "—"}</td>
<td class="num" data-label="approvals"><span class="badge approval-${e.summary.approvals.state}">${e.summary.approvals.done}/${e.summary.approvals.total}</span></td>
<td class="num"><meter min="0" max="100" value="${e.summary.completeness}" title="${e.summary.completeness}%"></meter> ${e.summary.completeness}%</td>
<td class="num ${e.errors ? "has-errors" : ""}" data-label="errors">${e.errors}</td>
<td class="num ${e.warnings ? "has-warnings" : ""}" data-label="warnings">${e.warnings}</td>
</tr>
`;
}

/** The start of an introduction as plain text, without Markdown emphasis and links. */
function excerpt(text: string): string {
  const plain = withoutLinks(text).replace(/[*_`#>]+/g, "").replace(/\s+/g, " ").trim();
  return plain.length > 160 ? `${plain.slice(0, 159).replace(/\s+\S*$/, "")}…` : plain;
}

/**
 * `text.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")` in linear time: a link starts at a `[`, its text ends at the next
 * `]`, which a `(` must follow, and it ends at the next `)`. The regex would rescan to the next `]` from every `[`
 * of a run (200,000 `[` took a minute); here each next `]` and `)` is searched once for a run of starts.
 */
function withoutLinks(text: string): string {
  let out = "";
  let from = 0; // text before this is in `out`
  let close = -1; // the first `]` at or after the current start + 1
  let paren = -1; // the first `)` after the current `](`
  for (let open = text.indexOf("["); open >= 0; open = text.indexOf("[", open + 1)) {
    if (close <= open) close = text.indexOf("]", open + 1);
    if (close < 0) break; // no `]` after this `[`, nor after any later one
    if (text.charCodeAt(close + 1) !== 40 /* ( */) continue;
    if (paren < close + 2) paren = text.indexOf(")", close + 2);
    if (paren < 0) break; // no `)` after any later `](` either
    out += text.slice(from, open) + text.slice(open + 1, close);
    from = paren + 1;
    open = paren;
  }
  return from === 0 ? text : out + text.slice(from);
}
