// Writes the generated files (config JSON Schema, docs/rules.md) from the code's own lists.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { generatedFiles } from "./generated-files.js";

for (const [path, content] of Object.entries(generatedFiles())) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${process.pid}.tmp`);
  writeFileSync(tmp, content);
  renameSync(tmp, path);
  process.stdout.write(`wrote ${path}\n`);
}
