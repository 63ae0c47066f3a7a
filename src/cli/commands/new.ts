import { isAbsolute, join, resolve } from "node:path";
import { InputError, UsageError } from "../../workspace/errors.js";
import { createSpec, nextFeatureId } from "../../workspace/new-spec.js";
import { displayPath, loadWorkspace } from "../../workspace/workspace.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import { today, type Command } from "../io.js";

const HELP = `Usage: techspec new "<title>" [--id ID] [--author "Name, Role"] [--dir DIR]

Creates <dir>/<id>-<slug>/ with technical-specification.md and its four related documents
(PRD.md, ui-ux-design.md, implementation-plan.md, test-plan.md), dates set to today.

Options:
  --id <id>            Feature ID to use (default: the next free one, e.g. FEAT-0004)
  --author <text>      author line, e.g. "Ada Lovelace, Staff Engineer"
  --dir <dir>          parent folder (default: "specsDir" of the configuration, or specs/)
  --json               print the new spec's ID and files as JSON
  -c, --config <file>  use this configuration file
  -h, --help           show this help
`;

export const newCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("new", argv, {
    id: { type: "string" },
    author: { type: "string" },
    dir: { type: "string" },
    json: { type: "boolean" },
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('new: give the title as one argument, e.g. techspec new "Refund processing"');
  const ws = await loadWorkspace(io.cwd, { ...(values.config ? { config: values.config } : {}), allowEmpty: true });
  const used = ws.specs.map((s) => s.parsed?.spec.metadata.featureId ?? null);
  let id = values.id?.trim();
  if (id !== undefined) {
    if (!new RegExp(ws.config.settings.featureIdPattern).test(id)) {
      throw new UsageError(`new: --id "${id}" does not match the Feature ID pattern ${ws.config.settings.featureIdPattern}`);
    }
    const clash = ws.specs.find((s) => s.parsed?.spec.metadata.featureId === id);
    if (clash) throw new InputError(`Feature ID ${id} is already used by ${clash.display}`);
  } else {
    id = nextFeatureId(used, ws.config.idPrefix, ws.config.idDigits);
  }
  const dir = values.dir !== undefined ? resolve(io.cwd, values.dir) : isAbsolute(ws.config.specsDir) ? ws.config.specsDir : join(ws.config.file ? ws.root : io.cwd, ws.config.specsDir);
  const author = values.author?.trim() || null;
  const { folder, files } = createSpec({ title: positionals[0]!, id, author, dir, date: today(io) });
  if (values.json) io.stdout(`${JSON.stringify({ id, folder: displayPath(folder, io.cwd), files: files.map((f) => displayPath(f, io.cwd)) }, null, 2)}\n`);
  else io.stdout(`Created ${id} in ${displayPath(folder, io.cwd)}/\n${files.map((f) => `  ${displayPath(f, io.cwd)}`).join("\n")}\n`);
  return 0;
};
