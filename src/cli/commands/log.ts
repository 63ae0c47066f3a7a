import { displayDigest } from "../../workflow/digest.js";
import { InputError, UsageError } from "../../workspace/errors.js";
import { findSpec } from "../../workspace/find-spec.js";
import { specHistory } from "../../workspace/spec-history.js";
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

export const logCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("log", argv, { json: { type: "boolean" }, ...COMMON_OPTIONS });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("log: give one spec, e.g. techspec log FEAT-0001");
  const { spec } = await findSpec(io.cwd, positionals[0]!, values.config);
  const history = await specHistory(spec.path);
  if ("problem" in history) throw new InputError(`${spec.display}: ${history.problem}`);
  const entries = history.entries.map(({ spec: _version, ...entry }) => entry);
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
