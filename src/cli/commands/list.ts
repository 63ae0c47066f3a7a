import type { ParseResult } from "../../parse/parse-spec.js";
import { normalizeStatus } from "../../parse/normalize.js";
import { DEFAULT_REQUIRED } from "../../rules/required-section.js";
import { UsageError } from "../../workspace/errors.js";
import { loadWorkspace } from "../../workspace/workspace.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";

const HELP = `Usage: techspec list [--status S] [--json]

Lists the workspace's specs: Feature ID, title, status, author, last updated,
approvals done/total and completeness (required sections filled in).

Options:
  --status <status>    only specs with this status (Draft, In Review, Approved, ...)
  --json               print JSON
  -c, --config <file>  use this configuration file
  -h, --help           show this help
`;

const STATUSES = ["Draft", "In Review", "Approved", "Implemented", "Archived", "Superseded"];

export interface ListRow {
  id: string | null;
  title: string | null;
  status: string | null;
  author: string | null;
  lastUpdated: string | null;
  approvals: { done: number; total: number };
  completeness: number;
  path: string;
}

export const list: Command = async (argv, io) => {
  const { values } = parseCommandArgs("list", argv, {
    status: { type: "string" },
    json: { type: "boolean" },
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  let status: string | undefined;
  if (values.status !== undefined) {
    status = normalizeStatus(values.status);
    if (!STATUSES.includes(status)) throw new UsageError(`list: unknown status "${values.status}" (expected ${STATUSES.join(", ")})`);
  }
  const ws = await loadWorkspace(io.cwd, values.config ? { config: values.config } : {});
  const roles = ws.config.settings.approvalRoles;
  const required = (ws.config.rules["required-section"]?.options?.["Approved"] as string[] | undefined) ?? DEFAULT_REQUIRED["Approved"]!;
  const rows: ListRow[] = [];
  for (const s of ws.specs) {
    if (!s.parsed) {
      io.stderr(`techspec: ${s.error}\n`);
      continue;
    }
    const spec = s.parsed.spec;
    if (status && spec.metadata.status !== status) continue;
    const done = roles.filter((r) => spec.approvals.some((a) => a.role.toLowerCase() === r.toLowerCase() && a.decision === "Approved")).length;
    rows.push({
      id: spec.metadata.featureId, title: spec.title, status: spec.metadata.status, author: spec.metadata.author,
      lastUpdated: spec.metadata.lastUpdated, approvals: { done, total: roles.length },
      completeness: completeness(s.parsed, required), path: s.display,
    });
  }
  rows.sort((a, b) => (a.id ?? "").localeCompare(b.id ?? "") || a.path.localeCompare(b.path));
  if (values.json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout(status ? `No specs with status ${status}.\n` : "No specs.\n");
    return 0;
  }
  const table = [["ID", "TITLE", "STATUS", "AUTHOR", "UPDATED", "APPROVALS", "COMPLETE"],
    ...rows.map((r) => [r.id ?? "—", clip(r.title ?? "—", 40), r.status ?? "—", clip(r.author ?? "—", 28), r.lastUpdated ?? "—",
      `${r.approvals.done}/${r.approvals.total}`, `${r.completeness}%`])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  io.stdout(`${table.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n")}\n`);
  return 0;
};

/** Percentage of the required sections that exist and hold more than template placeholders. */
export function completeness(parsed: ParseResult, required: readonly string[]): number {
  if (required.length === 0) return 100;
  const { sections, lines, inCode } = parsed.source;
  let filled = 0;
  for (const key of required) {
    const s = sections.find((x) => x.key === key);
    if (!s) continue;
    for (let l = s.bodyStart; l <= s.end; l++) {
      const t = lines[l - 1]!.trim();
      if (inCode[l - 1] === 2 || t === "" || /^#/.test(t) || /^-{3,}$/.test(t)) continue;
      if (/^(?:[-*+]\s+)?(?:\*\*[^*]+\*\*:\s*)?\[[^\]]*\]\s*(?:-\s*\[[^\]]*\])?$/.test(t)) continue; // a placeholder line
      filled++;
      break;
    }
  }
  return Math.round((filled / required.length) * 100);
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
