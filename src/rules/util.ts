import type { Fix } from "../model/diagnostic.js";
import { spanOf, type Span } from "../model/position.js";
import type { SourceSection, SpecSource } from "../model/source.js";
import type { RuleContext } from "./rule.js";

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

/** True for a value that is still a template placeholder such as `[Name]`. */
export function isPlaceholder(value: string | null | undefined): boolean {
  return !!value && /^\[[^\]]*\]$/.test(value.trim());
}

/** `a, b or c` for messages. */
export function listOr(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
