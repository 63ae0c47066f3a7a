import type { SpecStatus } from "../model/spec.js";

/** The moves `techspec status` allows; any status may also become Superseded (through `techspec supersede`). */
export const TRANSITIONS: Readonly<Record<string, readonly SpecStatus[]>> = {
  Draft: ["In Review"],
  "In Review": ["Approved", "Draft"],
  Approved: ["Implemented"],
  Implemented: ["Archived"],
  Archived: [],
  Superseded: [],
};

/** Whether a spec may move from one status to another; staying is not a move. */
export function canMove(from: SpecStatus | null, to: SpecStatus): boolean {
  if (to === "Superseded") return from !== "Superseded";
  if (from === null) return to === "Draft";
  return TRANSITIONS[from]?.includes(to) ?? false;
}

/** The statuses a spec may move to from `from`, for messages. */
export function nextStatuses(from: SpecStatus | null): SpecStatus[] {
  if (from === null) return ["Draft"];
  return [...(TRANSITIONS[from] ?? []), ...(from === "Superseded" ? [] : ["Superseded"])];
}
