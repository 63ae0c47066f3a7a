import { dirname } from "node:path";
import { planSupersede } from "../../workflow/decisions.js";
import { InputError, RefusedError, UsageError } from "../../workspace/errors.js";
import { findSpecs, type FoundSpec } from "../../workspace/find-spec.js";
import { posixRelative } from "../../workspace/paths.js";
import { rewriteSpecs } from "../../workspace/rewrite-specs.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import { today, writeOptions, type Command } from "../io.js";

const HELP = `Usage: techspec supersede <old spec|featureId> <new spec|featureId> [--json]

Marks OLD as superseded by NEW, with links both ways:
  OLD  **Status**: Superseded by [FEAT-0007](../FEAT-0007-x/technical-specification.md)
  NEW  **Supersedes**: [FEAT-0003](../FEAT-0003-y/technical-specification.md)
and sets OLD's Last Updated to today. Any status may become Superseded, once. Both files are
written or neither; only those lines change.

Options:
  --json               print the result as JSON
  -c, --config <file>  use this configuration file
  -h, --help           show this help

Exit codes: 0 done, 1 refused, 2 usage, configuration or input error.
`;

export const supersedeCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("supersede", argv, { json: { type: "boolean" }, ...COMMON_OPTIONS });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError("supersede: give the old and the new spec, e.g. techspec supersede FEAT-0003 FEAT-0007");
  const { ws, specs } = await findSpecs(io.cwd, positionals, values.config, { edit: true });
  const [old, neu] = specs as [FoundSpec["spec"], FoundSpec["spec"]];
  if (old.path === neu.path) throw new UsageError("supersede: a spec cannot supersede itself");
  const link = (from: string, to: string): string => posixRelative(dirname(from), to);
  const date = today(io);
  const plan = planSupersede(old, neu, date, { toNew: link(old.path, neu.path), toOld: link(neu.path, old.path) });
  if (!plan.ok) throw plan.kind === "usage" ? new InputError(plan.message) : new RefusedError(plan.message);
  const { oldId, newId, oldEdits, newEdits } = plan;
  // Both files are written or neither.
  await rewriteSpecs([{ spec: old, edits: oldEdits }, { spec: neu, edits: newEdits }], writeOptions(io, ws.config));
  if (values.json) io.stdout(`${JSON.stringify({ old: { spec: old.display, featureId: oldId, status: "Superseded", supersededBy: newId, lastUpdated: date }, new: { spec: neu.display, featureId: newId, supersedes: oldId } }, null, 2)}\n`);
  else io.stdout(`${oldId} is superseded by ${newId} (${old.display} ↔ ${neu.display})\n`);
  return 0;
};
