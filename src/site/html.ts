import { posix } from "node:path";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Above this many characters a text is escaped byte by byte (see escapeLong). */
const LONG_TEXT = 1 << 14;

/** Escapes text for an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  if (text.length > LONG_TEXT) {
    if (!SPECIAL.test(text)) return text;
    if ((text as string & { isWellFormed(): boolean }).isWellFormed()) return escapeLong(text);
  }
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const SPECIAL = /[&<>"']/;

const ESCAPE_BYTES: Record<number, readonly number[]> = Object.fromEntries(Object.entries(ESCAPES).map(([c, e]) => [c.charCodeAt(0), [...Buffer.from(e)]]));

/**
 * escapeHtml of a long text through its UTF-8 bytes (none of a multi-byte character is one of the five escaped
 * characters): a replace of each `"` in an 8 MB JSON example built a string of millions of pieces, 4x slower. The
 * text has no lone surrogate (UTF-8 could not hold it), so the bytes decode to the same characters.
 */
function escapeLong(text: string): string {
  const src = Buffer.from(text, "utf8");
  let extra = 0;
  for (let i = 0; i < src.length; i++) {
    const r = ESCAPE_BYTES[src[i]!];
    if (r) extra += r.length - 1;
  }
  if (extra === 0) return text;
  const dst = Buffer.allocUnsafe(src.length + extra);
  let j = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    const r = ESCAPE_BYTES[b];
    if (r) for (let k = 0; k < r.length; k++) dst[j++] = r[k]!;
    else dst[j++] = b;
  }
  return dst.toString("utf8");
}

/** A tagged template that escapes every interpolated value except `Raw` ones (and arrays of them). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += fragment(v) + strings[i + 1]!;
  });
  return new Raw(out);
}

/** HTML that is already safe. */
export class Raw {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

function fragment(v: unknown): string {
  if (v instanceof Raw) return v.value;
  if (Array.isArray(v)) return v.map(fragment).join("");
  if (v === null || v === undefined || v === false) return "";
  return escapeHtml(String(v));
}

/** URL of `to` as seen from the page `from` (both site paths with `/`). */
export function relUrl(from: string, to: string): string {
  const r = posix.relative(posix.dirname(from), to);
  return r.split("/").map(encodeURIComponent).join("/") || ".";
}

/**
 * The site's icon, written to assets/favicon.svg and linked from every page, so no browser asks the host for a
 * /favicon.ico that is not there (a failed request and a console error on every page otherwise). A file of the
 * site rather than a data: URL: the policy's 'self' covers it from file:// and from any static host alike.
 */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#0a58ca"/>
<path d="M9 6h10l5 5v15H9z" fill="#ffffff"/>
<path d="M19 6v5h5" fill="none" stroke="#0a58ca" stroke-width="1.5"/>
<path d="M12.5 18.5l3 3 5.5-6" fill="none" stroke="#1a7f37" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
`;

export interface PageOptions {
  /** Site path of the page, e.g. `specs/FEAT-0001.html`. */
  readonly path: string;
  readonly title: string;
  readonly siteTitle: string;
  readonly body: Raw;
  /** Extra scripts (site paths) loaded before the site script. */
  readonly scripts?: readonly string[];
  /** Class of the body element, for page-specific styles. */
  readonly bodyClass?: string;
}

/**
 * The frame of every page. Everything comes from the site itself: the policy allows no other origin, no inline
 * script and no plugin, so even a rendering mistake could not load or run anything from outside.
 */
export function page(o: PageOptions): string {
  const u = (p: string): string => relUrl(o.path, p);
  const scripts = [...(o.scripts ?? []), "assets/site.js"];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="techspec">
<title>${escapeHtml(o.title)}</title>
<link rel="icon" type="image/svg+xml" href="${u("assets/favicon.svg")}">
<link rel="stylesheet" href="${u("assets/site.css")}">
</head>
<body${o.bodyClass ? ` class="${escapeHtml(o.bodyClass)}"` : ""}>
<header class="top">
<a class="brand" href="${u("index.html")}">${escapeHtml(o.siteTitle)}</a>
<form class="search" action="${u("index.html")}" method="get" role="search">
<input type="search" name="q" placeholder="Search specs" aria-label="Search specs" autocomplete="off">
</form>
</header>
<main>
${o.body.value}
</main>
${scripts.map((s) => `<script src="${u(s)}"></script>`).join("\n")}
</body>
</html>
`;
}
