import { PARSE_RULE, rules, workspaceRules } from "../../rules/index.js";
import { parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";

const HELP = `Usage: techspec rules [--json]

Lists the lint rules with their default severity (and the one while a spec is a Draft, where it
differs: those become errors from In Review on).
`;

export const rulesCommand: Command = async (argv, io) => {
  const { values } = parseCommandArgs("rules", argv, { json: { type: "boolean" }, help: { type: "boolean", short: "h" } });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const all = [PARSE_RULE, ...rules, ...workspaceRules].map((r) => ({
    id: r.id, severity: r.defaultSeverity, draftSeverity: ("draftSeverity" in r && r.draftSeverity) || r.defaultSeverity,
    fixable: "fixable" in r && r.fixable === true, description: r.description,
  }));
  if (values.json) {
    io.stdout(`${JSON.stringify(all, null, 2)}\n`);
    return 0;
  }
  const w = Math.max(...all.map((r) => r.id.length));
  const sev = (r: (typeof all)[number]): string => (r.draftSeverity !== r.severity ? `${r.severity} (${r.draftSeverity} in Draft)` : r.severity);
  const sw = Math.max(...all.map((r) => sev(r).length));
  io.stdout(`${all.map((r) => `${r.id.padEnd(w)}  ${sev(r).padEnd(sw)}  ${r.fixable ? "fix" : "   "}  ${r.description}`).join("\n")}\n`);
  return 0;
};
