// Markdown → HTML for the portal. Raw HTML in a spec is shown as text, never passed through, and markdown-it
// refuses javascript:, vbscript:, file: and non-image data: links, so nothing a spec says can run in a reader's browser.
import MarkdownIt from "markdown-it";
import type { Env as MarkdownEnv, Token } from "markdown-it";
import { HeadingAnchors } from "../parse/heading-anchor.js";
import { escapeHtml } from "./html.js";

/** Where a link or image of the document points in the site, or why it points nowhere. */
export type LinkTarget = { readonly href: string } | { readonly missing: string };

/**
 * A relative link of a document: its path percent-decoded, without the query (which a static site has no use for),
 * the fragment percent-decoded without its "#", and whether it is an image's source.
 */
export interface LocalLink {
  readonly path: string;
  readonly hash: string;
  readonly image: boolean;
}

/** Maps a document's relative link to a site URL. */
export type LinkResolver = (link: LocalLink) => LinkTarget;

/** A link or image of the document that the site does not publish: the line of its block (1-based) and why. */
export interface UnpublishedLink {
  readonly line: number | null;
  readonly reason: string;
}

/** A heading of the rendered document, for a table of contents. */
export interface RenderedHeading {
  readonly level: number;
  readonly text: string;
  readonly id: string;
}

interface Env extends MarkdownEnv {
  readonly resolve: LinkResolver;
  readonly headings: RenderedHeading[];
  readonly unpublished: UnpublishedLink[];
  /** The heading ids of the whole document, when it is rendered in pieces. */
  anchors?: HeadingAnchors;
  /** Lines of the document before the piece being rendered. */
  lineOffset?: number;
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

// Heading ids as GitHub makes them, so `doc.md#section` links written for GitHub land on the same heading here: the
// anchor of the heading's Markdown source, from the same function the link rule checks anchors with.
md.core.ruler.push("heading_ids", (state) => {
  const env = state.env as unknown as Env;
  const tokens = state.tokens;
  const anchors = env.anchors ?? new HeadingAnchors(Object.keys((state.env as { references?: Record<string, unknown> }).references ?? {}));
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
  // markdown-it's own fence, around content escaped here (the same text: its escape is slow on a large example).
  const content = token.content;
  token.content = "";
  const empty = defaultFence(tokens, idx, options, env, self);
  token.content = content;
  const end = empty.lastIndexOf("</code></pre>");
  return end < 0 ? defaultFence(tokens, idx, options, env, self) : empty.slice(0, end) + escapeHtml(content) + empty.slice(end);
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
    const line = block.map ? block.map[0] + 1 + (env.lineOffset ?? 0) : null;
    const open: Token[] = [];
    for (const t of block.children) {
      if (t.type === "link_open") {
        retarget(t, "href", env, line);
        open.push(t);
      } else if (t.type === "link_close") {
        t.tag = open.pop()?.tag ?? t.tag;
      } else if (t.type === "image") {
        retarget(t, "src", env, line);
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

/** Points a link or image at its place in the site; a target that is not there becomes a marked span, and is listed. */
function retarget(token: Token, attr: "href" | "src", env: Env, line: number | null): void {
  const value = token.attrGet(attr);
  if (value === null) return;
  const raw = String(value);
  const target = resolveLink(raw, env.resolve, attr === "src");
  if ("href" in target) {
    if (attr === "href" && EXTERNAL.test(target.href)) token.attrSet("rel", "noopener noreferrer");
    token.attrSet(attr, target.href);
    return;
  }
  if (!env.unpublished.some((u) => u.line === line && u.reason === target.missing)) env.unpublished.push({ line, reason: target.missing });
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

/**
 * Resolves a link as written (a Markdown link's href, or a related document's) the way the renderer resolves links:
 * the fragment and the query are split off before the path is percent-decoded, so an encoded "#" or "?" stays part
 * of a file name, and `image` tells the resolver the link is an image's source.
 */
export function resolveLink(href: string, resolve: LinkResolver, image = false): LinkTarget {
  const trimmed = href.trim();
  if (EXTERNAL.test(trimmed)) return SAFE_EXTERNAL.test(trimmed) ? { href: trimmed } : { missing: `${trimmed.split(":")[0]}: links are not published` };
  if (trimmed.startsWith("#")) return { href: trimmed };
  const hashAt = trimmed.indexOf("#");
  const beforeHash = hashAt < 0 ? trimmed : trimmed.slice(0, hashAt);
  const queryAt = beforeHash.indexOf("?");
  return resolve({ path: percentDecoded(queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt)), hash: hashAt < 0 ? "" : percentDecoded(trimmed.slice(hashAt + 1)), image });
}

/** Percent-decoded once; a malformed escape is kept as written. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Renders a Markdown document to safe HTML; links go through `resolve`, and those it does not publish are listed.
 * A long document is rendered in pieces of about `piece` characters (the same HTML: see piecesOf).
 */
export function renderMarkdown(text: string, resolve: LinkResolver, piece = PIECE): { html: string; headings: RenderedHeading[]; unpublished: UnpublishedLink[] } {
  const pieces = text.length > piece && !REFERENCE_DEFINITION.test(text) ? piecesOf(text, piece) : [{ text, line: 0 }];
  if (pieces.length === 1) {
    const env: Env = { resolve, headings: [], unpublished: [] };
    return { html: md.render(text, env), headings: env.headings, unpublished: env.unpublished };
  }
  const env: Env = { resolve, headings: [], unpublished: [], anchors: new HeadingAnchors() };
  const html = pieces.map((p) => md.render(p.text, { ...env, lineOffset: p.line }));
  return { html: html.join(""), headings: env.headings, unpublished: env.unpublished };
}

/**
 * A document longer than this is rendered in pieces of about this size, cut before headings: the tokens of one piece
 * are garbage before the next is read, where a whole 2 MB document's million tokens lived to the end, and most of
 * the time went to moving them between generations of the heap.
 */
const PIECE = 1 << 16;

/** A line that may define a link reference (`[label]: url`), which the whole document can use: such a text is rendered whole. */
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]*\]:/m;

/**
 * The text cut into pieces of about `piece` characters, each cut at the start of a line holding an ATX heading at its
 * first column outside a fenced block: CommonMark ends every open block there (a paragraph, a list, a quote, a
 * table), so each piece renders as it would in the whole.
 *
 * A fence at the first column is outside any list or quote, so whether a heading is inside it is certain. A fence
 * indented one to three spaces may be a list item's or the document's: it is passed over only when every line up to
 * a closing fence of the same indentation is indented at least as far (inside the item, or inside the document's
 * fence, alike); any other line there, or a fence that does not close, keeps the rest of the text in one piece.
 */
function piecesOf(text: string, piece: number): { text: string; line: number }[] {
  const pieces: { text: string; line: number }[] = [];
  let start = 0;
  let startLine = 0; // lines before `start`
  let lineNo = 0; // lines before `at`
  let fence: { char: string; length: number; indent: number } | null = null;
  for (let at = 0; at < text.length;) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    const m = /^( *)(`{3,}|~{3,})(.*)/.exec(line);
    if (fence) {
      const indent = /^[ \t]*/.exec(line)![0];
      if (fence.indent === 0) {
        if (m && m[1]!.length <= 3 && m[2]![0] === fence.char && m[2]!.length >= fence.length && /^[ \t]*\r?$/.test(m[3]!)) fence = null;
      } else if (indent.length < line.length && !/^[ \t]*\r$/.test(line)) {
        // A line of an indented fence: it must be indented at least as far (no tab), and a fence line on it must close it.
        if (indent.includes("\t") || indent.length < fence.indent) break;
        if (m) {
          const closes = m[1]!.length === fence.indent && m[2]![0] === fence.char && m[2]!.length >= fence.length && /^[ \t]*\r?$/.test(m[3]!);
          if (closes) fence = null;
          else if (m[2]![0] === fence.char && m[2]!.length >= fence.length && /^[ \t]*\r?$/.test(m[3]!)) break; // closes it at another indentation
        }
      }
    } else if (m && m[1]!.length <= 3 && !(m[2]![0] === "`" && m[3]!.includes("`"))) {
      fence = { char: m[2]![0]!, length: m[2]!.length, indent: m[1]!.length };
    } else if (at - start >= piece && /^#{1,6}(?:[ \t]|\r?$)/.test(line)) {
      pieces.push({ text: text.slice(start, at), line: startLine });
      start = at;
      startLine = lineNo;
    }
    at = end + 1;
    lineNo++;
  }
  pieces.push({ text: text.slice(start), line: startLine });
  return pieces;
}

