import type { Spec } from "../model/spec.js";
import { exportJsonSchema } from "./json-schema.js";
import { exportTypeScript } from "./typescript.js";

/** An export target: the model in, the artefact's text out. */
export interface Exporter {
  readonly id: string;
  readonly extension: string;
  readonly description: string;
  run(spec: Spec): string;
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
];
