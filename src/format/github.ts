import { sortDiagnostics, type Formatter } from "./formatter.js";

/** Escapes workflow-command data (the message): `%`, CR and LF. */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a workflow-command property value: the data escapes plus `:` and `,`. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** GitHub Actions workflow commands, one `::error|warning|notice file=..,line=..,col=..,endLine=..,endColumn=..,title=RULE::MESSAGE` per diagnostic. */
export const formatGithub: Formatter = (report) => {
  const lines = sortDiagnostics(report.diagnostics).map((d) => {
    const props = [
      `file=${escapeGithubProperty(d.file)}`,
      `line=${d.line}`,
      `col=${d.column}`,
      `endLine=${d.endLine}`,
      `endColumn=${d.endColumn}`,
      `title=${escapeGithubProperty(d.rule)}`,
    ].join(",");
    const command = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
    return `::${command} ${props}::${escapeGithubData(d.message)}`;
  });
  for (const note of report.notes ?? []) lines.push(`::notice title=techspec::${escapeGithubData(note)}`);
  return lines.length ? `${lines.join("\n")}\n` : "";
};
