/** The service or database to verify cannot be reached (refused, timed out, wrong credentials); exit code 2. */
export class UnreachableError extends Error {
  readonly code = "INPUT";
  readonly unreachable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UnreachableError";
  }
}
