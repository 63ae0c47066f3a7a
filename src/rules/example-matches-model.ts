import { visit } from "jsonc-parser";
import type { Span } from "../model/position.js";
import { excerpt } from "../parse/inline.js";
import { isJsonMediaType } from "../parse/sections/apis.js";
import type { JsonValue } from "../model/spec.js";
import type { FieldInfo } from "../types/field-info.js";
import type { DataType } from "../types/data-type.js";
import type { Rule } from "./rule.js";

type JsonPath = (string | number)[];

export const exampleMatchesModel: Rule = {
  id: "example-matches-model",
  description: "A request or response example whose fields belong to an entity agrees with the entity's types (an enum value outside the enum is a warning).",
  defaultSeverity: "error",
  docs: {
    bad: "| amount | Integer | Amount in cents | Not null |\n...\n```json\n{ \"refundId\": \"r-1\", \"amount\": \"12.50\" }\n```",
    good: "| amount | Integer | Amount in cents | Not null |\n...\n```json\n{ \"refundId\": \"r-1\", \"amount\": 1250 }\n```",
  },
  check({ spec, source, field }, report) {
    if (spec.dataModel.entities.length === 0 || source.jsonExamples.length === 0) return;
    const entities = spec.dataModel.entities.map((e) => {
      const fields = new Map<string, FieldInfo>();
      for (const f of e.fields) if (f.name && !fields.has(f.name)) fields.set(f.name, field(f));
      return { name: e.name, key: e.name.toLowerCase().replace(/[^a-z0-9]/g, ""), fields };
    });
    for (const ex of source.jsonExamples) {
      if (ex.error) continue;
      const m = /^apis\/(\d+)\/(requestBody|response)$/.exec(ex.path);
      if (!m) continue;
      const api = spec.apis[Number(m[1])];
      const value = api ? (m[2] === "requestBody" ? api.requestBody : api.response) : null;
      // A text example (markdown, XML, …) is a string, not an object to compare with the Data Model.
      const mediaType = api ? (m[2] === "requestBody" ? api.requestMediaType : api.responseMediaType) : null;
      if (value === null || (mediaType != null && !isJsonMediaType(mediaType))) continue;
      const raw = source.text.slice(ex.block.contentStart, ex.block.contentEnd);
      const found: { path: JsonPath; message: string; severity: "warning" | undefined; at: { offset: number; length: number } | null }[] = [];
      // An entity named in the API's name or endpoint wins a tie between entities sharing field names.
      const hint = `${api!.name} ${api!.endpoint ?? ""}`.toLowerCase().replace(/[^a-z0-9]/g, "");
      walk(value, [], entities, hint, (path, entity, field, problem, severity) => {
        // A key that occurs once in the block is found by a plain search (for the first few findings: each search may
        // read the whole block); the others in one pass over the block's JSON at the end.
        let at: { offset: number; length: number } | null = null;
        const last = path[path.length - 1];
        if (found.length < PLAIN_SEARCHES && typeof last === "string") {
          const needle = JSON.stringify(last);
          const i = raw.indexOf(needle);
          if (i >= 0 && raw.indexOf(needle, i + 1) < 0) at = { offset: i, length: needle.length };
        }
        found.push({
          path, at, severity,
          message: `${m[2] === "requestBody" ? "Request" : "Response"} example of API "${excerpt(api!.name)}": "${excerpt(path.join("."))}" ${problem} (${excerpt(entity)}.${excerpt(field.field.name)} is ${field.field.type}${field.required ? "" : field.nullable ? ", nullable" : ", optional"})`,
        });
      });
      const rest = found.filter((f) => f.at === null);
      const located = rest.length > 0 ? locateAll(raw, rest.map((f) => f.path)) : new Map<string, { offset: number; length: number }>();
      for (const f of found) {
        const at = f.at ?? located.get(pathKey(f.path)) ?? { offset: 0, length: 1 };
        report({ message: f.message, at: spanAt(source.lineStarts, ex.block.contentStart + at.offset, at.length), ...(f.severity ? { severity: f.severity } : {}) });
      }
    }
  },
};

/** Findings of one example located by a plain search of the block before the rest are located in one pass. */
const PLAIN_SEARCHES = 16;

const pathKey = (path: JsonPath): string => JSON.stringify(path);

/**
 * Where each path of a JSON text is, in one pass with jsonc-parser's visitor (a tree of an 8 MB example took a second
 * and 600 MB): a path ending in a key points at the first such key in the object at its parent path, a path ending in
 * an index at the whole value there.
 */
function locateAll(raw: string, paths: readonly JsonPath[]): Map<string, { offset: number; length: number }> {
  const wanted = new Set(paths.map(pathKey));
  const names = new Set(paths.map((p) => p[p.length - 1]).filter((s): s is string => typeof s === "string"));
  const indexed = paths.some((p) => typeof p[p.length - 1] === "number");
  const at = new Map<string, { offset: number; length: number }>();
  const put = (key: string, offset: number, length: number): void => {
    if (wanted.has(key) && !at.has(key)) at.set(key, { offset, length });
  };
  const valuePath = (pathSupplier: () => JsonPath): string | null => {
    if (!indexed) return null;
    const p = pathSupplier();
    return typeof p[p.length - 1] === "number" ? pathKey(p) : null;
  };
  const open: (string | null)[] = [];
  const starts: number[] = [];
  const begin = (offset: number, _length: number, _line: number, _column: number, pathSupplier: () => JsonPath): void => {
    open.push(valuePath(pathSupplier));
    starts.push(offset);
  };
  const end = (offset: number, length: number): void => {
    const key = open.pop();
    const start = starts.pop()!;
    if (key) put(key, start, offset + length - start);
  };
  visit(raw, {
    onObjectProperty: (property, offset, length, _line, _column, pathSupplier) => {
      if (names.has(property)) put(pathKey([...pathSupplier(), property]), offset, length);
    },
    onLiteralValue: (_value, offset, length, _line, _column, pathSupplier) => {
      const key = valuePath(pathSupplier);
      if (key) put(key, offset, length);
    },
    onObjectBegin: begin,
    onArrayBegin: begin,
    onObjectEnd: end,
    onArrayEnd: end,
  }, { disallowComments: true, allowTrailingComma: false });
  return at;
}

type Entities = readonly { name: string; key: string; fields: ReadonlyMap<string, FieldInfo> }[];
type Found = (path: JsonPath, entity: string, field: FieldInfo, problem: string, severity?: "warning") => void;

/** Checks every object in the example against the entity its keys belong to, recursing into nested values. */
function walk(value: JsonValue, path: JsonPath, entities: Entities, hint: string, found: Found): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, i], entities, hint, found));
    return;
  }
  if (value === null || typeof value !== "object") return;
  const keys = Object.keys(value);
  const entity = bestEntity(value, keys, entities, hint);
  for (const k of keys) {
    const v = value[k]!;
    const field = entity?.fields.get(k);
    if (entity && field) {
      const problem = mismatch(v, field);
      if (problem) found([...path, k], entity.name, field, problem.text, problem.warning ? "warning" : undefined);
      if (field.type.kind === "json") continue;
    }
    walk(v, [...path, k], entities, hint, found);
  }
}

/**
 * The entity whose fields cover most of the keys (at least two, and at least half of them); between equals,
 * the one the example fits best, then the one the API names.
 */
function bestEntity(value: { [key: string]: JsonValue }, keys: readonly string[], entities: Entities, hint: string): Entities[number] | undefined {
  let max = 1;
  let tied: Entities[number][] = [];
  for (const e of entities) {
    let hits = 0;
    for (const k of keys) if (e.fields.has(k)) hits++;
    if (hits < 2 || hits * 2 < keys.length || hits < max) continue;
    if (hits > max) {
      max = hits;
      tied = [];
    }
    tied.push(e);
  }
  if (tied.length <= 1) return tied[0];
  // Several entities share these field names: take the one the example fits, then the one the API names.
  let best: Entities[number] | undefined;
  let bestScore = -Infinity;
  for (const e of tied) {
    let misses = 0;
    for (const k of keys) {
      const f = e.fields.get(k);
      if (f && (value[k] === null ? f.required : !fits(value[k]!, f.type))) misses++;
    }
    const score = -misses * 10 + (e.key && hint.includes(e.key) ? 1 : 0);
    if (score > bestScore) {
      best = e;
      bestScore = score;
    }
  }
  return best;
}

/** Whether a value has the JSON type the field's type asks for (enum membership aside). */
function fits(v: JsonValue, t: DataType): boolean {
  switch (t.kind) {
    case "integer": return typeof v === "number" && Number.isInteger(v);
    case "float": return typeof v === "number";
    case "decimal": return typeof v === "number" || (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v));
    case "boolean": return typeof v === "boolean";
    case "enum": return typeof v === "string";
    case "array": return Array.isArray(v);
    case "json":
    case "unknown": return true;
    case "reference": return typeof v === "object" || typeof v === "string" || typeof v === "number";
    default: return typeof v === "string";
  }
}

const EXPECTED: Partial<Record<DataType["kind"], string>> = {
  integer: "an integer", float: "a number", decimal: "a decimal number", boolean: "a boolean", enum: "a string", array: "an array",
};

function mismatch(v: JsonValue, f: FieldInfo): { text: string; warning?: boolean } | null {
  if (v === null) return f.required ? { text: "is null but the field is required" } : null;
  const t = f.type;
  if (!fits(v, t)) {
    const got = Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`;
    const what = t.kind === "reference" ? `a ${t.entity} or its id` : EXPECTED[t.kind] ?? "a string";
    return { text: `is ${got} where the model says ${what}` };
  }
  if (t.kind === "enum" && !t.values.includes(v as string)) return { text: `is "${String(v)}", not one of ${t.values.join(", ")}`, warning: true };
  return null;
}

function spanAt(lineStarts: readonly number[], offset: number, length: number): Span {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  const column = offset - lineStarts[lo]! + 1;
  return { line: lo + 1, column, endLine: lo + 1, endColumn: column + Math.max(1, length) };
}
