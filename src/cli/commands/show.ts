import type { Spec } from "../../model/spec.js";
import { UsageError } from "../../workspace/errors.js";
import { findSpec } from "../../workspace/find-spec.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";

const HELP = `Usage: techspec show <path|featureId> [--json]

Prints the model of one spec: a readable summary, or with --json the model as JSON.

Options:
  --json               print the model as JSON
  -c, --config <file>  use this configuration file
  -h, --help           show this help
`;

export const show: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("show", argv, {
    json: { type: "boolean" },
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const target = positionals[0];
  if (target === undefined || positionals.length > 1) throw new UsageError('show: give one spec path or Feature ID, e.g. techspec show FEAT-0001');
  const { spec: found } = await findSpec(io.cwd, target, values.config);
  const spec = found.parsed.spec;
  io.stdout(values.json ? `${JSON.stringify(spec, null, 2)}\n` : summary(spec));
  return 0;
};

function summary(spec: Spec): string {
  const m = spec.metadata;
  const lines: string[] = [];
  const na = (v: string | null): string => v ?? "—";
  lines.push(`${spec.title ?? "(untitled)"}`, `${spec.path}`, "");
  lines.push(`  Feature ID    ${na(m.featureId)}`, `  Status        ${na(m.status)}`, `  Author        ${na(m.author)}`,
    `  Created       ${na(m.createdDate)}`, `  Last Updated  ${na(m.lastUpdated)}`, "");
  if (spec.introduction) lines.push(wrap(spec.introduction.replace(/\s+/g, " "), 96, "  "), "");
  const section = (title: string, items: string[]): void => {
    lines.push(`${title} (${items.length})`);
    for (const it of items) lines.push(`  ${it}`);
    lines.push("");
  };
  section("Related documents", spec.relatedDocuments.map((d) => `${d.title}${d.href ? ` → ${d.href}` : ""}`));
  section("Components", spec.architecture.components.map((c) => `${c.name}${c.dependencies.length ? ` (depends on ${c.dependencies.join(", ")})` : ""}`));
  section("Entities", spec.dataModel.entities.map((e) => `${e.name}: ${e.fields.map((f) => `${f.name} ${f.type}`).join(", ")}`));
  section("APIs", spec.apis.map((a) => `${(a.method ?? "?").toUpperCase().padEnd(7)}${a.endpoint ?? "?"}  ${a.name}`));
  section("Open questions", [...spec.openQuestions]);
  section("Approvals", spec.approvals.map((a) => `${a.role}: ${a.name || "—"} (${a.decision || "no decision"})`));
  const extra = spec.sections.filter((s) => s.key === null);
  if (extra.length) section("Other sections", extra.map((s) => `${s.heading} (line ${s.line})`));
  return `${lines.join("\n").trimEnd()}\n`;
}

function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + word.length + 1 > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out.join("\n");
}
