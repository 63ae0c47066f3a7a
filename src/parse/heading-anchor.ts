// GitHub's heading anchors. GitHub renders a heading to HTML, takes the text of the rendered element (link text
// without its URL, code without its backticks, emphasis and strikethrough without their markers, no image alt
// text, no HTML tags, entities decoded, an emoji shortcode such as :tada: as written) and slugs it: lower-cased, every character but
// letters, marks, numbers, connector punctuation, "-" and " " removed, spaces turned into "-"; a repeated anchor
// gets "-1", "-2". github-slugger implements the slug; the text comes from a CommonMark inline reading here, which
// keeps only what can reach the text, so the lint path needs no Markdown renderer. Linear in the heading's length.
import { decodeHTMLStrict } from "entities/decode";
import GithubSlugger, { slug } from "github-slugger";

/** GitHub's anchor of one heading, from its Markdown source text (without the `#` marks); no duplicate numbering. */
export function headingAnchor(source: string, references?: Iterable<string>): string {
  return slug(headingText(source, references));
}

/**
 * The anchors of one document's headings, in order: `next` numbers a repeated anchor "-1", "-2" as GitHub does.
 * `references` are the labels of the document's link reference definitions (`[label]: url`), so `[text][label]`
 * in a heading reads as a link, as it renders.
 */
export class HeadingAnchors {
  private readonly slugger = new GithubSlugger();
  private readonly references: ReadonlySet<string>;

  constructor(references: Iterable<string> = []) {
    this.references = normalizedLabels(references);
  }

  /** The anchor of the document's next heading, from its Markdown source text. */
  next(source: string): string {
    return this.slugger.slug(headingText(source, this.references));
  }
}

/** The anchors of a document's headings (Markdown source texts, in order), duplicates numbered. */
export function headingAnchorsOf(headings: Iterable<string>, references?: Iterable<string>): Set<string> {
  const anchors = new HeadingAnchors(references);
  const out = new Set<string>();
  for (const h of headings) out.add(anchors.next(h));
  return out;
}

/** The text of a heading as GitHub renders it (what the slug is made from). */
export function headingText(source: string, references?: Iterable<string>): string {
  return new InlineText(source, references instanceof LabelSet ? references : normalizedLabels(references ?? [])).read();
}

/** Labels normalized as CommonMark matches them: case-folded, inner whitespace collapsed, trimmed. */
class LabelSet extends Set<string> {}

function normalizedLabels(labels: Iterable<string>): LabelSet {
  if (labels instanceof LabelSet) return labels;
  const out = new LabelSet();
  for (const l of labels) out.add(normalizeLabel(l));
  return out;
}

function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, " ").toLowerCase().toUpperCase();
}

interface Delimiter {
  readonly part: number;
  readonly char: string;
  count: number;
  readonly original: number;
  readonly canOpen: boolean;
  readonly canClose: boolean;
  previous: Delimiter | null;
  next: Delimiter | null;
}

interface Bracket {
  readonly part: number;
  /** Offset of the "[" in the source. */
  readonly index: number;
  readonly image: boolean;
  active: boolean;
  bracketAfter: boolean;
  readonly previousDelimiter: Delimiter | null;
  readonly previous: Bracket | null;
}

const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;
// Punctuation as GitHub's CommonMark (cmark-gfm, spec 0.29) classifies it for emphasis: ASCII punctuation and
// Unicode punctuation, not other symbols (an emoji next to "_" is like a letter).
const PUNCTUATION = /^[!-/:-@[-`{-~\p{P}]$/u;
const WHITESPACE = /^[\t-\r \p{Zs}]$/u;
const SPECIAL = /[\n\\`*_~[\]!<&]/g;
const ENTITY = /&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{0,31});/y;
const AUTOLINK_URI = /<([A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\x00-\x20]*)>/y;
const AUTOLINK_EMAIL = /<([a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>/y;
const ATTRIBUTE = `(?:\\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\\s*=\\s*(?:[^"'=<>\`\\x00-\\x20]+|'[^']*'|"[^"]*"))?)`;
const OPEN_TAG = new RegExp(`<[A-Za-z][A-Za-z0-9-]*${ATTRIBUTE}*\\s*/?>`, "y");
const CLOSE_TAG = /<\/[A-Za-z][A-Za-z0-9-]*\s*>/y;
const COMMENT = /<!---?>|<!--(?:[^-]|-[^-]|--[^>])*-->/y;
const PROCESSING = /<\?[\s\S]*?\?>/y;
const DECLARATION = /<![A-Za-z][^>]*>/y;
const CDATA = /<!\[CDATA\[[\s\S]*?\]\]>/y;
const LABEL = /\[(?:[^\\[\]]|\\.){0,999}\]/sy;
const TITLE = /"(?:\\[\s\S]|[^\\"\x00])*"|'(?:\\[\s\S]|[^\\'\x00])*'|\((?:\\[\s\S]|[^\\()\x00])*\)/y;
const SPACES_AND_A_LINE = /[ \t]*(?:\n[ \t]*)?/y;

/**
 * The CommonMark inline reading of one heading, reduced to its text: a port of the reference parser's inline
 * pass (commonmark.js) for the constructs that decide which characters reach the rendered text.
 */
class InlineText {
  private pos = 0;
  private readonly parts: string[] = [];
  private delimiters: Delimiter | null = null;
  private brackets: Bracket | null = null;
  /** Start offsets of the maximal backtick runs, by run length, and how far each list has been searched. */
  private runs: Map<number, { starts: number[]; next: number }> | null = null;
  private readonly last: { comment: number; processing: number; cdata: number; gt: number };
  /** Whether the last thing read is plain text (only its spaces before a line end are dropped, not a code span's or a link's). */
  private lastIsText = false;
  /** Parts an image already blanked: start → end, so nested images blank each part once. */
  private readonly blanked = new Map<number, number>();

  constructor(private readonly src: string, private readonly references: ReadonlySet<string>) {
    this.last = { comment: src.lastIndexOf("-->"), processing: src.lastIndexOf("?>"), cdata: src.lastIndexOf("]]>"), gt: src.lastIndexOf(">") };
  }

  read(): string {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src[this.pos]!;
      switch (c) {
        case "\n": this.newline(); break;
        case "\\": this.backslash(); break;
        case "`": this.backticks(); break;
        case "*": case "_": case "~": this.delimiterRun(c); break;
        case "[": this.openBracket(false, 1); break;
        case "!":
          if (src[this.pos + 1] === "[") this.openBracket(true, 2);
          else this.text("!", 1);
          break;
        case "]": this.closeBracket(); break;
        case "<": this.angle(); break;
        case "&": this.entity(); break;
        default: {
          SPECIAL.lastIndex = this.pos;
          const m = SPECIAL.exec(src);
          const end = m ? m.index : src.length;
          this.text(src.slice(this.pos, end), end - this.pos);
        }
      }
    }
    this.processEmphasis(null);
    return this.parts.join("");
  }

  private text(t: string, advance: number): void {
    this.parts.push(t);
    this.pos += advance;
    this.lastIsText = true;
  }

  /** A part that is not plain text: code, an autolink's address, raw HTML (empty). */
  private other(t: string, to: number): void {
    this.parts.push(t);
    this.pos = to;
    this.lastIsText = false;
  }

  /** A line break inside a (setext) heading: the rendered text has a newline, without the spaces around it. */
  private newline(): void {
    const i = this.parts.length - 1;
    if (i >= 0 && this.lastIsText) this.parts[i] = this.parts[i]!.replace(/ +$/, "");
    this.text("\n", 1);
    while (this.src[this.pos] === " " || this.src[this.pos] === "\t") this.pos++;
  }

  private backslash(): void {
    const next = this.src[this.pos + 1];
    if (next === "\n") {
      // A hard line break: a newline in the text; the spaces before the backslash stay, those after it do not.
      this.text("\n", 2);
      while (this.src[this.pos] === " " || this.src[this.pos] === "\t") this.pos++;
    } else if (next !== undefined && ASCII_PUNCTUATION.test(next)) {
      this.text(next, 2);
    } else {
      this.text("\\", 1);
    }
  }

  private backticks(): void {
    const src = this.src;
    let n = 0;
    while (src[this.pos + n] === "`") n++;
    const after = this.pos + n;
    const close = this.closingRun(n, after);
    if (close < 0) {
      this.text("`".repeat(n), n);
      return;
    }
    let content = src.slice(after, close).replace(/\n/g, " ");
    if (content.length > 2 && content[0] === " " && content[content.length - 1] === " " && /[^ ]/.test(content)) content = content.slice(1, -1);
    this.other(content, close + n);
  }

  /** Start of the first maximal run of exactly `n` backticks at or after `from`, or -1. */
  private closingRun(n: number, from: number): number {
    if (!this.runs) {
      this.runs = new Map();
      const re = /`+/g;
      for (let m = re.exec(this.src); m; m = re.exec(this.src)) {
        let list = this.runs.get(m[0].length);
        if (!list) this.runs.set(m[0].length, (list = { starts: [], next: 0 }));
        list.starts.push(m.index);
      }
    }
    const list = this.runs.get(n);
    if (!list) return -1;
    while (list.next < list.starts.length && list.starts[list.next]! < from) list.next++;
    return list.next < list.starts.length ? list.starts[list.next]! : -1;
  }

  private delimiterRun(c: string): void {
    const src = this.src;
    const start = this.pos;
    let n = 0;
    while (src[start + n] === c) n++;
    const before = start === 0 ? "\n" : charBefore(src, start);
    const after = start + n >= src.length ? "\n" : charAt(src, start + n);
    const afterSpace = WHITESPACE.test(after);
    const afterPunct = PUNCTUATION.test(after);
    const beforeSpace = WHITESPACE.test(before);
    const beforePunct = PUNCTUATION.test(before);
    const left = !afterSpace && (!afterPunct || beforeSpace || beforePunct);
    const right = !beforeSpace && (!beforePunct || afterSpace || afterPunct);
    const canOpen = c === "_" ? left && (!right || beforePunct) : left;
    const canClose = c === "_" ? right && (!left || afterPunct) : right;
    this.text(c.repeat(n), n);
    // GFM strikethrough (as cmark-gfm has it): a run of one or two "~", opening and closing like "*".
    if ((!canOpen && !canClose) || (c === "~" && n > 2)) return;
    const d: Delimiter = { part: this.parts.length - 1, char: c, count: n, original: n, canOpen, canClose, previous: this.delimiters, next: null };
    if (this.delimiters) this.delimiters.next = d;
    this.delimiters = d;
  }

  private openBracket(image: boolean, length: number): void {
    const index = this.pos + length - 1;
    this.text(image ? "![" : "[", length);
    if (this.brackets) this.brackets.bracketAfter = true;
    this.brackets = { part: this.parts.length - 1, index, image, active: true, bracketAfter: false, previousDelimiter: this.delimiters, previous: this.brackets };
  }

  private closeBracket(): void {
    const src = this.src;
    this.pos++;
    const afterBracket = this.pos;
    const opener = this.brackets;
    if (!opener) {
      this.text("]", 0);
      return;
    }
    if (!opener.active) {
      this.text("]", 0);
      this.brackets = opener.previous;
      return;
    }
    let matched = false;
    // An inline link: "(" destination [title] ")".
    if (src[this.pos] === "(") {
      this.pos++;
      this.spacesAndALine();
      if (this.destination()) {
        const beforeTitle = this.pos;
        this.spacesAndALine();
        if (this.pos > beforeTitle) {
          TITLE.lastIndex = this.pos;
          if (TITLE.test(src)) this.pos = TITLE.lastIndex;
        }
        this.spacesAndALine();
        if (src[this.pos] === ")") {
          this.pos++;
          matched = true;
        }
      }
      if (!matched) this.pos = afterBracket;
    }
    // A reference link: [text][label], [text][] or [text], when the label is defined.
    if (!matched) {
      LABEL.lastIndex = this.pos;
      const label = LABEL.exec(src);
      let ref: string | null = null;
      if (label && label[0].length > 2) ref = label[0];
      else if (!opener.bracketAfter) ref = src.slice(opener.index, afterBracket);
      if (ref !== null && this.references.has(normalizeLabel(ref.slice(1, -1)))) {
        matched = true;
        if (label) this.pos += label[0].length;
      } else {
        this.pos = afterBracket;
      }
    }
    this.brackets = opener.previous;
    if (!matched) {
      this.text("]", 0);
      return;
    }
    this.lastIsText = false;
    // The brackets and the destination are not text; the link text is, after its own emphasis is resolved.
    this.processEmphasis(opener.previousDelimiter);
    this.parts[opener.part] = "";
    if (opener.image) {
      // An image renders as an <img>: its alt text is not part of the heading's text.
      const end = this.parts.length;
      for (let i = opener.part; i < end; i++) {
        const skip = this.blanked.get(i);
        if (skip !== undefined) i = skip - 1;
        else this.parts[i] = "";
      }
      this.blanked.set(opener.part, end);
    } else {
      // No link inside a link: earlier "[" openers are done. One found inactive means every one below it is too.
      for (let b = this.brackets; b; b = b.previous) {
        if (b.image) continue;
        if (!b.active) break;
        b.active = false;
      }
    }
  }

  private spacesAndALine(): void {
    SPACES_AND_A_LINE.lastIndex = this.pos;
    SPACES_AND_A_LINE.test(this.src);
    this.pos = SPACES_AND_A_LINE.lastIndex;
  }

  /** Skips a link destination (`<...>` or a run without spaces and with balanced parentheses); false if none. */
  private destination(): boolean {
    const src = this.src;
    if (src[this.pos] === "<") {
      for (let i = this.pos + 1; i < src.length; i++) {
        const c = src[i]!;
        if (c === "\\" && i + 1 < src.length) i++;
        else if (c === "<" || c === "\n") return false;
        else if (c === ">") {
          this.pos = i + 1;
          return true;
        }
      }
      return false;
    }
    const start = this.pos;
    let depth = 0;
    let i = this.pos;
    for (; i < src.length; i++) {
      const code = src.charCodeAt(i);
      if (code === 0x5c /* \ */ && i + 1 < src.length && ASCII_PUNCTUATION.test(src[i + 1]!)) i++;
      else if (code === 0x28 /* ( */) {
        // Deeply nested parentheses end the search, as markdown-it does, so a hostile heading stays linear.
        if (++depth > 32) return false;
      } else if (code === 0x29 /* ) */) {
        if (depth === 0) break;
        depth--;
      } else if (code <= 0x20 || code === 0x7f) break;
    }
    if (depth !== 0) return false;
    if (i === start && src[i] !== ")") return false;
    this.pos = i;
    return true;
  }

  /** An autolink (its text is the address) or raw HTML (no text), else a literal "<". */
  private angle(): void {
    const src = this.src;
    for (const re of [AUTOLINK_URI, AUTOLINK_EMAIL]) {
      re.lastIndex = this.pos;
      const m = re.exec(src);
      if (m) {
        this.other(m[1]!, re.lastIndex);
        return;
      }
    }
    const next = src[this.pos + 1] ?? "";
    // Only try a construct that can end somewhere ahead: a failed attempt then costs what it reads, once.
    const candidates = next === "!" ? [this.last.comment > this.pos ? COMMENT : null, this.last.cdata > this.pos ? CDATA : null, this.last.gt > this.pos ? DECLARATION : null]
      : next === "?" ? [this.last.processing > this.pos ? PROCESSING : null]
      : next === "/" ? [this.last.gt > this.pos ? CLOSE_TAG : null]
      : /[A-Za-z]/.test(next) ? [this.last.gt > this.pos ? OPEN_TAG : null] : [];
    for (const re of candidates) {
      if (!re) continue;
      re.lastIndex = this.pos;
      if (re.test(src)) {
        this.other("", re.lastIndex);
        return;
      }
    }
    this.text("<", 1);
  }

  private entity(): void {
    ENTITY.lastIndex = this.pos;
    const m = ENTITY.exec(this.src);
    if (m) {
      const e = m[0];
      let decoded: string | null = null;
      if (e[1] === "#") {
        const code = e[2] === "x" || e[2] === "X" ? parseInt(e.slice(3, -1), 16) : parseInt(e.slice(2, -1), 10);
        decoded = code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? "\ufffd" : String.fromCodePoint(code);
      } else {
        const d = decodeHTMLStrict(e);
        if (d !== e) decoded = d;
      }
      if (decoded !== null) {
        this.text(decoded, e.length);
        return;
      }
    }
    this.text("&", 1);
  }

  /** Resolves emphasis above `bottom` in the delimiter stack, removing the markers that pair up from the text. */
  private processEmphasis(bottom: Delimiter | null): void {
    const openersBottom: (Delimiter | null)[] = Array.from({ length: 18 }, () => bottom);
    let closer = this.delimiters;
    while (closer && closer.previous !== bottom) closer = closer.previous;
    while (closer) {
      if (!closer.canClose) {
        closer = closer.next;
        continue;
      }
      const bucket = (closer.char === "_" ? 0 : closer.char === "*" ? 6 : 12) + (closer.canOpen ? 3 : 0) + (closer.original % 3);
      let opener = closer.previous;
      let found = false;
      while (opener && opener !== bottom && opener !== openersBottom[bucket]) {
        const oddMatch = closer.char !== "~" && (closer.canOpen || opener.canClose) && closer.original % 3 !== 0 && (opener.original + closer.original) % 3 === 0;
        if (opener.char === closer.char && opener.canOpen && !oddMatch) {
          found = true;
          break;
        }
        opener = opener.previous;
      }
      const oldCloser = closer;
      if (found && opener && closer.char === "~") {
        // Strikethrough when the runs are as long as each other; either way both runs and what lies between
        // them leave the stack.
        if (opener.count === closer.count) this.parts[opener.part] = this.parts[closer.part] = "";
        const next = closer.next;
        opener.next = closer;
        closer.previous = opener;
        this.remove(closer);
        this.remove(opener);
        closer = next;
      } else if (found && opener) {
        const use = closer.count >= 2 && opener.count >= 2 ? 2 : 1;
        opener.count -= use;
        closer.count -= use;
        this.parts[opener.part] = this.parts[opener.part]!.slice(use);
        this.parts[closer.part] = this.parts[closer.part]!.slice(use);
        if (opener.next !== closer) {
          opener.next = closer;
          closer.previous = opener;
        }
        if (opener.count === 0) this.remove(opener);
        if (closer.count === 0) {
          const next = closer.next;
          this.remove(closer);
          closer = next;
        }
      } else {
        closer = closer.next;
        openersBottom[bucket] = oldCloser.previous;
        if (!oldCloser.canOpen) this.remove(oldCloser);
      }
    }
    while (this.delimiters && this.delimiters !== bottom) this.remove(this.delimiters);
  }

  private remove(d: Delimiter): void {
    if (d.previous) d.previous.next = d.next;
    if (d.next) d.next.previous = d.previous;
    else this.delimiters = d.previous;
  }
}

/** The code point ending just before `i` (a whole surrogate pair). */
function charBefore(s: string, i: number): string {
  const low = s.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = s.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return s.slice(i - 2, i);
  }
  return s[i - 1]!;
}

/** The code point starting at `i`. */
function charAt(s: string, i: number): string {
  return String.fromCodePoint(s.codePointAt(i)!);
}
