import type { Diagnostic } from "../model/diagnostic.js";
import { allFiles, groupByFile, sortDiagnostics, type Formatter } from "./formatter.js";

// Anything outside XML 1.0's Char production: C0 controls other than tab/LF/CR, lone surrogates, U+FFFE and U+FFFF.
const ILLEGAL_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for XML element content or a double- or single-quoted attribute, dropping characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text.replace(ILLEGAL_XML, "").replace(/[&<>"'\t\n\r]/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      case "'":
        return "&apos;";
      // Character references keep whitespace from being normalised away inside attribute values.
      case "\t":
        return "&#9;";
      case "\n":
        return "&#10;";
      default:
        return "&#13;";
    }
  });
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join("");
}

/** A failing testcase for an error or a warning; an info passes, its text in system-out. */
function testcase(d: Diagnostic): string {
  const name = `${d.rule} ${d.line}:${d.column}`;
  const body = `${d.file}:${d.line}:${d.column} ${d.severity} ${d.message} (${d.rule})`;
  if (d.severity === "info") return `    <testcase${attrs({ name, classname: d.file })}><system-out>${escapeXml(body)}</system-out></testcase>`;
  return [
    `    <testcase${attrs({ name, classname: d.file })}>`,
    `      <failure${attrs({ message: d.message, type: d.severity })}>${escapeXml(body)}</failure>`,
    `    </testcase>`,
  ].join("\n");
}

/** JUnit XML: one testsuite per linted file, one failing testcase per diagnostic, a passing "techspec" testcase for clean files. */
export const formatJunit: Formatter = (report) => {
  const groups = groupByFile(sortDiagnostics(report.diagnostics));
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const file of allFiles(report)) {
    const list = groups.get(file) ?? [];
    if (list.length === 0) {
      tests++;
      suites.push(
        [
          `  <testsuite${attrs({ name: file, tests: 1, failures: 0, errors: 0, skipped: 0 })}>`,
          `    <testcase${attrs({ name: "techspec", classname: file })}/>`,
          `  </testsuite>`,
        ].join("\n"),
      );
      continue;
    }
    const failed = list.filter((d) => d.severity !== "info").length;
    tests += list.length;
    failures += failed;
    suites.push(
      [
        `  <testsuite${attrs({ name: file, tests: list.length, failures: failed, errors: 0, skipped: 0 })}>`,
        ...list.map(testcase),
        `  </testsuite>`,
      ].join("\n"),
    );
  }
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites${attrs({ name: "techspec", tests, failures, errors: 0 })}>`,
    ...suites,
    `</testsuites>`,
    "",
  ].join("\n");
};
