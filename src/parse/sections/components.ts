// One component of the Architecture: Purpose, Responsibilities, Interfaces, Dependencies, and any other labelled
// field the author wrote (kept in `extra`).
import type { SourceSection } from "../../model/source.js";
import type { Component } from "../../model/spec.js";
import { findSeparator, plain, splitParenSuffix, stripBreak } from "../inline.js";
import { itemName } from "../section-keys.js";
import { NONE, span, type ParseContext } from "../context.js";
import { labelledBlocks } from "./labels.js";

type ComponentLabel = "purpose" | "responsibilities" | "interfaces" | "dependencies";

/** The labels of a component, by normalized spelling. */
export const COMPONENT_LABELS: Readonly<Record<string, ComponentLabel>> = {
  purpose: "purpose", description: "purpose", role: "purpose", summary: "purpose", overview: "purpose",
  responsibilities: "responsibilities", responsibility: "responsibilities", "key responsibilities": "responsibilities",
  interfaces: "interfaces", interface: "interfaces", exposes: "interfaces", apis: "interfaces", "public interface": "interfaces",
  dependencies: "dependencies", dependency: "dependencies", "depends on": "dependencies", uses: "dependencies",
};

/** Reads the component of section `s` (its whole extent: sub-headings such as `##### Responsibilities` are labels too). */
export function readComponent(ctx: ParseContext, s: SourceSection, index: number): Component {
  const base = `architecture/components/${index}`;
  ctx.pos.set(base, s.span);
  ctx.pos.set(`${base}/name`, s.span);
  const values: Partial<Record<ComponentLabel, string[]>> = {};
  const extra: Record<string, string> = {};
  const deps: { text: string; line: number; column: number }[] = [];
  for (const b of labelledBlocks(ctx, s.bodyStart, s.end, COMPONENT_LABELS).blocks) {
    const field = COMPONENT_LABELS[b.key];
    const parts: string[] = b.value.trim() ? [plain(b.value)] : [];
    for (const x of b.lines) {
      if (x.code) continue;
      parts.push(plain(x.item ? x.item.content : x.text));
      if (field === "dependencies" && x.item) deps.push(...splitDependencies(stripBreak(x.item.content), x.line, x.item.contentColumn));
    }
    if (!field) {
      // A label this model has no field for is kept as written, so nothing is lost.
      if (!(b.label in extra)) extra[b.label] = parts.join("\n");
      continue;
    }
    if (values[field]) continue; // the first Purpose wins; a repeated label is the author's to merge
    values[field] = parts;
    const line = ctx.scan.lines[b.line - 1]!;
    ctx.pos.set(`${base}/${field}`, b.heading ? span(b.line, b.labelColumn, line.length + 1) : span(b.line, b.valueColumn, b.valueColumn + b.value.length));
    if (field === "dependencies" && !b.heading) deps.unshift(...splitDependencies(b.value, b.line, b.valueColumn));
  }
  const join = (k: ComponentLabel): string | null => (values[k] ? values[k]!.join("\n") : null);
  const dependencies: string[] = [];
  for (const d of deps.sort((a, b) => a.line - b.line || a.column - b.column)) {
    ctx.pos.set(`${base}/dependencies/${dependencies.length}`, span(d.line, d.column, d.column + d.text.length));
    dependencies.push(d.text);
  }
  return {
    name: itemName(s.heading),
    purpose: join("purpose"),
    responsibilities: join("responsibilities"),
    interfaces: join("interfaces"),
    dependencies,
    extra,
  };
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
