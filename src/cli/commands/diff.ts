import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { diffJson, diffMarkdown, diffText, summarizeDiff, type DiffReport } from "../../diff/format.js";
import { diffSpecs } from "../../diff/spec-diff.js";
import { NOT_A_SPEC, parseSpec } from "../../parse/parse-spec.js";
import { resolveConfig } from "../../workspace/config.js";
import { InputError, UsageError } from "../../workspace/errors.js";
import { findSpec } from "../../workspace/find-spec.js";
import { git, GitRepos } from "../../workspace/git.js";
import { printable } from "../../workspace/paths.js";
import { readSpecFile } from "../../workspace/read-spec.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";

const HELP = `Usage: techspec diff <spec|featureId> [--from REF] [--to REF] [--format text|json|markdown] [--fail-on breaking]
       techspec diff <old.md> <new.md> [...]

Shows what changed between two versions of a spec, by meaning rather than by line: metadata and
sections; components added or removed; entities and fields added, removed or retyped, constraint
changes; APIs added or removed; parameter, request body, response and status-code changes. Every
API and Data Model change is classified breaking or non-breaking, with the reason: a removed
endpoint, status code or response field, a new required request field or parameter, a narrowed or
changed type, a new required column without a default, a tightened constraint are breaking.

With one spec, compares the version at --from (default HEAD) with the one at --to (default: the
working file) in its git repository.

Options:
  --from <ref>          git revision of the old version (default HEAD)
  --to <ref>            git revision of the new version (default: the file on disk)
  -f, --format <name>   text (default), json or markdown (for a pull-request comment)
  --json                the same as --format json
  --fail-on <what>      exit 1 when there is a breaking change ("breaking") or any API or data change ("any")
  -c, --config <file>   use this configuration file
  -h, --help            show this help

Exit codes: 0 compared, 1 a change --fail-on names, 2 usage, configuration or input error.
`;

export const diffCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("diff", argv, {
    from: { type: "string" }, to: { type: "string" }, format: { type: "string", short: "f" }, json: { type: "boolean" }, "fail-on": { type: "string" }, ...COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const format = values.json ? "json" : (values.format ?? "text");
  if (!["text", "json", "markdown"].includes(format)) throw new UsageError(`diff: unknown --format "${values.format}" (expected text, json or markdown)`);
  const failOn = values["fail-on"];
  if (failOn !== undefined && failOn !== "breaking" && failOn !== "any") throw new UsageError(`diff: unknown --fail-on "${failOn}" (expected breaking or any)`);
  for (const [option, ref] of [["--from", values.from], ["--to", values.to]] as const) {
    if (ref === undefined) continue;
    if (ref.trim() === "") throw new UsageError(`diff: ${option} needs a git revision, e.g. ${option} main`);
    // "--output=FILE" or "-p" would be an option to git, not a revision: refused before git runs.
    if (ref.startsWith("-")) throw new UsageError(`diff: ${option} "${printable(ref)}" is not a git revision (a revision does not start with "-"); give a branch, tag or commit, e.g. ${option} main`);
  }
  let report: DiffReport;
  if (positionals.length === 2) {
    if (values.from !== undefined || values.to !== undefined) throw new UsageError("diff: --from and --to compare git versions of one spec; with two files give neither");
    const { maxFileSize } = await resolveConfig(io.cwd, values.config);
    const [a, b] = positionals.map((p) => {
      const abs = resolve(io.cwd, p);
      if (!existsSync(abs) || !statSync(abs).isFile()) throw new InputError(`${p}: no such file`);
      return { name: p, text: readSpecFile(abs, p, maxFileSize).text };
    }) as [{ name: string; text: string }, { name: string; text: string }];
    report = compare(a.text, a.name, b.text, b.name);
  } else if (positionals.length === 1) {
    const { spec } = await findSpec(io.cwd, positionals[0]!, values.config);
    const where = new GitRepos().locate(spec.path);
    if (!where) throw new InputError(`${spec.display}: not in a git repository; to compare two files, give both: techspec diff old.md new.md`);
    const { root, rel } = where;
    // The revision is resolved to a commit first, after --end-of-options, so no value can reach git as an option
    // or name anything but a commit; only then is the file read from it.
    const at = (ref: string): string => {
      const commit = git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])?.trim();
      if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) throw new InputError(`${spec.display}: not found at ${printable(ref)} ("${printable(ref)}" is not a revision of the repository at ${root})`);
      const text = git(root, ["show", "--end-of-options", `${commit}:${rel}`]);
      if (text === null) throw new InputError(`${spec.display}: not found at ${printable(ref)} (the file was not committed there)`);
      return text;
    };
    const from = values.from ?? "HEAD";
    const before = at(from);
    const after = values.to !== undefined ? at(values.to) : spec.parsed.source.text;
    report = compare(before, `${spec.display}@${from}`, after, values.to !== undefined ? `${spec.display}@${values.to}` : spec.display);
  } else {
    throw new UsageError("diff: give one spec (compared across git revisions) or two files, e.g. techspec diff FEAT-0001 --from main");
  }
  io.stdout(format === "json" ? diffJson(report) : format === "markdown" ? diffMarkdown(report) : diffText(report));
  const s = summarizeDiff(report.changes);
  if (failOn === "breaking" && s.breaking > 0) return 1;
  if (failOn === "any" && s.breaking + s.nonBreaking > 0) return 1;
  return 0;
};

function compare(beforeText: string, beforeName: string, afterText: string, afterName: string): DiffReport {
  const a = parseSpec(beforeText, beforeName);
  const b = parseSpec(afterText, afterName);
  for (const [p, name] of [[a, beforeName], [b, afterName]] as const) if (!p.source.isSpec) throw new InputError(`${name}: ${NOT_A_SPEC}`);
  return { from: beforeName, to: afterName, title: b.spec.title ?? a.spec.title, changes: diffSpecs(a.spec, b.spec) };
}
