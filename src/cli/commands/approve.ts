import { dirname } from "node:path";
import { planApproval } from "../../workflow/decisions.js";
import { formatPerson, parsePerson, type Person } from "../../workflow/people.js";
import { RefusedError, UsageError } from "../../workspace/errors.js";
import { findSpec } from "../../workspace/find-spec.js";
import { gitIdentity } from "../../workspace/git.js";
import { rewriteSpecs } from "../../workspace/rewrite-specs.js";
import { rootFor } from "../../workspace/spec-roots.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import { today, writeOptions, type Command } from "../io.js";

const HELP = `Usage: techspec approve <spec|featureId> --role ROLE [--reject --reason TEXT] [--as "Name <email>"] [--json]

Records your decision for one role on the spec's Approval block, with today's date and the
digest of the content you decided on (everything but the Approval block, Status and Last
Updated), for example:
  **Security Lead**: Jane Doe - Approved 2026-11-23 (sha256:<64 hex digits>)
Any later edit of the content makes the approval stale (lint rule approval-stale).

You are "git config user.name" <"git config user.email"> unless --as says otherwise, and you
must hold the role in the configuration's "roles". Only the role's line changes (or is added).

Options:
  --role <role>        the role you decide for (one of the spec's approval roles)
  --reject             record a rejection instead of an approval (needs --reason)
  --reason <text>      why, for a rejection
  --as <person>        "Name <email>" instead of the git identity
  --json               print the recorded decision as JSON
  -c, --config <file>  use this configuration file
  -h, --help           show this help

Exit codes: 0 recorded, 1 refused (you do not hold the role), 2 usage, configuration or input error.
`;

export const approveCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("approve", argv, {
    role: { type: "string" }, reject: { type: "boolean" }, reason: { type: "string" }, as: { type: "string" }, json: { type: "boolean" }, ...COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const [target] = positionals;
  if (!target || positionals.length > 1) throw new UsageError('approve: give one spec, e.g. techspec approve FEAT-0001 --role "Security Lead"');
  if (!values.role?.trim()) throw new UsageError('approve: give the role you decide for with --role, e.g. --role "Security Lead"');
  if (values.reject && !values.reason?.trim()) throw new UsageError("approve: --reject needs --reason TEXT saying why");
  if (!values.reject && values.reason !== undefined) throw new UsageError("approve: --reason goes with --reject");
  const { ws, spec } = await findSpec(io.cwd, target, values.config, { edit: true });
  const settings = rootFor(ws.config, spec.path).settings;
  const parsed = spec.parsed;
  let person: Person;
  if (values.as !== undefined) {
    person = parsePerson(values.as);
    if (!person.name || !person.email) throw new UsageError(`approve: --as needs "Name <email>" (got "${values.as}")`);
  } else {
    const id = gitIdentity(dirname(spec.path));
    if (!id) throw new UsageError('approve: no identity: set git config user.name and user.email, or pass --as "Name <email>"');
    person = id;
  }
  const plan = planApproval(spec, settings, {
    role: values.role, person, decision: values.reject ? "Rejected" : "Approved", reason: values.reject ? values.reason! : null, date: today(io), configFile: ws.config.file,
  });
  if (!plan.ok) throw plan.kind === "usage" ? new UsageError(`approve: ${plan.message}`) : new RefusedError(plan.message);
  const { role, decision, date, digest, reason } = plan;
  await rewriteSpecs([{ spec, edits: plan.edits }], writeOptions(io, ws.config));
  const id = parsed.spec.metadata.featureId ?? spec.display;
  if (values.json) {
    io.stdout(`${JSON.stringify({ spec: spec.display, featureId: parsed.spec.metadata.featureId, role, name: person.name, email: person.email, decision, date, digest, reason }, null, 2)}\n`);
  } else {
    io.stdout(`${id}: ${role} ${decision.toLowerCase()} by ${formatPerson(person)} on ${date} (${digest}) in ${spec.display}\n`);
    // With signed approvals the line counts only once a commit signed by this person holds it.
    if (settings.signatures?.required) io.stdout(`Commit it signed with your own key (git commit -S): only a commit signed by ${formatPerson(person)} makes this decision count\n`);
  }
  return 0;
};
