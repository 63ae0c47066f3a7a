import { parseJson } from "../parse/parse-json.js";
import type { Rule } from "./rule.js";

export const jsonBlock: Rule = {
  id: "json-block",
  description: "Every JSON block (API examples, and any block marked json) parses as strict JSON.",
  defaultSeverity: "error",
  docs: {
    bad: "```json\n{\n  \"amount\": 1200\n  \"currency\": \"EUR\",\n}\n```",
    good: "```json\n{\n  \"amount\": 1200,\n  \"currency\": \"EUR\"\n}\n```",
  },
  check({ source }, report) {
    const done = new Set<number>();
    for (const ex of source.jsonExamples) {
      done.add(ex.block.line);
      if (ex.error) {
        const { line, column, message } = ex.error;
        report({ message: `Invalid JSON in ${describe(ex.path)}: ${message} at line ${line}, column ${column}`, at: { line, column, endLine: line, endColumn: column + 1 } });
      }
    }
    for (const b of source.codeBlocks) {
      if (done.has(b.line) || b.lang !== "json") continue;
      const r = parseJson(source.text.slice(b.contentStart, b.contentEnd));
      if (!r.ok) {
        const line = b.contentLine + r.line;
        const column = r.column + 1;
        report({ message: `Invalid JSON: ${r.message} at line ${line}, column ${column}`, at: { line, column, endLine: line, endColumn: column + 1 } });
      }
    }
  },
};

function describe(path: string): string {
  const m = /^apis\/(\d+)\/(requestBody|response)$/.exec(path);
  return m ? `the ${m[2] === "requestBody" ? "request body" : "response"} of API ${Number(m[1]) + 1}` : path;
}
