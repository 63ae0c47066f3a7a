import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "../model/diagnostic.js";
import { allFiles, sortDiagnostics, type Formatter } from "./formatter.js";

const SRCROOT = "%SRCROOT%";
const INFORMATION_URI = "https://www.npmjs.com/package/techspec";

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
  index?: number;
}

/** The cwd as a `file://` URI ending in `/`, for `originalUriBaseIds`. */
function baseUri(cwd: string): string {
  const href = pathToFileURL(path.resolve(cwd)).href;
  return href.endsWith("/") ? href : `${href}/`;
}

/**
 * A file's location: a percent-encoded POSIX path relative to cwd under %SRCROOT%,
 * or an absolute file:// URI (no base) when the file lies outside cwd.
 */
function artifactLocation(file: string, cwd: string): ArtifactLocation {
  const root = path.resolve(cwd);
  const abs = path.resolve(root, file);
  const rel = path.relative(root, abs);
  if (rel === "" || rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    return { uri: pathToFileURL(abs).href };
  }
  const uri = rel.split(path.sep).map(encodeURIComponent).join("/");
  return { uri, uriBaseId: SRCROOT };
}

/** A SARIF region, clamped to the schema's minimums (1-based, end not before start). */
function region(d: Diagnostic): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  const startLine = Math.max(1, Math.trunc(d.line) || 1);
  const startColumn = Math.max(1, Math.trunc(d.column) || 1);
  const endLine = Math.max(startLine, Math.trunc(d.endLine) || startLine);
  let endColumn = Math.max(1, Math.trunc(d.endColumn) || 1);
  if (endLine === startLine && endColumn < startColumn) endColumn = startColumn;
  return { startLine, startColumn, endLine, endColumn };
}

/** SARIF's level for a severity: "info" is a "note". */
function sarifLevel(severity: Diagnostic["severity"]): "error" | "warning" | "note" {
  return severity === "info" ? "note" : severity;
}

/** A suggestion as a SARIF fix: the replaced character range (offsets into the file) and the new text. */
function artifactChange(d: Diagnostic, fix: NonNullable<Diagnostic["fix"]>, cwd: string): Record<string, unknown> {
  return {
    artifactLocation: artifactLocation(d.file, cwd),
    replacements: [{ deletedRegion: { charOffset: fix.range[0], charLength: fix.range[1] - fix.range[0] }, insertedContent: { text: fix.text } }],
  };
}

/** SARIF 2.1.0 log with one run: driver rules, artifacts relative to %SRCROOT% (the cwd) and one result per diagnostic. */
export const formatSarif: Formatter = (report) => {
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = new Map<string, number>();
  for (const r of report.rules) {
    if (ruleIndex.has(r.id)) continue;
    ruleIndex.set(r.id, rules.length);
    const rule: Record<string, unknown> = {
      id: r.id,
      shortDescription: { text: r.description || r.id },
      defaultConfiguration: { level: sarifLevel(r.defaultSeverity) },
    };
    if (r.helpUri) rule["helpUri"] = r.helpUri;
    rules.push(rule);
  }
  const diagnostics = sortDiagnostics(report.diagnostics);
  // A diagnostic from a rule the report does not describe still gets a descriptor so ruleIndex stays valid.
  for (const d of diagnostics) {
    if (ruleIndex.has(d.rule)) continue;
    ruleIndex.set(d.rule, rules.length);
    rules.push({ id: d.rule, shortDescription: { text: d.rule }, defaultConfiguration: { level: sarifLevel(d.severity) }, ...(d.url ? { helpUri: d.url } : {}) });
  }

  const files = allFiles(report);
  const artifactIndex = new Map<string, number>();
  const artifacts = files.map((file, i) => {
    artifactIndex.set(file, i);
    return { location: artifactLocation(file, report.cwd) };
  });

  const results = diagnostics.map((d) => ({
    ruleId: d.rule,
    ruleIndex: ruleIndex.get(d.rule) ?? -1,
    level: sarifLevel(d.severity),
    message: { text: d.message },
    ...(d.suggestions?.length ? { fixes: d.suggestions.map((x) => ({ description: { text: x.message }, artifactChanges: [artifactChange(d, x.fix, report.cwd)] })) } : {}),
    locations: [
      {
        physicalLocation: {
          artifactLocation: { ...artifactLocation(d.file, report.cwd), index: artifactIndex.get(d.file) ?? -1 },
          region: region(d),
        },
      },
    ],
  }));

  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "techspec",
            version: report.toolVersion,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: baseUri(report.cwd) } },
        artifacts,
        results,
        ...(report.notes?.length ? { invocations: [{ executionSuccessful: true, toolExecutionNotifications: report.notes.map((text) => ({ level: "note", message: { text } })) }] } : {}),
        columnKind: "utf16CodeUnits",
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
