// Markdown → HTML for the portal. Raw HTML in a spec is shown as text, never passed through, and markdown-it
// refuses javascript:, vbscript:, file: and non-image data: links, so nothing a spec says can run in a reader's browser.
import MarkdownIt from "markdown-it";
import type { Env as MarkdownEnv, Token } from "markdown-it";
import { HeadingAnchors } from "../parse/heading-anchor.js";
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
  readonly headings: RenderedHeading[];
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

// Heading ids as GitHub makes them, so `doc.md#section` links written for GitHub land on the same heading here: the
// anchor of the heading's Markdown source, from the same function the link rule checks anchors with.
md.core.ruler.push("heading_ids", (state) => {
  const env = state.env as unknown as Env;
  const tokens = state.tokens;
  const anchors = new HeadingAnchors(Object.keys((state.env as { references?: Record<string, unknown> }).references ?? {}));
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i]!;
    if (open.type !== "heading_open") continue;
    const inline = tokens[i + 1];
    const text = inline?.children?.filter((t) => t.type === "text" || t.type === "code_inline").map((t) => t.content).join("") ?? "";
    const id = anchors.next(inline?.content ?? "");
    open.attrSet("id", id);
    env.headings.push({ level: Number(open.tag.slice(1)), text, id });
  }
});

const render = md.renderer.rules;
const defaultFence = render.fence!;
render.fence = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  if (token.info.trim().split(/\s+/)[0]?.toLowerCase() === "mermaid") return `<pre class="mermaid">${escapeHtml(inertMermaid(token.content))}</pre>\n`;
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

/**
 * Mermaid source with every HTML tag but `<br>` turned into text (`#lt;` is Mermaid's entity for "<"). Mermaid
 * decodes labels through a detached element's innerHTML, where an `<img onerror>` would run if the page's policy
 * let it; a label is text, so its tags never reach that point. Arrows and `<<annotations>>` keep their "<".
 */
export function inertMermaid(source: string): string {
  return source.replace(/(?<!<)<(?=[a-z/!?])(?!br\s*\/?>)/gi, "#lt;");
}

/** Points a link or image at its place in the site; a target that is not there becomes a marked span. */
function retarget(token: Token, attr: "href" | "src", env: Env): void {
  const value = token.attrGet(attr);
  if (value === null) return;
  const raw = String(value);
  const target = resolveLink(raw, env.resolve);
  if ("href" in target) {
    if (attr === "href" && EXTERNAL.test(target.href)) token.attrSet("rel", "noopener noreferrer");
    token.attrSet(attr, target.href);
    return;
  }
  token.attrs = token.attrs?.filter(([name]) => name !== attr && name !== "title") ?? null;
  if (attr === "src") token.attrSet("data-missing", "");
  else token.tag = "span";
  token.attrSet("class", "missing");
  token.attrSet("title", target.missing);
}

/** A link with a scheme or a protocol-relative one: it leaves the site. */
const EXTERNAL = /^(?:[a-z][a-z\d+.-]*:|\/\/)/i;

/** What an external link may be; anything else (javascript:, data: pages, file:, ...) is not linked. */
const SAFE_EXTERNAL = /^(?:https?:|mailto:|ftp:|tel:|data:image\/(?:png|gif|jpe?g|webp)[;,]|\/\/)/i;

/** Resolves a link written outside Markdown (a related document's href) the way the renderer resolves links. */
export function resolveLink(href: string, resolve: LinkResolver): LinkTarget {
  const trimmed = href.trim();
  if (EXTERNAL.test(trimmed)) return SAFE_EXTERNAL.test(trimmed) ? { href: trimmed } : { missing: `${trimmed.split(":")[0]}: links are not published` };
  if (trimmed.startsWith("#")) return { href: trimmed };
  let decoded = trimmed;
  try {
    decoded = decodeURIComponent(trimmed);
  } catch {
    // keep a malformed escape as written
  }
  return resolve(decoded);
}

/** Renders a Markdown document to safe HTML; links go through `resolve`. */
export function renderMarkdown(text: string, resolve: LinkResolver): { html: string; headings: RenderedHeading[] } {
  const env: Env = { resolve, headings: [] };
  return { html: md.render(text, env), headings: env.headings };
}
