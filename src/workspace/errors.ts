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
