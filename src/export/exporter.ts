import type { Spec } from "../model/spec.js";
import { exportJsonSchema } from "./json-schema.js";
import { exportSql, type SqlDialect, type SqlNaming } from "./sql.js";
import { exportTypeScript } from "./typescript.js";

/** Options some targets take. */
export interface ExportOptions {
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
];
