import type { Diagnostic } from "../model/diagnostic.js";
import type { PositionMap } from "../model/position.js";
import type { SpecSource } from "../model/source.js";
import type { Spec } from "../model/spec.js";
import { MAX_JSON_DEPTH } from "../parse/parse-json.js";
import { problemSpan, type ModelProblem } from "../types/relational-model.js";
import { exportJsonSchema } from "./json-schema.js";
import { exportComponentFlowchart, exportErDiagram } from "./mermaid.js";
import { exportOpenApi } from "./openapi.js";
import type { SpecIdentity } from "./spec-identity.js";
import { checkSql, exportSql, type SqlDialect, type SqlNaming } from "./sql.js";
import { exportTypeScript } from "./typescript.js";
import { toYaml } from "./yaml.js";

/** Options some targets take. */
export interface ExportOptions {
  /** openapi: yaml (default) or json. */
  readonly format?: "yaml" | "json";
  readonly dialect?: SqlDialect;
  readonly naming?: SqlNaming;
  /** The Feature ID and title to name the spec by (see `specIdentity`); by default derived from the spec. */
  readonly identity?: SpecIdentity;
}

/** An export target: the model in, the artefact's text out. */
export interface Exporter {
  readonly id: string;
  readonly extension: string;
  readonly description: string;
  /** True when the artefact carries the spec's Feature ID and title (derived from its folder when the spec has none). */
  readonly usesIdentity?: boolean;
  /** True when the artefact is built from the APIs' JSON examples (so an example too deep to read makes it incomplete). */
  readonly usesExamples?: boolean;
  /** What makes the artefact impossible to produce faithfully; `run` throws an `ExportError` for such a spec. */
  check?(spec: Spec, options: ExportOptions): readonly ModelProblem[];
  run(spec: Spec, options: ExportOptions): string;
}

/** An OpenAPI document as `export openapi` writes it: YAML 1.1 quoting (dates and yes/no stay strings for every reader) or JSON. */
export function openApiText(doc: object, format: ExportOptions["format"]): string {
  return format === "json" ? `${JSON.stringify(doc, null, 2)}\n` : toYaml(doc);
}

/** Every export target, by the name `techspec export <target>` takes. */
export const exporters: readonly Exporter[] = [
  {
    id: "openapi",
    extension: ".openapi.yaml",
    description: "OpenAPI 3.1 (--format yaml|json): one operation per API, entity schemas in components",
    usesIdentity: true,
    usesExamples: true,
    run: (spec, options) => openApiText(exportOpenApi(spec, options.identity), options.format),
  },
  {
    id: "jsonschema",
    extension: ".schema.json",
    description: "JSON Schema 2020-12 of the Data Model, one $defs entry per entity",
    usesIdentity: true,
    run: (spec, options) => `${JSON.stringify(exportJsonSchema(spec, options.identity), null, 2)}\n`,
  },
  {
    id: "types",
    extension: ".ts",
    description: "TypeScript interfaces per entity and request/response types per API",
    usesExamples: true,
    run: exportTypeScript,
  },
  {
    id: "sql",
    extension: ".sql",
    description: "SQL DDL (--dialect postgres|sqlite): tables in dependency order, keys, checks, indexes",
    check: (spec, options) => checkSql(spec, { dialect: options.dialect ?? "postgres", naming: options.naming ?? "snake_case" }),
    run: (spec, options) => exportSql(spec, { dialect: options.dialect ?? "postgres", naming: options.naming ?? "snake_case" }),
  },
  {
    id: "mermaid",
    extension: ".mmd",
    description: "Mermaid diagrams: an erDiagram of the Data Model and a flowchart of the components",
    run: (spec) => `%% Data Model\n${exportErDiagram(spec)}\n%% Components\n${exportComponentFlowchart(spec)}`,
  },
];

/**
 * An exporter's problems with a parsed spec as diagnostics at the cells they concern (rule `export`); for targets built
 * from the examples, also each example nested too deep to be read (the artefact would lack its types).
 */
export function checkExport(exporter: Exporter, parsed: { readonly spec: Spec; readonly pos: PositionMap; readonly source: SpecSource }, options: ExportOptions): Diagnostic[] {
  const found: Diagnostic[] = (exporter.check?.(parsed.spec, options) ?? []).map((p) => ({
    file: parsed.spec.path, ...problemSpan(p, parsed.pos, parsed.source), rule: "export", severity: "error" as const,
    message: `cannot export ${exporter.id}: ${p.message}`,
  }));
  if (exporter.usesExamples) {
    for (const ex of parsed.source.jsonExamples) {
      if (!ex.error?.tooDeep) continue;
      const m = /^apis\/(\d+)\/(requestBody|response)$/.exec(ex.path);
      const what = m ? `the ${m[2] === "requestBody" ? "request body" : "response"} example of API ${Number(m[1]) + 1}` : `the example ${ex.path}`;
      const { line, column } = ex.error;
      found.push({ file: parsed.spec.path, line, column, endLine: line, endColumn: column + 1, rule: "export", severity: "error",
        message: `cannot export ${exporter.id}: ${what} is ${ex.error.message} (examples are read to ${MAX_JSON_DEPTH} levels; flatten or shorten it)` });
    }
  }
  return found;
}
