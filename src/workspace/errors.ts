/** A mistake in how a command was called; exit code 2. */
export class UsageError extends Error {
  readonly code = "USAGE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UsageError";
  }
}

/** A configuration file that cannot be used; exit code 2. */
export class ConfigError extends Error {
  readonly code = "CONFIG";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/** An input file or path that cannot be read as a spec; exit code 2. */
export class InputError extends Error {
  readonly code = "INPUT";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InputError";
  }
}

/** A lifecycle step the rules forbid (a transition, an approval by someone without the role); exit code 1. */
export class RefusedError extends Error {
  readonly code = "REFUSED";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RefusedError";
  }
}

/**
 * A file changed between the moment it was read and the moment it was to be replaced (another run or an editor
 * wrote it at the same time): nothing was written, and running the command again works from what is there now.
 * Exit code 2; the CLI first runs the command again a few times.
 */
export class RaceError extends Error {
  readonly code = "RACE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RaceError";
  }
}
