import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { before, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { exportJsonSchema } from "../src/export/json-schema.js";
import { specIdentity } from "../src/export/spec-identity.js";
import { exportTypeScript } from "../src/export/typescript.js";
import type { Spec } from "../src/model/spec.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import { exampleAndGeneratedSpecs } from "../test-support/specs.js";

const root = resolve(".");
const cli = join(root, "dist", "src", "cli", "main.js");
const specs: Spec[] = [];

before(() => {
  // The three examples and 200 generated specs (the corpus generator lives in ../shared/bench).
  specs.push(...exampleAndGeneratedSpecs(200, 7));
  assert.equal(specs.length, 203);
});

test("every JSON Schema compiles with ajv (2020-12, strict, formats) and has a $defs entry per entity", () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const addFormats = (addFormatsModule as unknown as { default: (a: Ajv2020) => void }).default ?? addFormatsModule;
  addFormats(ajv);
  for (const spec of specs) {
    const schema = exportJsonSchema(spec);
    const defs = schema["$defs"] as Record<string, { properties: Record<string, unknown>; required: string[] }>;
    for (const e of spec.dataModel.entities) assert.ok(defs[e.name], `${spec.path}: $defs.${e.name}`);
    for (const [name, def] of Object.entries(defs)) {
      const validate = ajv.compile({ ...schema, $id: `${String(schema["$id"])}/${name}`, $ref: `#/$defs/${name}` });
      // An object with every required field set to a value of the right type must validate.
      const entity = spec.dataModel.entities.find((e) => e.name === name)!;
      assert.ok(def.required.every((r) => entity.fields.some((f) => f.name === r)), `${spec.path}: required fields exist`);
      assert.equal(validate({}), def.required.length === 0, `${spec.path}: {} against ${name}`);
    }
  }
});

test("required and nullable follow the constraints", () => {
  const spec = parseSpec([
    "# Technical Specification: T", "", "## Overview", "", "**Feature ID**: FEAT-0001", "", "## Data Model", "", "### Entity 1: Account", "",
    "| Field | Type | Description | Constraints |", "|---|---|---|---|",
    "| id | UUID | Id | Primary key |", "| email | Email | Login | Not null, Unique, max length 120 |",
    "| nickname | String(40) | Shown name | Nullable |", "| plan | Enum(free, pro) | Plan | Not null, Default 'free' |",
    "| owner | Account | Parent account | Nullable |", "",
  ].join("\n")).spec;
  const defs = exportJsonSchema(spec)["$defs"] as Record<string, { properties: Record<string, Record<string, unknown>>; required: string[] }>;
  const a = defs["Account"]!;
  assert.deepEqual(a.required, ["id", "email", "plan"]);
  assert.deepEqual(a.properties["email"], { description: "Login", type: "string", format: "email", maxLength: 120 });
  assert.deepEqual(a.properties["nickname"]!["type"], ["string", "null"]);
  assert.deepEqual(a.properties["plan"], { description: "Plan", type: "string", enum: ["free", "pro"], default: "free" });
  assert.deepEqual(a.properties["owner"], { description: "Parent account", anyOf: [{ $ref: "#/$defs/Account" }, { type: "null" }] });
  const ts = exportTypeScript(spec);
  assert.match(ts, /export interface Account \{/);
  assert.match(ts, /  nickname\?: string \| null;/);
  assert.match(ts, /  plan: "free" \| "pro";/);
  assert.match(ts, /  owner\?: Account \| null;/);
});

test("the TypeScript output of every spec compiles with tsc --strict --noEmit", () => {
  const dir = mkdtempSync(join(tmpdir(), "techspec-types-"));
  specs.forEach((spec, i) => writeFileSync(join(dir, `spec-${i}.ts`), exportTypeScript(spec)));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "esnext", moduleResolution: "bundler", isolatedModules: true, types: [] },
    include: ["*.ts"],
  }));
  const r = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { encoding: "utf8" });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});

test("techspec export: one spec to stdout, a folder to -o DIR, bad target and missing -o are usage errors", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: root });
  const one = run("export", "types", "examples/specs/FEAT-0001-refund-processing/technical-specification.md");
  assert.equal(one.status, 0, one.stderr);
  assert.match(one.stdout, /export interface Refund \{/);
  const out = mkdtempSync(join(tmpdir(), "techspec-out-"));
  const many = run("export", "jsonschema", "examples", "-o", out);
  assert.equal(many.status, 0, many.stderr);
  assert.deepEqual(readdirSync(out).sort(), ["FEAT-0001.schema.json", "FEAT-0002.schema.json", "FEAT-0003.schema.json"]);
  assert.equal((JSON.parse(readFileSync(join(out, "FEAT-0001.schema.json"), "utf8")) as { $schema: string }).$schema, "https://json-schema.org/draft/2020-12/schema");
  const api = run("export", "openapi", "examples", "-o", join(out, "openapi"), "--format", "json");
  assert.equal(api.status, 0, api.stderr);
  assert.equal((JSON.parse(readFileSync(join(out, "openapi", "FEAT-0002.openapi.json"), "utf8")) as { openapi: string }).openapi, "3.1.0");
  const yaml = run("export", "openapi", "examples/specs/FEAT-0002-notification-preferences/technical-specification.md");
  assert.match(yaml.stdout, /^openapi: 3\.1\.0$/m);
  assert.match(yaml.stdout, /^  version: "2026-11-24"$/m);
  const sql = run("export", "sql", "examples", "-o", join(out, "sql"), "--dialect", "sqlite");
  assert.equal(sql.status, 0, sql.stderr);
  assert.match(readFileSync(join(out, "sql", "FEAT-0003.sql"), "utf8"), /CREATE TABLE "reservation" \(/);
  for (const args of [["export", "openapi-yaml", "examples"], ["export", "jsonschema", "examples"], ["export", "types"],
    ["export", "sql", "examples", "-o", out, "--dialect", "oracle"], ["export", "types", "examples", "-o", out, "--dialect", "sqlite"],
    ["export", "sql", "examples", "-o", out, "--naming", "kebab"], ["export", "openapi", "examples", "-o", out, "--format", "xml"],
    ["export", "sql", "examples", "-o", out, "--format", "json"]]) {
    const r = run(...args);
    assert.equal(r.status, 2, args.join(" "));
    assert.equal(r.stderr.trim().split("\n").length, 1);
    assert.match(r.stderr, /^techspec: export: /);
  }
});

test("techspec export sql refuses a Data Model it cannot write, naming file:line:column; writes the other specs", () => {
  const ws = mkdtempSync(join(tmpdir(), "techspec-refuse-"));
  const write = (folder: string, text: string): string => {
    mkdirSync(join(ws, "specs", folder), { recursive: true });
    writeFileSync(join(ws, "specs", folder, "technical-specification.md"), text);
    return `specs/${folder}/technical-specification.md`;
  };
  const table = "| Field | Type | Required | Description |\n|---|---|---|---|\n| id | UUID | Yes (PK) | Id |";
  const bad = write("FEAT-0012-refund-flow", `## Overview\n\n**Status**: Draft\n\n## Data Model\n\n### Entity 1: Refund\n\n${table}\n| orderId | Integer | Yes | Order |\n\n### Entity 2: Empty\n\nNothing yet.\n`);
  const good = write("payments", `# Technical Specification: Payments\n\n## Overview\n\n**Status**: Draft\n\n## Data Model\n\n### Entity 1: Payment\n\n${table}\n`);
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: ws });

  const one = run("export", "sql", bad, "-o", "out.sql");
  assert.equal(one.status, 2);
  assert.equal(one.stdout, "");
  assert.equal(one.stderr, `techspec: ${bad}:14:5: cannot export sql: Entity "Empty" has no fields: a table needs at least one column (give it a | Field | Type | Description | Constraints | table with a row per field) (nothing written for this spec)\n`);
  assert.ok(!existsSync(join(ws, "out.sql")), "nothing is written");
  const json = run("export", "sql", bad, "--json");
  assert.equal(json.status, 2);
  assert.deepEqual((JSON.parse(json.stdout) as { problems: { line: number; column: number }[] }).problems.map((p) => `${p.line}:${p.column}`), ["14:5"]);

  assert.equal(run("export", "sql", good).status, 0);
  const all = run("export", "sql", "specs", "-o", "sql");
  assert.equal(all.status, 2);
  assert.deepEqual(readdirSync(join(ws, "sql")), ["payments.sql"]);
  assert.match(all.stdout, /^Wrote 1 file\(s\) to sql\/; 1 spec\(s\) could not be exported$/m);
  assert.match(all.stderr, /^techspec: specs\/FEAT-0012-refund-flow\/technical-specification\.md:14:5: cannot export sql: /m);

  // Without a Feature ID or title the artefact is named after the folder, and stderr says so, once per spec.
  const api = run("export", "openapi", bad, "--format", "json");
  assert.equal(api.status, 0, api.stderr);
  const info = (JSON.parse(api.stdout) as { info: Record<string, string> }).info;
  assert.equal(info["title"], "Refund flow");
  assert.equal(info["x-feature-id"], "FEAT-0012");
  assert.equal(api.stderr, `techspec: ${bad}: no Feature ID and no title; using Feature ID "FEAT-0012" and title "Refund flow" from its folder's name\n`);
  const schemas = run("export", "jsonschema", "specs", "-o", "schemas");
  assert.equal(schemas.status, 0, schemas.stderr);
  assert.deepEqual(readdirSync(join(ws, "schemas")).sort(), ["FEAT-0012.schema.json", "payments.schema.json"]);
  assert.equal((JSON.parse(readFileSync(join(ws, "schemas", "payments.schema.json"), "utf8")) as { title: string; $id: string }).$id, "urn:techspec:payments");
  assert.equal(schemas.stderr.trim().split("\n").length, 2);
  assert.equal(run("export", "types", bad).stderr, "", "targets that carry no Feature ID say nothing");
});

test("specIdentity: the spec's own Feature ID and title, else its folder's", () => {
  const spec = (text: string, path: string) => parseSpec(text, path).spec;
  assert.deepEqual(specIdentity(spec("# Technical Specification: Refunds\n\n**Feature ID**: FEAT-0007\n", "specs/x/technical-specification.md")),
    { featureId: "FEAT-0007", title: "Refunds", derived: [] });
  assert.deepEqual(specIdentity(spec("## Overview\n\n**Status**: Draft\n", "specs/feat-0012_refund-flow/technical-specification.md")),
    { featureId: "FEAT-0012", title: "Refund flow", derived: ["Feature ID", "title"] });
  assert.deepEqual(specIdentity(spec("## Overview\n\n**Status**: Draft\n", "technical-specification.md"), "payments"),
    { featureId: "payments", title: "payments", derived: ["Feature ID", "title"] });
  assert.deepEqual(specIdentity(spec("## Overview\n\n**Status**: Draft\n", "technical-specification.md")),
    { featureId: "technical-specification", title: "technical-specification", derived: ["Feature ID", "title"] });
});

test("mermaid: an erDiagram block per entity with a relation per foreign key, and a flowchart edge per dependency", async () => {
  const { exportErDiagram, exportComponentFlowchart } = await import("../src/export/mermaid.js");
  const spec = specs.find((s) => s.metadata.featureId === "FEAT-0003")!;
  const er = exportErDiagram(spec);
  assert.match(er, /^erDiagram\n/);
  for (const e of spec.dataModel.entities) assert.match(er, new RegExp(`^  ${e.name} \\{$`, "m"));
  const fks = spec.dataModel.entities.flatMap((e) => e.fields.filter((f) => /foreign key/i.test(f.constraints)));
  assert.equal((er.match(/--o\{/g) ?? []).length, fks.length);
  const flow = exportComponentFlowchart(spec);
  assert.match(flow, /^flowchart LR\n/);
  const deps = spec.architecture.components.reduce((n, c) => n + new Set(c.dependencies).size, 0);
  assert.equal((flow.match(/ --> /g) ?? []).length, deps);
  for (const s of specs) {
    // Every line is a header, a block delimiter, a node, an edge, a relation or a field: nothing unquoted leaks in.
    for (const line of exportErDiagram(s).trim().split("\n").slice(1)) {
      assert.match(line, /^  (?:[A-Za-z][\w-]* \{|\}|[A-Za-z][\w-]* (?:\|\||\|o)--o\{ [A-Za-z][\w-]* : "[^"]*")$|^    [\w-]+ [\w-]+(?: (?:PK|FK|UK)(?:, (?:PK|FK|UK))*)?(?: "[^"]*")?$/, `${s.path}: ${line}`);
    }
    for (const line of exportComponentFlowchart(s).trim().split("\n").slice(1)) {
      assert.match(line, /^  (?:c\d+\["[^"]*"\]|x\d+\[\("[^"]*"\)\]|[cx]\d+ --> [cx]\d+)$/, `${s.path}: ${line}`);
    }
  }
});
