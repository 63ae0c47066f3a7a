import type { DocumentSymbol, SymbolKind } from "vscode-languageserver";
import type { Span } from "../model/position.js";
import type { ParseResult } from "../parse/parse-spec.js";
import { rangeOf } from "./text-positions.js";

const KIND = { file: 1, namespace: 3, class: 5, method: 6, property: 7, field: 8, struct: 23 } as const satisfies Record<string, SymbolKind>;

const METADATA: readonly (readonly [key: "featureId" | "author" | "createdDate" | "lastUpdated" | "status", label: string])[] = [
  ["featureId", "Feature ID"], ["author", "Author"], ["createdDate", "Created Date"], ["lastUpdated", "Last Updated"], ["status", "Status"],
];

/**
 * The outline of a spec, nested as its headings are: every section, components, entities (with their fields) and
 * APIs as the sections they are, and the metadata and approval lines inside the section that holds them.
 */
export function documentSymbols(parsed: ParseResult): DocumentSymbol[] {
  const { spec, pos, source } = parsed;
  const lineLength = (line: number): number => source.lines[line - 1]?.length ?? 0;
  const counters = { component: 0, entity: 0, api: 0 };
  const nodes: DocumentSymbol[] = source.sections.map((s) => {
    const node: DocumentSymbol = {
      name: s.heading.trim() || "(untitled)",
      kind: s.key === "title" ? KIND.file : KIND.namespace,
      range: { start: { line: s.line - 1, character: 0 }, end: { line: s.end - 1, character: lineLength(s.end) } },
      selectionRange: rangeOf(s.span),
      children: [],
    };
    if (s.key === "component") {
      const c = spec.architecture.components[counters.component++];
      node.kind = KIND.class;
      if (c?.purpose) node.detail = c.purpose;
    } else if (s.key === "entity") {
      const i = counters.entity++;
      const e = spec.dataModel.entities[i];
      node.kind = KIND.struct;
      node.children = (e?.fields ?? []).flatMap((f, j) => {
        const at = pos.get(`dataModel/entities/${i}/fields/${j}`);
        return at ? [leaf(f.name || "(unnamed field)", KIND.field, at, f.type)] : [];
      });
    } else if (s.key === "api") {
      const a = spec.apis[counters.api++];
      node.kind = KIND.method;
      const detail = [a?.method, a?.endpoint].filter(Boolean).join(" ");
      if (detail) node.detail = detail;
    }
    return node;
  });
  const roots: DocumentSymbol[] = [];
  source.sections.forEach((s, i) => {
    const parent = s.parent >= 0 ? nodes[s.parent] : undefined;
    (parent ? parent.children! : roots).push(nodes[i]!);
  });
  // Metadata and approval lines, in the innermost section holding them.
  const place = (symbol: DocumentSymbol, line: number): void => {
    let holder = -1;
    source.sections.forEach((s, i) => {
      if (s.line <= line && line <= s.end) holder = i;
    });
    const list = holder >= 0 ? nodes[holder]!.children! : roots;
    list.push(symbol);
    list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  };
  for (const [key, label] of METADATA) {
    const at = pos.get(`metadata/${key}`);
    const value = spec.metadata[key];
    if (at && value !== null) place(leaf(label, KIND.property, at, value), at.line);
  }
  spec.approvals.forEach((a, i) => {
    const at = pos.get(`approvals/${i}`);
    if (at) place(leaf(a.role || "(no role)", KIND.property, at, [a.name, a.decision].filter(Boolean).join(" - ")), at.line);
  });
  return roots;
}

function leaf(name: string, kind: SymbolKind, at: Span, detail: string): DocumentSymbol {
  const range = rangeOf(at);
  return { name, kind, range, selectionRange: range, ...(detail ? { detail } : {}) };
}
