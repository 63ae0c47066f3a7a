import type { ModelProblem } from "../types/relational-model.js";

/** An artefact that cannot be produced faithfully from a spec; `problems` say where and why (an input error, exit 2). */
export class ExportError extends Error {
  readonly code = "INPUT";
  readonly target: string;
  readonly problems: readonly ModelProblem[];

  constructor(target: string, problems: readonly ModelProblem[]) {
    super(`cannot export ${target}: ${problems[0]?.message ?? "no reason given"}${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : ""}`);
    this.name = "ExportError";
    this.target = target;
    this.problems = problems;
  }
}
