// Semantic diff of two versions of a spec: what changed in its metadata, sections, components, Data Model and
// APIs, with every API and data change classified breaking or non-breaking and the reason why.
import type { Api, Entity, JsonValue, Spec } from "../model/spec.js";
import { trailingSlashesStart, unnamedParameters } from "../parse/path-template.js";
import type { DataType } from "../types/data-type.js";
import { fieldReader, fieldsOf, type FieldInfo } from "../types/field-info.js";

export type ChangeArea = "metadata" | "section" | "component" | "entity" | "field" | "api" | "parameter" | "request" | "response" | "error";

export interface Change {
  readonly area: ChangeArea;
  readonly kind: "added" | "removed" | "changed";
  /** What changed: "status", "Refund.amount", "POST /api/v1/refunds", "POST /api/v1/refunds 409". */
  readonly subject: string;
  readonly before?: string;
  readonly after?: string;
  /** For API and Data Model changes: whether existing clients or data break. */
  readonly impact?: "breaking" | "non-breaking";
  readonly reason?: string;
}

/** The changes from `a` to `b`, in a stable order: metadata, sections, components, Data Model, APIs. */
export function diffSpecs(a: Spec, b: Spec): Change[] {
  return [...metadata(a, b), ...sections(a, b), ...components(a, b), ...dataModel(a, b), ...apis(a, b)];
}

function metadata(a: Spec, b: Spec): Change[] {
  const out: Change[] = [];
  const pairs: [string, string | null, string | null][] = [
    ["title", a.title, b.title], ["featureId", a.metadata.featureId, b.metadata.featureId], ["author", a.metadata.author, b.metadata.author],
    ["createdDate", a.metadata.createdDate, b.metadata.createdDate], ["lastUpdated", a.metadata.lastUpdated, b.metadata.lastUpdated],
    ["status", a.metadata.status, b.metadata.status],
  ];
  for (const [subject, x, y] of pairs) if (x !== y) out.push(changed("metadata", subject, x, y));
  const approvals = (s: Spec): Map<string, string> => new Map(s.approvals.map((p) => [p.role, `${p.name} - ${p.decision}${p.date ? ` ${p.date}` : ""}`]));
  out.push(...keyed("metadata", approvals(a), approvals(b), (role) => `approval ${role}`));
  return out;
}

/** The prose of each section, by its title, for "section changed" reports. */
function sectionTexts(s: Spec): Map<string, string> {
  const m = new Map<string, string>();
  const put = (k: string, v: string | null | readonly string[]): void => {
    const text = Array.isArray(v) ? v.join("\n") : (v as string | null);
    if (text) m.set(k, text);
  };
  put("Introduction", s.introduction);
  put("Related Documents", s.relatedDocuments.map((l) => `${l.title} ${l.href ?? ""}`));
  put("Architecture", s.architecture.overview);
  put("System Context", s.architecture.systemContext);
  put("Data Model", s.dataModel.overview);
  put("Implementation Details", s.implementation.overview);
  put("Algorithms", s.implementation.algorithms);
  put("Libraries and Frameworks", s.implementation.libraries);
  put("Configuration", s.implementation.configuration);
  put("Security Considerations", s.implementation.security);
  put("Performance Considerations", s.implementation.performance);
  put("Scalability Considerations", s.implementation.scalability);
  put("Testing Approach", s.testing.overview);
  put("Unit Testing", s.testing.unit);
  put("Integration Testing", s.testing.integration);
  put("End-to-End Testing", s.testing.endToEnd);
  put("Deployment", s.deployment.overview);
  put("Deployment Dependencies", s.deployment.dependencies);
  put("Migration", s.deployment.migration);
  put("Rollback", s.deployment.rollback);
  put("Open Questions", s.openQuestions);
  put("References", s.references.map((l) => `${l.title} ${l.href ?? ""}`));
  for (const ref of s.sections) if (ref.key === null && ref.content) m.set(ref.heading, ref.content);
  return m;
}

/** Sections by title: added, removed, or with other prose (the prose itself is not repeated in the change). */
function sections(a: Spec, b: Spec): Change[] {
  return keyed("section", sectionTexts(a), sectionTexts(b), (k) => k, false);
}

function components(a: Spec, b: Spec): Change[] {
  const by = (s: Spec): Map<string, string> => new Map(s.architecture.components.map((c) => [c.name, [c.purpose, c.responsibilities, c.interfaces, c.dependencies.join(", ")].join("\n")]));
  return keyed("component", by(a), by(b), (k) => k, false);
}

function dataModel(a: Spec, b: Spec): Change[] {
  const readA = fieldReader(a.dataModel.entities.map((e) => e.name));
  const readB = fieldReader(b.dataModel.entities.map((e) => e.name));
  const ea = new Map(a.dataModel.entities.map((e) => [e.name.toLowerCase(), e]));
  const eb = new Map(b.dataModel.entities.map((e) => [e.name.toLowerCase(), e]));
  const out: Change[] = [];
  for (const [k, e] of ea) {
    const f = eb.get(k);
    if (!f) {
      out.push({ area: "entity", kind: "removed", subject: e.name, impact: "breaking", reason: "removed entity: its table and every reader of it lose the data" });
      continue;
    }
    out.push(...entityFields(e, fieldsOf(e, readA), fieldsOf(f, readB)));
  }
  for (const [k, e] of eb) if (!ea.has(k)) out.push({ area: "entity", kind: "added", subject: e.name, impact: "non-breaking", reason: "new entity" });
  return out;
}

function entityFields(e: Entity, before: readonly FieldInfo[], after: readonly FieldInfo[]): Change[] {
  const out: Change[] = [];
  const fa = new Map(before.map((f) => [f.field.name, f]));
  const fb = new Map(after.map((f) => [f.field.name, f]));
  const subject = (name: string): string => `${e.name}.${name}`;
  for (const [name, x] of fa) {
    const y = fb.get(name);
    if (!y) {
      out.push({ area: "field", kind: "removed", subject: subject(name), before: x.field.type, impact: "breaking", reason: "removed field" });
      continue;
    }
    if (typeText(x.type) !== typeText(y.type)) {
      const wider = widens(x.type, y.type);
      out.push({ area: "field", kind: "changed", subject: subject(name), before: x.field.type, after: y.field.type,
        impact: wider ? "non-breaking" : "breaking", reason: wider ? "widened type" : narrows(x.type, y.type) ? "narrowed type" : "changed type" });
    }
    out.push(...constraintChanges(subject(name), x, y));
  }
  for (const [name, y] of fb) {
    if (fa.has(name)) continue;
    const hasDefault = y.constraints.some((c) => c.kind === "default");
    const required = y.required && !hasDefault;
    out.push({ area: "field", kind: "added", subject: subject(name), after: y.field.type, impact: required ? "breaking" : "non-breaking",
      reason: required ? "new required field without a default: existing rows and writers lack it" : hasDefault ? "new field with a default" : "new optional field" });
  }
  return out;
}

function constraintChanges(subject: string, x: FieldInfo, y: FieldInfo): Change[] {
  const out: Change[] = [];
  const has = (f: FieldInfo, kind: string): boolean => f.constraints.some((c) => c.kind === kind);
  const text = (f: FieldInfo, kind: string): string => JSON.stringify(f.constraints.filter((c) => c.kind === kind));
  const rule = (name: string, tighter: boolean, before: string, after: string): void => {
    out.push({ area: "field", kind: "changed", subject, before, after, impact: tighter ? "breaking" : "non-breaking", reason: `${name} ${tighter ? "added or tightened" : "removed or relaxed"}` });
  };
  if (x.required !== y.required) rule("required", y.required, x.required ? "required" : "optional", y.required ? "required" : "optional");
  if (x.primaryKey !== y.primaryKey) out.push({ area: "field", kind: "changed", subject, before: x.primaryKey ? "primary key" : "", after: y.primaryKey ? "primary key" : "", impact: "breaking", reason: "primary key changed" });
  if (has(x, "unique") !== has(y, "unique")) rule("unique", has(y, "unique"), has(x, "unique") ? "unique" : "", has(y, "unique") ? "unique" : "");
  if (text(x, "foreignKey") !== text(y, "foreignKey")) rule("foreign key", has(y, "foreignKey"), x.field.constraints, y.field.constraints);
  if (text(x, "check") !== text(y, "check")) rule("check", has(y, "check"), x.field.constraints, y.field.constraints);
  for (const kind of ["minLength", "maxLength"] as const) {
    if (text(x, kind) !== text(y, kind)) rule(kind === "minLength" ? "minimum length" : "maximum length", has(y, kind), x.field.constraints, y.field.constraints);
  }
  if (text(x, "default") !== text(y, "default")) out.push({ area: "field", kind: "changed", subject, before: x.field.constraints, after: y.field.constraints, impact: "non-breaking", reason: "default changed" });
  if (has(x, "indexed") !== has(y, "indexed")) out.push({ area: "field", kind: "changed", subject, before: x.field.constraints, after: y.field.constraints, impact: "non-breaking", reason: "index changed" });
  return out;
}

function typeText(t: DataType): string {
  return JSON.stringify(t);
}

/** Every value of `from` is a value of `to`. */
function widens(from: DataType, to: DataType): boolean {
  if (from.kind === "string" && to.kind === "string") return to.maxLength === null || (from.maxLength !== null && to.maxLength >= from.maxLength);
  if (from.kind === "string" && to.kind === "text") return true;
  if ((from.kind === "email" || from.kind === "url" || from.kind === "uuid") && (to.kind === "text" || (to.kind === "string" && to.maxLength === null))) return true;
  if (from.kind === "integer" && to.kind === "integer") return rank(to.size) >= rank(from.size);
  if (from.kind === "integer" && (to.kind === "decimal" || to.kind === "float")) return true;
  if (from.kind === "decimal" && to.kind === "decimal") {
    return (to.precision === null || (from.precision !== null && to.precision >= from.precision)) && (to.scale ?? 0) >= (from.scale ?? 0);
  }
  if (from.kind === "enum" && to.kind === "enum") return from.values.every((v) => to.values.includes(v));
  if (from.kind === "enum" && (to.kind === "text" || (to.kind === "string" && to.maxLength === null))) return true;
  if (from.kind === "json" && to.kind === "json") return true;
  if (from.kind === "timestamp" && to.kind === "timestamp") return true;
  if (from.kind === "array" && to.kind === "array") return widens(from.items, to.items);
  return false;
}

/** Some values of `from` are no longer values of `to` (the reverse is a widening). */
function narrows(from: DataType, to: DataType): boolean {
  return widens(to, from);
}

function rank(size: "smallint" | "integer" | "bigint"): number {
  return size === "smallint" ? 0 : size === "integer" ? 1 : 2;
}

/** "POST /refunds/{}" — the identity of an API across versions (path parameter names aside). */
function apiKey(api: Api): string | null {
  if (!api.method || !api.endpoint) return null;
  const path = unnamedParameters(api.endpoint);
  return `${api.method.toUpperCase()} ${path.slice(0, trailingSlashesStart(path))}`;
}

const label = (api: Api): string => `${api.method?.toUpperCase() ?? "?"} ${api.endpoint ?? "?"}`;

function apis(a: Spec, b: Spec): Change[] {
  const out: Change[] = [];
  const xa = new Map(a.apis.filter((x) => apiKey(x)).map((x) => [apiKey(x)!, x]));
  const xb = new Map(b.apis.filter((x) => apiKey(x)).map((x) => [apiKey(x)!, x]));
  for (const [k, x] of xa) {
    const y = xb.get(k);
    if (!y) {
      const moved = b.apis.find((z) => z.name === x.name && apiKey(z) !== k);
      out.push({ area: "api", kind: "removed", subject: label(x), ...(moved ? { after: label(moved) } : {}), impact: "breaking",
        reason: moved ? `removed endpoint (${x.name} moved to ${label(moved)})` : "removed endpoint" });
      continue;
    }
    out.push(...apiChanges(x, y, b));
  }
  for (const [k, y] of xb) if (!xa.has(k)) out.push({ area: "api", kind: "added", subject: label(y), impact: "non-breaking", reason: "new endpoint" });
  return out;
}

function apiChanges(x: Api, y: Api, after: Spec): Change[] {
  const out: Change[] = [];
  const subject = label(y);
  // Parameters
  const pa = new Map(x.parameters.map((p) => [p.name.toLowerCase(), p]));
  const pb = new Map(y.parameters.map((p) => [p.name.toLowerCase(), p]));
  for (const [k, p] of pa) {
    const q = pb.get(k);
    if (!q) out.push({ area: "parameter", kind: "removed", subject: `${subject} ${p.name}`, impact: "non-breaking", reason: "removed parameter: clients that still send it are not refused" });
    else if ((p.type ?? "").toLowerCase() !== (q.type ?? "").toLowerCase()) {
      out.push({ area: "parameter", kind: "changed", subject: `${subject} ${p.name}`, before: p.type ?? "", after: q.type ?? "", impact: "breaking", reason: "changed parameter type" });
    }
  }
  for (const [k, q] of pb) {
    if (pa.has(k)) continue;
    const required = (y.endpoint ?? "").includes(`{${q.name}}`) || /\brequired\b/i.test(q.description ?? "");
    out.push({ area: "parameter", kind: "added", subject: `${subject} ${q.name}`, impact: required ? "breaking" : "non-breaking", reason: required ? "new required parameter" : "new optional parameter" });
  }
  // Bodies
  const optional = optionalFields(after);
  out.push(...bodyChanges("request", subject, x.requestBody, y.requestBody, optional, mediaTypes(x.requestBody, x.requestMediaType, y.requestBody, y.requestMediaType)));
  out.push(...bodyChanges("response", subject, x.response, y.response, optional, mediaTypes(x.response, x.responseMediaType, y.response, y.responseMediaType)));
  // Error codes
  const ca = new Map(x.errors.map((e) => [e.status, e]));
  const cb = new Map(y.errors.map((e) => [e.status, e]));
  for (const [k] of ca) if (!cb.has(k)) out.push({ area: "error", kind: "removed", subject: `${subject} ${k}`, impact: "breaking", reason: "removed status code: clients that handle it get another one" });
  for (const [k] of cb) if (!ca.has(k)) out.push({ area: "error", kind: "added", subject: `${subject} ${k}`, impact: "non-breaking", reason: "new status code" });
  return out;
}

/** Field names the Data Model marks optional (nullable, or with a default): such a new request field is not required. */
export function optionalFields(spec: Spec): Set<string> {
  const read = fieldReader(spec.dataModel.entities.map((e) => e.name));
  const out = new Set<string>();
  for (const e of spec.dataModel.entities) for (const f of fieldsOf(e, read)) if (!f.required || f.constraints.some((c) => c.kind === "default")) out.add(f.field.name);
  return out;
}

type JsonKind = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

/** The JSON type of a value, integers told from other numbers. */
export function kindOf(v: JsonValue): JsonKind {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v as JsonKind;
}

/** Every field path of an example with its JSON type: "items[].sku" → string. */
function flatten(v: JsonValue | null, prefix = "", out = new Map<string, JsonKind>()): Map<string, JsonKind> {
  if (v === null || typeof v !== "object") return out;
  if (Array.isArray(v)) {
    if (v.length > 0) flatten(v[0]!, `${prefix}[]`, out);
    return out;
  }
  for (const [k, x] of Object.entries(v)) {
    const path = prefix ? `${prefix}.${k}` : k;
    out.set(path, kindOf(x));
    flatten(x, path, out);
  }
  return out;
}

/** The media types of a body before and after when both versions have one and they differ (a model without one is JSON). */
function mediaTypes(x: JsonValue | null, xType: string | null | undefined, y: JsonValue | null, yType: string | null | undefined): [string, string] | null {
  if (x === null || y === null) return null;
  const before = xType ?? "application/json";
  const after = yType ?? "application/json";
  return before.toLowerCase() === after.toLowerCase() ? null : [before, after];
}

function bodyChanges(area: "request" | "response", api: string, x: JsonValue | null, y: JsonValue | null, optional: ReadonlySet<string>,
  media: [string, string] | null): Change[] {
  // Another media type is another body: clients sending or reading the old one break; its fields are not compared.
  if (media) {
    return [{ area, kind: "changed", subject: `${api} Content-Type`, before: media[0], after: media[1], impact: "breaking",
      reason: area === "request" ? "changed request media type: requests in the old one are refused" : "changed response media type: clients reading the old one fail" }];
  }
  const out: Change[] = [];
  const fa = flatten(x);
  const fb = flatten(y);
  for (const [path, t] of fa) {
    const u = fb.get(path);
    if (u === undefined) {
      out.push(area === "response"
        ? { area, kind: "removed", subject: `${api} ${path}`, before: t, impact: "breaking", reason: "removed response field" }
        : { area, kind: "removed", subject: `${api} ${path}`, before: t, impact: "non-breaking", reason: "removed request field: the server stops reading it" });
    } else if (t !== u && t !== "null" && u !== "null") {
      const widened = area === "request" && t === "integer" && u === "number";
      out.push({ area, kind: "changed", subject: `${api} ${path}`, before: t, after: u, impact: widened ? "non-breaking" : "breaking",
        reason: widened ? "widened request type" : area === "request" ? "narrowed or changed request type" : "changed response type" });
    }
  }
  for (const [path, u] of fb) {
    if (fa.has(path)) continue;
    const leaf = path.replace(/^.*[.\]]/, "");
    const required = area === "request" && !optional.has(leaf);
    out.push({ area, kind: "added", subject: `${api} ${path}`, after: u, impact: area === "response" || !required ? "non-breaking" : "breaking",
      reason: area === "response" ? "new response field" : required ? "new required request field" : "new optional request field (optional in the Data Model)" });
  }
  return out;
}

function changed(area: ChangeArea, subject: string, before: string | null, after: string | null): Change {
  if (before === null) return { area, kind: "added", subject, after: after ?? "" };
  if (after === null) return { area, kind: "removed", subject, before };
  return { area, kind: "changed", subject, before, after };
}

/** Entries of two maps added, removed or changed; with `values`, the changes carry the values before and after. */
function keyed(area: ChangeArea, x: Map<string, string>, y: Map<string, string>, name: (k: string) => string, values = true): Change[] {
  const out: Change[] = [];
  for (const [k, v] of x) {
    const w = y.get(k);
    if (w === undefined) out.push({ area, kind: "removed", subject: name(k), ...(values ? { before: v } : {}) });
    else if (w !== v) out.push({ area, kind: "changed", subject: name(k), ...(values ? { before: v, after: w } : {}) });
  }
  for (const [k, w] of y) if (!x.has(k)) out.push({ area, kind: "added", subject: name(k), ...(values ? { after: w } : {}) });
  return out;
}
