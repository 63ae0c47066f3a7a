import { existsSync, mkdirSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { CONFIG_FILE } from "../../workspace/config.js";
import { InputError } from "../../workspace/errors.js";
import { writeAtomic } from "../../workspace/atomic-write.js";
import { configSchemaPath } from "../../workspace/package-files.js";
import { displayPath } from "../../workspace/paths.js";
import { parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";

const HELP = `Usage: techspec init [dir] [--force]

Creates techspec.config.json (with "$schema" pointing at the shipped JSON Schema) and a specs/ folder.

Options:
  --force     overwrite an existing techspec.config.json
  --json      print what was created as JSON
  -h, --help  show this help
`;

export const init: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("init", argv, {
    force: { type: "boolean" },
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const dir = resolve(io.cwd, positionals[0] ?? ".");
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InputError(`${positionals[0]}: exists and is not a folder`);
  const file = join(dir, CONFIG_FILE);
  if (existsSync(file) && !values.force) throw new InputError(`${displayPath(file, io.cwd)} already exists (use --force to overwrite it)`);
  mkdirSync(join(dir, "specs"), { recursive: true });
  let schema = relative(dir, configSchemaPath()).split(sep).join("/");
  if (!schema.startsWith(".")) schema = `./${schema}`;
  const config = {
    $schema: schema,
    specs: ["specs/**/technical-specification.md"],
    specsDir: "specs",
    idPrefix: "FEAT-",
    idDigits: 4,
    approvalRoles: ["Engineering Lead", "Architecture Lead", "Security Lead"],
    roles: { "Engineering Lead": [], "Architecture Lead": [], "Security Lead": [] },
    requiredApprovals: [],
    rules: {},
  };
  writeAtomic(file, `${JSON.stringify(config, null, 2)}\n`);
  if (values.json) io.stdout(`${JSON.stringify({ config: displayPath(file, io.cwd), specsDir: displayPath(join(dir, "specs"), io.cwd) }, null, 2)}\n`);
  else io.stdout(`Created ${displayPath(file, io.cwd)} and ${displayPath(join(dir, "specs"), io.cwd)}/\nNext: add who holds each role to "roles", then techspec new "My feature"\n`);
  return 0;
};
