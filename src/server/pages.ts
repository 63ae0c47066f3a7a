// The review server's pages: the index with "waiting on me", a spec (the static portal's renderer, plus comments
// and the decision form), the editor with live lint, the audit log and sign-in. Plain HTML rendered on the server;
// /assets/server.js adds the actions. Every interpolated value is escaped (`html`); spec content never runs.
import { dirname, resolve } from "node:path";
import type { Diagnostic } from "../model/diagnostic.js";
import type { Comment, AuditEntry, User } from "../store/store.js";
import { escapeHtml, html, Raw } from "../site/html.js";
import type { LinkResolver } from "../site/markdown.js";
import { renderSpecPage, statusClass } from "../site/spec-page.js";
import { holdsRole, knownRoles, type ReviewSettings } from "../workflow/people.js";
import { summarizeDiff } from "../diff/format.js";
import { authorsOf } from "../workspace/summary.js";
import type { ReviewHistory } from "./review-history.js";
import type { IndexedSpec } from "./spec-index.js";

/** The Content-Security-Policy of every page (sent as a header): nothing from another origin, no inline script. */
export const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export interface Viewer {
  readonly user: User | null;
  readonly csrf: string | null;
}

/** The frame of every page; `scripts` are loaded before /assets/server.js. */
export function frame(o: { title: string; viewer: Viewer; body: Raw; scripts?: readonly string[]; bodyClass?: string; query?: string }): string {
  const who = o.viewer.user
    ? html`<span class="who">${o.viewer.user.name} &lt;${o.viewer.user.email}&gt;</span> <button type="button" id="sign-out">Sign out</button>`
    : html`<a href="/login">Sign in</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(o.title)}</title>
<link rel="icon" type="image/svg+xml" href="/assets/favicon.svg">
<link rel="stylesheet" href="/assets/site.css">
<link rel="stylesheet" href="/assets/server.css">
</head>
<body${o.bodyClass ? ` class="${escapeHtml(o.bodyClass)}"` : ""} data-signed-in="${o.viewer.user ? "yes" : "no"}">
<header class="top">
<a class="brand" href="/">techspec review</a>
<form class="search" action="/" method="get" role="search">
<input type="search" name="q" placeholder="Search specs" aria-label="Search specs" autocomplete="off" value="${escapeHtml(o.query ?? "")}">
</form>
<nav class="user"><a href="/audit">Audit log</a> ${who.value}</nav>
</header>
<main>
${o.body.value}
</main>
${[...(o.scripts ?? []), "/assets/server.js"].map((s) => `<script src="${escapeHtml(s)}"></script>`).join("\n")}
</body>
</html>
`;
}

/** How many lint errors and warnings. */
export function lintCounts(ds: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of ds) {
    if (d.severity === "error") errors++;
    else if (d.severity === "warning") warnings++;
  }
  return { errors, warnings };
}

/** Whether a spec in review waits on this user: a required role they hold whose standing is not approved. */
export function waitsOn(s: IndexedSpec, user: User | null, settings: ReviewSettings): boolean {
  if (!user || !s.summary || s.summary.status !== "In Review") return false;
  return s.summary.approvals.roles.some((r) => r.state !== "approved" && holdsRole(settings, r.role, { name: user.name, email: user.email }));
}

/**
 * The index: every spec, with filters. `settings` gives each spec's review settings (its spec root's, in a workspace);
 * with spec roots, the table has a Root column, grouped by root, and a filter by root.
 */
export function indexPage(specs: readonly IndexedSpec[], viewer: Viewer, settings: (s: IndexedSpec) => ReviewSettings, search: { query: string; hits: readonly { specId: string; title: string; snippet: string }[] } | null): string {
  const roots = [...new Set(specs.map((s) => s.root).filter((r): r is string => r !== null))];
  // Grouped by root, in the order the roots first appear (the index is in path order): a stable sort keeps paths in order.
  const ordered = roots.length > 0 ? [...specs].sort((a, b) => roots.indexOf(a.root ?? "") - roots.indexOf(b.root ?? "")) : specs;
  const rows = ordered.map((s) => {
    const sum = s.summary;
    const { errors, warnings } = lintCounts(s.diagnostics);
    const mine = waitsOn(s, viewer.user, settings(s));
    return html`<tr data-status="${sum?.status ?? ""}" data-mine="${mine ? "yes" : "no"}" data-approval="${sum?.approvals.state ?? ""}" data-authors="${JSON.stringify(authorsOf(sum?.author ?? null))}"${roots.length > 0 ? html` data-root="${s.root ?? ""}"` : ""}>
${roots.length > 0 ? html`<td class="root">${s.root ?? ""}</td>` : ""}
<td>${s.id ? html`<a href="/specs/${encodeURIComponent(s.id)}">${s.id}</a>` : html`<span class="path">${s.display}</span>`}</td>
<td>${sum?.title ?? s.error ?? ""}${mine ? html` <span class="badge waiting">waiting on you</span>` : ""}</td>
<td>${sum ? html`<span class="badge status-${statusClass(sum.status)}">${sum.status ?? "No status"}</span>` : ""}</td>
<td>${sum ? html`<span class="badge approval-${sum.approvals.state}">${sum.approvals.done}/${sum.approvals.total}</span>` : ""}</td>
<td>${sum ? `${sum.completeness}%` : ""}</td>
<td><span class="${errors ? "has-errors" : ""}">${errors}</span> / <span class="${warnings ? "has-warnings" : ""}">${warnings}</span></td>
<td>${sum?.lastUpdated ?? ""}</td>
</tr>`;
  });
  const waiting = specs.filter((s) => waitsOn(s, viewer.user, settings(s))).length;
  const statuses = [...new Set(specs.map((s) => s.summary?.status).filter((x): x is string => !!x))].sort();
  const authors = [...new Set(specs.flatMap((s) => authorsOf(s.summary?.author ?? null)))].sort((a, b) => a.localeCompare(b));
  const body = html`
<h1>Specs</h1>
${viewer.user ? html`<p class="waiting-summary">${waiting === 0 ? "Nothing waits on you." : `${waiting} spec${waiting === 1 ? "" : "s"} wait${waiting === 1 ? "s" : ""} on you.`}</p>` : ""}
${search ? html`<section class="results" id="results"><h2>Search: ${search.query}</h2>${search.hits.length === 0 ? html`<p>No spec matches.</p>` : html`<ol>${search.hits.map((h) => html`<li><a href="/specs/${encodeURIComponent(h.specId)}">${h.specId} ${h.title}</a><br><span class="snippet">${h.snippet}</span></li>`)}</ol>`}</section>` : ""}
<form class="filters" id="filters">
${roots.length > 0 ? html`<label>Root <select name="root"><option value="">any</option>${roots.map((r) => html`<option>${r}</option>`)}</select></label>` : ""}
<label>Status <select name="status"><option value="">any</option>${statuses.map((s) => html`<option>${s}</option>`)}</select></label>
<label>Author <select name="author"><option value="">any</option>${authors.map((a) => html`<option>${a}</option>`)}</select></label>
<label>Approval <select name="approval"><option value="">any</option><option value="approved">Approved by every role</option><option value="pending">Waiting for approval</option><option value="rejected">Rejected by a role</option></select></label>
${viewer.user ? html`<label><input type="checkbox" name="mine"> waiting on me</label>` : ""}
</form>
<table class="specs" id="specs">
<thead><tr>${roots.length > 0 ? html`<th>Root</th>` : ""}<th>ID</th><th>Title</th><th>Status</th><th>Approvals</th><th>Complete</th><th>Errors / warnings</th><th>Updated</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
  return frame({ title: "Specs · techspec review", viewer, body, bodyClass: "index", query: search?.query ?? "" });
}

/** Links of a spec as the server shows them: other specs to their pages, anything else shown as not served. */
function resolverFor(s: IndexedSpec, specs: readonly IndexedSpec[], root: string): LinkResolver {
  const byPath = new Map(specs.filter((x) => x.id).map((x) => [x.path, x.id!]));
  return ({ path, hash }) => {
    const fragment = hash === "" ? "" : `#${encodeURIComponent(hash)}`;
    if (path === "") return { href: fragment || "#" };
    const abs = path.startsWith("/") ? resolve(root, `.${path}`) : resolve(dirname(s.path), path);
    const id = byPath.get(abs);
    return id ? { href: `/specs/${encodeURIComponent(id)}${fragment}` } : { missing: `${path} is not served by the review server (open it in the repository)` };
  };
}

export function specPage(s: IndexedSpec & { parsed: NonNullable<IndexedSpec["parsed"]>; id: string }, specs: readonly IndexedSpec[], viewer: Viewer, settings: ReviewSettings,
  comments: readonly (Comment & { author: { name: string; email: string } | null })[], root: string, history: ReviewHistory): string {
  const rendered = renderSpecPage({ slug: s.id, path: s.path, display: s.display, parsed: s.parsed, diagnostics: s.diagnostics, summary: s.summary! }, `specs/${s.id}.html`, [], resolverFor(s, specs, root));
  const held = viewer.user ? knownRoles(settings).filter((r) => holdsRole(settings, r, { name: viewer.user!.name, email: viewer.user!.email })) : [];
  const threads = comments.filter((c) => c.parentId === null);
  const replies = (id: number): typeof comments => comments.filter((c) => c.parentId === id);
  const commentHtml = (c: (typeof comments)[number]): Raw => html`<div class="comment" id="comment-${c.id}"><p class="by">${c.author?.name ?? "?"} <span class="when">${c.createdAt.slice(0, 16).replace("T", " ")}</span></p><div class="body">${c.body}</div></div>`;
  const review = html`
<section class="panel review" id="review" data-spec="${s.id}" data-revision="${s.revision}">
<h2>Review</h2>
<p class="actions">${viewer.user ? html`<a class="button" href="/specs/${encodeURIComponent(s.id)}/edit">Edit</a>` : html`<a href="/login?next=${encodeURIComponent(`/specs/${s.id}`)}">Sign in</a> to comment, decide or edit.`}</p>
${held.length > 0 ? html`<form class="decide" id="decide">
<h3>Your decision</h3>
<label>Role <select name="role">${held.map((r) => html`<option>${r}</option>`)}</select></label>
<label>Reason (for a rejection) <input name="reason" maxlength="500"></label>
<button type="submit" name="decision" value="Approved">Approve</button>
<button type="submit" name="decision" value="Rejected">Reject</button>
<p class="message" role="status"></p>
</form>` : ""}
<h3>Comments (${threads.length})</h3>
${threads.length === 0 ? html`<p>No comments yet.</p>` : html`<ol class="threads">${threads.map((t) => html`<li class="thread${t.resolved ? " resolved" : ""}${t.outdated ? " outdated" : ""}" data-comment="${t.id}">
<p class="anchor"><a href="#L${t.anchor.startLine}">${t.anchor.heading || "(top)"} · lines ${t.anchor.startLine}–${t.anchor.endLine}</a>${t.outdated ? html` <span class="badge outdated">outdated: the quoted text is gone</span>` : ""}${t.resolved ? html` <span class="badge">resolved</span>` : ""}</p>
<blockquote>${t.anchor.quote}</blockquote>
${commentHtml(t)}${replies(t.id).map(commentHtml)}
${viewer.user ? html`<form class="reply"><input name="body" placeholder="Reply" aria-label="Reply" maxlength="20000" required><button type="submit">Reply</button>
<button type="button" class="toggle-resolved" data-resolved="${t.resolved ? "yes" : "no"}">${t.resolved ? "Reopen" : "Resolve"}</button></form>` : ""}
</li>`)}</ol>`}
${viewer.user ? html`<form class="new-comment" id="new-comment">
<h3>New comment</h3>
<p class="hint">Click a line number in the Markdown source below (shift-click for a range), then write.</p>
<label>Lines <input name="start" type="number" min="1" required> – <input name="end" type="number" min="1" required></label>
<textarea name="body" rows="3" maxlength="20000" required aria-label="Comment"></textarea>
<button type="submit">Comment</button>
<p class="message" role="status"></p>
</form>` : ""}
</section>`;
  const events = history.entries.flatMap((e) => e.events.map((ev) => ({ e, ev })));
  const describeEvent = (ev: (typeof events)[number]["ev"]): string => ev.type === "created" ? `created (${ev.status ?? "no status"})`
    : ev.type === "status" ? `status ${ev.from ?? "none"} → ${ev.to ?? "none"}` : `${ev.role}: ${ev.decision} by ${ev.name || "—"}${ev.reason ? `: ${ev.reason}` : ""}`;
  const historyHtml = html`
<section class="history" id="history">
<h2>Since each decision</h2>
${history.sinceDecision.length === 0 ? html`<p>${history.problem ? `No history: ${history.problem}.` : "No decision recorded in git yet."}</p>` : html`<ul class="since">${history.sinceDecision.map((d) => {
    const { breaking, nonBreaking, other } = summarizeDiff(d.changes);
    return html`<li><strong>${d.role}</strong> (${d.name}, ${d.decision} in <code>${d.commit.slice(0, 8)}</code> on ${d.date}): ${d.changes.length === 0 ? "nothing changed since." : html`${breaking} breaking, ${nonBreaking} non-breaking, ${other} other change${other === 1 ? "" : "s"} since
<ul class="changes">${d.changes.slice(0, 50).map((c) => html`<li class="${c.impact ?? ""}">${c.area} ${c.subject} ${c.kind}${c.impact ? html` <span class="badge ${c.impact === "breaking" ? "has-errors" : ""}">${c.impact}</span>` : ""}</li>`)}</ul>`}</li>`;
  })}</ul>`}
<h2>History</h2>
${events.length === 0 ? html`<p>${history.problem ? `No history: ${history.problem}.` : "No history."}</p>` : html`<ol class="log">${events.map(({ e, ev }) => html`<li><span class="when">${e.date}</span> <code>${e.commit.slice(0, 8)}</code> ${e.author.name}: ${describeEvent(ev)}</li>`)}</ol>`}
</section>`;
  // The review (decision, comments) leads the side panels, beside the text it is about.
  const page = rendered.html.value.replace('<aside class="panels">', () => `<aside class="panels">${review.value}`);
  const body = html`${new Raw(page)}${historyHtml}`;
  return frame({ title: `${s.id} ${s.parsed.spec.title ?? ""} · techspec review`, viewer, body, bodyClass: "spec", scripts: rendered.diagrams ? ["/assets/mermaid.min.js", "/assets/site.js"] : ["/assets/site.js"] });
}

export function editPage(s: IndexedSpec & { id: string }, viewer: Viewer): string {
  const body = html`
<nav class="crumbs"><a href="/">All specs</a> / <a href="/specs/${encodeURIComponent(s.id)}">${s.id}</a> / edit</nav>
<h1>Edit ${s.id}</h1>
<form class="editor" id="editor" data-spec="${s.id}" data-revision="${s.revision}">
<div class="editor-layout">
<textarea name="text" spellcheck="false" aria-label="Markdown source">${s.text}</textarea>
<aside class="panel"><h2>Lint</h2><p class="lint-state" role="status">Checked as you type.</p><ol class="diagnostics" id="live-lint"></ol></aside>
</div>
<button type="submit">Save</button> <a href="/specs/${encodeURIComponent(s.id)}">Cancel</a>
<p class="message" role="status"></p>
</form>`;
  return frame({ title: `Edit ${s.id} · techspec review`, viewer, body, bodyClass: "edit" });
}

export function auditPage(entries: readonly AuditEntry[], viewer: Viewer, before: number | null): string {
  const body = html`
<h1>Audit log</h1>
<p>Every sign-in, token, comment, decision and edit, newest first. Entries are only ever added.</p>
<table class="audit"><thead><tr><th>#</th><th>When</th><th>Who</th><th>What</th><th>Spec</th><th>Revision</th><th>Address</th></tr></thead>
<tbody>${entries.map((e) => html`<tr><td>${e.id}</td><td>${e.at}</td><td>${e.actor}</td><td>${e.action}</td><td>${e.specId ? html`<a href="/specs/${encodeURIComponent(e.specId)}">${e.specId}</a>` : ""}</td><td><code>${(e.revision ?? "").slice(0, 12)}</code></td><td>${e.address ?? ""}</td></tr>`)}</tbody></table>
${entries.length > 0 && before !== 1 ? html`<p><a href="/audit?before=${entries[entries.length - 1]!.id}">Older entries</a></p>` : ""}`;
  return frame({ title: "Audit log · techspec review", viewer, body, bodyClass: "audit" });
}

export function loginPage(viewer: Viewer, next: string, sso = false): string {
  const body = html`
<h1>Sign in</h1>
${sso ? html`<p><a class="button sso" href="/auth/oidc?next=${encodeURIComponent(next)}">Sign in with single sign-on</a></p>` : ""}
<form class="login" id="login" data-next="${next}">
<label>E-mail <input name="email" type="email" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
<p class="message" role="status"></p>
</form>
<p class="hint">No account yet? An administrator creates one with <code>techspec users add</code>.</p>`;
  return frame({ title: "Sign in · techspec review", viewer, body, bodyClass: "login" });
}

/** A page saying what went wrong, for a page route (the API answers with problem+json). */
export function errorPage(status: number, message: string, viewer: Viewer): string {
  return frame({ title: `${status} · techspec review`, viewer, body: html`<h1>${status}</h1><p>${message}</p><p><a href="/">All specs</a></p>` });
}
