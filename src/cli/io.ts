/** The terminal as commands see it; only `main.ts` binds it to the process. */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Milliseconds, for progress timing. */
  readonly now: () => number;
  /** Today's date as YYYY-MM-DD in local time. */
  readonly today: () => string;
}

/** A command: reads its own arguments, writes through `io`, returns the exit code. */
export type Command = (argv: string[], io: Io) => Promise<number>;

/** Whether to colour stdout: a TTY without NO_COLOR, or FORCE_COLOR set to something other than 0. */
export function useColor(io: Io): boolean {
  const force = io.env["FORCE_COLOR"];
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (io.env["NO_COLOR"] !== undefined && io.env["NO_COLOR"] !== "") return false;
  return io.stdoutIsTTY && io.env["TERM"] !== "dumb";
}
