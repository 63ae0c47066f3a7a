import type { Change } from "./spec-diff.js";

/** A diff with what was compared. */
export interface DiffReport {
  readonly from: string;
  readonly to: string;
  readonly title: string | null;
  readonly changes: readonly Change[];
}

export function summarizeDiff(changes: readonly Change[]): { breaking: number; nonBreaking: number; other: number } {
  const breaking = changes.filter((c) => c.impact === "breaking").length;
  const nonBreaking = changes.filter((c) => c.impact === "non-breaking").length;
  return { breaking, nonBreaking, other: changes.length - breaking - nonBreaking };
}

const GROUPS: readonly { title: string; areas: readonly Change["area"][] }[] = [
  { title: "API", areas: ["api", "parameter", "request", "response", "error"] },
  { title: "Data Model", areas: ["entity", "field"] },
  { title: "Components", areas: ["component"] },
  { title: "Metadata", areas: ["metadata"] },
  { title: "Sections", areas: ["section"] },
];

function describe(c: Change): string {
  const what = c.area === "request" ? "request field " : c.area === "response" ? "response field " : c.area === "parameter" ? "parameter " : c.area === "error" ? "status " : "";
  const values = c.kind === "changed" && (c.before !== undefined || c.after !== undefined) ? `: ${c.before || "—"} → ${c.after || "—"}` : c.kind === "added" && c.after ? ` (${c.after})` : "";
  return `${what}${c.subject} ${c.kind}${values}`;
}

function countLine(r: DiffReport): string {
  const s = summarizeDiff(r.changes);
  return `${s.breaking} breaking, ${s.nonBreaking} non-breaking, ${s.other} other change${s.other === 1 ? "" : "s"}`;
}

export function diffText(r: DiffReport): string {
  const lines = [`${r.title ?? "spec"}: ${r.from} → ${r.to}`];
  if (r.changes.length === 0) return `${lines[0]}\nNo changes.\n`;
  for (const g of GROUPS) {
    const cs = r.changes.filter((c) => g.areas.includes(c.area));
    if (cs.length === 0) continue;
    lines.push("", g.title);
    for (const c of cs) lines.push(`  ${(c.impact ?? "").padEnd(13)}${describe(c)}${c.reason ? `  (${c.reason})` : ""}`.replace(/^ {2} {13}/, "  "));
  }
  lines.push("", countLine(r));
  return `${lines.join("\n")}\n`;
}

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** GitHub-flavoured Markdown for a pull-request comment. */
export function diffMarkdown(r: DiffReport): string {
  const s = summarizeDiff(r.changes);
  const lines = [`### Spec changes: ${cell(r.title ?? "spec")}`, "", `\`${r.from}\` → \`${r.to}\`: **${s.breaking} breaking**, ${s.nonBreaking} non-breaking, ${s.other} other.`];
  if (r.changes.length === 0) return `${lines.join("\n")}\n\nNo changes.\n`;
  for (const g of GROUPS) {
    const cs = r.changes.filter((c) => g.areas.includes(c.area));
    if (cs.length === 0) continue;
    const impact = g.areas.some((a) => ["api", "entity"].includes(a));
    lines.push("", `#### ${g.title}`, "", impact ? "| Impact | Change | Reason |" : "| Change |", impact ? "| --- | --- | --- |" : "| --- |");
    for (const c of cs) lines.push(impact ? `| ${c.impact === "breaking" ? "**breaking**" : c.impact ?? ""} | ${cell(describe(c))} | ${cell(c.reason ?? "")} |` : `| ${cell(describe(c))} |`);
  }
  return `${lines.join("\n")}\n`;
}

export function diffJson(r: DiffReport): string {
  return `${JSON.stringify({ from: r.from, to: r.to, title: r.title, summary: summarizeDiff(r.changes), changes: r.changes }, null, 2)}\n`;
}
