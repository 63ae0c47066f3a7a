import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The installed package's root folder (holding package.json, templates/ and schemas/). */
export function packageRoot(): string {
  // This file is dist/src/workspace/package-files.js in the package.
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
}

/** The package version from package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/**
 * The documentation of a lint rule as a file: URL into the package's own docs/rules.md (each rule is a heading
 * whose anchor is its id), or, with `page`, another shipped page (`verify.md`) without an anchor.
 */
export function ruleDocsUrl(ruleId: string, page: "rules.md" | "verify.md" = "rules.md"): string {
  const href = pathToFileURL(join(packageRoot(), "docs", page)).href;
  return page === "rules.md" ? `${href}#${ruleId}` : href;
}

/** Absolute path of the shipped configuration JSON Schema. */
export function configSchemaPath(): string {
  return join(packageRoot(), "schemas", "techspec.config.schema.json");
}

/** Names of the shipped templates: the technical specification and its four related documents. */
export const TEMPLATE_FILES = ["technical-specification.md", "PRD.md", "ui-ux-design.md", "implementation-plan.md", "test-plan.md"] as const;

/** Text of a shipped template. */
export function readTemplate(name: (typeof TEMPLATE_FILES)[number]): string {
  return readFileSync(join(packageRoot(), "templates", name), "utf8");
}
