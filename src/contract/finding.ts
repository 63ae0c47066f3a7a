import type { Diagnostic, Severity } from "../model/diagnostic.js";
import { spanOf } from "../model/position.js";
import type { ParseResult } from "../parse/parse-spec.js";

/** One named check of `techspec verify`: its id is the diagnostic's rule, selectable with --checks / --exclude-checks. */
export interface ContractCheck {
  readonly id: string;
  readonly description: string;
  readonly defaultSeverity: Severity;
}

/**
 * A diagnostic of a verify check at a model path of the spec (`apis/2`, `apis/2/errors/0`,
 * `dataModel/entities/1/fields/3`), falling back to the nearest ancestor with a position, then to line 1.
 */
export function findingAt(parsed: ParseResult, path: string, check: ContractCheck, message: string, severity: Severity = check.defaultSeverity): Diagnostic {
  const s = spanOf(parsed.pos, path) ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { file: parsed.spec.path, line: s.line, column: s.column, endLine: s.endLine, endColumn: s.endColumn, rule: check.id, severity, message };
}
