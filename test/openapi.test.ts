import assert from "node:assert/strict";
import { before, test } from "node:test";
import { compileErrors, validate } from "@readme/openapi-parser";
import spectralCore from "@stoplight/spectral-core";
import spectralParsers from "@stoplight/spectral-parsers";
import { oas } from "@stoplight/spectral-rulesets";
import { parse as parseYaml } from "yaml";
import { exporters } from "../src/export/exporter.js";
import { exportOpenApi } from "../src/export/openapi.js";
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
