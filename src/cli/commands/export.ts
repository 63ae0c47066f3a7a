import { existsSync, mkdirSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { checkExport, exporters, type Exporter, type ExportOptions } from "../../export/exporter.js";
import { specIdentity, type SpecIdentity } from "../../export/spec-identity.js";
import { InputError, UsageError } from "../../workspace/errors.js";
import { writeAtomic } from "../../workspace/atomic-write.js";
import { rootFor } from "../../workspace/spec-roots.js";
import { displayPath } from "../../workspace/paths.js";
import { loadWorkspace, type WorkspaceSpec } from "../../workspace/workspace.js";
import type { Diagnostic } from "../../model/diagnostic.js";
import { UniqueNames } from "../../model/unique-names.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import type { Command, Io } from "../io.js";

const HELP = `Usage: techspec export <target> <spec|dir> [-o FILE|DIR] [--format yaml|json] [--dialect postgres|sqlite] [--naming snake_case|preserve]

Compiles specs into artefacts. Targets:
${exporters.map((e) => `  ${e.id.padEnd(11)}${e.description}`).join("\n")}

One spec prints to stdout (or -o FILE); a folder of specs needs -o DIR and writes one file per spec,
named after its Feature ID. Files of the folder that cannot be read as specs are skipped and named
on stderr, and the exit code is then 2. A spec without a Feature ID or title is named after its folder
(said on stderr). A spec whose artefact cannot be produced faithfully (for sql: an entity without
fields, a foreign key PostgreSQL refuses, a Check outside the accepted grammar, ...) gets nothing
written: each reason is printed as file:line:column, and the command exits 2.

Options:
  -o, --output <path>  file (one spec) or folder (several)
  -f, --format <name>  openapi: yaml (default) or json
  --dialect <name>     sql: postgres (default) or sqlite
  --naming <style>     sql: snake_case (default, or "sqlNaming" of the configuration) or preserve
  --json               print what was written as JSON (with -o), or the artefact wrapped in JSON
  -c, --config <file>  use this configuration file
  -h, --help           show this help
`;

export const exportCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("export", argv, {
    output: { type: "string", short: "o" },
    format: { type: "string", short: "f" },
    dialect: { type: "string" },
    naming: { type: "string" },
    json: { type: "boolean" },
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const [targetName, source] = positionals;
  if (!targetName || !source || positionals.length > 2) {
    throw new UsageError(`export: give a target and a spec or folder, e.g. techspec export jsonschema specs/ -o out/ (targets: ${exporters.map((e) => e.id).join(", ")})`);
  }
  const exporter = exporters.find((e) => e.id === targetName);
  if (!exporter) throw new UsageError(`export: unknown target "${targetName}" (expected ${exporters.map((e) => e.id).join(", ")})`);
  const format = values.format ?? "yaml";
  if (format !== "yaml" && format !== "json") throw new UsageError(`export: unknown --format "${format}" (expected yaml or json)`);
  if (values.format !== undefined && exporter.id !== "openapi") throw new UsageError("export: --format applies to the openapi target only");
  const dialect = values.dialect ?? "postgres";
  if (dialect !== "postgres" && dialect !== "sqlite") throw new UsageError(`export: unknown --dialect "${dialect}" (expected postgres or sqlite)`);
  if ((values.dialect !== undefined || values.naming !== undefined) && exporter.id !== "sql") throw new UsageError("export: --dialect and --naming apply to the sql target only");
  const ws = await loadWorkspace(io.cwd, { ...(values.config ? { config: values.config } : {}), paths: [source] });
  const naming = values.naming ?? rootFor(ws.config, resolve(io.cwd, source)).sqlNaming;
  if (naming !== "snake_case" && naming !== "preserve") throw new UsageError(`export: unknown --naming "${naming}" (expected snake_case or preserve)`);
  const options = { format, dialect, naming } as const;
  const abs = resolve(io.cwd, source);
  if (ws.specs.length === 1 && ws.specs[0]!.path === abs) {
    // One file named (or a path that is not there): its artefact, or the lines saying why there is none.
    const spec = ws.specs[0]!;
    if (!spec.parsed) throw new InputError(spec.error ?? `${spec.display}: cannot be read`);
    const refused = refusals(exporter, spec, options, io);
    if (refused.length) {
      if (values.json) io.stdout(`${JSON.stringify({ target: exporter.id, spec: spec.display, problems: refused }, null, 2)}\n`);
      return 2;
    }
    const text = exporter.run(spec.parsed.spec, { ...options, identity: identityOf(exporter, spec, io) });
    if (values.output) writeAtomic(resolve(io.cwd, values.output), text);
    if (values.json) io.stdout(`${JSON.stringify({ target: exporter.id, spec: spec.display, ...(values.output ? { written: [displayPath(resolve(io.cwd, values.output), io.cwd)] } : { output: text }) }, null, 2)}\n`);
    else if (!values.output) io.stdout(text);
    return 0;
  }
  const readable = ws.specs.filter((s) => s.parsed !== null);
  const skipped = ws.specs.filter((s) => s.parsed === null);
  if (!values.output) throw new UsageError(`export: ${source} holds ${ws.specs.length} spec(s); give -o DIR to write one file each`);
  const outDir = resolve(io.cwd, values.output);
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new InputError(`${values.output}: exists and is not a folder`);
  // The specs that can be read are exported; the others are named on stderr afterwards and make the exit code 2.
  if (readable.length > 0) mkdirSync(outDir, { recursive: true });
  const names = new UniqueNames();
  const written: string[] = [];
  const problems: Diagnostic[] = [];
  for (const s of readable) {
    const refused = refusals(exporter, s, options, io);
    problems.push(...refused);
    if (refused.length) continue;
    const identity = identityOf(exporter, s, io);
    const id = identity.featureId;
    const ext = exporter.id === "openapi" && format === "json" ? ".openapi.json" : exporter.extension;
    const stem = id.replace(/[^\w.-]+/g, "_");
    const name = names.take(`${stem}${ext}`, (i) => `${stem}-${i}${ext}`);
    written.push(name);
    writeAtomic(join(outDir, name), exporter.run(s.parsed!.spec, { ...options, identity }));
  }
  const refusedSpecs = new Set(problems.map((d) => d.file)).size;
  if (values.json) {
    io.stdout(`${JSON.stringify({
      target: exporter.id, written: [...written].map((n) => displayPath(join(outDir, n), io.cwd)),
      skipped: skipped.map((s) => ({ spec: s.display, error: s.error })), ...(problems.length ? { problems } : {}),
    }, null, 2)}\n`);
  } else {
    const notes = [
      ...(skipped.length > 0 ? [`skipped ${skipped.length} file(s) that could not be read as specs`] : []),
      ...(refusedSpecs > 0 ? [`${refusedSpecs} spec(s) could not be exported`] : []),
    ];
    io.stdout(`Wrote ${written.length} file(s) to ${displayPath(outDir, io.cwd)}/${notes.length ? `; ${notes.join("; ")}` : ""}\n`);
  }
  for (const s of skipped) io.stderr(`techspec: ${s.error}\n`);
  return skipped.length > 0 || problems.length > 0 ? 2 : 0;
};

/** What makes a spec's artefact impossible, printed one line each as file:line:column; nothing is written for it. */
function refusals(exporter: Exporter, s: WorkspaceSpec, options: ExportOptions, io: Io): Diagnostic[] {
  const found = checkExport(exporter, s.parsed!, options).map((d) => ({ ...d, file: s.display }));
  for (const d of found) io.stderr(`techspec: ${d.file}:${d.line}:${d.column}: ${d.message} (nothing written for this spec)\n`);
  return found;
}

/** The spec's Feature ID and title, from its folder's name when it has none (said on stderr, one line per spec). */
function identityOf(exporter: Exporter, s: WorkspaceSpec, io: Io): SpecIdentity {
  const identity = specIdentity(s.parsed!.spec, basename(dirname(s.path)));
  if (exporter.usesIdentity && identity.derived.length) {
    const used = identity.derived.map((k) => (k === "title" ? `title "${identity.title}"` : `Feature ID "${identity.featureId}"`)).join(" and ");
    io.stderr(`techspec: ${s.display}: no ${identity.derived.join(" and no ")}; using ${used} from its folder's name\n`);
  }
  return identity;
}
