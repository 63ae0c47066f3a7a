import type { Formatter } from "./formatter.js";
import { formatGithub } from "./github.js";
import { formatJson } from "./json.js";
import { formatJunit } from "./junit.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";

/** Names accepted by `--format`. */
export type FormatName = "text" | "json" | "sarif" | "junit" | "github";

/** Every output format by name. */
export const formatters: Record<FormatName, Formatter> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
};

export type { Formatter, LintReport } from "./formatter.js";
export { formatGithub, formatJson, formatJunit, formatSarif, formatText };
