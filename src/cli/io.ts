/** The terminal as commands see it; only `main.ts` binds it to the process. */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Monotonic milliseconds, for progress and durations only (never a date). */
  readonly timer: () => number;
  /** The current instant: the system clock, or a fixed one from TECHSPEC_NOW (read only in `main.ts`). */
  readonly now: () => Date;
}

/** A command: reads its own arguments, writes through `io`, returns the exit code. */
export type Command = (argv: string[], io: Io) => Promise<number>;

/** The date of `now` in local time as YYYY-MM-DD: the date commands write into specs and compare with. */
export function today(io: Pick<Io, "now">): string {
  const d = io.now();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Whether to colour stdout: a TTY without NO_COLOR, or FORCE_COLOR set to something other than 0. */
export function useColor(io: Io): boolean {
  const force = io.env["FORCE_COLOR"];
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (io.env["NO_COLOR"] !== undefined && io.env["NO_COLOR"] !== "") return false;
  return io.stdoutIsTTY && io.env["TERM"] !== "dumb";
}
