import type { Fix } from "../model/diagnostic.js";
import { spanOf, type Span } from "../model/position.js";
import type { SourceSection, SpecSource } from "../model/source.js";
import type { Entity, Field, Spec } from "../model/spec.js";
import { rolesConfigured } from "../workflow/people.js";
import type { LintSettings, RuleContext } from "./rule.js";

/** The span of a model path, falling back to its ancestors and finally to line 1. */
export function at(ctx: RuleContext, path: string): Span {
  return spanOf(ctx.pos, path) ?? ctx.pos.get("title") ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
}

/** A fix replacing the text covered by a single-line span. */
export function replaceSpan(source: SpecSource, s: Span, text: string): Fix {
  const start = (source.lineStarts[s.line - 1] ?? 0) + s.column - 1;
  const end = (source.lineStarts[s.endLine - 1] ?? 0) + s.endColumn - 1;
  return { range: [start, end], text };
}

/** The first section read as `key`, if any. */
export function sectionByKey(source: SpecSource, key: string): SourceSection | undefined {
  return source.sections.find((s) => s.key === key);
}

export { isPlaceholder } from "../parse/placeholder.js";

/** `a, b or c` for messages. */
export function listOr(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** Calls `fn` for every row of every entity table, with the model field and the span of one of its cells. */
export function forEachFieldCell(spec: Spec, source: SpecSource, column: "name" | "type" | "description" | "constraints",
  fn: (entity: Entity, field: Field, cell: Span) => void): void {
  const fallback = { name: 0, type: 1, description: 2, constraints: 3 }[column];
  for (const et of source.entityTables) {
    const e = spec.dataModel.entities[et.entity]!;
    const col = et.columns[column] >= 0 ? et.columns[column] : fallback;
    et.table?.rows.forEach((row, k) => {
      const f = e.fields[k];
      if (!f) return;
      const c = row.cells[col];
      fn(e, f, c ? { line: row.line, column: c.column, endLine: row.line, endColumn: c.endColumn } : { line: row.line, column: 1, endLine: row.line, endColumn: row.endColumn });
    });
  }
}

/** Whether the lifecycle is enforced: roles are configured or signatures are required (then git must vouch for it). */
export function lifecycleEnforced(settings: LintSettings): boolean {
  return settings.signatures?.required === true || rolesConfigured(settings);
}
