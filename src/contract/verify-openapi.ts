// `techspec verify <spec> --openapi FILE`: an existing OpenAPI 3.0/3.1 document against the spec, through the
// semantic diff. The document is read as a spec (openapi-to-spec.ts) and diffed into the spec: the document is
// what exists, the spec what should be, so "added" is what the spec has and the document lacks, "removed" the
// reverse, and a change's impact (breaking or not) is that of making the document what the spec says.
import { diffSpecs, type Change, type ChangeArea } from "../diff/spec-diff.js";
import { sortDiagnostics, type Diagnostic } from "../model/diagnostic.js";
import type { Api, Spec } from "../model/spec.js";
import type { ParseResult } from "../parse/parse-spec.js";
import { OPENAPI_CHECKS } from "./checks.js";
import { findingAt, type ContractCheck } from "./finding.js";
import { readOpenApi, RefResolver, type OpenApiDocument } from "./openapi-document.js";
import { openApiToSpec, projectSpec, outsideOpenApi, type DocumentModel } from "./openapi-to-spec.js";
import { printable } from "./printable.js";
import { InputError } from "../workspace/errors.js";

const [OPERATION, PARAMETER, REQUEST, RESPONSE, STATUS, SCHEMA] = OPENAPI_CHECKS as [ContractCheck, ContractCheck, ContractCheck, ContractCheck, ContractCheck, ContractCheck];

const CHECK_OF: Partial<Record<ChangeArea, ContractCheck>> = {
  api: OPERATION, parameter: PARAMETER, request: REQUEST, response: RESPONSE, error: STATUS, entity: SCHEMA, field: SCHEMA,
};

/** What `verifyOpenApi` found. */
export interface OpenApiVerification {
  /** One finding per difference, at the spec's line for it; sorted. */
  readonly diagnostics: Diagnostic[];
  /** Operations the document has. */
  readonly operations: number;
  /** What was not compared, and why (references not followed, no components.schemas). */
  readonly notes: string[];
}

/**
 * Compares an OpenAPI 3.0/3.1 document (YAML or JSON text, named `documentName` in messages) with a parsed spec:
 * what either lacks or says otherwise, as findings at the spec's lines. Throws an InputError for a text
 * that is not such a document. `checks` limits the findings to those check ids.
 */
export function verifyOpenApi(parsed: ParseResult, documentText: string, documentName: string, options: { checks?: ReadonlySet<string> } = {}): OpenApiVerification {
  const doc = readOpenApi(documentText, documentName);
  const refs = new RefResolver(doc.root);
  const { model, changes } = compare(doc, projectSpec(parsed.spec), refs, documentName);
  const place = placer(parsed.spec);
  const diagnostics: Diagnostic[] = [];
  for (const c of changes) {
    const check = CHECK_OF[c.area];
    if (!check || (options.checks && !options.checks.has(check.id))) continue;
    const at = place(c);
    diagnostics.push(findingAt(parsed, at.path, check, message(c, at, documentName), c.impact === "breaking" ? "error" : "warning"));
  }
  return { diagnostics: sortDiagnostics(diagnostics), operations: model.operations, notes: notes(refs, model, parsed.spec, documentName) };
}

/** The document read as a spec, and the diff from it to the (projected) spec. */
function compare(doc: OpenApiDocument, expected: Spec, refs: RefResolver, documentName: string): { model: DocumentModel; changes: Change[] } {
  try {
    const model = openApiToSpec(doc, expected, refs);
    return { model, changes: diffSpecs(model.spec, expected) };
  } catch (err) {
    // Every walk is bounded; should one still fail, the document is refused rather than the run crashing.
    throw new InputError(`${documentName}: the document could not be compared (${printable(String((err as Error)?.message ?? err), 120)}; please report this file)`, { cause: err });
  }
}

/** Where a change is in the spec (a model path for `findingAt`), and its subject split into the API and the rest. */
interface Place {
  readonly path: string;
  /** The API's label (`POST /refunds`) for a change inside an API, else null. */
  readonly api: string | null;
  /** The parameter, field path, status or `Entity.field` the change is about. */
  readonly detail: string;
}

const label = (api: Api): string => `${api.method?.toUpperCase() ?? "?"} ${api.endpoint ?? "?"}`;

/**
 * Locates changes: an API's heading for the API itself, its parameter, error or body line when the spec has one,
 * an entity's heading or field row; what only the document has, at the API Design (or the entity) heading.
 */
function placer(spec: Spec): (c: Change) => Place {
  const apis = indexes(spec.apis.map(label));
  const entities = indexes(spec.dataModel.entities.map((e) => e.name));
  return (c) => {
    switch (c.area) {
      case "api": {
        const i = apis.index.get(c.kind === "removed" ? c.after ?? "" : c.subject);
        return { path: i === undefined ? "apis" : `apis/${i}`, api: null, detail: c.subject };
      }
      case "entity": {
        const i = entities.index.get(c.subject);
        return { path: i === undefined ? "dataModel" : `dataModel/entities/${i}`, api: null, detail: c.subject };
      }
      case "field": return fieldPlace(spec, c, entities);
      default: return apiPlace(spec, c, apis);
    }
  };
}

function fieldPlace(spec: Spec, c: Change, entities: Known): Place {
  const hit = splitKnown(c.subject, ".", entities);
  if (!hit) return { path: "dataModel", api: null, detail: c.subject };
  const [i, name] = hit;
  const j = c.kind === "removed" ? -1 : spec.dataModel.entities[i]!.fields.findIndex((f) => f.name === name);
  return { path: j < 0 ? `dataModel/entities/${i}` : `dataModel/entities/${i}/fields/${j}`, api: null, detail: c.subject };
}

function apiPlace(spec: Spec, c: Change, apis: Known): Place {
  const hit = splitKnown(c.subject, " ", apis);
  if (!hit) return { path: "apis", api: null, detail: c.subject };
  const [i, detail] = hit;
  const api = spec.apis[i]!;
  const base = `apis/${i}`;
  let path = base;
  if (c.area === "request") path = `${base}/requestBody`;
  else if (c.area === "response") path = `${base}/response`;
  else if (c.kind !== "removed" && c.area === "parameter") path = child(base, "parameters", api.parameters.findIndex((p) => p.name.toLowerCase() === detail.toLowerCase()));
  else if (c.kind !== "removed" && c.area === "error") path = child(base, "errors", api.errors.findIndex((e) => e.status === detail));
  return { path, api: label(api), detail };
}

function child(base: string, list: string, index: number): string {
  return index < 0 ? base : `${base}/${list}/${index}`;
}

/** Names by their index (of duplicates the last, the one the diff compares: it pairs through maps), and the longest. */
interface Known {
  readonly index: ReadonlyMap<string, number>;
  readonly longest: number;
}

function indexes(keys: readonly string[]): Known {
  return { index: new Map(keys.map((k, i) => [k, i])), longest: keys.reduce((n, k) => Math.max(n, k.length), 0) };
}

/**
 * The longest known prefix of `subject` followed by `sep`, with the rest: `POST /refunds 409` → [index of
 * "POST /refunds", "409"]. Only prefixes as long as a known name are tried (a subject may hold a long name).
 */
function splitKnown(subject: string, sep: string, known: Known): [number, string] | null {
  let hit: [number, string] | null = null;
  for (let at = subject.indexOf(sep); at >= 0 && at <= known.longest; at = subject.indexOf(sep, at + 1)) {
    const i = known.index.get(subject.slice(0, at));
    if (i !== undefined) hit = [i, subject.slice(at + sep.length)];
  }
  return hit;
}

const WHAT: Partial<Record<ChangeArea, string>> = {
  api: "Operation", parameter: "Parameter", request: "Request field", response: "Response field", error: "Status", entity: "Entity", field: "Field",
};

/** `Response field currency (string) of POST /refunds: in the spec, not in openapi.yaml (non-breaking: new response field)`. */
function message(c: Change, at: Place, documentName: string): string {
  const mediaType = (c.area === "request" || c.area === "response") && (c.reason ?? "").includes("media type");
  const what = mediaType ? `${c.area === "request" ? "Request" : "Response"} media type` : `${WHAT[c.area]} ${at.detail}`;
  const type = c.kind === "added" ? c.after : c.kind === "removed" ? c.before : undefined;
  const subject = `${what}${type ? ` (${type})` : ""}${at.api !== null ? ` of ${at.api}` : ""}`;
  const side = c.kind === "added" ? `in the spec, not in ${documentName}`
    : c.kind === "removed" ? `in ${documentName}, not in the spec`
    : `differs: spec ${c.after || "none"}, document ${c.before || "none"}`;
  return printable(`${subject}: ${side} (${c.impact ?? "non-breaking"}: ${c.reason ?? c.kind})`, 600);
}

/** What the comparison left out: references it did not follow, a Data Model it could not compare. */
function notes(refs: RefResolver, model: DocumentModel, spec: Spec, documentName: string): string[] {
  const out: string[] = [];
  const why = { external: "to another file or URL (not fetched)", missing: "to nothing in the document", cycle: "in a cycle of references" } as const;
  for (const kind of ["external", "missing", "cycle"] as const) {
    const refsOf = [...refs.unresolved].filter(([, w]) => w === kind).map(([r]) => r);
    if (refsOf.length === 0) continue;
    const shown = refsOf.slice(0, 3).map((r) => printable(r, 80)).join(", ");
    out.push(`${documentName}: ${refsOf.length} $ref${refsOf.length === 1 ? "" : "s"} ${why[kind]} read as any value: ${shown}${refsOf.length > 3 ? ", …" : ""}`);
  }
  const unsaid = spec.apis.filter(outsideOpenApi).map(label);
  if (unsaid.length > 0) out.push(`${unsaid.length} API${unsaid.length === 1 ? "" : "s"} of the spec with a method OpenAPI has no operation for, not compared: ${unsaid.slice(0, 3).map((l) => printable(l, 80)).join(", ")}${unsaid.length > 3 ? ", …" : ""}`);
  if (!model.schemas && spec.dataModel.entities.length > 0) out.push(`${documentName} has no components.schemas: the Data Model was not compared`);
  return out;
}
