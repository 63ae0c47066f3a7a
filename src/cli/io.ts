import { localDate } from "../workflow/local-date.js";
import type { WriteHooks } from "../workspace/atomic-write.js";
import type { Leftovers } from "../workspace/leftovers.js";
import type { RewriteOptions } from "../workspace/rewrite-specs.js";

/** The terminal as commands see it; only `main.ts` binds it to the process. */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Text, or bytes already encoded (a report given again from the lint cache). */
  readonly stdout: (text: string | Uint8Array) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Monotonic milliseconds, for progress and durations only (never a date). */
  readonly timer: () => number;
  /** The current instant: the system clock, or a fixed one from TECHSPEC_NOW (read only in `main.ts`). */
  readonly now: () => Date;
  /** Where writes register their temporary and lock files, removed if the process is interrupted. */
  readonly leftovers: Leftovers;
  /** All of standard input as text (for --password-stdin). */
  readonly stdin?: () => Promise<string>;
  /** Resolves with the signal's name when the process is asked to stop (SIGINT, SIGTERM): for `serve`. */
  readonly stopped?: () => Promise<string>;
}

/** A command: reads its own arguments, writes through `io`, returns the exit code. */
export type Command = (argv: string[], io: Io) => Promise<number>;

/** The date of `now` in local time as YYYY-MM-DD: the date commands write into specs and compare with. */
export function today(io: Pick<Io, "now">): string {
  return localDate(io.now());
}

/** Whether to colour stdout: a TTY without NO_COLOR, or FORCE_COLOR set to something other than 0. */
export function useColor(io: Io): boolean {
  const force = io.env["FORCE_COLOR"];
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (io.env["NO_COLOR"] !== undefined && io.env["NO_COLOR"] !== "") return false;
  return io.stdoutIsTTY && io.env["TERM"] !== "dumb";
}

/** How commands rewrite specs: inside the configuration's root, registered for an interrupt, with the tests' pause. */
export function writeOptions(io: Io, config: { readonly root: string; readonly maxFileSize: number }): RewriteOptions {
  const hooks = writeHooks(io);
  return { root: config.root, maxFileSize: config.maxFileSize, leftovers: io.leftovers, ...(hooks ? { hooks } : {}) };
}

/** Milliseconds `TECHSPEC_TEST_PAUSE_BEFORE_RENAME` asks writes to stop between their temporary files and the renames, or 0. */
export function testPause(io: Pick<Io, "env">): number {
  const ms = Number(io.env["TECHSPEC_TEST_PAUSE_BEFORE_RENAME"] ?? "");
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/**
 * The pause tests use to interrupt a write, or to change a file under it, at its most delicate point. The write
 * itself is synchronous, so the pause is too (a signal is handled once the write is complete).
 */
function writeHooks(io: Pick<Io, "env">): WriteHooks | undefined {
  const ms = testPause(io);
  if (ms === 0) return undefined;
  return { beforeRename: () => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms) };
}
