import type { Diagnostic } from "../model/diagnostic.js";
import type { PositionMap, Span } from "../model/position.js";
import type { CodeBlock, EntityTable, InlineLink, JsonExample, SourceSection, SpecSource } from "../model/source.js";
import type { Api, Approval, Component, Entity, ErrorResponse, Field, JsonValue, Link, Parameter, SectionRef, Spec } from "../model/spec.js";
import { boldLabel, findLinks, findSeparator, isDelimiterRow, splitParenSuffix, isTableLine, listItem, normalizeName, plain, splitRow, stripBreak } from "./inline.js";
import { normalizeDecision, parseDecision, normalizeStatus } from "./normalize.js";
import { locateJsonError, parseJson } from "./parse-json.js";
import { scanLines, type Heading, type LineScan } from "./scan-lines.js";
import { COLLECTIONS, itemName, stripNumbering, subSection, topKey } from "./section-keys.js";

/** What `parseSpec` returns: the model, positions of its values, what the parser saw, and parse diagnostics. */
export interface ParseResult {
  readonly spec: Spec;
  readonly pos: PositionMap;
  readonly source: SpecSource;
  readonly diagnostics: readonly Diagnostic[];
}

/** Message for a Markdown file that is not a technical specification. */
export const NOT_A_SPEC = 'not a technical specification: no "# Technical Specification:" title or Overview metadata';

/** Parses Markdown text into the spec model. Never throws; time is linear in the input. */
export function parseSpec(text: string, path = ""): ParseResult {
  try {
    return new Reader(String(text), path).read();
  } catch (err) {
    // A parser defect must not take lint down: report it as a diagnostic on an empty model.
    const empty = new Reader("", path).read();
    return {
      ...empty,
      diagnostics: [diag(path, 1, 1, 1, 1, "error", `internal parser error: ${(err as Error).message} (please report this file)`)],
    };
  }
}

function diag(file: string, line: number, column: number, endLine: number, endColumn: number,
  severity: "error" | "warning", message: string): Diagnostic {
  return { file, line, column, endLine, endColumn, rule: "parse", severity, message };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

const METADATA_LABELS: Record<string, keyof Spec["metadata"]> = {
  "feature id": "featureId", id: "featureId", "feature": "featureId", "spec id": "featureId", "document id": "featureId",
  author: "author", authors: "author", owner: "author", "author and role": "author",
  "created date": "createdDate", created: "createdDate", "date created": "createdDate", "creation date": "createdDate", date: "createdDate",
  "last updated": "lastUpdated", updated: "lastUpdated", "last modified": "lastUpdated", "updated date": "lastUpdated", "last update": "lastUpdated",
  status: "status", state: "status",
};

const COMPONENT_LABELS: Record<string, "purpose" | "responsibilities" | "interfaces" | "dependencies"> = {
  purpose: "purpose", description: "purpose", role: "purpose",
  responsibilities: "responsibilities", responsibility: "responsibilities",
  interfaces: "interfaces", interface: "interfaces", exposes: "interfaces", apis: "interfaces",
  dependencies: "dependencies", dependency: "dependencies", "depends on": "dependencies", uses: "dependencies",
};

type ApiLabel = "endpoint" | "method" | "parameters" | "requestBody" | "response" | "errors";
const API_LABELS: Record<string, ApiLabel> = {
  endpoint: "endpoint", url: "endpoint", path: "endpoint", route: "endpoint", "endpoint url": "endpoint", uri: "endpoint",
  method: "method", "http method": "method", verb: "method",
  "request parameters": "parameters", parameters: "parameters", params: "parameters", "query parameters": "parameters",
  "path parameters": "parameters", "request params": "parameters", "parameters and headers": "parameters",
  "request body": "requestBody", request: "requestBody", body: "requestBody", "request payload": "requestBody", payload: "requestBody",
  response: "response", "response body": "response", "success response": "response", responses: "response", "response example": "response",
  "error responses": "errors", errors: "errors", "error codes": "errors", "error response": "errors", "error handling": "errors",
};

const NONE = /^(?:none\.?|n\/a|-|—|nothing|no dependencies\.?|no parameters\.?|no open questions\.?)$/i;
const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const HTTP_PREFIX = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE|CONNECT|QUERY)\s+(\S.*)$/i;

class Reader {
  private readonly scan: LineScan;
  private readonly pos = new Map<string, Span>();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly sections: SourceSection[] = [];
  private readonly refs: SectionRef[] = [];
  private readonly blockAt = new Map<number, CodeBlock>();
  private readonly jsonExamples: JsonExample[] = [];
  private readonly entityTables: EntityTable[] = [];
  private readonly rawDecisions: string[] = [];
  private rawStatus: string | null = null;
  private definitions = new Map<string, string>();
  private readonly spec: Mutable<Spec>;
  private readonly meta: Mutable<Spec["metadata"]> = { featureId: null, author: null, createdDate: null, lastUpdated: null, status: null };
  private readonly arch = { overview: null as string | null, systemContext: null as string | null, components: [] as Component[] };
  private readonly data = { overview: null as string | null, entities: [] as Entity[] };
  private readonly impl = { overview: null as string | null, algorithms: null as string | null, libraries: [] as string[],
    configuration: null as string | null, security: null as string | null, performance: null as string | null, scalability: null as string | null };
  private readonly test = { overview: null as string | null, unit: null as string | null, integration: null as string | null, endToEnd: null as string | null };
  private readonly deploy = { overview: null as string | null, dependencies: [] as string[], migration: null as string | null, rollback: null as string | null };

  constructor(private readonly text: string, private readonly path: string) {
    this.scan = scanLines(text);
    for (const b of this.scan.codeBlocks) this.blockAt.set(b.line, b);
    this.spec = {
      path, title: null, metadata: this.meta, introduction: null, relatedDocuments: [],
      architecture: this.arch, dataModel: this.data, apis: [], implementation: this.impl, testing: this.test,
      deployment: this.deploy, openQuestions: [], references: [], approvals: [], sections: this.refs,
    };
  }

  read(): ParseResult {
    const { lines, headings } = this.scan;
    const titleIndex = this.findTitle(headings);
    this.buildSections(headings, titleIndex);
    // Metadata sits under Overview, or directly under the title when there is no Overview heading.
    const overview = this.sections.find((s) => s.key === "overview");
    const metaHost = overview ?? this.sections.find((s) => s.key === "title");
    if (metaHost) this.readMetadata(metaHost.bodyStart, metaHost.bodyEnd);
    else if (headings.length === 0 || headings[0]!.line > 1) this.readMetadata(1, headings.length ? headings[0]!.line - 1 : lines.length);
    const { links, labels, definitions } = this.collectLinks();
    this.definitions = new Map(definitions.map((d) => [d.text.toLowerCase(), d.href]));
    for (let i = 0; i < this.sections.length; i++) this.readSection(i);
    const isSpec = titleIndex >= 0 && /^\s*technical\s+specification\b/i.test(headings[titleIndex]!.text)
      || this.meta.featureId !== null || this.meta.status !== null;
    if (!isSpec) this.diagnostics.push(diag(this.path, 1, 1, 1, 1, "error", NOT_A_SPEC));
    for (const b of this.scan.codeBlocks) {
      if (!b.closed) {
        const l = lines[b.line - 1]!;
        this.diagnostics.push(diag(this.path, b.line, 1, b.line, l.length + 1, "warning",
          "code fence is never closed: everything after it is read as code (close it with a matching fence line)"));
      }
    }
    const source: SpecSource = {
      text: this.text, lines, lineStarts: this.scan.lineStarts, inCode: this.scan.inCode,
      sections: this.sections, codeBlocks: this.scan.codeBlocks, links, linkLabels: labels, linkDefinitions: definitions,
      entityTables: this.entityTables, jsonExamples: this.jsonExamples, rawDecisions: this.rawDecisions,
      rawStatus: this.rawStatus, isSpec,
    };
    return { spec: this.spec, pos: this.pos, source, diagnostics: this.diagnostics };
  }

  private findTitle(headings: readonly Heading[]): number {
    for (let i = 0; i < headings.length; i++) {
      const h = headings[i]!;
      if (/^\s*technical\s+specification\b/i.test(plain(h.text))) return i;
    }
    const first = headings[0];
    return first && first.level === 1 && !topKey(first.text) ? 0 : -1;
  }

  private buildSections(headings: readonly Heading[], titleIndex: number): void {
    const nLines = this.scan.lines.length;
    let top: string | null = null;
    let coll: { key: string; level: number } | null = null;
    let itemLevel = -1;
    let overviewSeen = false;
    const stack: number[] = [];
    for (let i = 0; i < headings.length; i++) {
      const h = headings[i]!;
      let key: string | null = null;
      if (i === titleIndex) {
        key = "title";
        const t = plain(h.text);
        const m = /^\s*technical\s+specification\s*(?:[:\-–—|]\s*)?(.*)$/i.exec(t);
        this.spec.title = m ? m[1]!.trim() : t;
        this.pos.set("title", span(h.line, h.column, h.endColumn));
      } else if (itemLevel > 0 && h.level > itemLevel) {
        key = null; // a heading inside a component, entity or API
      } else {
        itemLevel = -1;
        // Item headings are the bulk of headings; only look a name up when it can matter.
        const t = h.level <= 2 || !coll || h.level <= coll.level ? topKey(h.text) : undefined;
        const known = t !== undefined || (coll !== null && h.level > coll.level && isKnownSub(h.text, top) && !COLLECTIONS[coll.key]!.prefix.test(stripNumbering(plain(h.text))));
        if (coll && h.level > coll.level && !(t && h.level <= 2) && !known) {
          key = COLLECTIONS[coll.key]!.item;
          itemLevel = h.level;
        } else if (t && !(t === "overview" && (overviewSeen || h.level > 2))) {
          key = t;
          top = t;
          coll = null;
          if (t === "overview") overviewSeen = true;
        } else {
          const sub = subSection(h.text);
          if (sub && (sub.parent === top || sub.anywhere)) {
            key = sub.key;
            coll = COLLECTIONS[sub.key] ? { key: sub.key, level: h.level } : null;
          } else if (coll && COLLECTIONS[coll.key]!.prefix.test(stripNumbering(plain(h.text)))) {
            key = COLLECTIONS[coll.key]!.item;
            itemLevel = h.level;
          } else if (coll && h.level <= coll.level) {
            coll = null;
          }
        }
      }
      while (stack.length && this.sections[stack[stack.length - 1]!]!.level >= h.level) stack.pop();
      const parent = stack.length ? stack[stack.length - 1]! : -1;
      const next = headings[i + 1];
      let end = nLines;
      for (let j = i + 1; j < headings.length; j++) {
        if (headings[j]!.level <= h.level) {
          end = headings[j]!.line - 1;
          break;
        }
      }
      const bodyStart = h.line + 1;
      const bodyEnd = next ? next.line - 1 : nLines;
      this.sections.push({
        key, heading: plain(h.text), level: h.level, line: h.line, span: span(h.line, h.column, h.endColumn),
        bodyStart, bodyEnd, end, parent, hasText: this.hasText(bodyStart, bodyEnd),
      });
      stack.push(this.sections.length - 1);
    }
  }

  private hasText(from: number, to: number): boolean {
    const { lines, inCode } = this.scan;
    for (let l = from; l <= to; l++) {
      if (inCode[l - 1] === 2) continue;
      const s = lines[l - 1]!;
      if (s.trim() !== "" && !THEMATIC_BREAK.test(s)) return true;
    }
    return false;
  }

  /** The own body of a section as text: comments and rules dropped, hard breaks removed, trimmed. */
  private textOf(from: number, to: number): string {
    const { lines, inCode } = this.scan;
    const out: string[] = [];
    for (let l = from; l <= to; l++) {
      if (inCode[l - 1] === 2) continue;
      const s = lines[l - 1]!;
      if (inCode[l - 1] === 0 && THEMATIC_BREAK.test(s)) continue;
      out.push(inCode[l - 1] === 1 ? s : stripBreak(s));
    }
    while (out.length && out[0]!.trim() === "") out.shift();
    while (out.length && out[out.length - 1]!.trim() === "") out.pop();
    return out.join("\n");
  }

  private readSection(index: number): void {
    const s = this.sections[index]!;
    const text = (): string => this.textOf(s.bodyStart, s.bodyEnd);
    const at = (path: string): void => {
      this.pos.set(path, s.span);
    };
    // Sections whose prose has no field of its own keep it in `content`, so nothing is dropped.
    const keep = s.key === null || s.key === "appendix" || s.key === "architecture.components" || s.key === "apiDesign";
    const content = keep ? text() : "";
    this.refs.push(keep && (s.key === null || content !== "")
      ? { heading: s.heading, level: s.level, line: s.line, key: s.key, content }
      : { heading: s.heading, level: s.level, line: s.line, key: s.key });
    switch (s.key) {
      case "introduction": this.spec.introduction = text(); at("introduction"); break;
      case "relatedDocuments": at("relatedDocuments"); this.spec.relatedDocuments = this.readLinks(s, "relatedDocuments"); break;
      case "architecture": this.arch.overview = text(); at("architecture"); break;
      case "architecture.systemContext": this.arch.systemContext = text(); at("architecture/systemContext"); break;
      case "architecture.components": at("architecture/components"); break;
      case "component": this.readComponent(s); break;
      case "dataModel": this.data.overview = text(); at("dataModel"); break;
      case "entity": this.readEntity(s); break;
      case "apiDesign": at("apis"); break;
      case "api": this.readApi(s); break;
      case "implementation": this.impl.overview = text(); at("implementation"); break;
      case "implementation.algorithms": this.impl.algorithms = text(); at("implementation/algorithms"); break;
      case "implementation.libraries": at("implementation/libraries"); this.impl.libraries = this.readStrings(s, "implementation/libraries"); break;
      case "implementation.configuration": this.impl.configuration = text(); at("implementation/configuration"); break;
      case "implementation.security": this.impl.security = text(); at("implementation/security"); break;
      case "implementation.performance": this.impl.performance = text(); at("implementation/performance"); break;
      case "implementation.scalability": this.impl.scalability = text(); at("implementation/scalability"); break;
      case "testing": this.test.overview = text(); at("testing"); break;
      case "testing.unit": this.test.unit = text(); at("testing/unit"); break;
      case "testing.integration": this.test.integration = text(); at("testing/integration"); break;
      case "testing.endToEnd": this.test.endToEnd = text(); at("testing/endToEnd"); break;
      case "deployment": this.deploy.overview = text(); at("deployment"); break;
      case "deployment.dependencies": at("deployment/dependencies"); this.deploy.dependencies = this.readStrings(s, "deployment/dependencies"); break;
      case "deployment.migration": this.deploy.migration = text(); at("deployment/migration"); break;
      case "deployment.rollback": this.deploy.rollback = text(); at("deployment/rollback"); break;
      case "openQuestions": at("openQuestions"); this.spec.openQuestions = this.readStrings(s, "openQuestions"); break;
      case "appendix.references": at("references"); this.spec.references = this.readLinks(s, "references"); break;
      case "approval": at("approvals"); this.readApprovals(s); break;
      default: break;
    }
  }

  private readMetadata(from: number, to: number): void {
    const { lines, inCode } = this.scan;
    for (let l = from; l <= to; l++) {
      if (inCode[l - 1]) continue;
      const line = lines[l - 1]!;
      let label: string | undefined;
      let value = "";
      let column = 0;
      let rawEnd = -1;
      const b = boldLabel(line);
      if (b) {
        label = b.label;
        value = b.value;
        column = b.valueColumn;
      } else if (isTableLine(line)) {
        const row = splitRow(line);
        if (row.cells.length >= 2) {
          const cell = row.cells[1]!;
          label = row.cells[0]!.text.replace(/[*_`]/g, "");
          value = cell.text;
          column = cell.column;
          rawEnd = cell.endColumn; // the cell as written, escapes included
        }
      } else {
        const m = /^\s*(?:[-*+]\s+)?([A-Za-z][A-Za-z ]{1,20}):\s*(.*)$/.exec(line);
        if (m) {
          label = m[1]!;
          value = m[2]!;
          column = line.length - value.length + 1;
        }
      }
      if (label === undefined) continue;
      const field = METADATA_LABELS[normalizeName(label)];
      if (!field || this.meta[field] !== null) continue;
      const raw = stripBreak(value).trim();
      const v = plain(raw);
      const vCol = column + Math.max(0, raw.indexOf(v.charAt(0)));
      this.pos.set(`metadata/${field}`, span(l, vCol, rawEnd > 0 && v === raw.replace(/\\\|/g, "|") ? rawEnd : vCol + v.length));
      if (field === "status") {
        this.rawStatus = v;
        this.meta.status = normalizeStatus(v);
      } else {
        this.meta[field] = v;
      }
    }
  }

  /** Top-level list items of a section's own body, with continuation lines joined. */
  private listItems(s: SourceSection): { text: string; raw: string; line: number; column: number; endColumn: number }[] {
    const { lines, inCode } = this.scan;
    const items: { text: string; raw: string; line: number; column: number; endColumn: number }[] = [];
    let base = -1;
    for (let l = s.bodyStart; l <= s.bodyEnd; l++) {
      if (inCode[l - 1]) continue;
      const line = lines[l - 1]!;
      const li = listItem(line);
      if (li && (base < 0 || li.indent <= base + 1)) {
        if (base < 0) base = li.indent;
        const raw = stripBreak(li.content);
        items.push({ text: plain(raw), raw, line: l, column: li.contentColumn, endColumn: li.contentColumn + raw.length });
      } else if (items.length && line.trim() !== "" && (li || /^\s/.test(line))) {
        const last = items[items.length - 1]!;
        const more = plain(li ? li.content : line);
        last.text = `${last.text}${li ? "; " : " "}${more}`;
      }
    }
    return items;
  }

  private readStrings(s: SourceSection, path: string): string[] {
    const items = this.listItems(s);
    const out: string[] = [];
    if (items.length === 0) {
      // Paragraphs stand for items when the author wrote no list; "None." means an empty list.
      const { lines, inCode } = this.scan;
      let para: string[] = [];
      let first = 0;
      const flush = (): void => {
        const text = plain(para.join(" "));
        if (para.length && !NONE.test(text)) {
          this.pos.set(`${path}/${out.length}`, span(first, 1, lines[first - 1]!.length + 1));
          out.push(text);
        }
        para = [];
      };
      for (let l = s.bodyStart; l <= s.bodyEnd; l++) {
        const line = lines[l - 1]!;
        if (inCode[l - 1] === 2 || THEMATIC_BREAK.test(line) || line.trim() === "") {
          flush();
          continue;
        }
        if (para.length === 0) first = l;
        para.push(stripBreak(line).trim());
      }
      flush();
      return out;
    }
    for (const it of items) {
      if (NONE.test(it.text)) continue;
      this.pos.set(`${path}/${out.length}`, span(it.line, it.column, it.endColumn));
      out.push(it.text);
    }
    return out;
  }

  private readLinks(s: SourceSection, path: string): Link[] {
    const out: Link[] = [];
    for (const it of this.listItems(s)) {
      if (NONE.test(it.text)) continue;
      const link = findLinks(it.raw)[0];
      this.pos.set(`${path}/${out.length}`, span(it.line, it.column, it.endColumn));
      if (link) {
        out.push({ title: plain(link.text), href: link.href });
        continue;
      }
      // A reference-style link: [text][label], [label][] or [label] with a definition.
      const ref = referenceLink(it.raw);
      const href = ref ? this.definitions.get(ref.label.toLowerCase()) : undefined;
      out.push(ref && href !== undefined ? { title: plain(ref.text), href } : { title: it.text, href: null });
    }
    if (out.length === 0) {
      // Links written as paragraphs rather than a list.
      const { lines, inCode } = this.scan;
      for (let l = s.bodyStart; l <= s.bodyEnd; l++) {
        if (inCode[l - 1]) continue;
        for (const k of findLinks(lines[l - 1]!)) {
          this.pos.set(`${path}/${out.length}`, span(l, k.column, k.endColumn));
          out.push({ title: plain(k.text), href: k.href });
        }
      }
    }
    return out;
  }

  private readComponent(s: SourceSection): void {
    const index = this.arch.components.length;
    const base = `architecture/components/${index}`;
    this.pos.set(base, s.span);
    this.pos.set(`${base}/name`, s.span);
    const values: Record<string, string[]> = {};
    const depItems: { text: string; line: number; column: number }[] = [];
    const { lines, inCode } = this.scan;
    let current: string | null = null;
    let labelIndent = -1;
    for (let l = s.bodyStart; l <= s.bodyEnd; l++) {
      if (inCode[l - 1]) continue;
      const line = lines[l - 1]!;
      const b = boldLabel(line) ?? plainLabel(line, COMPONENT_LABELS);
      const field = b ? COMPONENT_LABELS[normalizeName(b.label)] : undefined;
      if (b && field) {
        current = field;
        labelIndent = line.length - line.trimStart().length;
        const raw = stripBreak(b.value);
        values[field] = raw.trim() ? [plain(raw)] : [];
        this.pos.set(`${base}/${field}`, span(l, b.valueColumn, b.valueColumn + raw.length));
        if (field === "dependencies") depItems.push(...splitDependencies(raw, l, b.valueColumn));
        continue;
      }
      if (current === null || line.trim() === "") continue;
      const li = listItem(line);
      const indent = line.length - line.trimStart().length;
      if (li && indent <= labelIndent) {
        current = null; // a sibling bullet that is not one of ours
        continue;
      }
      const content = plain(li ? li.content : line);
      values[current]!.push(content);
      if (current === "dependencies" && li) depItems.push(...splitDependencies(stripBreak(li.content), l, li.contentColumn));
    }
    const join = (k: string): string | null => (values[k] ? values[k]!.join("\n") : null);
    const deps: string[] = [];
    for (const d of depItems) {
      this.pos.set(`${base}/dependencies/${deps.length}`, span(d.line, d.column, d.column + d.text.length));
      deps.push(d.text);
    }
    this.arch.components.push({
      name: itemName(s.heading),
      purpose: join("purpose"),
      responsibilities: join("responsibilities"),
      interfaces: join("interfaces"),
      dependencies: deps,
    });
  }

  private readEntity(s: SourceSection): void {
    const index = this.data.entities.length;
    const base = `dataModel/entities/${index}`;
    this.pos.set(base, s.span);
    this.pos.set(`${base}/name`, s.span);
    const { lines, inCode } = this.scan;
    let l = s.bodyStart;
    while (l <= s.bodyEnd && (inCode[l - 1] || !isTableLine(lines[l - 1]!))) l++;
    const fields: Field[] = [];
    const columns = { name: -1, type: -1, description: -1, constraints: -1, required: -1 };
    if (l > s.bodyEnd) {
      this.entityTables.push({ entity: index, table: null, columns });
      this.data.entities.push({ name: itemName(s.heading), fields });
      return;
    }
    const rows = [];
    for (; l <= s.bodyEnd && !inCode[l - 1] && isTableLine(lines[l - 1]!); l++) {
      const r = splitRow(lines[l - 1]!);
      rows.push({ line: l, cells: r.cells, endColumn: r.endColumn });
    }
    const header = rows[0]!;
    const delimiter = rows[1] && isDelimiterRow(rows[1].cells) ? rows[1] : null;
    const body = rows.slice(delimiter ? 2 : 1);
    const roleOf = new Map<number, keyof typeof columns>();
    const names = header.cells.map((c) => normalizeName(plain(c.text)));
    for (const [role, choices] of COLUMN_NAMES) {
      for (const choice of choices) {
        const k = names.findIndex((n, i) => !roleOf.has(i) && choice.test(n));
        if (k >= 0) {
          columns[role] = k;
          roleOf.set(k, role);
          break;
        }
      }
    }
    // A header with no column name techspec knows is read by position, as the template orders it.
    const known = roleOf.size > 0;
    const col = {
      name: columns.name >= 0 ? columns.name : !roleOf.has(0) ? 0 : -1,
      type: columns.type >= 0 ? columns.type : !roleOf.has(1) ? 1 : -1,
      description: columns.description >= 0 ? columns.description : known ? -1 : 2,
      constraints: columns.constraints >= 0 ? columns.constraints : known ? -1 : 3,
      required: columns.required,
    };
    const used = new Set(Object.values(col).filter((k) => k >= 0));
    const extraCols = header.cells.map((c, k) => ({ k, name: plain(c.text) || `Column ${k + 1}` })).filter((c) => !used.has(c.k));
    for (const r of body) {
      const f = fields.length;
      const cell = (k: number): string => (k < 0 ? "" : plain(r.cells[k]?.text ?? ""));
      // Cell spans stay in `source.entityTables`; the row span is enough for the model.
      this.pos.set(`${base}/fields/${f}`, span(r.line, 1, r.endColumn));
      const extra: Record<string, string> = {};
      for (const c of extraCols) if (r.cells[c.k] !== undefined) extra[c.name] = cell(c.k);
      fields.push({
        name: cell(col.name), type: cell(col.type), description: cell(col.description), constraints: cell(col.constraints),
        required: col.required >= 0 ? cell(col.required) : null, extra,
      });
    }
    this.entityTables.push({ entity: index, table: { header, delimiter, rows: body }, columns });
    this.data.entities.push({ name: itemName(s.heading), fields });
  }

  private readApi(s: SourceSection): void {
    const index = this.spec.apis.length;
    const base = `apis/${index}`;
    this.pos.set(base, s.span);
    this.pos.set(`${base}/name`, s.span);
    const { lines, inCode } = this.scan;
    let endpoint: string | null = null;
    let method: string | null = null;
    const parameters: Parameter[] = [];
    const errors: ErrorResponse[] = [];
    let requestBody: JsonValue | null = null;
    let response: JsonValue | null = null;
    let current: ApiLabel | null = null;
    let labelIndent = -1;
    const filled = new Set<ApiLabel>(); // a label takes the first code block after it
    for (let l = s.bodyStart; l <= s.bodyEnd; l++) {
      const line = lines[l - 1]!;
      if (inCode[l - 1] === 1) {
        const block = this.blockAt.get(l);
        if (block && (current === "requestBody" || current === "response")) {
          const path = `${base}/${current}`;
          if (!filled.has(current)) {
            filled.add(current);
            this.pos.set(path, span(block.line, 1, (lines[block.endLine - 1] ?? "").length + 1, block.endLine));
            const value = isJsonLike(block) ? this.readJson(block, path) : null;
            if (current === "requestBody") requestBody = value;
            else response = value;
          }
        }
        continue;
      }
      if (inCode[l - 1] || line.trim() === "") continue;
      const b = boldLabel(line) ?? plainLabel(line, API_LABELS);
      const label = b ? (API_LABELS[normalizeName(b.label)] ?? (/^responses?\b/.test(normalizeName(b.label)) ? "response" : undefined)) : undefined;
      if (b && label) {
        current = label;
        labelIndent = line.length - line.trimStart().length;
        const raw = stripBreak(b.value);
        const v = plain(raw);
        const vCol = b.valueColumn + Math.max(0, raw.indexOf(v.charAt(0)));
        if (label === "endpoint" && v) {
          const m = HTTP_PREFIX.exec(v);
          const ep = m ? m[2]!.trim() : v;
          const epCol = m ? b.valueColumn + Math.max(0, raw.indexOf(m[2]!.charAt(0), raw.search(/\s/))) : vCol;
          endpoint = ep;
          this.pos.set(`${base}/endpoint`, span(l, epCol, epCol + ep.length));
          if (m && method === null) {
            method = m[1]!;
            this.pos.set(`${base}/method`, span(l, vCol, vCol + m[1]!.length));
          }
        } else if (label === "method" && v) {
          method = v;
          this.pos.set(`${base}/method`, span(l, vCol, vCol + v.length));
        } else if (label === "requestBody" || label === "response") {
          this.pos.set(`${base}/${label}`, span(l, b.labelColumn, line.length + 1));
        } else if (label === "parameters" || label === "errors") {
          this.pos.set(`${base}/${label}`, span(l, b.labelColumn, line.length + 1));
        }
        continue;
      }
      const li = listItem(line);
      if (!li) continue;
      if (li.indent <= labelIndent) {
        current = null;
        continue;
      }
      const raw = stripBreak(li.content);
      const t = plain(raw);
      if (NONE.test(t)) continue;
      if (current === "parameters") {
        this.pos.set(`${base}/parameters/${parameters.length}`, span(l, li.contentColumn, li.contentColumn + raw.length));
        parameters.push(parseParameter(t));
      } else if (current === "errors") {
        this.pos.set(`${base}/errors/${errors.length}`, span(l, li.contentColumn, li.contentColumn + raw.length));
        errors.push(parseError(t));
      }
    }
    this.spec.apis.push({ name: itemName(s.heading), endpoint, method, parameters, requestBody, response, errors } satisfies Api);
  }

  private readJson(block: CodeBlock, path: string): JsonValue | null {
    // The content as written (a flat slice of the source, indentation and all) parses faster than the
    // joined text, and error positions are then exact source columns.
    const r = parseJson(this.text.slice(block.contentStart, block.contentEnd));
    if (r.ok) {
      this.jsonExamples.push({ path, block, error: null });
      return r.value;
    }
    const { line, column, endColumn } = locateJsonError(r, block, this.scan.lines);
    this.jsonExamples.push({ path, block, error: { message: r.message, line, column } });
    // The model holds null; the diagnostic says why. It carries the json-block rule's id, so configuring
    // that rule (severity, off) governs it too.
    const m = /^apis\/(\d+)\/(requestBody|response)$/.exec(path);
    const what = m ? `the ${m[2] === "requestBody" ? "request body" : "response"} of API ${Number(m[1]) + 1}` : path;
    this.diagnostics.push({ file: this.path, line, column, endLine: line, endColumn, rule: "json-block", severity: "error",
      message: `Invalid JSON in ${what}: ${r.message} at line ${line}, column ${column}` });
    return null;
  }

  private readApprovals(s: SourceSection): void {
    const { lines, inCode } = this.scan;
    const approvals: Approval[] = [];
    let tableCols: { role: number; name: number; decision: number } | null = null;
    for (let l = s.bodyStart; l <= s.bodyEnd; l++) {
      if (inCode[l - 1]) continue;
      const line = lines[l - 1]!;
      let role: string | undefined;
      let rest = "";
      let restCol = 0;
      let name: string | undefined;
      let decision = "";
      let decisionCol = 0;
      if (isTableLine(line)) {
        const row = splitRow(line);
        if (isDelimiterRow(row.cells)) continue;
        const norm = row.cells.map((c) => normalizeName(c.text));
        if (!tableCols && norm.includes("role")) {
          tableCols = {
            role: norm.indexOf("role"),
            name: norm.findIndex((n) => n === "name" || n === "approver"),
            decision: norm.findIndex((n) => n === "decision" || n === "status" || n === "approval"),
          };
          continue;
        }
        const cols = tableCols ?? { role: 0, name: 1, decision: 2 };
        const rc = row.cells[cols.role];
        if (!rc) continue;
        role = plain(rc.text);
        name = plain(row.cells[cols.name]?.text ?? "");
        const dc = row.cells[cols.decision];
        decision = plain(dc?.text ?? "");
        decisionCol = dc?.column ?? rc.column;
      } else {
        const b = boldLabel(line);
        if (!b) continue;
        role = b.label;
        rest = stripBreak(b.value);
        restCol = b.valueColumn;
        // "Name - Decision", "Name (Decision)", or a decision alone.
        const dash = findSeparator(rest, "-–—", true);
        const paren = splitParenSuffix(rest);
        if (dash) {
          name = plain(rest.slice(0, dash.start));
          decision = plain(rest.slice(dash.end));
          decisionCol = restCol + dash.end;
        } else if (paren.note !== null) {
          name = plain(paren.head);
          decision = plain(paren.note);
          decisionCol = restCol + paren.noteStart + 1;
        } else if (normalizeDecision(plain(rest)) !== plain(rest) || /^(approved|pending|rejected)$/i.test(plain(rest))) {
          name = "";
          decision = plain(rest);
          decisionCol = restCol;
        } else {
          name = plain(rest);
          decision = "";
          decisionCol = restCol + rest.length;
        }
      }
      const i = approvals.length;
      this.pos.set(`approvals/${i}`, span(l, 1, line.length + 1));
      this.pos.set(`approvals/${i}/decision`, span(l, decisionCol, decisionCol + Math.max(decision.length, 0)));
      this.rawDecisions.push(decision);
      approvals.push({ role: plain(role), name: name ?? "", ...parseDecision(decision) });
    }
    this.spec.approvals = approvals;
  }

  /** Inline links and link reference labels, in one pass over the non-code lines. */
  private collectLinks(): { links: InlineLink[]; labels: Set<string>; definitions: InlineLink[] } {
    const { lines, inCode } = this.scan;
    const links: InlineLink[] = [];
    const labels = new Set<string>();
    const definitions: InlineLink[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (inCode[i]) continue;
      const line = lines[i]!;
      if (line.indexOf("]") < 0) continue;
      if (line.indexOf("](") >= 0) {
        for (const k of findLinks(line)) {
          links.push({ text: k.text, href: k.href, line: i + 1, column: k.column, endColumn: k.endColumn, hrefColumn: k.hrefColumn });
        }
      }
      if (line.indexOf("]:") >= 0) {
        const m = /^(\s{0,3}\[([^\]^][^\]]*)\]:\s*)<?([^\s>]+)/.exec(line); // not footnotes ([^1]:)
        if (m) {
          labels.add(m[2]!.toLowerCase());
          const hrefColumn = line.indexOf(m[3]!, m[1]!.length) + 1;
          definitions.push({ text: m[2]!, href: m[3]!, line: i + 1, column: 1, endColumn: line.length + 1, hrefColumn });
        }
      }
    }
    return { links, labels, definitions };
  }
}

/** Header names of an entity table's columns, by role; within a role, earlier patterns win (Constraints over Notes). */
const COLUMN_NAMES: readonly (readonly ["name" | "type" | "description" | "constraints" | "required", readonly RegExp[]])[] = [
  ["name", [/^(?:field|fields|field name|name|column|column name|attribute|property|property name)$/]],
  ["type", [/^(?:type|data type|datatype|sql type|column type|field type)$/]],
  ["required", [/^(?:required|mandatory|req|required\?)$/]],
  ["constraints", [/^(?:constraints?|validation|validations|validation rules)$/, /^(?:rules|notes|note|modifiers|attributes)$/]],
  ["description", [/^(?:description|desc|meaning|purpose|details|definition)$/, /^(?:comments?|remarks?)$/]],
];

/** A block read as a JSON example: marked json/jsonc, or unmarked and starting like JSON. */
function isJsonLike(block: CodeBlock): boolean {
  if (block.lang === "json" || block.lang === "jsonc" || block.lang === "json5") return true;
  if (block.lang !== "") return false;
  const t = block.text.trimStart();
  return t.startsWith("{") || t.startsWith("[") || t === "";
}

/** The first `[text][label]`, `[label][]` or `[label]` of a line; linear time. */
function referenceLink(raw: string): { text: string; label: string } | null {
  const open = raw.indexOf("[");
  if (open < 0) return null;
  const close = raw.indexOf("]", open + 1);
  if (close < 0) return null;
  const text = raw.slice(raw.lastIndexOf("[", close) , close).slice(1);
  if (text === "") return null;
  if (raw[close + 1] === "[") {
    const end = raw.indexOf("]", close + 2);
    const label = end < 0 ? "" : raw.slice(close + 2, end);
    return { text, label: label || text };
  }
  return { text, label: text };
}

/** True when a heading names a template sub-section that is recognized under `top`. */
function isKnownSub(heading: string, top: string | null): boolean {
  const sub = subSection(heading);
  return sub !== undefined && (sub.parent === top || sub.anywhere === true);
}


function span(line: number, column: number, endColumn: number, endLine = line): Span {
  return { line, column, endLine, endColumn };
}

/** `- Purpose: text` without bold, when the label is a known one. */
function plainLabel(line: string, known: Record<string, string>): { label: string; value: string; valueColumn: number; labelColumn: number } | null {
  const m = /^(\s*[-*+]\s+)([A-Za-z][A-Za-z ]{1,30}?)\s*:\s*(.*)$/.exec(line);
  if (!m || !known[normalizeName(m[2]!)]) return null;
  return { label: m[2]!, value: m[3]!, valueColumn: line.length - m[3]!.length + 1, labelColumn: m[1]!.length + 1 };
}

/** Splits "A, B (why); C - note" into dependency names with their columns. */
function splitDependencies(raw: string, line: number, column: number): { text: string; line: number; column: number }[] {
  const out: { text: string; line: number; column: number }[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i <= raw.length; i++) {
    const ch = raw[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    if (i === raw.length || (depth === 0 && (ch === "," || ch === ";"))) {
      const part = raw.slice(start, i);
      let name = splitParenSuffix(plain(part)).head;
      const sep = findSeparator(name, "-–—:");
      if (sep) name = name.slice(0, sep.start);
      name = name.replace(/\.$/, "").trim();
      if (name && !NONE.test(name)) {
        const at = part.indexOf(name.slice(0, Math.min(name.length, 3)));
        out.push({ text: name, line, column: column + start + Math.max(0, at) });
      }
      start = i + 1;
    }
  }
  return out;
}

function parseParameter(t: string): Parameter {
  let m = /^(:?[\w.[\]{}-]+)\s*\(([^)]*)\)\s*(?:[:\-–—]\s*(.*))?$/.exec(t);
  if (m) return { name: m[1]!, type: m[2]!.trim() || null, description: m[3]?.trim() || null };
  m = /^(:?[\w.[\]{}-]+)\s*:\s*(.*)$/.exec(t);
  if (m) {
    const rest = m[2]!.trim();
    const sep = findSeparator(rest, "-–—");
    if (sep) return { name: m[1]!, type: rest.slice(0, sep.start).trim() || null, description: rest.slice(sep.end).trim() || null };
    return /^\S+$/.test(rest) ? { name: m[1]!, type: rest || null, description: null } : { name: m[1]!, type: null, description: rest || null };
  }
  m = /^(:?[\w.[\]{}-]+)\s+[-–—]\s+(.*)$/.exec(t);
  if (m) return { name: m[1]!, type: null, description: m[2]!.trim() || null };
  return { name: t, type: null, description: null };
}

function parseError(t: string): ErrorResponse {
  const m = /^(\[[^\]]*\]|\S+?)(?:\s*:\s*|\s+[-–—]\s+|\s+)(.*)$/.exec(t);
  if (!m) return { status: t.replace(/:$/, ""), description: "" };
  return { status: m[1]!.replace(/:$/, ""), description: m[2]!.trim() };
}
