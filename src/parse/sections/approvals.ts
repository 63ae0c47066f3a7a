// The Approval block: one line per role (`**Security Lead**: Jane Doe - Approved …`) or a Role | Name | Decision table.
import type { SourceSection } from "../../model/source.js";
import type { Approval } from "../../model/spec.js";
import { boldLabel, findSeparator, isDelimiterRow, isTableLine, normalizeName, plain, splitParenSuffix, splitRow, stripBreak } from "../inline.js";
import { normalizeDecision, parseDecision } from "../normalize.js";
import { span, type ParseContext } from "../context.js";

/** Reads the approvals of section `s`, numbered from `first` in the model, with the decisions as written (for casing fixes). */
export function readApprovals(ctx: ParseContext, s: SourceSection, first = 0): { approvals: Approval[]; rawDecisions: string[] } {
  const { lines, inCode } = ctx.scan;
  const approvals: Approval[] = [];
  const rawDecisions: string[] = [];
  let tableCols: { role: number; name: number; decision: number } | null = null;
  for (let l = s.bodyStart; l <= s.bodyEnd; l++) {
    if (inCode[l - 1]) continue;
    const line = lines[l - 1]!;
    let role: string;
    let name: string;
    let decision: string;
    let decisionCol: number;
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
      const rest = stripBreak(b.value);
      const restCol = b.valueColumn;
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
    const i = first + approvals.length;
    ctx.pos.set(`approvals/${i}`, span(l, 1, line.length + 1));
    ctx.pos.set(`approvals/${i}/decision`, span(l, decisionCol, decisionCol + decision.length));
    rawDecisions.push(decision);
    approvals.push({ role: plain(role), name, ...parseDecision(decision) });
  }
  return { approvals, rawDecisions };
}
