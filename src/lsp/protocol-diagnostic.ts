import type { DiagnosticSeverity, Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { Diagnostic } from "../model/diagnostic.js";
import { docsUrlOf } from "./rule-docs.js";
import { rangeOf } from "./text-positions.js";

/** The name diagnostics carry as their source, and the suffix of the fix-all code action kind. */
export const SOURCE = "techspec";

const SEVERITY: Readonly<Record<string, DiagnosticSeverity>> = { error: 1, warning: 2, info: 3 };

/** A finding in the protocol's shape: the rule id as `code`, its documentation as `codeDescription`. */
export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  return {
    range: rangeOf(d),
    severity: SEVERITY[d.severity] ?? 1,
    code: d.rule,
    codeDescription: { href: docsUrlOf(d) },
    source: SOURCE,
    message: d.message,
  };
}
