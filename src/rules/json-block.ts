import { locateJsonError, MAX_JSON_DEPTH, parseJson } from "../parse/parse-json.js";
import type { Rule } from "./rule.js";

export const jsonBlock: Rule = {
  id: "json-block",
  description: "Every JSON block (API examples, and any block marked json) parses as strict JSON; the parser reports API examples, this rule every other json block.",
  defaultSeverity: "error",
  docs: {
    bad: "```json\n{\n  \"amount\": 1200\n  \"currency\": \"EUR\",\n}\n```",
    good: "```json\n{\n  \"amount\": 1200,\n  \"currency\": \"EUR\"\n}\n```",
  },
  check({ source }, report) {
    // API examples were parsed into the model, and the parser reported their errors under this rule's id.
    const done = new Set(source.jsonExamples.map((ex) => ex.block.line));
    for (const b of source.codeBlocks) {
      if (done.has(b.line) || b.lang !== "json") continue;
      const r = parseJson(source.text.slice(b.contentStart, b.contentEnd));
      if (!r.ok) {
        const { line, column, endColumn } = locateJsonError(r, b, source.lines);
        const message = r.tooDeep
          ? `JSON ${r.message} at line ${line}, column ${column} (JSON blocks are read to ${MAX_JSON_DEPTH} levels; flatten or shorten it)`
          : `Invalid JSON: ${r.message} at line ${line}, column ${column}`;
        report({ message, at: { line, column, endLine: line, endColumn } });
      }
    }
  },
};
