/**
 * techspec's YAML writer (export/yaml.ts) writes exactly what the yaml package's `stringify` writes with the same
 * options, on random JSON-like values full of the strings YAML treats specially.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { stringify } from "yaml";
import { toYaml, YAML_OPTIONS } from "../src/export/yaml.js";

if (process.env["FC_SEED"] !== "random") fc.configureGlobal({ seed: Number(process.env["FC_SEED"] ?? 20261124) });

// Strings YAML 1.1 reads as something else, indicators, document markers, escapes, line breaks, long keys.
const PIECES = [
  "", " ", "  ", "a", "A b", "yes", "No", "on", "OFF", "y", "n", "~", "null", "Null", "true", "1", "-1", "0x1f", "0o7", "017", "0b101",
  "1_000", "1:20", "1.5", "1e3", ".inf", "-.Inf", ".nan", "2026-01-02", "2026-01-02T10:00:00Z", "12:30:00", "<<", "=",
  "---", "...", "%", "#", " #", "a #b", "a#b", ": ", ":", "a:", "a: b", "-", "- ", "?", "? ", "[", "]", "{", "}", ",", "&a", "*a", "!t",
  "|", ">", "'", "\"", "`", "@", "\n", "\n\n", "\r", "\t", " \n", "\n ", "\u0000", "\u0007", "\u001b", "\u0085", "\u00a0", "\u2028",
  "\ud800", "😀", "é", "\\", "x".repeat(1100),
];
const str = fc.array(fc.constantFrom(...PIECES), { maxLength: 5 }).map((a) => a.join(""));
const num = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-0, 1e21, 0.1, 5e-324, 2 ** 53 + 2));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, str, num, fc.boolean(), fc.constant(null), tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(str, tie("value"), { maxKeys: 4 }),
})).value;

test("toYaml writes what yaml's stringify writes, on random values", () => {
  fc.assert(fc.property(fc.oneof(json, fc.dictionary(str, json, { maxKeys: 5 })), (v) => {
    assert.equal(toYaml(v), stringify(v, YAML_OPTIONS));
  }), { numRuns: 3000 });
});

test("toYaml writes what yaml's stringify writes, on an OpenAPI-shaped document", () => {
  const doc = {
    openapi: "3.1.0", info: { title: "Refunds: v2", version: "2026-11-24", "x-status": "In Review" },
    paths: { "/refunds/{id}": { get: { operationId: "getRefund", parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      responses: { 200: { description: "Success.", content: { "application/json": { example: { id: "1", note: "line 1\nline 2\n", empty: [], none: {}, n: null } } } } } } } },
  };
  assert.equal(toYaml(doc), stringify(doc, YAML_OPTIONS));
});
