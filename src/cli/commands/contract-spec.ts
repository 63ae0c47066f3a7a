import type { ParseResult } from "../../parse/parse-spec.js";
import { InputError } from "../../workspace/errors.js";
import type { FoundSpec } from "../../workspace/find-spec.js";

/** The found spec's parse result with its display path as the file every finding names. */
export function specForContract(spec: FoundSpec["spec"], command: string): ParseResult {
  const parsed = { ...spec.parsed, spec: { ...spec.parsed.spec, path: spec.display } };
  if (command === "mock" && parsed.spec.apis.length === 0) throw new InputError(`${spec.display}: the spec documents no APIs to serve (add an API under "## API Design")`);
  return parsed;
}
