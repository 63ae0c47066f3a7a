import { normalizeStatus } from "../../parse/normalize.js";
import { UsageError } from "../../workspace/errors.js";
import { STATUSES, summarize, type SpecSummary } from "../../workspace/summary.js";
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
    if (!(STATUSES as readonly string[]).includes(status)) throw new UsageError(`list: unknown status "${values.status}" (expected ${STATUSES.join(", ")})`);
  }
  const ws = await loadWorkspace(io.cwd, values.config ? { config: values.config } : {});
  const rows: SpecSummary[] = [];
  for (const s of ws.specs) {
    if (!s.parsed) {
      io.stderr(`techspec: ${s.error}\n`);
      continue;
    }
    if (status && s.parsed.spec.metadata.status !== status) continue;
    rows.push(summarize(s.parsed, ws.config, s.display));
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

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
