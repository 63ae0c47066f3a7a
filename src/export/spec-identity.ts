import type { Spec } from "../model/spec.js";

/** The Feature ID and title an artefact names a spec by, and which of them came from the folder's name. */
export interface SpecIdentity {
  readonly featureId: string;
  readonly title: string;
  /** What the spec does not say and was derived from its folder's name. */
  readonly derived: readonly ("Feature ID" | "title")[];
}

/**
 * The spec's Feature ID and title; what it does not say is derived from its folder (`folder`, or the last folder of
 * `spec.path`): `FEAT-0012-refund-flow` gives FEAT-0012 and "Refund flow", any other folder name stands for both.
 */
export function specIdentity(spec: Spec, folder?: string): SpecIdentity {
  const dir = folder ?? spec.path.split(/[\\/]/).slice(-2, -1)[0] ?? "";
  const name = dir.trim() || spec.path.split(/[\\/]/).pop()?.replace(/\.(?:md|markdown)$/i, "") || "spec";
  const m = /^([A-Za-z][A-Za-z0-9]*-\d+)(?:[-_ .]+(.*))?$/.exec(name);
  const words = m?.[2]?.replace(/[-_.]+/g, " ").trim();
  const fromFolder = { featureId: m ? m[1]!.toUpperCase() : name, title: words ? words[0]!.toUpperCase() + words.slice(1) : name };
  const derived: ("Feature ID" | "title")[] = [];
  const featureId = spec.metadata.featureId?.trim() || (derived.push("Feature ID"), fromFolder.featureId);
  const title = spec.title?.trim() || (derived.push("title"), fromFolder.title);
  return { featureId, title, derived };
}
