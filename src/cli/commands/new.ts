import { isAbsolute, join, resolve } from "node:path";
import { InputError, UsageError } from "../../workspace/errors.js";
import { branchFeatureIds } from "../../workspace/feature-ids.js";
import { allocateFeatureId, createSpec } from "../../workspace/new-spec.js";
import { printable } from "../../workspace/paths.js";
import { rootFor, rootNamed, rootNames } from "../../workspace/spec-roots.js";
import { displayPath } from "../../workspace/paths.js";
import { loadWorkspace } from "../../workspace/workspace.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import { today, type Command } from "../io.js";

const HELP = `Usage: techspec new "<title>" [--id ID] [--author "Name, Role"] [--dir DIR] [--root NAME]

Creates <dir>/<id>-<slug>/ with technical-specification.md and its four related documents
(PRD.md, ui-ux-design.md, implementation-plan.md, test-plan.md), dates set to today.
In a git repository the next free ID is also past every ID used on a local or remote-tracking
branch, so specs started on two branches at once do not get the same ID.

Options:
  --id <id>            Feature ID to use (default: the next free one, e.g. FEAT-0004); refused when
                       a spec in the working tree or on any branch already has it
  --author <text>      author line, e.g. "Ada Lovelace, Staff Engineer"
  --dir <dir>          parent folder (default: "specsDir" of the configuration, or specs/)
  --root <name>        in a workspace ("workspaces" in techspec.config.json): the spec root to create
                       the spec in, by name or folder, e.g. packages/billing; the ID takes that root's
                       idPrefix (default: the root holding the current folder)
  --json               print the new spec's ID and files, and where the highest ID in use is, as JSON
  -c, --config <file>  use this configuration file
  -h, --help           show this help
`;

/** A Feature ID in use: in the working tree (`branch` null, `file` as displayed) or on a branch (`file` in the repository). */
interface Use {
  readonly id: string;
  readonly branch: string | null;
  readonly file: string;
  readonly from: "feature-id" | "folder-name";
  readonly branches: number;
}

/** Where a use is: the file, and on which branch. */
function where(use: Use): string {
  const file = printable(use.file);
  if (use.branch === null) return file;
  return `${use.from === "folder-name" ? "the folder name " : ""}${file} on branch ${use.branch}`;
}

export const newCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("new", argv, {
    id: { type: "string" },
    author: { type: "string" },
    dir: { type: "string" },
    root: { type: "string" },
    json: { type: "boolean" },
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('new: give the title as one argument, e.g. techspec new "Refund processing"');
  const ws = await loadWorkspace(io.cwd, { ...(values.config ? { config: values.config } : {}), allowEmpty: true });
  // The root the spec goes to: its prefix, digits and folder. IDs are counted across every root (one namespace per prefix).
  let root = rootFor(ws.config, io.cwd);
  if (values.root !== undefined) {
    const named = ws.config.roots?.length ? rootNamed(ws.config, values.root, io.cwd) : null;
    if (!named) {
      throw new UsageError(ws.config.roots?.length
        ? `new: unknown --root "${values.root}" (the spec roots: ${rootNames(ws.config)})`
        : `new: --root "${values.root}" needs "workspaces" in ${ws.config.file ?? "techspec.config.json"}, which lists the spec roots`);
    }
    root = named;
  }
  const local: Use[] = ws.specs.flatMap((s) => {
    const id = s.parsed?.spec.metadata.featureId;
    return id ? [{ id, branch: null, file: s.display, from: "feature-id" as const, branches: 0 }] : [];
  });
  let id = values.id?.trim();
  if (id !== undefined && !new RegExp(root.settings.featureIdPattern).test(id)) {
    throw new UsageError(`new: --id "${id}" does not match the Feature ID pattern ${root.settings.featureIdPattern}${root.name !== undefined ? ` of the spec root ${root.name}` : ""}`);
  }
  const clash = local.find((u) => u.id === id);
  if (clash) throw new InputError(`Feature ID ${id} is already used by ${clash.file}`);
  // Every branch's specs too, so that two branches opened the same day do not both take the next ID.
  const onBranches = await branchFeatureIds(ws.config, {
    known: ws.specs.flatMap((s) => (s.parsed ? [{ text: s.parsed.source.text, featureId: s.parsed.spec.metadata.featureId }] : [])),
    idPrefix: root.idPrefix,
  });
  const elsewhere: Use[] = (onBranches?.ids ?? []).map((u) => ({ id: u.id, branch: u.branch, file: u.path, from: u.from, branches: u.branches }));
  const allocation = allocateFeatureId(local, elsewhere, root.idPrefix, root.idDigits);
  if (id !== undefined) {
    const taken = elsewhere.find((u) => u.id === id && u.from === "feature-id") ?? elsewhere.find((u) => u.id === id);
    if (taken) {
      const more = taken.branches > 1 ? ` and ${taken.branches - 1} other branch${taken.branches === 2 ? "" : "es"}` : "";
      throw new InputError(`Feature ID ${id} is already used by ${where(taken)}${more} (choose another --id, or leave --id out to take the next free ID)`);
    }
  }
  // Said after the spec is created, so that a failure stays one line.
  const notes: string[] = [];
  if (id === undefined) {
    id = allocation.id;
    for (const { use, reason } of allocation.ignored.slice(0, 3)) notes.push(`${use.id} in ${where(use)} is not counted: ${reason}`);
    if (allocation.ignored.length > 3) notes.push(`${allocation.ignored.length - 3} more Feature IDs are not counted for the same reasons`);
  }
  const unread = onBranches?.skipped ?? [];
  if (unread.length > 0) {
    notes.push(`skipped ${unread.length === 1 ? "branch" : "branches"} ${unread.slice(0, 3).join(", ")}${unread.length > 3 ? ` and ${unread.length - 3} more` : ""}: git cannot read ${unread.length === 1 ? "its tree" : "their trees"}`);
  }
  const dir = values.dir !== undefined ? resolve(io.cwd, values.dir) : isAbsolute(root.specsDir) ? root.specsDir : join(ws.config.file ? root.root : io.cwd, root.specsDir);
  const author = values.author?.trim() || null;
  const { folder, files } = createSpec({ title: positionals[0]!, id, author, dir, date: today(io) });
  if (values.json) {
    const h = allocation.highest;
    io.stdout(`${JSON.stringify({
      id, ...(ws.config.roots?.length ? { root: root.name } : {}), folder: displayPath(folder, io.cwd), files: files.map((f) => displayPath(f, io.cwd)),
      highest: h && { id: h.id, branch: h.branch, file: h.file },
      branches: onBranches?.branches ?? 0,
      ignored: allocation.ignored.map(({ use, reason }) => ({ id: use.id, branch: use.branch, file: use.file, reason })),
    }, null, 2)}\n`);
  } else io.stdout(`Created ${id} in ${displayPath(folder, io.cwd)}/\n${files.map((f) => `  ${displayPath(f, io.cwd)}`).join("\n")}\n`);
  for (const note of notes) io.stderr(`techspec: note: ${note}\n`);
  return 0;
};
