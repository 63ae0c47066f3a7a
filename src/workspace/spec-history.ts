// A spec's history from git, oldest first: when it was created, each status change, each decision recorded, with
// the commit, its author and date (renames followed). `techspec log` prints it; the review server shows it and
// diffs each approver's version against the current one. Git runs asynchronously.
import type { Approval, Spec } from "../model/spec.js";
import { parseSpec } from "../parse/parse-spec.js";
import { COMMIT_FORMAT, GitRepos, parseCommit } from "./git.js";
import { gitAsync } from "./git-run.js";

export type LogEvent =
  | { readonly type: "created"; readonly status: string | null }
  | { readonly type: "status"; readonly from: string | null; readonly to: string | null }
  | { readonly type: "approval"; readonly role: string; readonly name: string; readonly decision: string; readonly date: string | null; readonly digest: string | null; readonly reason: string | null };

export interface LogEntry {
  readonly commit: string;
  readonly date: string;
  readonly author: { readonly name: string; readonly email: string };
  readonly path: string;
  readonly events: readonly LogEvent[];
}

/** A history entry with the spec as that commit holds it (for diffs). */
export interface HistoryEntry extends LogEntry {
  readonly spec: Spec;
}

/** The commits of a spec file that changed its status or a decision, oldest first; or why there is no history. */
export async function specHistory(path: string): Promise<{ readonly entries: HistoryEntry[] } | { readonly problem: string }> {
  const where = new GitRepos().locate(path);
  if (!where) return { problem: "not in a git repository, so it has no history" };
  const { root, rel } = where;
  const out = await gitAsync(root, ["log", "--follow", "--reverse", `--format=%x1e${COMMIT_FORMAT}`, "--name-only", "--", rel]);
  if (out === null) return { problem: "git log failed" };
  const entries: HistoryEntry[] = [];
  let previous: { status: string | null; approvals: Map<string, string> } | null = null;
  const key = (a: Approval): string => `${a.name}|${a.decision}|${a.date ?? ""}|${a.digest ?? ""}|${a.reason ?? ""}`;
  for (const record of out.split("\x1e").filter((r) => r.trim() !== "")) {
    const [header, ...rest] = record.split("\n");
    const { commit, name, email, date } = parseCommit(header!);
    const file = rest.map((l) => l.trim()).find((l) => l !== "") ?? rel;
    const text = await gitAsync(root, ["show", `${commit}:${file}`]);
    if (text === null) continue;
    const spec = parseSpec(text, file).spec;
    const events: LogEvent[] = [];
    if (previous === null) events.push({ type: "created", status: spec.metadata.status });
    else if (previous.status !== spec.metadata.status) events.push({ type: "status", from: previous.status, to: spec.metadata.status });
    for (const a of spec.approvals) {
      const recorded = a.decision === "Approved" || a.decision === "Rejected";
      if (recorded && (previous === null || previous.approvals.get(a.role) !== key(a))) {
        events.push({ type: "approval", role: a.role, name: a.name, decision: a.decision, date: a.date, digest: a.digest, reason: a.reason });
      }
    }
    previous = { status: spec.metadata.status, approvals: new Map(spec.approvals.map((a) => [a.role, key(a)])) };
    if (events.length > 0) entries.push({ commit, date, author: { name, email }, path: file, events, spec });
  }
  if (entries.length === 0) return { problem: "not committed yet, so it has no history" };
  return { entries };
}
