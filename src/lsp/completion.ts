import type { CompletionItem, CompletionItemKind, CompletionList, Position, Range } from "vscode-languageserver";
import type { SourceSection } from "../model/source.js";
import { boldLabel, isTableLine, normalizeName, plain, splitRow } from "../parse/inline.js";
import { STATUSES } from "../parse/normalize.js";
import type { ParseResult } from "../parse/parse-spec.js";
import { scanLines } from "../parse/scan-lines.js";
import { SUB_SECTIONS, TOP_SECTIONS } from "../parse/section-keys.js";
import { METADATA_LABELS } from "../parse/sections/metadata.js";
import type { LintSettings } from "../rules/rule.js";
import { TYPE_EXAMPLES } from "../types/mappings.js";
import { localDate } from "../workflow/local-date.js";
import { holders, knownRoles } from "../workflow/people.js";
import type { DocumentState } from "./document-state.js";

/** Characters after which an editor asks for completion (Markdown has no completion while typing words by default). */
export const TRIGGER_CHARACTERS = ["#", ":", "|", ".", ">", "→", " ", "*"];

export interface CompletionOptions {
  readonly settings: LintSettings;
  /** The configuration's Feature ID prefix, to offer the ID a spec folder's name carries (`FEAT-0004-refunds`). */
  readonly idPrefix: string;
  /** Text of templates/technical-specification.md: the headings offered. */
  readonly template: string;
  /** Now, for the dates offered. */
  readonly today: Date;
  /** Whether the client takes snippets (`textDocument.completion.completionItem.snippetSupport`). */
  readonly snippets?: boolean;
}

const KIND = { text: 1, field: 5, class: 7, module: 9, property: 10, value: 12, enumMember: 20, struct: 22, keyword: 14, reference: 18 } as const satisfies Record<string, CompletionItemKind>;

/** The metadata labels the template writes, in its order, with the model key each fills. */
const METADATA_KEYS = [
  { label: "Feature ID", key: "featureId" }, { label: "Author", key: "author" }, { label: "Created Date", key: "createdDate" },
  { label: "Last Updated", key: "lastUpdated" }, { label: "Status", key: "status" },
] as const;

/** Constraints the type system reads (docs/types.md), as an author starts writing them. */
const CONSTRAINTS = ["Primary key", "Not null", "Nullable", "Unique", "Indexed", "Default ", "Check ", "Foreign key → "];

/** The start of a labelled line being typed: one partial word, or a bold label's words (`**Created Da`). */
const LINE_START = /^(\s*(?:>\s?)*(?:[-*+]\s+)?)(?:(?:\*\*|__)[A-Za-z ]*|[*_]?[A-Za-z]*)$/;

const FOREIGN_KEY_TARGET = /(?:foreign key|fk|references)\s*(?:(?:→|->|=>|to\b|:)\s*)?`?([A-Za-z_]\w*)?$/i;
const FOREIGN_KEY_FIELD = /(?:foreign key|fk|references)\s*(?:(?:→|->|=>|to\b|:)\s*)?`?([A-Za-z_]\w*)\.(\w*)$/i;

/**
 * Completion at a position: section headings from the template (after `#`), Overview metadata labels and their
 * values (statuses, today's date), roles of the configuration in the Approval block (and the people who hold them
 * after a role's label), entity names and types in an entity table's Type column, constraints and the entities
 * and fields a `Foreign key →` names in its Constraints column.
 */
export function completions(s: DocumentState, position: Position, options: CompletionOptions): CompletionList {
  const items = itemsAt(s, position, options);
  return { isIncomplete: false, items };
}

function itemsAt(s: DocumentState, position: Position, options: CompletionOptions): CompletionItem[] {
  const parsed = s.parsed;
  const { source } = parsed;
  const line = position.line + 1;
  if (source.inCode[line - 1]) return [];
  const text = s.positions.lineText(position.line);
  const before = text.slice(0, position.character);
  const range = (from: number, to = position.character): Range => ({ start: { line: position.line, character: from }, end: { line: position.line, character: to } });

  const heading = /^( {0,3})(#{1,6})(?:[ \t]+[^#]*)?$/.exec(before);
  if (heading) return headingItems(parsed, heading[2]!.length, range(heading[1]!.length), options);

  const section = innermost(source.sections, line);
  const inApproval = ancestors(source.sections, section).some((x) => x.key === "approval");
  if (inApproval) return approvalItems(parsed, text, before, position, range, options);

  const table = entityTableAt(parsed, line);
  if (table) return tableItems(parsed, table, text, position, range);

  if (isMetadataPlace(source.sections, section)) return metadataItems(s, text, before, position, range, options);
  return [];
}

/** The template's headings, the ones the spec has not got first; items (components, entities, APIs) numbered on. */
function headingItems(parsed: ParseResult, typedLevel: number, range: Range, options: CompletionOptions): CompletionItem[] {
  const { spec, source } = parsed;
  const present = new Set(source.sections.map((x) => x.key));
  const keyOf = new Map<string, string>([...TOP_SECTIONS, ...SUB_SECTIONS].map((x) => [x.title.toLowerCase(), x.key]));
  const counts: Record<string, number> = { component: spec.architecture.components.length, entity: spec.dataModel.entities.length, api: spec.apis.length };
  const items: CompletionItem[] = [];
  const seenItems = new Set<string>();
  scanLines(options.template).headings.forEach((h, order) => {
    const marks = "#".repeat(h.level);
    const title = /^Technical Specification:/i.exec(h.text);
    const item = /^(Component|Entity|API)\s+\d+:/i.exec(h.text);
    let label: string;
    let newText: string;
    let snippet = false;
    let exists: boolean;
    if (title) {
      label = "Technical Specification: Name";
      exists = present.has("title");
      snippet = options.snippets === true;
      newText = snippet ? `${marks} Technical Specification: \${1:Feature Name}` : `${marks} Technical Specification: `;
    } else if (item) {
      const word = item[1]!;
      if (seenItems.has(word)) return;
      seenItems.add(word);
      const key = word.toLowerCase() === "api" ? "api" : word.toLowerCase();
      const n = (counts[key] ?? 0) + 1;
      label = `${word} ${n}: Name`;
      exists = false;
      snippet = options.snippets === true;
      newText = snippet ? `${marks} ${word} ${n}: \${1:Name}` : `${marks} ${word} ${n}: `;
    } else {
      label = h.text;
      exists = present.has(keyOf.get(h.text.toLowerCase()) ?? "\0");
      newText = `${marks} ${h.text}`;
    }
    items.push({
      label,
      kind: KIND.module,
      detail: exists ? `${marks} (already in this spec)` : `${marks} template section`,
      sortText: `${h.level === typedLevel ? 0 : 1}${exists ? 1 : 0}${String(order).padStart(3, "0")}`,
      filterText: `${marks} ${label}`,
      textEdit: { range, newText },
      ...(snippet ? { insertTextFormat: 2 as const } : {}),
    });
  });
  return items;
}

/** Metadata labels the spec lacks at the start of a line, and values after a Status or date label. */
function metadataItems(s: DocumentState, text: string, before: string, position: Position, range: (from: number, to?: number) => Range, options: CompletionOptions): CompletionItem[] {
  const { spec } = s.parsed;
  const value = labelledValue(text, position.character);
  if (value) {
    const to = Math.max(position.character, value.end);
    if (value.key === "status") {
      return STATUSES.map((status, i) => ({ label: status, kind: KIND.enumMember, sortText: String(i), textEdit: { range: range(value.start, to), newText: status } }));
    }
    if (value.key === "createdDate" || value.key === "lastUpdated") {
      const today = localDate(options.today);
      return [{ label: today, kind: KIND.value, detail: "today", textEdit: { range: range(value.start, to), newText: today } }];
    }
    if (value.key === "featureId") {
      const id = folderFeatureId(s.path, options.idPrefix);
      return id ? [{ label: id, kind: KIND.value, detail: "from the spec's folder", textEdit: { range: range(value.start, to), newText: id } }] : [];
    }
    return [];
  }
  const start = LINE_START.exec(before);
  if (!start) return [];
  const from = start[1]!.length;
  const today = localDate(options.today);
  const initial: Record<string, string> = {
    featureId: folderFeatureId(s.path, options.idPrefix) ?? "", author: "", createdDate: today, lastUpdated: today, status: "Draft",
  };
  return METADATA_KEYS.filter((k) => spec.metadata[k.key] === null).map((k, i) => ({
    label: k.label,
    kind: KIND.property,
    detail: "Overview metadata",
    sortText: String(i),
    filterText: `**${k.label}**`,
    textEdit: { range: range(from), newText: `**${k.label}**: ${initial[k.key]}` },
  }));
}

/** The metadata value being written at `character`: which key, and where its value starts and ends on the line. */
function labelledValue(text: string, character: number): { key: string; start: number; end: number } | null {
  if (isTableLine(text)) {
    const row = splitRow(text);
    const [first, second] = row.cells;
    const key = first ? METADATA_LABELS[normalizeName(plain(first.text))] : undefined;
    if (!key || !first || character < first.endColumn) return null;
    const start = second ? second.column - 1 : character;
    return character >= start ? { key, start, end: second ? second.endColumn - 1 : character } : null;
  }
  const quote = /^ {0,3}(?:> ?)*/.exec(text)![0].length;
  const body = text.slice(quote);
  const bold = boldLabel(body);
  let label: string;
  let valueStart: number;
  if (bold) {
    label = bold.label;
    valueStart = quote + bold.valueColumn - 1;
  } else {
    const m = /^(\s*(?:[-*+]\s+)?)([A-Za-z][A-Za-z ]{1,24})\s*:\s*/.exec(body);
    if (!m) return null;
    label = m[2]!;
    valueStart = quote + m[0].length;
  }
  const key = METADATA_LABELS[normalizeName(label)];
  if (!key || character < valueStart) return null;
  // The value without a hard-break marker, so that replacing it keeps the line's break.
  const end = valueStart + text.slice(valueStart).replace(/(?:\\|[ \t]+)$/, "").length;
  return { key, start: valueStart, end };
}

/** The Feature ID a spec's folder name starts with (`specs/FEAT-0004-refunds/…`), if it has the configured prefix. */
function folderFeatureId(path: string, idPrefix: string): string | null {
  const parts = path.split(/[\\/]/);
  const folder = parts[parts.length - 2] ?? "";
  const m = new RegExp(`^(${idPrefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\d+)`).exec(folder);
  return m ? m[1]! : null;
}

/** In the Approval block: role labels the block lacks at the start of a line, or the role's holders after its label. */
function approvalItems(parsed: ParseResult, text: string, before: string, position: Position, range: (from: number, to?: number) => Range, options: CompletionOptions): CompletionItem[] {
  const roles = knownRoles(options.settings);
  const written = new Set(parsed.spec.approvals.map((a) => a.role.toLowerCase()));
  if (isTableLine(text)) {
    // A Role | Name | Decision table: roles in the first cell, holders in the second.
    const cells = splitRow(text).cells;
    const index = cellIndex(text, position.character);
    const cell = cells[index];
    const r = cell ? range(cell.column - 1, Math.max(position.character, cell.endColumn - 1)) : range(position.character);
    if (index === 0) return roles.filter((role) => !written.has(role.toLowerCase()) || plain(cell?.text ?? "").toLowerCase() === role.toLowerCase())
      .map((role, i) => ({ label: role, kind: KIND.enumMember, detail: "approval role", sortText: String(i), textEdit: { range: r, newText: role } }));
    if (index === 1 && cells[0]) return holderItems(options.settings, plain(cells[0].text), r);
    return [];
  }
  const bold = boldLabel(text);
  if (bold && position.character >= bold.valueColumn - 1) {
    const end = bold.valueColumn - 1 + bold.value.replace(/(?:\\|[ \t]+)$/, "").length;
    // Only the name part: what comes after " - " is the decision.
    if (/\s[-–—]\s/.test(text.slice(bold.valueColumn - 1, position.character))) return [];
    return holderItems(options.settings, bold.label, range(bold.valueColumn - 1, Math.max(position.character, Math.min(end, dashAt(text, bold.valueColumn - 1)))));
  }
  const start = LINE_START.exec(before);
  if (!start) return [];
  return roles.filter((role) => !written.has(role.toLowerCase())).map((role, i) => ({
    label: role,
    kind: KIND.enumMember,
    detail: "approval role",
    sortText: String(i),
    filterText: `**${role}**`,
    textEdit: { range: range(start[1]!.length), newText: `**${role}**: ` },
  }));
}

/** Where " - " (the name's end) is on an approval line after `from`, or the line's end. */
function dashAt(text: string, from: number): number {
  const m = /\s[-–—]\s/.exec(text.slice(from));
  return m ? from + m.index : text.length;
}

function holderItems(settings: LintSettings, role: string, r: Range): CompletionItem[] {
  return holders(settings, role).map((p, i) => ({
    label: p.name || p.email || "",
    kind: KIND.value,
    detail: `holds ${role}${p.email ? ` (${p.email})` : ""}`,
    sortText: String(i),
    textEdit: { range: r, newText: p.name || p.email || "" },
  })).filter((x) => x.label !== "");
}

/** The entity table (and its index) a line is a body row of. */
function entityTableAt(parsed: ParseResult, line: number): { entity: number; columns: { type: number; constraints: number } } | null {
  for (const et of parsed.source.entityTables) {
    if (!et.table || !et.table.rows.some((r) => r.line === line)) continue;
    return { entity: et.entity, columns: { type: et.columns.type >= 0 ? et.columns.type : 1, constraints: et.columns.constraints >= 0 ? et.columns.constraints : 3 } };
  }
  return null;
}

/** The index of the table cell at `character` (the first cell is the one after a leading pipe). */
function cellIndex(text: string, character: number): number {
  let pipes = 0;
  for (let i = 0; i < character && i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "|") pipes++;
  }
  return text.trimStart().startsWith("|") ? pipes - 1 : pipes;
}

/** In an entity table: entity names and types in the Type column; constraints, entities and fields in the Constraints column. */
function tableItems(parsed: ParseResult, table: { entity: number; columns: { type: number; constraints: number } }, text: string, position: Position, range: (from: number, to?: number) => Range): CompletionItem[] {
  const entities = parsed.spec.dataModel.entities;
  const index = cellIndex(text, position.character);
  // The cell's text before the cursor.
  let cellStart = 0;
  let pipes = 0;
  const lead = text.trimStart().startsWith("|") ? 1 : 0;
  for (let i = 0; i < position.character; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === "|" && ++pipes === index + lead) cellStart = i + 1;
  }
  const inCell = text.slice(cellStart, position.character);
  const word = /[A-Za-z_]\w*$/.exec(inCell);
  const wordStart = word ? position.character - word[0].length : position.character;
  if (index === table.columns.type) {
    const own = entities[table.entity]?.name;
    const names = entities.map((e) => e.name).filter((n) => n !== "" && n !== own);
    return [
      ...names.map((name, i) => ({ label: name, kind: KIND.struct, detail: "entity of this Data Model", sortText: `0${String(i).padStart(3, "0")}`, textEdit: { range: range(wordStart), newText: name } })),
      ...TYPE_EXAMPLES.filter((t) => t !== "Customer").map((t, i) => ({ label: t, kind: KIND.keyword, detail: "type (docs/types.md)", sortText: `1${String(i).padStart(3, "0")}`, textEdit: { range: range(wordStart), newText: t } })),
    ];
  }
  if (index !== table.columns.constraints) return [];
  const part = inCell.slice(Math.max(inCell.lastIndexOf(","), inCell.lastIndexOf(";")) + 1);
  const field = FOREIGN_KEY_FIELD.exec(part);
  if (field) {
    const target = entities.find((e) => e.name.toLowerCase() === field[1]!.toLowerCase());
    const from = position.character - field[2]!.length;
    return (target?.fields ?? []).filter((f) => f.name !== "").map((f, i) => ({
      label: f.name, kind: KIND.field, detail: `${target!.name}.${f.name}: ${f.type}`, sortText: String(i).padStart(3, "0"), textEdit: { range: range(from), newText: f.name },
    }));
  }
  const target = FOREIGN_KEY_TARGET.exec(part);
  if (target) {
    const from = position.character - (target[1]?.length ?? 0);
    return entities.filter((e) => e.name !== "").map((e, i) => ({
      label: e.name, kind: KIND.struct, detail: "entity of this Data Model", sortText: String(i).padStart(3, "0"), textEdit: { range: range(from), newText: e.name },
    }));
  }
  if (!/^\s*[A-Za-z ]*$/.test(part)) return [];
  const from = position.character - part.trimStart().length;
  return CONSTRAINTS.map((c, i) => ({ label: c.trim(), kind: KIND.keyword, detail: "constraint (docs/types.md)", sortText: String(i), textEdit: { range: range(from), newText: c } }));
}

/** The innermost section holding a line (not on its heading line), or null before the first heading. */
function innermost(sections: readonly SourceSection[], line: number): SourceSection | null {
  let found: SourceSection | null = null;
  for (const s of sections) if (s.line < line && line <= s.end) found = s;
  return found;
}

function ancestors(sections: readonly SourceSection[], s: SourceSection | null): SourceSection[] {
  const out: SourceSection[] = [];
  for (let x = s; x; x = x.parent >= 0 ? sections[x.parent]! : null) out.push(x);
  return out;
}

/** Where metadata stands: before the first heading, under the title or Overview, or a heading before the content. */
function isMetadataPlace(sections: readonly SourceSection[], s: SourceSection | null): boolean {
  if (s === null || s.key === "title" || s.key === "overview") return true;
  if (s.key !== null) return false;
  const index = sections.indexOf(s);
  return sections.slice(0, index).every((x) => x.key === null || x.key === "title" || x.key === "overview");
}
