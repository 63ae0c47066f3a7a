import assert from "node:assert/strict";
import { before, test } from "node:test";
import { compileErrors, validate } from "@readme/openapi-parser";
import spectralCore from "@stoplight/spectral-core";
import spectralParsers from "@stoplight/spectral-parsers";
import { oas } from "@stoplight/spectral-rulesets";
import { parse as parseYaml } from "yaml";
import { exporters } from "../src/export/exporter.js";
import { exportOpenApi } from "../src/export/openapi.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import type { Spec } from "../src/model/spec.js";
import { exampleAndGeneratedSpecs } from "../test-support/specs.js";

const { Spectral, Document } = spectralCore;
const specs: Spec[] = [];

before(() => {
  specs.push(...exampleAndGeneratedSpecs(200, 13));
});

test("the example's OpenAPI has the metadata, operations, parameters and status codes the spec describes", () => {
  const spec = specs.find((s) => s.metadata.featureId === "FEAT-0001")!;
  const doc = exportOpenApi(spec) as { openapi: string; info: Record<string, string>; paths: Record<string, Record<string, Record<string, unknown>>> };
  assert.equal(doc.openapi, "3.1.0");
  assert.equal(doc.info["x-feature-id"], "FEAT-0001");
  assert.equal(doc.info["x-status"], "Approved");
  const create = doc.paths["/api/v1/payments/{paymentId}/refunds"]!["post"]!;
  assert.equal(create["operationId"], "createRefund");
  const params = create["parameters"] as { name: string; in: string; required: boolean }[];
  assert.deepEqual(params.find((p) => p.name === "paymentId"), { ...params.find((p) => p.name === "paymentId"), in: "path", required: true });
  assert.equal(params.find((p) => p.name === "Idempotency-Key")?.in, "header");
  const responses = create["responses"] as Record<string, { content?: Record<string, { example?: unknown; schema?: unknown }> }>;
  assert.ok(responses["201"], "a creating POST answers 201");
  assert.ok(responses["201"]!.content!["application/json"]!.example, "examples are kept");
  for (const code of Object.keys(responses).filter((c) => /^[45]/.test(c))) {
    assert.deepEqual(responses[code]!.content!["application/json"]!.schema, { $ref: "#/components/schemas/Error" });
  }
  const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op["operationId"]));
  assert.equal(new Set(ids).size, ids.length, "operationIds are unique");
});

test("every OpenAPI document (YAML and JSON) validates with @readme/openapi-parser", async () => {
  const openapi = exporters.find((e) => e.id === "openapi")!;
  for (const spec of specs) {
    for (const format of ["yaml", "json"] as const) {
      const text = openapi.run(spec, { format });
      const doc = format === "yaml" ? parseYaml(text) : JSON.parse(text);
      const result = await validate(doc);
      assert.ok(result.valid, `${spec.path} (${format}): ${result.valid ? "" : compileErrors(result)}`);
    }
  }
});

test("Spectral's spectral:oas ruleset reports no error for any document", async () => {
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [[oas as never, "recommended"]] } as never);
  for (const spec of specs) {
    const text = JSON.stringify(exportOpenApi(spec), null, 2);
    const results = await spectral.run(new Document(text, spectralParsers.Json, `${spec.path}.json`));
    const errors = results.filter((r) => r.severity === 0);
    assert.deepEqual(errors.map((e) => `${e.code}: ${e.message} at ${e.path.join(".")}`), [], spec.path);
  }
});

test("a text/markdown request body and response export as string content with the text as example, and validate", async () => {
  const text = [
    "# Technical Specification: Spec Sources", "", "## Overview", "", "**Feature ID**: FEAT-0042", "**Status**: Draft", "",
    "## API Design", "",
    "### API 1: Replace Spec Source", "",
    "- **Endpoint**: `/api/specs/{id}/source`", "- **Method**: PUT", "- **Request Parameters**:", "  - id: String - Spec id",
    "- **Request Body**:", "  ```markdown", "  # Technical Specification: Demo", "", "  Some *text*.", "  ```",
    "- **Response**:", "  ```md", "  # Technical Specification: Demo", "  ```",
    "- **Error Responses**:", "  - 404: No such spec", "",
    "### API 2: Read Spec Source", "",
    "- **Endpoint**: `/api/specs/{id}/source`", "- **Method**: GET", "- **Request Parameters**:", "  - id: String - Spec id",
    "- **Response**:", "  ```text/markdown", "  # Technical Specification: Demo", "  ```", "",
    "### API 3: Export Events", "",
    "- **Endpoint**: `/api/events`", "- **Method**: POST",
    "- **Request Body**:", "  ```json", "  {\"since\": \"2026-01-01\"}", "  ```",
    "- **Response**:", "  ```application/x-ndjson", "  {\"id\": 1}", "  {\"id\": 2}", "  ```", "",
  ].join("\n");
  const spec = parseSpec(text, "spec.md").spec;
  type Content = Record<string, { schema: unknown; example?: unknown }>;
  type Op = { requestBody?: { content: Content }; responses: Record<string, { content?: Content }> };
  const doc = exportOpenApi(spec) as { paths: Record<string, Record<string, Op>> };
  const put = doc.paths["/api/specs/{id}/source"]!["put"]!;
  assert.deepEqual(put.requestBody!.content, { "text/markdown": { schema: { type: "string" }, example: "# Technical Specification: Demo\n\nSome *text*." } });
  assert.deepEqual(put.responses["200"]!.content, { "text/markdown": { schema: { type: "string" }, example: "# Technical Specification: Demo" } });
  assert.deepEqual(Object.keys(put.responses["404"]!.content!), ["application/json"], "errors stay JSON");
  const get = doc.paths["/api/specs/{id}/source"]!["get"]!;
  assert.deepEqual(get.responses["200"]!.content, { "text/markdown": { schema: { type: "string" }, example: "# Technical Specification: Demo" } });
  const events = doc.paths["/api/events"]!["post"]!;
  assert.deepEqual(Object.keys(events.requestBody!.content), ["application/json"], "JSON stays as it was");
  assert.deepEqual(events.requestBody!.content["application/json"]!.example, { since: "2026-01-01" });
  assert.deepEqual(events.responses["201"]!.content, { "application/x-ndjson": { schema: { type: "string" }, example: "{\"id\": 1}\n{\"id\": 2}" } });
  const openapi = exporters.find((e) => e.id === "openapi")!;
  for (const format of ["yaml", "json"] as const) {
    const out = openapi.run(spec, { format });
    const result = await validate(format === "yaml" ? parseYaml(out) : JSON.parse(out));
    assert.ok(result.valid, `${format}: ${result.valid ? "" : compileErrors(result)}`);
  }
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [[oas as never, "recommended"]] } as never);
  const results = await spectral.run(new Document(JSON.stringify(doc, null, 2), spectralParsers.Json, "media.json"));
  assert.deepEqual(results.filter((r) => r.severity === 0).map((e) => `${e.code}: ${e.message} at ${e.path.join(".")}`), []);
});

test("a model without media types (built by hand, or by an older version) exports its bodies as JSON", () => {
  const spec = parseSpec(["# Technical Specification: X", "", "## Overview", "", "**Feature ID**: FEAT-0043", "**Status**: Draft", "",
    "## API Design", "", "### API 1: Create", "", "- **Endpoint**: `/things`", "- **Method**: POST",
    "- **Request Body**:", "  ```json", "  {\"a\": 1}", "  ```", "- **Response**:", "  ```json", "  \"done\"", "  ```", ""].join("\n"), "x.md").spec;
  const { requestMediaType: _q, responseMediaType: _s, ...bare } = spec.apis[0]!;
  type Content = Record<string, { schema: unknown; example?: unknown }>;
  const doc = exportOpenApi({ ...spec, apis: [bare] }) as { paths: Record<string, Record<string, { requestBody: { content: Content }; responses: Record<string, { content: Content }> }>> };
  const op = doc.paths["/things"]!["post"]!;
  assert.deepEqual(op.requestBody.content, { "application/json": { schema: { type: "object", properties: { a: { type: "integer" } } }, example: { a: 1 } } });
  assert.deepEqual(op.responses["201"]!.content, { "application/json": { schema: { type: "string" }, example: "done" } });
  assert.deepEqual(exportOpenApi(spec), exportOpenApi({ ...spec, apis: [bare] }));
});
