// Markdown → HTML for the portal. Raw HTML in a spec is shown as text, never passed through, and markdown-it
// refuses javascript:, vbscript:, file: and non-image data: links, so nothing a spec says can run in a reader's browser.
import GithubSlugger from "github-slugger";
import MarkdownIt from "markdown-it";
import type { Env as MarkdownEnv, Token } from "markdown-it";
import { escapeHtml } from "./html.js";

/** Where a link or image of the document points in the site, or why it points nowhere. */
export type LinkTarget = { readonly href: string } | { readonly missing: string };

/** Maps a document's link (as written, percent-decoded) to a site URL. */
export type LinkResolver = (href: string) => LinkTarget;

/** A heading of the rendered document, for a table of contents. */
export interface RenderedHeading {
  readonly level: number;
  readonly text: string;
  readonly id: string;
}

interface Env extends MarkdownEnv {
  readonly resolve: LinkResolver;
  readonly slugger: GithubSlugger;
  readonly headings: RenderedHeading[];
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

// Heading ids as GitHub makes them, so `doc.md#section` links written for GitHub land on the same heading here.
md.core.ruler.push("heading_ids", (state) => {
  const env = state.env as unknown as Env;
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i]!;
    if (open.type !== "heading_open") continue;
    const inline = tokens[i + 1];
    const text = inline?.children?.filter((t) => t.type === "text" || t.type === "code_inline").map((t) => t.content).join("") ?? "";
    const id = env.slugger.slug(text);
    open.attrSet("id", id);
    env.headings.push({ level: Number(open.tag.slice(1)), text, id });
  }
});

const render = md.renderer.rules;
const defaultFence = render.fence!;
render.fence = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  if (token.info.trim().split(/\s+/)[0]?.toLowerCase() === "mermaid") return `<pre class="mermaid">${escapeHtml(token.content)}</pre>\n`;
  return defaultFence(tokens, idx, options, env, self);
};
render.table_open = () => '<div class="table-wrap"><table>\n';
render.table_close = () => "</table></div>\n";
const defaultImage = render.image!;
render.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  if (token.attrGet("data-missing") !== null) return `<span class="missing" title="${escapeHtml(String(token.attrGet("title") ?? ""))}">[${escapeHtml(token.content || "image")}]</span>`;
  return defaultImage(tokens, idx, options, env, self);
};

// Links and images point into the site; a link whose target is not there becomes a marked span (open and close alike).
md.core.ruler.push("retarget_links", (state) => {
  const env = state.env as unknown as Env;
  for (const block of state.tokens) {
    if (block.type !== "inline" || !block.children) continue;
    const open: Token[] = [];
    for (const t of block.children) {
      if (t.type === "link_open") {
        retarget(t, "href", env);
        open.push(t);
      } else if (t.type === "link_close") {
        t.tag = open.pop()?.tag ?? t.tag;
      } else if (t.type === "image") {
        retarget(t, "src", env);
      }
    }
  }
});

/** Points a link or image at its place in the site; a target that is not there becomes a marked span. */
function retarget(token: Token, attr: "href" | "src", env: Env): void {
  const value = token.attrGet(attr);
  if (value === null) return;
  const raw = String(value);
  if (/^[a-z][a-z\d+.-]*:/i.test(raw) || raw.startsWith("//")) {
    if (attr === "href") token.attrSet("rel", "noopener noreferrer");
    return;
  }
  if (raw.startsWith("#")) return;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // keep a malformed escape as written
  }
  const target = env.resolve(decoded);
  if ("href" in target) {
    token.attrSet(attr, target.href);
    return;
  }
  token.attrs = token.attrs?.filter(([name]) => name !== attr && name !== "title") ?? null;
  token.attrSet("data-missing", "");
  token.attrSet("title", target.missing);
  if (attr === "href") {
    token.tag = "span";
    token.attrSet("class", "missing");
  }
}

/** Renders a Markdown document to safe HTML; links go through `resolve`. */
export function renderMarkdown(text: string, resolve: LinkResolver): { html: string; headings: RenderedHeading[] } {
  const env: Env = { resolve, slugger: new GithubSlugger(), headings: [] };
  return { html: md.render(text, env), headings: env.headings };
}
