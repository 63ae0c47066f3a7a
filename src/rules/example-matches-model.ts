import { findNodeAtLocation, parseTree, type Node } from "jsonc-parser";
import type { Span } from "../model/position.js";
import type { JsonValue } from "../model/spec.js";
import { fieldsOf, type FieldInfo } from "../types/field-info.js";
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
  check({ spec, source }, report) {
    const names = spec.dataModel.entities.map((e) => e.name);
    const entities = spec.dataModel.entities.map((e) => ({ name: e.name, fields: new Map(fieldsOf(e, names).map((f) => [f.field.name, f])) }));
    if (entities.length === 0) return;
    for (const ex of source.jsonExamples) {
      if (ex.error) continue;
      const m = /^apis\/(\d+)\/(requestBody|response)$/.exec(ex.path);
      if (!m) continue;
      const api = spec.apis[Number(m[1])];
      const value = api ? (m[2] === "requestBody" ? api.requestBody : api.response) : null;
      if (value === null) continue;
      let tree: Node | undefined;
      const locate = (path: JsonPath): Span => {
        tree ??= parseTree(source.text.slice(ex.block.contentStart, ex.block.contentEnd));
        const node = tree ? findNodeAtLocation(tree, path) : undefined;
        // Point at the key of the property (its parent node's first child), else at the value.
        const target = node?.parent?.type === "property" ? node.parent.children?.[0] ?? node : node;
        return spanAt(source.lineStarts, ex.block.contentStart + (target?.offset ?? 0), target?.length ?? 1);
      };
      walk(value, [], entities, (path, entity, field, problem, severity) => {
        report({
          message: `${m[2] === "requestBody" ? "Request" : "Response"} example of API "${api!.name}": "${path.join(".")}" ${problem} (${entity}.${field.field.name} is ${field.field.type}${field.required ? "" : field.nullable ? ", nullable" : ", optional"})`,
          at: locate(path),
          ...(severity ? { severity } : {}),
        });
      });
    }
  },
};

type Entities = readonly { name: string; fields: ReadonlyMap<string, FieldInfo> }[];
type Found = (path: JsonPath, entity: string, field: FieldInfo, problem: string, severity?: "warning") => void;

/** Checks every object in the example against the entity its keys belong to, recursing into nested values. */
function walk(value: JsonValue, path: JsonPath, entities: Entities, found: Found): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, i], entities, found));
    return;
  }
  if (value === null || typeof value !== "object") return;
  const keys = Object.keys(value);
  const entity = bestEntity(keys, entities);
  for (const k of keys) {
    const v = value[k]!;
    const field = entity?.fields.get(k);
    if (entity && field) {
      const problem = mismatch(v, field);
      if (problem) found([...path, k], entity.name, field, problem.text, problem.warning ? "warning" : undefined);
      if (field.type.kind === "json") continue;
    }
    walk(v, [...path, k], entities, found);
  }
}

/** The entity whose fields cover most of the keys: at least two, and at least half of them. */
function bestEntity(keys: readonly string[], entities: Entities): Entities[number] | undefined {
  let best: Entities[number] | undefined;
  let bestHits = 1;
  for (const e of entities) {
    let hits = 0;
    for (const k of keys) if (e.fields.has(k)) hits++;
    if (hits > bestHits && hits * 2 >= keys.length) {
      best = e;
      bestHits = hits;
    }
  }
  return best;
}

function mismatch(v: JsonValue, f: FieldInfo): { text: string; warning?: boolean } | null {
  if (v === null) return f.required ? { text: "is null but the field is required" } : null;
  const t: DataType = f.type;
  const got = Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`;
  const expect = (ok: boolean, what: string): { text: string } | null => (ok ? null : { text: `is ${got} where the model says ${what}` });
  switch (t.kind) {
    case "integer": return expect(typeof v === "number" && Number.isInteger(v), "an integer");
    case "float": return expect(typeof v === "number", "a number");
    case "decimal": return expect(typeof v === "number" || (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v)), "a decimal number");
    case "boolean": return expect(typeof v === "boolean", "a boolean");
    case "enum":
      if (typeof v !== "string") return expect(false, "a string");
      return t.values.includes(v) ? null : { text: `is "${v}", not one of ${t.values.join(", ")}`, warning: true };
    case "array": return expect(Array.isArray(v), "an array");
    case "json":
    case "unknown": return null;
    case "reference": return expect(typeof v === "object" || typeof v === "string" || typeof v === "number", `a ${t.entity} or its id`);
    default: return expect(typeof v === "string", "a string");
  }
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
