/** A file or argument given to `mock` or `verify` that cannot be used (an unreadable OpenAPI document); exit code 2. */
export class ContractInputError extends Error {
  readonly code = "INPUT";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ContractInputError";
  }
}

/** The service or database to verify cannot be reached (refused, timed out, wrong credentials); exit code 2. */
export class UnreachableError extends Error {
  readonly code = "INPUT";
  readonly unreachable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UnreachableError";
  }
}
