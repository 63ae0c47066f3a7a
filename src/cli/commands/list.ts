import { normalizeStatus } from "../../parse/normalize.js";
import { UsageError } from "../../workspace/errors.js";
import { STATUSES, summarize, type SpecSummary } from "../../workspace/summary.js";
import { rootFor, specRoots } from "../../workspace/spec-roots.js";
import { loadWorkspace, workspacePathOf } from "../../workspace/workspace.js";
import type { LintSettings } from "../../rules/rule.js";
import { holders } from "../../workflow/people.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import { today, type Command } from "../io.js";

const HELP = `Usage: techspec list [--status S] [--waiting-on WHO] [--stale DAYS] [--json]

Lists the workspace's specs: Feature ID, title, status, author, last updated,
approvals done/total and completeness (required sections filled in). Filters combine.
In a workspace with spec roots ("workspaces" in techspec.config.json), the specs are
grouped by root, under a line naming it; in JSON each row has its "root".

Options:
  --status <status>    only specs with this status (Draft, In Review, Approved, ...)
  --waiting-on <who>   only specs In Review (or Approved with a stale approval) that wait on a
                       role, given as the role, or a holder's name or e-mail from "roles";
                       adds a WAITING ON column
  --stale <days>       only open specs (not Implemented, Archived or Superseded) whose Last
                       Updated is more than DAYS days ago (or missing)
  --json               print JSON (each row has approvals.roles, each required role's
                       standing, and waitingOn: the roles not yet approved)
  -c, --config <file>  use this configuration file
  -h, --help           show this help
`;


export const list: Command = async (argv, io) => {
  const { values } = parseCommandArgs("list", argv, {
    status: { type: "string" },
    "waiting-on": { type: "string" },
    stale: { type: "string" },
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
  let staleDays: number | undefined;
  if (values.stale !== undefined) {
    staleDays = Number(values.stale);
    if (!Number.isInteger(staleDays) || staleDays < 0) throw new UsageError(`list: --stale must be a whole number of days (got "${values.stale}")`);
  }
  const who = values["waiting-on"]?.trim();
  if (who === "") throw new UsageError("list: --waiting-on needs a role, a name or an e-mail address");
  const ws = await loadWorkspace(io.cwd, values.config ? { config: values.config } : {});
  const todayMs = Date.parse(`${today(io)}T00:00:00Z`);
  const rows: (SpecSummary & { waitingOn: string[] })[] = [];
  for (const s of ws.specs) {
    if (!s.parsed) {
      io.stderr(`techspec: ${s.error}\n`);
      continue;
    }
    const spec = s.parsed.spec;
    if (status && spec.metadata.status !== status) continue;
    if (staleDays !== undefined) {
      if (["Implemented", "Archived", "Superseded"].includes(spec.metadata.status ?? "")) continue;
      const updated = Date.parse(`${spec.metadata.lastUpdated ?? ""}T00:00:00Z`);
      if (!Number.isNaN(updated) && (todayMs - updated) / 86_400_000 <= staleDays) continue;
    }
    const reviewing = spec.metadata.status === "In Review" || spec.metadata.status === "Approved";
    const root = rootFor(ws.config, s.path);
    const summary = summarize(s.parsed, root, s.display, workspacePathOf(ws, s.path));
    // The roles counted as not done in APPROVALS are exactly the ones waited on.
    const waitingOn = reviewing ? summary.approvals.roles.filter((x) => x.state !== "approved").map((x) => x.role) : [];
    if (who !== undefined && !(reviewing && waitingOn.some((role) => waitsOn(root.settings, role, who)))) continue;
    rows.push({ ...summary, waitingOn });
  }
  // Grouped by spec root (in the configuration's order), then by Feature ID.
  const order = new Map(specRoots(ws.config).map((r, i) => [r.name, i]));
  const rank = (r: SpecSummary): number => order.get(r.root) ?? 0;
  rows.sort((a, b) => rank(a) - rank(b) || (a.id ?? "").localeCompare(b.id ?? "") || a.path.localeCompare(b.path));
  if (values.json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout(status || who !== undefined || staleDays !== undefined ? "No specs match.\n" : "No specs.\n");
    return 0;
  }
  const waitingColumn = who !== undefined;
  const table = [["ID", "TITLE", "STATUS", "AUTHOR", "UPDATED", "APPROVALS", "COMPLETE", ...(waitingColumn ? ["WAITING ON"] : [])],
    ...rows.map((r) => [r.id ?? "—", clip(r.title ?? "—", 40), r.status ?? "—", clip(r.author ?? "—", 28), r.lastUpdated ?? "—",
      `${r.approvals.done}/${r.approvals.total}`, `${r.completeness}%`, ...(waitingColumn ? [r.waitingOn.join(", ")] : [])])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: readonly string[]): string => row.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  if (!ws.config.roots?.length) {
    io.stdout(`${table.map(line).join("\n")}\n`);
    return 0;
  }
  // One group per spec root that has specs here: its name and count, then the table's rows, columns aligned across groups.
  const groups: string[] = [];
  for (const [i, r] of rows.entries()) {
    if (i === 0 || rows[i - 1]!.root !== r.root) {
      const n = rows.filter((x) => x.root === r.root).length;
      groups.push(`${groups.length ? "\n" : ""}${r.root ?? "."} (${n} spec${n === 1 ? "" : "s"})`, line(table[0]!));
    }
    groups.push(line(table[i + 1]!));
  }
  io.stdout(`${groups.join("\n")}\n`);
  return 0;
};

/** Whether a waiting role is `who`: the role itself, or a holder named by name or e-mail. */
function waitsOn(settings: LintSettings, role: string, who: string): boolean {
  const w = who.toLowerCase();
  if (role.toLowerCase() === w) return true;
  return holders(settings, role).some((p) => p.name.toLowerCase() === w || p.email === w);
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
