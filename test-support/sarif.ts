// Validates SARIF logs against the official SARIF 2.1.0 schema (shipped in @microsoft/jest-sarif).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv-draft-04";

const sarifSchema = JSON.parse(
  readFileSync(path.resolve(process.cwd(), "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"),
) as Record<string, unknown>;

// ajv-draft-04 is CommonJS: under nodenext the default import is module.exports, whose `.default` is the class too.
// unicodeRegExp: false because the official schema's language pattern `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`
// has a stray `]` that is a syntax error under the `u` flag; the schema's formats are supplied below.
const AjvClass = Ajv.default;
const ajv = new AjvClass({ strict: false, allErrors: true, unicodeRegExp: false });
ajv.addFormat("uri", (s: string) => URL.canParse(s));
ajv.addFormat("uri-reference", (s: string) => URL.canParse(s, "file:///base/") && !/\s/.test(s));
ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
const validateSarif = ajv.compile(sarifSchema);

/** Fails with the schema's errors unless `log` is a valid SARIF 2.1.0 log. */
export function assertValidSarif(log: unknown): void {
  const ok = validateSarif(log);
  assert.ok(ok, `SARIF schema errors:\n${JSON.stringify(validateSarif.errors, null, 2)}`);
}
