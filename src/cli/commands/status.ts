import { parseSpec } from "../../parse/parse-spec.js";
import { lintSpec } from "../../rules/lint-spec.js";
import { FileHost } from "../../workspace/host.js";
import { planStatusMove, statusNamed } from "../../workflow/decisions.js";
import { RefusedError, UsageError } from "../../workspace/errors.js";
import { findSpec } from "../../workspace/find-spec.js";
import { rewriteSpecs } from "../../workspace/rewrite-specs.js";
import { rootFor } from "../../workspace/spec-roots.js";
import { workspacePathOf } from "../../workspace/workspace.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import { today, writeOptions, type Command } from "../io.js";

const HELP = `Usage: techspec status <spec|featureId> <status> [--json]

Moves a spec along its lifecycle and sets Last Updated to today. Allowed moves:
  Draft → In Review → Approved → Implemented → Archived, and In Review → Draft.
(Superseded is set with "techspec supersede OLD NEW".)

In Review and Approved are refused while lint reports errors for the spec at that status (a
placeholder or an empty section is a warning in a Draft and an error from review on); the refusal
lists the first five and how many there are. Approved is also refused while any required approval
is missing, pending, rejected, stale (the content changed after it was given), given by someone
who does not hold the role, or (where roles are configured) not pinned to the content; the refusal
lists each one. Only the Status and Last Updated lines change; every other byte of the file stays
as it was. The file is replaced through a temporary file and a rename, under a lock, and only if no
one changed it meanwhile.

Options:
  --json               print the result as JSON
  -c, --config <file>  use this configuration file
  -h, --help           show this help

Exit codes: 0 moved, 1 refused, 2 usage, configuration or input error.
`;

export const statusCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("status", argv, { json: { type: "boolean" }, ...COMMON_OPTIONS });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const [target, wanted] = positionals;
  if (!target || !wanted || positionals.length > 2) throw new UsageError('status: give a spec and a status, e.g. techspec status FEAT-0001 "In Review"');
  const named = statusNamed(wanted);
  if (!named.ok) throw new UsageError(`status: ${named.message}`);
  const to = named.status;
  const { ws, spec } = await findSpec(io.cwd, target, values.config, { edit: true });
  // The spec's own root's settings (in a workspace, a package may configure its rules and roles).
  const config = rootFor(ws.config, spec.path);
  const parsed = spec.parsed;
  const id = parsed.spec.metadata.featureId ?? spec.display;
  const date = today(io);
  const plan = planStatusMove(spec, to, {
    settings: config.settings, workspacePath: workspacePathOf(ws, spec.path), date,
    lint: (text) => lintSpec(parseSpec(text, spec.display), { settings: config.settings, rules: config.rules, overrides: config.overrides,
      host: new FileHost(ws.root, { signing: config.settings.signatures }).forSpec(spec.path) }),
  });
  if (!plan.ok) throw plan.kind === "usage" ? new UsageError(`status: ${plan.message}`) : new RefusedError(plan.message);
  const { from, edits } = plan;
  await rewriteSpecs([{ spec, edits }], writeOptions(io, ws.config));
  if (values.json) io.stdout(`${JSON.stringify({ spec: spec.display, featureId: parsed.spec.metadata.featureId, from, to, lastUpdated: date }, null, 2)}\n`);
  else io.stdout(`${id}: ${from ?? "no status"} → ${to} (Last Updated ${date}) in ${spec.display}\n`);
  return 0;
};
