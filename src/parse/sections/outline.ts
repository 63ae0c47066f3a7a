// The outline: which heading is the title, which template section each heading is, and which headings are the
// components, entities and APIs of their collections (the rest is prose). One pass over the headings.
import type { Span } from "../../model/position.js";
import type { SourceSection } from "../../model/source.js";
import { boldLabel, isTableLine, normalizeName, plain } from "../inline.js";
import { COLLECTIONS, sectionNamed, stripNumbering, subSection, topKey } from "../section-keys.js";
import { hasText, span, type ParseContext } from "../context.js";
import type { Heading } from "../scan-lines.js";
import { API_HEADING, hasApiSignal } from "./apis.js";
import { COMPONENT_LABELS } from "./components.js";

/** The outline of a document: its title and every heading as a section. */
export interface Outline {
  /** The title heading's index in `sections`, or -1. */
  readonly titleIndex: number;
  /** The feature name the title gives; null when there is no title or it names no feature. */
  readonly title: string | null;
  /** Whether the title says the document is a technical specification. */
  readonly titleSaysSpec: boolean;
  readonly sections: SourceSection[];
}

// The words that make a heading a technical specification's title, and the forms around the feature name.
const SPEC_WORDS = String.raw`(?:technical\s+specification|tech(?:nical)?\s+spec|technical\s+design|(?:software\s+)?design\s+(?:document|doc)|engineering\s+spec(?:ification)?)(?:\s+(?:document|doc))?`;
const SPEC_ALONE = new RegExp(`^${SPEC_WORDS}$`, "i");
const SPEC_FIRST = new RegExp(`^${SPEC_WORDS}\\s*(?:[:|]|\\s[-–—]|[–—])\\s*(.+)$`, "i");
const SPEC_LAST = new RegExp(`^(.+?)\\s*(?:[:|]|[-–—]\\s|\\s[-–—]|[–—])?\\s*\\(?${SPEC_WORDS}\\)?$`, "i");

/** The feature name in a title heading, and whether the heading says it is a technical specification. */
export function readTitle(heading: string): { name: string | null; saysSpec: boolean } {
  const t = plain(heading).replace(/\s+/g, " ").trim();
  if (SPEC_ALONE.test(t.replace(/[\s:|\-–—]+$/, ""))) return { name: null, saysSpec: true };
  let m = SPEC_FIRST.exec(t);
  if (m) return { name: cleanName(m[1]!), saysSpec: true };
  m = SPEC_LAST.exec(t);
  if (m) return { name: cleanName(m[1]!), saysSpec: true };
  return { name: t === "" ? null : t, saysSpec: false };
}

function cleanName(s: string): string | null {
  const t = s.replace(/^[\s:|\-–—]+|[\s:|\-–—]+$/g, "").trim();
  return t === "" ? null : t;
}

/** Headings under Components that are about the components rather than one of them. */
const COMPONENT_PROSE = /^(?:components? )?(?:interactions?|interaction diagram|diagrams?|overview|summary|flow|data flow|sequence|sequence diagram|communication|topology|relationships?|dependencies|dependency graph|notes?|responsibilities)$/;

/** Where a heading inside a collection stands. */
type ItemKind = "item" | "prose";

/** Reads the headings into sections: keys, line ranges, nesting. */
export function readOutline(ctx: ParseContext): Outline {
  const { headings, lines } = ctx.scan;
  const nLines = lines.length;
  const titleIndex = findTitle(headings);
  const title = titleIndex >= 0 ? readTitle(headings[titleIndex]!.text) : { name: null, saysSpec: false };
  const sections: SourceSection[] = [];
  const ends: number[] = [];
  const open: number[] = []; // indexes of sections whose end is not known yet, by increasing level
  let top: string | null = null;
  let coll: { key: string; level: number } | null = null;
  let itemLevel = -1; // inside a component, entity or API: deeper headings belong to it
  let proseLevel = -1; // inside prose of a collection: deeper headings are items only on strong signals
  let overviewSeen = false;
  for (let i = 0; i < headings.length; i++) {
    const h = headings[i]!;
    const text = plain(h.text);
    const next = headings[i + 1];
    const bodyEnd = next ? next.line - 1 : nLines;
    let key: string | null = null;
    if (itemLevel > 0 && h.level <= itemLevel) itemLevel = -1;
    if (proseLevel > 0 && h.level <= proseLevel) proseLevel = -1;
    if (i === titleIndex) {
      key = "title";
    } else if (itemLevel > 0) {
      key = null; // a heading inside a component, entity or API
    } else {
      const named = sectionNamed(h.text);
      const t: string | undefined = h.level <= 2 || !coll || h.level <= coll.level ? named.top : undefined;
      const inside = coll !== null && h.level > coll.level;
      if (t !== undefined && !(t === "overview" && (overviewSeen || h.level > 2))) {
        key = t;
        top = t;
        coll = null;
        if (t === "overview") overviewSeen = true;
      } else {
        const sub = named.sub;
        const knownSub: typeof sub = sub && (sub.parent === top || sub.anywhere) ? sub : undefined;
        if (inside) {
          const kind = classify(ctx, coll!.key, h, text, bodyEnd, proseLevel > 0, knownSub !== undefined);
          if (kind === "item") {
            key = COLLECTIONS[coll!.key]!.item;
            itemLevel = h.level;
          } else if (knownSub) {
            // A known sub-section inside a collection (Security under API Design) keeps the collection open.
            key = knownSub.key;
            if (COLLECTIONS[knownSub.key]) coll = { key: knownSub.key, level: h.level };
          } else if (proseLevel < 0) proseLevel = h.level;
        } else if (knownSub) {
          key = knownSub.key;
          coll = COLLECTIONS[knownSub.key] ? { key: knownSub.key, level: h.level } : null;
        } else {
          // `Component 2: Cache` or `API 3: GET /x` outside its collection is still an item.
          const prefixed = Object.values(COLLECTIONS).find((c) => c.prefix.test(stripNumbering(text)));
          if (prefixed && top !== "openQuestions" && top !== "approval") {
            key = prefixed.item;
            itemLevel = h.level;
          } else if (coll && h.level <= coll.level) coll = null;
        }
      }
    }
    while (open.length && sections[open[open.length - 1]!]!.level >= h.level) ends[open.pop()!] = h.line - 1;
    const parent = open.length ? open[open.length - 1]! : -1;
    const headingSpan: Span = span(h.line, h.column, h.endColumn);
    sections.push({
      key, heading: text, level: h.level, line: h.line, span: headingSpan,
      bodyStart: h.line + 1, bodyEnd, end: nLines, parent, hasText: hasText(ctx, h.line + 1, bodyEnd),
    });
    open.push(sections.length - 1);
  }
  for (let k = 0; k < sections.length; k++) {
    const e = ends[k];
    if (e !== undefined) sections[k] = { ...sections[k]!, end: e };
  }
  return { titleIndex, title: title.name, titleSaysSpec: title.saysSpec, sections };
}

/** The title: the first heading that says it is a technical specification, else a first H1 that is not a section name. */
function findTitle(headings: readonly Heading[]): number {
  for (let i = 0; i < headings.length; i++) {
    const h = headings[i]!;
    if (h.level <= 2 && readTitle(h.text).saysSpec) return i;
  }
  const first = headings[0];
  return first && first.level === 1 && !topKey(first.text) && !subSection(first.text) ? 0 : -1;
}

/** Whether a heading inside a collection is one of its items or prose about them (a known section name is prose here). */
function classify(ctx: ParseContext, collection: string, h: Heading, text: string, bodyEnd: number, strongOnly: boolean, knownSection: boolean): ItemKind {
  const c = COLLECTIONS[collection]!;
  const name = stripNumbering(text);
  if (c.prefix.test(name)) return "item";
  switch (c.item) {
    case "api":
      if (API_HEADING.test(name)) return "item";
      return !strongOnly && hasApiSignal(ctx, h.line + 1, bodyEnd) ? "item" : "prose";
    case "entity":
      return hasTable(ctx, h.line + 1, bodyEnd) ? "item" : "prose";
    default:
      if (strongOnly || knownSection) return "prose";
      return COMPONENT_PROSE.test(normalizeName(name, false)) && !hasLabel(ctx, h.line + 1, bodyEnd, COMPONENT_LABELS) ? "prose" : "item";
  }
}

function hasTable(ctx: ParseContext, from: number, to: number): boolean {
  const { lines, inCode } = ctx.scan;
  for (let l = from; l <= to; l++) if (!inCode[l - 1] && isTableLine(lines[l - 1]!)) return true;
  return false;
}

function hasLabel(ctx: ParseContext, from: number, to: number, known: Readonly<Record<string, string>>): boolean {
  const { lines, inCode } = ctx.scan;
  for (let l = from; l <= to; l++) {
    if (inCode[l - 1]) continue;
    const b = boldLabel(lines[l - 1]!);
    if (b && known[normalizeName(b.label)]) return true;
  }
  return false;
}
