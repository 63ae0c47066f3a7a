import type { CodeAction, Range, TextEdit, WorkspaceEdit } from "vscode-languageserver";
import type { Diagnostic, Fix } from "../model/diagnostic.js";
import { applyFixes } from "../rules/lint-spec.js";
import { SOURCE, toLspDiagnostic } from "./protocol-diagnostic.js";
import type { DocumentState } from "./document-state.js";
import { overlaps, rangeOf, type TextPositions } from "./text-positions.js";

/** The code action kind of "fix everything `--fix` would", for `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = `source.fixAll.${SOURCE}`;
const QUICKFIX = "quickfix";

export interface CodeActionOptions {
  /** The kinds the client asks for (`context.only`); every kind when absent. */
  readonly only?: readonly string[];
  /** Whether the client takes versioned document edits (`workspace.workspaceEdit.documentChanges`). */
  readonly documentChanges?: boolean;
}

/**
 * The code actions for a range of a document: for each finding there, its fix ("Fix this … problem", preferred)
 * and its suggestions; "Fix all … problems" of a rule with several fixes; and the document's fix-all, which
 * applies the safe fixes `techspec lint --fix` applies, chosen the same way (`applyFixes`: no two overlap).
 */
export function codeActions(s: DocumentState, diagnostics: readonly Diagnostic[], range: Range, options: CodeActionOptions = {}): CodeAction[] {
  const wants = (kind: string): boolean => !options.only || options.only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const edit = (fixes: readonly Fix[]): WorkspaceEdit => workspaceEdit(s, fixes, options.documentChanges === true);
  const fixable = diagnostics.filter((d) => d.fix);
  const out: CodeAction[] = [];
  if (wants(QUICKFIX)) {
    const here = diagnostics.filter((d) => overlaps(rangeOf(d), range));
    const rulesHere: string[] = [];
    for (const d of here) {
      const lsp = toLspDiagnostic(d);
      if (d.fix) {
        out.push({ title: `Fix this ${d.rule} problem`, kind: QUICKFIX, diagnostics: [lsp], isPreferred: true, edit: edit([d.fix]) });
        if (!rulesHere.includes(d.rule)) rulesHere.push(d.rule);
      }
      for (const suggestion of d.suggestions ?? []) {
        out.push({ title: suggestion.message, kind: QUICKFIX, diagnostics: [lsp], edit: edit([suggestion.fix]) });
      }
    }
    for (const rule of rulesHere) {
      const ofRule = fixable.filter((d) => d.rule === rule);
      if (ofRule.length < 2) continue;
      out.push({ title: `Fix all ${rule} problems`, kind: QUICKFIX, diagnostics: ofRule.map(toLspDiagnostic), edit: edit(applyFixes(s.text, ofRule).fixes) });
    }
    if (rulesHere.length > 0 && fixable.length > 1) {
      out.push({ title: "Fix all auto-fixable problems", kind: QUICKFIX, edit: edit(applyFixes(s.text, fixable).fixes) });
    }
  }
  if (wants(FIX_ALL_KIND) && options.only && fixable.length > 0) {
    // Only when asked for (the Source Action menu, codeActionsOnSave): as a light bulb entry it is the quick fix above.
    out.push({ title: "Fix all auto-fixable problems", kind: FIX_ALL_KIND, diagnostics: fixable.map(toLspDiagnostic), edit: edit(applyFixes(s.text, fixable).fixes) });
  }
  return out;
}

/** The fixes as one edit of the document at the version they were computed for. */
function workspaceEdit(s: DocumentState, fixes: readonly Fix[], versioned: boolean): WorkspaceEdit {
  const edits = fixes.map((f) => textEdit(s.positions, f));
  return versioned
    ? { documentChanges: [{ textDocument: { uri: s.uri, version: s.version }, edits }] }
    : { changes: { [s.uri]: edits } };
}

/** A fix (offsets into the text) as a protocol edit. */
export function textEdit(positions: TextPositions, f: Fix): TextEdit {
  return { range: { start: positions.positionAt(f.range[0]), end: positions.positionAt(f.range[1]) }, newText: f.text };
}
