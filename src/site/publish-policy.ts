// What the portal publishes of the files a spec links to, decided from the path and the bytes alone (no file system
// here). A published file lands on the portal's origin, where a browser that renders it as HTML or SVG would run its
// scripts with the portal's rights; so only inert formats are published, and the content must be what the name says.

/** How a linked file is published, or why it is not. */
export type Publication =
  /** Markdown: rendered to a page of the site. */
  | { readonly kind: "page" }
  /** An inert file (PNG, JPEG, GIF, WebP, PDF, plain text): copied as it is. */
  | { readonly kind: "copy" }
  /** An SVG image without active content: never written as a file, only shown through `<img>` as a data: URL. */
  | { readonly kind: "svg" }
  /** Not published; `reason` completes a sentence that starts with the link's target. */
  | { readonly kind: "refused"; readonly reason: string };

/** The published types, as the refusal of an unknown type lists them. */
export const PUBLISHED_TYPES = "Markdown, PNG, JPEG, GIF, WebP and SVG images, PDF, and plain text (.txt, .text, .csv, .tsv, .log)";

/** Name of the configuration file; one under any name is refused by its path instead (see the caller). */
const CONFIG_FILE = "techspec.config.json";

/** Image and document signatures, by extension. */
const SIGNATURES: Readonly<Record<string, { readonly what: string; readonly matches: (b: Uint8Array) => boolean }>> = {
  png: { what: "a PNG image", matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  jpg: { what: "a JPEG image", matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  jpeg: { what: "a JPEG image", matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  gif: { what: "a GIF image", matches: (b) => startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a")) },
  webp: { what: "a WebP image", matches: (b) => startsWith(b, ascii("RIFF")) && startsWith(b.subarray(8), ascii("WEBP")) },
  pdf: { what: "a PDF document", matches: (b) => startsWith(b, ascii("%PDF-")) },
};

/** Plain-text extensions: copied when the content is UTF-8 text with nothing a browser could take for markup. */
const TEXT = new Set(["txt", "text", "csv", "tsv", "log"]);

/** Extensions of documents a browser renders as a page of the origin that serves them. */
const ACTIVE: Readonly<Record<string, string>> = {
  html: "HTML", htm: "HTML", xhtml: "XHTML", xht: "XHTML", shtml: "HTML", shtm: "HTML", mht: "MHTML", mhtml: "MHTML",
  xml: "XML", xsl: "XSLT", xslt: "XSLT", svgz: "compressed SVG", rss: "XML", atom: "XML",
};

/**
 * Markup a browser sniffing an untyped response, or a reader opening the file, could render: the tags of the WHATWG
 * MIME sniffing rules for HTML, the elements that run or embed content, comments, doctypes and XML declarations.
 * Looked for anywhere in the text (the sniffing rules look only at the start), so no host's sniffer finds any.
 */
const MARKUP = /<(?:!doctype|!--|!\[cdata\[|\?xml|\/?(?:html|head|body|script|iframe|frame|frameset|object|embed|applet|svg|math|style|link|meta|base|title|img|image|a|b|p|br|div|font|table|h1|form|input|button|textarea|template|noscript|xmp|plaintext|listing|video|audio|source|marquee|isindex|portal)(?=[\s/>]|$))/i;

/** Control characters that plain text does not hold (tab, line feed, form feed, carriage return and escape are text). */
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001a\u001c-\u001f\u007f]/;

/** Whether a workspace path (with "/") has a segment starting with a dot: a dotfile, or a file in a dot-folder. */
export function isHiddenPath(workspacePath: string): boolean {
  return workspacePath.split("/").some((s) => s.startsWith("."));
}

/** Whether a file name is the configuration file's default name (in any case, as case-insensitive file systems read it). */
export function isConfigName(name: string): boolean {
  return name.toLowerCase() === CONFIG_FILE;
}

/**
 * The path a link names, as the site resolves it: percent-decoded once (by the caller), backslashes read as "/"
 * (as browsers read them in URLs), refused when it holds control characters or is percent-encoded a second time.
 */
export function linkPath(decoded: string): { readonly path: string } | { readonly reason: string } {
  if (/[\u0000-\u001f\u007f-\u009f]/.test(decoded)) return { reason: "holds control characters and is not published" };
  if (/%(?:2e|2f|5c)/i.test(decoded)) return { reason: "is percent-encoded twice and is not published" };
  return { path: decoded.replace(/\\/g, "/") };
}

/** How a linked file with this name (the last path segment) and these bytes is published. */
export function classifyLinkedFile(name: string, bytes: Uint8Array): Publication {
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
  if (ext === "md" || ext === "markdown") return { kind: "page" };
  const active = ACTIVE[ext];
  if (active) return refused(`is ${active}, which is not published: a browser would run its scripts on the portal`);
  const signature = SIGNATURES[ext];
  if (signature) {
    return signature.matches(bytes) ? { kind: "copy" } : refused(`is not ${signature.what} (its bytes do not start with the ${ext.toUpperCase()} signature${looksLikeMarkup(bytes) ? "; they start like markup" : ""}) and is not published`);
  }
  if (ext === "svg") {
    const text = utf8(bytes);
    if (text === null) return refused("is not UTF-8 text, so it is not a readable SVG image, and is not published");
    const active = svgActiveContent(text);
    return active === null ? { kind: "svg" } : refused(`is an SVG image with active content (${active}) and is not published`);
  }
  if (TEXT.has(ext)) {
    const text = utf8(bytes);
    if (text === null || CONTROL.test(text)) return refused("is not plain UTF-8 text and is not published");
    const markup = MARKUP.exec(text);
    if (markup) return refused(`holds markup (${markup[0]}) a browser could render as HTML, and is not published`);
    return { kind: "copy" };
  }
  return refused(`${ext ? `has a type the portal does not publish (.${ext})` : "has no file extension, so its type is unknown,"} and is not published; published are ${PUBLISHED_TYPES}`);
}

/**
 * The first active part of an SVG image, or null when it has none: scripts, event handlers, foreignObject and other
 * embedding elements, animations of links, references outside the file (links, stylesheets, images other than
 * raster data: URLs), entity declarations and processing instructions. The image is shown only through `<img>`,
 * where a browser runs none of this anyway; refusing it as well keeps a file that tries it out of the portal.
 */
export function svgActiveContent(text: string): string | null {
  const prolog = /^\uFEFF?\s*(?:<\?xml\s[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!doctype\s+svg\b[^>[]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<svg[\s>]/i;
  if (!prolog.test(text)) return "its root element is not <svg>";
  // Character references decoded once, so `&#106;avascript:` reads as what a parser would see.
  const t = text.replace(/&#x([\da-f]+);?|&#(\d+);?/gi, (_, hex: string | undefined, dec: string | undefined) => {
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
  });
  const checks: readonly [RegExp, string | ((m: RegExpExecArray) => string)][] = [
    [/<!(?:entity|element|attlist)\b|<!doctype[^>]*\[/i, "an entity or DTD declaration"],
    [/<\?(?!xml\s)[\w-]+/i, "a processing instruction"],
    [/<(?:[\w.-]+:)?(script|foreignobject|iframe|embed|object|handler|listener|audio|video)\b/i, (m) => `a <${m[1]!}> element`],
    [/[\s"'/;](on[a-z]+)\s*=/i, (m) => `an ${m[1]!} event handler`],
    [/attributename\s*=\s*["']\s*(?:[\w.-]+:)?href/i, "an animation of a link"],
    [/j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:|v\s*b\s*s\s*c\s*r\s*i\s*p\s*t\s*:/i, "a script: URL"],
    [/\bhref\s*=\s*["']\s*(?!#|data:image\/(?:png|jpe?g|gif|webp);)[^"']/i, "a link outside the image"],
    [/url\(\s*["']?\s*(?!#|data:image\/(?:png|jpe?g|gif|webp);)/i, "a url() outside the image"],
    [/@import\b/i, "a stylesheet @import"],
    [/\bdata:(?!image\/(?:png|jpe?g|gif|webp);)/i, "a data: URL that is not a raster image"],
  ];
  for (const [pattern, what] of checks) {
    const m = pattern.exec(t);
    if (m) return typeof what === "string" ? what : what(m);
  }
  return null;
}

function refused(reason: string): Publication {
  return { kind: "refused", reason };
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

/** Whether the bytes start, after white space, with "<" (HTML, SVG, XML): what a content sniffer would render. */
function looksLikeMarkup(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || (bytes[i]! >= 0x09 && bytes[i]! <= 0x0d))) i++;
  return bytes[i] === 0x3c;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}
