import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../workspace/errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses a command's arguments strictly; unknown options and missing values become UsageErrors. */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs messages can span lines; a usage error is one line.
    let msg = (err as Error).message.split("\n")[0]!.replace(/\. To specify a positional argument.*$/s, "").replace(/^Unknown option/, "unknown option");
    const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(msg);
    if (ambiguous) msg = `option ${ambiguous[1]} needs a value; write ${ambiguous[1]}=VALUE for a value that starts with "-"`;
    throw new UsageError(`${command}: ${msg} (see "techspec ${command} --help")`, { cause: err });
  }
}

/** Options every workspace command takes. */
export const COMMON_OPTIONS = {
  config: { type: "string", short: "c" },
  help: { type: "boolean", short: "h" },
} as const;
