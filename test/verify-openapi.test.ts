// verify --openapi (the library part): an OpenAPI document against a spec through the semantic diff. The round trip
// (the spec's own export, JSON and YAML, 3.1) and a hand-written 3.0 document equivalent to the spec must be clean;
// each edit of the document must give the finding of its rule, severity and spec line; hostile documents must give
// a clear error or findings, never a crash or a hang.
import { InputError } from "../src/workspace/errors.js";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, test } from "node:test";
import { validate } from "@readme/openapi-parser";
import { parse as parseYaml } from "yaml";
import { OPENAPI_CHECKS } from "../src/contract/checks.js";
import { verifyOpenApi } from "../src/contract/verify-openapi.js";
import { exporters } from "../src/export/exporter.js";
import { exportOpenApi } from "../src/export/openapi.js";
import type { Diagnostic } from "../src/model/diagnostic.js";
import { parseSpec, type ParseResult } from "../src/parse/parse-spec.js";

const SPEC = `# Technical Specification: Parcel Tracking

## Overview

**Feature ID**: FEAT-0777  
**Author**: Noor Haddad, Staff Engineer  
**Created Date**: 2026-01-05  
**Last Updated**: 2026-02-01  
**Status**: Draft

## Introduction

Shippers register parcels; recipients follow them until delivery.

## Architecture

One tracking service in front of one database.

### Data Model

#### Entity 1: Parcel

| Field | Type | Description | Constraints |
|-------|------|-------------|-------------|
| id | UUID | Identifier of the parcel | Primary key |
| trackingCode | String(20) | Code printed on the label | Not null, Unique |
| weightGrams | Integer | Weight in grams | Not null, Check > 0 |
| declaredValue | Decimal(10,2) | Declared value for insurance | Nullable |
| status | Enum(registered, in_transit, delivered, lost) | Where the parcel is | Not null, Default 'registered' |
| recipientEmail | Email | Who is notified | Not null |
| trackingUrl | URL | Public tracking page | Nullable |
| fragile | Boolean | Handle with care | Not null, Default false |
| tags | Array<String> | Free labels | Nullable |
| attributes | JSON | Carrier-specific data | Nullable |
| shippedOn | Date | Day it left the depot | Nullable |
| createdAt | Timestamp | When it was registered | Not null, Default now() |
| sequence | BigInt | Global ordering number | Not null, Indexed |

#### Entity 2: ScanEvent

| Field | Type | Description | Constraints |
|-------|------|-------------|-------------|
| id | UUID | Identifier of the scan | Primary key |
| parcelId | UUID | Parcel scanned | Foreign key → Parcel.id, Not null, Indexed |
| location | String | Depot or city | Not null, Max length 80 |
| scannedAt | Timestamp | When the scan happened | Not null |
| parcel | Parcel | The parcel, embedded in reads | Nullable |

### API Design

Every endpoint answers \`application/json\`.

#### API 1: Register Parcel

- **Endpoint**: \`/api/v1/parcels\`
- **Method**: POST
- **Request Parameters**:
  - Idempotency-Key: String - Header, required, unique per registration
- **Request Body**:
  \`\`\`json
  {
    "trackingCode": "PX-1001",
    "weightGrams": 1200,
    "recipientEmail": "ana@example.com",
    "fragile": true
  }
  \`\`\`
- **Response**:
  \`\`\`json
  {
    "id": "5b1f8f0e-3c52-4c1e-9d0f-2f6a1c7e8b41",
    "trackingCode": "PX-1001",
    "status": "registered",
    "createdAt": "2026-03-02T14:21:07Z"
  }
  \`\`\`
- **Error Responses**:
  - 400: The body is malformed
  - 409: The tracking code is already registered
  - 422: The weight is out of range

#### API 2: Get Parcel

- **Endpoint**: \`/api/v1/parcels/{parcelId}\`
- **Method**: GET
- **Request Parameters**:
  - parcelId: UUID - Identifier of the parcel
- **Response**:
  \`\`\`json
  {
    "id": "5b1f8f0e-3c52-4c1e-9d0f-2f6a1c7e8b41",
    "trackingCode": "PX-1001",
    "weightGrams": 1200,
    "declaredValue": 19.99,
    "status": "in_transit",
    "tags": ["gift"],
    "scans": [
      { "location": "Lyon", "scannedAt": "2026-03-03T08:00:00Z" }
    ]
  }
  \`\`\`
- **Error Responses**:
  - 404: The parcel does not exist

#### API 3: List Parcels

- **Endpoint**: \`/api/v1/parcels\`
- **Method**: GET
- **Request Parameters**:
  - status: String - Query, optional status to list
  - limit: Integer - Query, page size between 1 and 100
- **Response**:
  \`\`\`json
  {
    "items": [
      { "id": "5b1f8f0e-3c52-4c1e-9d0f-2f6a1c7e8b41", "status": "registered" }
    ],
    "nextCursor": null
  }
  \`\`\`
- **Error Responses**:
  - 400: The limit is out of range

#### API 4: Delete Parcel

- **Endpoint**: \`/api/v1/parcels/{parcelId}\`
- **Method**: DELETE
- **Request Parameters**:
  - parcelId: UUID - Identifier of the parcel
- **Error Responses**:
  - 404: The parcel does not exist
  - 409: The parcel has already shipped

## Approval

**Engineering Lead**: Ada Brandt - Pending
`;

/** The spec's API, by hand, as OpenAPI 3.0: no examples but one (drawn from the schemas), $refs, allOf, nullable. */
const DOC = `openapi: 3.0.3
info:
  title: Parcel Tracking
  version: 1.4.0
paths:
  /api/v1/parcels:
    post:
      summary: Register Parcel
      parameters:
        - name: Idempotency-Key
          in: header
          required: true
          schema: { type: string, maxLength: 64 }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/RegisterParcel' }
      responses:
        '201':
          description: Registered.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/ParcelSummary' }
        '400': { $ref: '#/components/responses/BadRequest' }
        '409': { description: The tracking code is already registered. }
        '422': { description: The weight is out of range. }
    get:
      summary: List Parcels
      parameters:
        - { name: status, in: query, schema: { type: string } }
        - { name: limit, in: query, schema: { type: integer, format: int32, minimum: 1, maximum: 100, exclusiveMinimum: false } }
      responses:
        '200':
          description: A page of parcels.
          content:
            application/json; charset=utf-8:
              schema:
                type: object
                properties:
                  items:
                    type: array
                    items: { $ref: '#/components/schemas/ParcelSummary' }
                  nextCursor: { type: string, nullable: true }
              example:
                items:
                  - { id: 5b1f8f0e-3c52-4c1e-9d0f-2f6a1c7e8b41, status: registered }
                nextCursor: null
        '400': { $ref: '#/components/responses/BadRequest' }
  /api/v1/parcels/{parcelId}:
    parameters:
      - $ref: '#/components/parameters/ParcelId'
    get:
      summary: Get Parcel
      responses:
        '200':
          description: The parcel.
          content:
            application/json:
              schema:
                allOf:
                  - $ref: '#/components/schemas/ParcelRef'
                  - type: object
                    properties:
                      weightGrams: { type: integer }
                      declaredValue: { type: number, nullable: true }
                      status: { $ref: '#/components/schemas/ParcelStatus' }
                      tags: { type: array, items: { type: string } }
                      scans:
                        type: array
                        items:
                          type: object
                          properties:
                            location: { type: string }
                            scannedAt: { type: string, format: date-time }
        '404': { description: The parcel does not exist. }
    delete:
      summary: Delete Parcel
      responses:
        '204': { description: Deleted. }
        '404': { description: The parcel does not exist. }
        '409': { description: The parcel has already shipped. }
components:
  parameters:
    ParcelId:
      name: parcelId
      in: path
      required: true
      schema: { type: string, format: uuid }
  responses:
    BadRequest:
      description: The request is malformed.
      content:
        application/json:
          schema: { $ref: '#/components/schemas/Error' }
  schemas:
    Error:
      type: object
      properties:
        message: { type: string }
    ParcelStatus:
      type: string
      enum: [registered, in_transit, delivered, lost]
      default: registered
    ParcelRef:
      type: object
      required: [id, trackingCode]
      properties:
        id: { type: string, format: uuid }
        trackingCode: { type: string }
    ParcelSummary:
      allOf:
        - $ref: '#/components/schemas/ParcelRef'
        - type: object
          properties:
            status: { $ref: '#/components/schemas/ParcelStatus' }
            createdAt: { type: string, format: date-time, readOnly: true }
    RegisterParcel:
      type: object
      required: [trackingCode, weightGrams, recipientEmail]
      properties:
        trackingCode: { type: string, maxLength: 20 }
        weightGrams: { type: integer, minimum: 1 }
        recipientEmail: { type: string, format: email }
        fragile: { type: boolean, default: false }
    Parcel:
      type: object
      required: [id, trackingCode, weightGrams, status, recipientEmail, fragile, createdAt, sequence]
      properties:
        id: { type: string, format: uuid }
        trackingCode: { type: string, maxLength: 20 }
        weightGrams: { type: integer, minimum: 1 }
        declaredValue: { type: number, nullable: true }
        status: { $ref: '#/components/schemas/ParcelStatus' }
        recipientEmail: { type: string, format: email }
        trackingUrl: { type: string, format: uri, nullable: true }
        fragile: { type: boolean, default: false }
        tags: { type: array, items: { type: string }, nullable: true }
        attributes: { type: object, additionalProperties: true, nullable: true }
        shippedOn: { type: string, format: date, nullable: true }
        createdAt: { type: string, format: date-time }
        sequence: { type: integer, format: int64 }
    ScanEvent:
      type: object
      required: [id, parcelId, location, scannedAt]
      properties:
        id: { type: string, format: uuid }
        parcelId: { type: string, format: uuid }
        location: { type: string, maxLength: 80 }
        scannedAt: { type: string, format: date-time }
        parcel:
          nullable: true
          allOf:
            - $ref: '#/components/schemas/Parcel'
`;

const PATH = "specs/parcel-tracking/technical-specification.md";
const PARSED = parseSpec(SPEC, PATH);
const LINES = SPEC.split("\n");

/** 1-based line of the first line containing `needle` at or after the first line containing `after` (if given). */
function lineOf(needle: string, after?: string): number {
  const from = after === undefined ? 0 : LINES.findIndex((l) => l.includes(after));
  assert.ok(from >= 0, `the spec has a line with ${JSON.stringify(after)}`);
  const i = LINES.findIndex((l, k) => k >= from && l.includes(needle));
  assert.ok(i >= 0, `the spec has a line with ${JSON.stringify(needle)}${after ? ` after ${JSON.stringify(after)}` : ""}`);
  return i + 1;
}

/** The document with each [from, to] replacing the first occurrence (which must exist). */
function edited(...edits: [string, string][]): string {
  let text = DOC;
  for (const [from, to] of edits) {
    assert.ok(text.includes(from), `the document contains ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  return text;
}

const show = (ds: readonly Diagnostic[]): string => ds.map((d) => `${d.line}:${d.column} ${d.rule} ${d.severity} ${d.message}`).join("\n") || "(none)";

function verify(text: string, name = "openapi.yaml", parsed: ParseResult = PARSED): ReturnType<typeof verifyOpenApi> {
  return verifyOpenApi(parsed, text, name);
}

function assertClean(text: string, name: string, parsed: ParseResult = PARSED): void {
  const r = verify(text, name, parsed);
  assert.deepEqual(r.diagnostics, [], `${parsed.spec.path} against ${name}:\n${show(r.diagnostics)}`);
}

const openapi = exporters.find((e) => e.id === "openapi")!;

describe("round trip: a spec's own export has no drift", () => {
  test("the fixture spec parses cleanly into 4 APIs and 2 entities", () => {
    assert.equal(PARSED.spec.apis.length, 4);
    assert.deepEqual(PARSED.spec.dataModel.entities.map((e) => e.name), ["Parcel", "ScanEvent"]);
  });

  test("the fixture spec's export, as JSON and as YAML, gives no finding", () => {
    assertClean(JSON.stringify(exportOpenApi(PARSED.spec), null, 2), "parcel.json");
    assertClean(openapi.run(PARSED.spec, { format: "yaml" }), "parcel.yaml");
  });

  test("every example spec's export, as JSON and as YAML, gives no finding", () => {
    for (const d of readdirSync("examples/specs")) {
      const p = join("examples/specs", d, "technical-specification.md");
      const parsed = parseSpec(readFileSync(p, "utf8"), p);
      assert.ok(parsed.spec.apis.length > 0 && parsed.spec.dataModel.entities.length > 0, `${p} has APIs and entities`);
      for (const format of ["json", "yaml"] as const) assertClean(openapi.run(parsed.spec, { format }), `${d}.${format}`, parsed);
    }
  });

  test("the export of each of 80 generated specs gives no finding", () => {
    const dir = mkdtempSync(join(tmpdir(), "techspec-verify-openapi-"));
    try {
      const gen = spawnSync(process.execPath, [resolve("..", "shared", "bench", "gen-corpus.mjs"), dir, "80", "29"], { encoding: "utf8" });
      assert.equal(gen.status, 0, `corpus generator failed: ${gen.stderr}`);
      for (const d of readdirSync(dir).filter((x) => x.startsWith("feat-"))) {
        const p = join(dir, d, "technical-specification.md");
        const parsed = parseSpec(readFileSync(p, "utf8"), p);
        assertClean(openapi.run(parsed.spec, { format: d.endsWith("0") ? "yaml" : "json" }), `${d}.openapi`, parsed);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a hand-written OpenAPI 3.0 document", () => {
  test("is a valid OpenAPI document (checked by @readme/openapi-parser)", async () => {
    const result = await validate(parseYaml(DOC));
    assert.ok(result.valid, JSON.stringify(result));
  });

  test("equivalent to the spec gives no finding, and counts its operations", () => {
    const r = verify(DOC);
    assert.deepEqual(r.diagnostics, [], show(r.diagnostics));
    assert.equal(r.operations, 4);
    assert.deepEqual(r.notes, []);
  });

  test("the same document as JSON gives no finding", () => {
    assertClean(JSON.stringify(parseYaml(DOC)), "openapi.json");
  });

  test("paths under a server's path, and path parameters named otherwise, are the spec's", () => {
    const doc = DOC.replace("paths:\n", "servers:\n  - url: https://parcels.example.com/api/v1/\npaths:\n")
      .replaceAll("  /api/v1/parcels", "  /parcels").replaceAll("{parcelId}", "{id}").replace("name: parcelId", "name: id");
    assert.ok(doc.includes("  /parcels/{id}:") && doc.includes("name: id\n"));
    assertClean(doc, "servers.yaml");
  });

  test("3.1 type lists, oneOf branches and examples maps are read as close to the spec as they admit", () => {
    const doc = edited(["openapi: 3.0.3", "openapi: 3.1.0"],
      ["              example:\n                items:\n                  - { id: 5b1f8f0e-3c52-4c1e-9d0f-2f6a1c7e8b41, status: registered }\n                nextCursor: null\n",
        "              examples:\n                page:\n                  value:\n                    items:\n                      - { id: 5b1f8f0e-3c52-4c1e-9d0f-2f6a1c7e8b41, status: registered }\n                    nextCursor: null\n"],
      ["                      declaredValue: { type: number, nullable: true }", "                      declaredValue: { oneOf: [{ type: string }, { type: number }, { type: 'null' }] }"],
      ["                      weightGrams: { type: integer }", "                      weightGrams: { type: [string, integer] }"],
      ["        shippedOn: { type: string, format: date, nullable: true }", "        shippedOn: { type: [string, 'null'], format: date }"]);
    assertClean(doc, "openapi.yaml");
    const wrong = doc.replace("{ oneOf: [{ type: string }, { type: number }, { type: 'null' }] }", "{ oneOf: [{ type: string }, { type: boolean }] }");
    assert.match(show(verify(wrong).diagnostics), /openapi-response error Response field declaredValue of GET \/api\/v1\/parcels\/\{parcelId\}: differs: spec number, document string/);
  });

  test("an unquoted version (openapi: 3.0, a YAML number) is read", () => {
    assertClean(DOC.replace("openapi: 3.0.3", "openapi: 3.0"), "openapi.yaml");
  });
});

/** Each edit of the document and the one finding per line it must give: rule, severity, spec line, message part. */
const MUTATIONS: { name: string; doc: () => string; expect: { rule: string; severity: "error" | "warning"; line: () => number; message: RegExp }[] }[] = [
  {
    name: "removed operation",
    doc: () => edited(["    delete:\n      summary: Delete Parcel\n", "    x-deleted:\n      summary: Delete Parcel\n"]),
    expect: [{ rule: "openapi-operation", severity: "warning", line: () => lineOf("#### API 4: Delete Parcel"),
      message: /^Operation DELETE \/api\/v1\/parcels\/\{parcelId\}: in the spec, not in openapi\.yaml \(non-breaking: new endpoint\)$/ }],
  },
  {
    name: "extra operation",
    doc: () => edited(["    delete:\n", "    patch:\n      summary: Rename Parcel\n      responses:\n        '200': { description: Renamed. }\n    delete:\n"]),
    expect: [{ rule: "openapi-operation", severity: "error", line: () => lineOf("### API Design"),
      message: /^Operation PATCH \/api\/v1\/parcels\/\{parcelId\}: in openapi\.yaml, not in the spec \(breaking: removed endpoint\)$/ }],
  },
  {
    name: "removed error status",
    doc: () => edited(["        '409': { description: The tracking code is already registered. }\n", ""]),
    expect: [{ rule: "openapi-status", severity: "warning", line: () => lineOf("409: The tracking code", "#### API 1"),
      message: /^Status 409 of POST \/api\/v1\/parcels: in the spec, not in openapi\.yaml \(non-breaking: new status code\)$/ }],
  },
  {
    name: "extra error status",
    doc: () => edited(["        '404': { description: The parcel does not exist. }\n", "        '404': { description: The parcel does not exist. }\n        '410': { description: Gone. }\n"]),
    expect: [{ rule: "openapi-status", severity: "error", line: () => lineOf("#### API 2: Get Parcel"),
      message: /^Status 410 of GET \/api\/v1\/parcels\/\{parcelId\}: in openapi\.yaml, not in the spec \(breaking: removed status code/ }],
  },
  {
    name: "renamed response property",
    doc: () => edited(["            createdAt: { type: string, format: date-time, readOnly: true }", "            registeredAt: { type: string, format: date-time, readOnly: true }"]),
    expect: [
      { rule: "openapi-response", severity: "error", line: () => lineOf("```json", "- **Response**"),
        message: /^Response field registeredAt \(string\) of POST \/api\/v1\/parcels: in openapi\.yaml, not in the spec \(breaking: removed response field\)$/ },
      { rule: "openapi-response", severity: "warning", line: () => lineOf("```json", "- **Response**"),
        message: /^Response field createdAt \(string\) of POST \/api\/v1\/parcels: in the spec, not in openapi\.yaml \(non-breaking: new response field\)$/ },
    ],
  },
  {
    name: "changed response property type",
    doc: () => edited(["                      weightGrams: { type: integer }", "                      weightGrams: { type: string }"]),
    expect: [{ rule: "openapi-response", severity: "error", line: () => lineOf("```json", "#### API 2"),
      message: /^Response field weightGrams of GET \/api\/v1\/parcels\/\{parcelId\}: differs: spec integer, document string \(breaking: changed response type\)$/ }],
  },
  {
    name: "changed entity property type",
    doc: () => edited(["        weightGrams: { type: integer, minimum: 1 }\n        declaredValue", "        weightGrams: { type: string }\n        declaredValue"]),
    expect: [{ rule: "openapi-schema", severity: "error", line: () => lineOf("| weightGrams |"),
      message: /^Field Parcel\.weightGrams: differs: spec Integer, document String \(breaking: changed type\)$/ }],
  },
  {
    name: "new required request property (in the document)",
    doc: () => edited(["      required: [trackingCode, weightGrams, recipientEmail]\n      properties:\n", "      required: [trackingCode, weightGrams, recipientEmail, note]\n      properties:\n        note: { type: string }\n"]),
    expect: [{ rule: "openapi-request", severity: "warning", line: () => lineOf("```json", "- **Request Body**"),
      message: /^Request field note \(string\) of POST \/api\/v1\/parcels: in openapi\.yaml, not in the spec \(non-breaking: removed request field/ }],
  },
  {
    name: "required request property the document lacks",
    doc: () => edited(["        weightGrams: { type: integer, minimum: 1 }\n        recipientEmail: { type: string, format: email }\n        fragile", "        recipientEmail: { type: string, format: email }\n        fragile"]),
    expect: [{ rule: "openapi-request", severity: "error", line: () => lineOf("```json", "- **Request Body**"),
      message: /^Request field weightGrams \(integer\) of POST \/api\/v1\/parcels: in the spec, not in openapi\.yaml \(breaking: new required request field\)$/ }],
  },
  {
    name: "removed entity property (optional)",
    doc: () => edited(["        shippedOn: { type: string, format: date, nullable: true }\n", ""]),
    expect: [{ rule: "openapi-schema", severity: "warning", line: () => lineOf("| shippedOn |"),
      message: /^Field Parcel\.shippedOn \(Date\): in the spec, not in openapi\.yaml \(non-breaking: new optional field\)$/ }],
  },
  {
    name: "removed entity property (required)",
    doc: () => edited(["        recipientEmail: { type: string, format: email }\n        trackingUrl", "        trackingUrl"]),
    expect: [{ rule: "openapi-schema", severity: "error", line: () => lineOf("| recipientEmail |"),
      message: /^Field Parcel\.recipientEmail \(Email\): in the spec, not in openapi\.yaml \(breaking: new required field without a default/ }],
  },
  {
    name: "extra entity property",
    doc: () => edited(["        sequence: { type: integer, format: int64 }\n", "        sequence: { type: integer, format: int64 }\n        barcode: { type: string }\n"]),
    expect: [{ rule: "openapi-schema", severity: "error", line: () => lineOf("#### Entity 1: Parcel"),
      message: /^Field Parcel\.barcode \(String\): in openapi\.yaml, not in the spec \(breaking: removed field\)$/ }],
  },
  {
    name: "entity property no longer required",
    doc: () => edited(["      required: [id, trackingCode, weightGrams, status, recipientEmail, fragile, createdAt, sequence]", "      required: [id, trackingCode, weightGrams, status, recipientEmail, fragile, createdAt]"]),
    expect: [{ rule: "openapi-schema", severity: "error", line: () => lineOf("| sequence |"),
      message: /^Field Parcel\.sequence: differs: spec required, document optional \(breaking: required added or tightened\)$/ }],
  },
  {
    name: "changed parameter type",
    doc: () => edited(["      schema: { type: string, format: uuid }\n  responses:", "      schema: { type: integer }\n  responses:"]),
    expect: [
      { rule: "openapi-parameter", severity: "error", line: () => lineOf("parcelId: UUID", "#### API 2"),
        message: /^Parameter parcelId of GET \/api\/v1\/parcels\/\{parcelId\}: differs: spec UUID, document Integer \(breaking: changed parameter type\)$/ },
      { rule: "openapi-parameter", severity: "error", line: () => lineOf("parcelId: UUID", "#### API 4"),
        message: /^Parameter parcelId of DELETE \/api\/v1\/parcels\/\{parcelId\}: differs: spec UUID, document Integer/ },
    ],
  },
  {
    name: "removed query parameter",
    doc: () => edited(["        - { name: limit, in: query, schema: { type: integer, format: int32, minimum: 1, maximum: 100, exclusiveMinimum: false } }\n", ""]),
    expect: [{ rule: "openapi-parameter", severity: "warning", line: () => lineOf("limit: Integer"),
      message: /^Parameter limit of GET \/api\/v1\/parcels: in the spec, not in openapi\.yaml \(non-breaking: new optional parameter\)$/ }],
  },
  {
    name: "another response media type",
    doc: () => edited(["        '201':\n          description: Registered.\n          content:\n            application/json:", "        '201':\n          description: Registered.\n          content:\n            application/xml:"]),
    expect: [{ rule: "openapi-response", severity: "error", line: () => lineOf("```json", "- **Response**"),
      message: /^Response media type of POST \/api\/v1\/parcels: differs: spec application\/json, document application\/xml \(breaking: changed response media type/ }],
  },
];

describe("each edit of the document is one finding per difference, at the spec's line", () => {
  for (const m of MUTATIONS) {
    test(m.name, () => {
      const got = verify(m.doc()).diagnostics;
      assert.equal(got.length, m.expect.length, `${m.name}:\n${show(got)}`);
      for (const e of m.expect) {
        const hit = got.find((d) => d.rule === e.rule && e.message.test(d.message));
        assert.ok(hit, `${m.name}: expected ${e.rule} ${e.message} in\n${show(got)}`);
        assert.equal(hit.severity, e.severity, `${m.name}: ${hit.message}`);
        assert.equal(hit.line, e.line(), `${m.name}: ${hit.message}`);
        assert.equal(hit.file, PATH);
      }
    });
  }

  test("findings are sorted, and --checks keeps only the checks named", () => {
    const doc = edited(["        '409': { description: The tracking code is already registered. }\n", ""], ["        shippedOn: { type: string, format: date, nullable: true }\n", ""]);
    const all = verify(doc).diagnostics;
    assert.deepEqual(all.map((d) => d.rule), ["openapi-schema", "openapi-status"], "the Data Model comes before the API Design");
    const only = verifyOpenApi(PARSED, doc, "openapi.yaml", { checks: new Set(["openapi-status"]) }).diagnostics;
    assert.deepEqual(only.map((d) => d.rule), ["openapi-status"]);
  });

  test("every check has an id, a description and a default severity", () => {
    assert.deepEqual(OPENAPI_CHECKS.map((c) => c.id), ["openapi-operation", "openapi-parameter", "openapi-request", "openapi-response", "openapi-status", "openapi-schema"]);
    for (const c of OPENAPI_CHECKS) assert.ok(c.description.length > 20 && c.defaultSeverity === "error", c.id);
  });

  test("a document without components.schemas does not compare the Data Model, and says so", () => {
    const doc = DOC.replace(/^ {2}schemas:\n[\s\S]*$/m, "");
    const r = verify(doc);
    assert.ok(!r.diagnostics.some((d) => d.rule === "openapi-schema"), show(r.diagnostics));
    assert.ok(r.notes.some((n) => n.includes("no components.schemas")), r.notes.join("\n"));
  });
});

/** The error a call throws, asserted to be a InputError. */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof InputError, `a InputError, got ${String(err)}`);
    assert.ok(!err.message.includes("\n"), `one line: ${err.message}`);
    return err;
  }
  assert.fail("expected a InputError");
}

/** A JSON document of one operation, the spec's Get Parcel, whose 200 response has `schema` (and `components`). */
function getParcelDoc(schema: unknown, components: Record<string, unknown> = {}): string {
  return JSON.stringify({
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: { "/api/v1/parcels/{parcelId}": { get: { responses: { "200": { description: "ok", content: { "application/json": { schema } } } } } } },
    components,
  });
}

describe("hostile or wrong input: a clear error or findings, never a crash or a hang", () => {
  test("text that is neither YAML nor JSON: an error with the line and column", () => {
    const err = inputError(() => verify("openapi: 3.0.3\npaths:\n  /x: [unclosed\n  y: : z\n"));
    assert.match(err.message, /^openapi\.yaml:\d+:\d+: not valid YAML or JSON: .+ \(fix the text there/);
    const json = inputError(() => verify('{\n  "openapi": "3.1.0",\n  "paths": { "a": 1,, }\n}', "openapi.json"));
    assert.match(json.message, /^openapi\.json:3:\d+: not valid YAML or JSON/);
  });

  test("Swagger 2.0, another version, or no OpenAPI document at all: an error saying what is read", () => {
    assert.match(inputError(() => verify('swagger: "2.0"\ninfo: { title: t, version: "1" }\npaths: {}\n')).message, /^openapi\.yaml:1:1: a Swagger 2\.0 document; only OpenAPI 3\.0 and 3\.1 are read/);
    assert.match(inputError(() => verify('info: {}\nopenapi: "4.0.0"\n')).message, /^openapi\.yaml:2:1: OpenAPI 4\.0\.0 is not read; only OpenAPI 3\.0 and 3\.1 are/);
    assert.match(inputError(() => verify("- a\n- b\n")).message, /not an OpenAPI document: the top level is not a mapping/);
    assert.match(inputError(() => verify("title: x\n")).message, /no "openapi" field/);
  });

  test("a $ref cycle (recursive schema, and references to each other) ends the walk", () => {
    const r = verify(getParcelDoc({ $ref: "#/components/schemas/Node" }, {
      schemas: {
        Node: { type: "object", properties: { id: { type: "string" }, next: { $ref: "#/components/schemas/Node" }, loop: { $ref: "#/components/schemas/A" } } },
        A: { $ref: "#/components/schemas/B" }, B: { $ref: "#/components/schemas/A" },
      },
    }), "cycle.json");
    assert.ok(r.diagnostics.some((d) => /^Response field next \(null\) of GET \/api\/v1\/parcels\/\{parcelId\}: in cycle\.json, not in the spec/.test(d.message)), show(r.diagnostics));
    assert.ok(r.notes.some((n) => n.includes("cycle")), r.notes.join("\n"));
  });

  test("an external $ref is not fetched: a note, and the body read as any value", () => {
    const r = verify(getParcelDoc({ $ref: "https://example.invalid/parcel.yaml#/Parcel" }), "external.json");
    assert.ok(!r.diagnostics.some((d) => d.rule === "openapi-response"), show(r.diagnostics));
    assert.ok(r.notes.some((n) => n.includes("not fetched") && n.includes("https://example.invalid/parcel.yaml#/Parcel")), r.notes.join("\n"));
  });

  test("a schema nested 2,000 levels deep (JSON) is read to a bounded depth", () => {
    let schema: unknown = { type: "string" };
    for (let i = 0; i < 2000; i++) schema = { type: "object", properties: { id: { type: "string" }, deeper: schema } };
    const started = Date.now();
    const r = verify(getParcelDoc(schema), "deep.json");
    assert.ok(r.diagnostics.some((d) => d.rule === "openapi-response"), show(r.diagnostics));
    assert.ok(r.diagnostics.length < 300, `${r.diagnostics.length} findings`);
    assert.ok(Date.now() - started < 5000);
  });

  test("YAML nested 2,000 levels deep: an error or findings, no crash", () => {
    const deep = `openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths: {}\nx-deep: ${"[".repeat(2000)}${"]".repeat(2000)}\n`;
    try {
      assert.equal(verify(deep).operations, 0);
    } catch (err) {
      assert.ok(err instanceof InputError, String(err));
      assert.match(err.message, /^openapi\.yaml:4:\d+: the YAML nests too deeply to be read/);
    }
  });

  test("__proto__ keys are keys like any other, and pollute nothing", () => {
    const text = `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {"__proto__": {"get": {"responses": {}}}, "/api/v1/parcels/{parcelId}": {"get": {"responses": {"200": {"description": "ok",
        "content": {"application/json": {"schema": {"type": "object", "properties": {"__proto__": {"type": "string"}, "id": {"type": "string"}}}}}}}}}},
      "components": {"schemas": {"__proto__": {"type": "object", "properties": {"polluted": {"type": "string"}}}, "Parcel": {"__proto__": {"x": 1}}}}}`;
    const r = verify(text, "proto.json");
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
    assert.equal(({} as Record<string, unknown>)["x"], undefined);
    assert.equal(r.operations, 2);
    assert.ok(r.diagnostics.some((d) => d.message.startsWith("Response field __proto__ (string) of GET")), show(r.diagnostics));
    assert.ok(r.diagnostics.some((d) => d.message.startsWith("Operation GET __proto__: in proto.json")), show(r.diagnostics));
    const yaml = verify("openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  __proto__: { get: { responses: {} } }\n");
    assert.equal(yaml.operations, 1);
  });

  test("random garbage in random places of the document never crashes", () => {
    const base = parseYaml(DOC) as unknown;
    const junk: unknown[] = [null, [], "x", 0, 1.5, true, {}, { $ref: "#" }, { $ref: "#/paths" }, { $ref: 5 }, { type: ["null"] }, { allOf: "x" },
      { oneOf: [null, 1] }, { items: [] }, { type: 7 }, { enum: [] }, { properties: [] }, { $ref: "#/components/schemas/Parcel" }];
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const nodes = (v: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] => {
      if (v !== null && typeof v === "object") {
        out.push(v as Record<string, unknown>);
        for (const x of Object.values(v)) nodes(x, out);
      }
      return out;
    };
    for (let i = 0; i < 400; i++) {
      const doc = structuredClone(base) as Record<string, unknown>;
      for (let k = 0; k < 4; k++) {
        const all = nodes(doc).slice(1); // the root keeps its openapi field
        const n = all[random(all.length)]!;
        const keys = Object.keys(n);
        if (keys.length > 0) n[keys[random(keys.length)]!] = structuredClone(junk[random(junk.length)]);
      }
      verify(JSON.stringify(doc), "junk.json");
    }
  });

  test("a YAML alias bomb is refused", () => {
    const bomb = ["openapi: 3.0.3", "a: &a [x, x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]", "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]"].join("\n");
    assert.match(inputError(() => verify(bomb)).message, /^openapi\.yaml:1:1: the YAML cannot be read/);
  });

  test("a huge document (20,000 operations, a $ref graph that doubles at each level) stays fast", () => {
    const paths: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) paths[`/extra/${i}`] = { get: { responses: { "200": { description: "ok" } } } };
    const schemas: Record<string, unknown> = { L30: { type: "string" } };
    for (let i = 29; i >= 0; i--) schemas[`L${i}`] = { type: "object", properties: { a: { $ref: `#/components/schemas/L${i + 1}` }, b: { $ref: `#/components/schemas/L${i + 1}` } } };
    paths["/api/v1/parcels/{parcelId}"] = { get: { responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/L0" } } } } } } };
    const started = Date.now();
    const r = verify(JSON.stringify({ openapi: "3.1.0", info: { title: "t", version: "1" }, paths, components: { schemas } }), "huge.json");
    assert.equal(r.operations, 20_001);
    assert.ok(r.diagnostics.filter((d) => d.rule === "openapi-operation" && d.severity === "error").length === 20_000);
    assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
  });
});
