import type { Spec } from "../model/spec.js";
import { stringify } from "yaml";
import { exportJsonSchema } from "./json-schema.js";
import { exportComponentFlowchart, exportErDiagram } from "./mermaid.js";
import { exportOpenApi } from "./openapi.js";
import { exportSql, type SqlDialect, type SqlNaming } from "./sql.js";
import { exportTypeScript } from "./typescript.js";

/** Options some targets take. */
export interface ExportOptions {
  /** openapi: yaml (default) or json. */
  readonly format?: "yaml" | "json";
  readonly dialect?: SqlDialect;
  readonly naming?: SqlNaming;
}

/** An export target: the model in, the artefact's text out. */
export interface Exporter {
  readonly id: string;
  readonly extension: string;
  readonly description: string;
  run(spec: Spec, options: ExportOptions): string;
}

/** Every export target, by the name `techspec export <target>` takes. */
export const exporters: readonly Exporter[] = [
  {
    id: "openapi",
    extension: ".openapi.yaml",
    description: "OpenAPI 3.1 (--format yaml|json): one operation per API, entity schemas in components",
    run: (spec, options) => {
      const doc = exportOpenApi(spec);
      return options.format === "json" ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0, schema: "yaml-1.1" }); // 1.1 quoting: dates and yes/no stay strings for every reader
    },
  },
  {
    id: "jsonschema",
    extension: ".schema.json",
    description: "JSON Schema 2020-12 of the Data Model, one $defs entry per entity",
    run: (spec) => `${JSON.stringify(exportJsonSchema(spec), null, 2)}\n`,
  },
  {
    id: "types",
    extension: ".ts",
    description: "TypeScript interfaces per entity and request/response types per API",
    run: exportTypeScript,
  },
  {
    id: "sql",
    extension: ".sql",
    description: "SQL DDL (--dialect postgres|sqlite): tables in dependency order, keys, checks, indexes",
    run: (spec, options) => exportSql(spec, { dialect: options.dialect ?? "postgres", naming: options.naming ?? "snake_case" }),
  },
  {
    id: "mermaid",
    extension: ".mmd",
    description: "Mermaid diagrams: an erDiagram of the Data Model and a flowchart of the components",
    run: (spec) => `%% Data Model\n${exportErDiagram(spec)}\n%% Components\n${exportComponentFlowchart(spec)}`,
  },
];
