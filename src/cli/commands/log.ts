import type { Approval } from "../../model/spec.js";
import { displayDigest } from "../../workflow/digest.js";
import { parseSpec } from "../../parse/parse-spec.js";
import { InputError, UsageError } from "../../workspace/errors.js";
import { findSpec } from "../../workspace/find-spec.js";
import { COMMIT_FORMAT, git, GitRepos, parseCommit } from "../../workspace/git.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";

const HELP = `Usage: techspec log <spec|featureId> [--json]

The spec's history from git, oldest first: when it was created, every status change and every
approval or rejection recorded, each with the commit, its author and date (renames followed).

Options:
  --json               print the history as JSON
  -c, --config <file>  use this configuration file
  -h, --help           show this help
`;

type LogEvent =
  | { readonly type: "created"; readonly status: string | null }
  | { readonly type: "status"; readonly from: string | null; readonly to: string | null }
  | { readonly type: "approval"; readonly role: string; readonly name: string; readonly decision: string; readonly date: string | null; readonly digest: string | null; readonly reason: string | null };

interface LogEntry {
  readonly commit: string;
  readonly date: string;
  readonly author: { readonly name: string; readonly email: string };
  readonly path: string;
  readonly events: readonly LogEvent[];
}

export const logCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("log", argv, { json: { type: "boolean" }, ...COMMON_OPTIONS });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("log: give one spec, e.g. techspec log FEAT-0001");
  const { spec } = await findSpec(io.cwd, positionals[0]!, values.config);
  const where = new GitRepos().locate(spec.path);
  if (!where) throw new InputError(`${spec.display}: not in a git repository, so it has no history`);
  const { root, rel } = where;
  const out = git(root, ["log", "--follow", "--reverse", `--format=%x1e${COMMIT_FORMAT}`, "--name-only", "--", rel]);
  if (out === null) throw new InputError(`${spec.display}: git log failed`);
  const entries: LogEntry[] = [];
  let previous: { status: string | null; approvals: Map<string, string> } | null = null;
  for (const record of out.split("\x1e").filter((r) => r.trim() !== "")) {
    const [header, ...rest] = record.split("\n");
    const { commit, name, email, date } = parseCommit(header!);
    const path = rest.map((l) => l.trim()).find((l) => l !== "") ?? rel;
    const text = git(root, ["show", `${commit}:${path}`]);
    if (text === null) continue;
    const parsed = parseSpec(text, path).spec;
    const key = (a: Approval): string => `${a.name}|${a.decision}|${a.date ?? ""}|${a.digest ?? ""}|${a.reason ?? ""}`;
    const approvals = new Map(parsed.approvals.map((a) => [a.role, key(a)]));
    const events: LogEvent[] = [];
    if (previous === null) events.push({ type: "created", status: parsed.metadata.status });
    else if (previous.status !== parsed.metadata.status) events.push({ type: "status", from: previous.status, to: parsed.metadata.status });
    for (const a of parsed.approvals) {
      const recorded = a.decision === "Approved" || a.decision === "Rejected";
      if (recorded && (previous === null || previous.approvals.get(a.role) !== key(a))) {
        events.push({ type: "approval", role: a.role, name: a.name, decision: a.decision, date: a.date, digest: a.digest, reason: a.reason });
      }
    }
    previous = { status: parsed.metadata.status, approvals };
    if (events.length > 0) entries.push({ commit, date, author: { name, email }, path, events });
  }
  if (entries.length === 0) throw new InputError(`${spec.display}: not committed yet, so it has no history`);
  if (values.json) {
    io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const e of entries) {
    for (const ev of e.events) {
      const what = ev.type === "created" ? `created (${ev.status ?? "no status"})`
        : ev.type === "status" ? `status ${ev.from ?? "none"} → ${ev.to ?? "none"}`
        : `${ev.role}: ${ev.decision} by ${ev.name || "—"}${ev.digest ? ` (${displayDigest(ev.digest)})` : ""}${ev.reason ? `: ${ev.reason}` : ""}`;
      lines.push(`${e.date}  ${e.commit.slice(0, 8)}  ${`${e.author.name} <${e.author.email}>`.padEnd(36)}  ${what}`);
    }
  }
  io.stdout(`${lines.join("\n")}\n`);
  return 0;
};
