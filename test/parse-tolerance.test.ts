// The ways authors fill in the template, each read into the same model (docs/reading.md lists them). Fixtures
// under test/fixtures/parse/tolerance/ are whole specs written for these tests.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parseSpec, type ParseResult } from "../src/parse/parse-spec.js";
import { isPlaceholder, isPlaceholderText } from "../src/parse/placeholder.js";
import { lintSpec } from "../src/rules/lint-spec.js";
import { parseFieldType } from "../src/types/data-type.js";
import { fieldReader } from "../src/types/field-info.js";

const fixture = (name: string): string => readFileSync(new URL(`../../test/fixtures/parse/tolerance/${name}`, import.meta.url), "utf8");

function parse(name: string): ParseResult {
  const r = parseSpec(fixture(name), name);
  assert.ok(r.source.isSpec, `${name} is read as a spec`);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === "error"), [], `${name}: no parse errors`);
  return r;
}

/** The text at a position of the model. */
function textAt(r: ParseResult, path: string): string {
  const s = r.pos.get(path);
  assert.ok(s, `${path} has a position`);
  return r.source.lines[s.line - 1]!.slice(s.column - 1, s.endColumn - 1);
}

describe("metadata anywhere before the content", () => {
  test("in a blockquote under the title, before `## 1. Overview`, `**Key:** value` and `**Key**: value`", () => {
    const r = parse("metadata-blockquote.md");
    assert.equal(r.spec.title, "Solar Forecast Ingestion");
    assert.deepEqual(r.spec.metadata, { featureId: "GRID-0042", author: "Priya Natarajan, Platform Engineer", createdDate: "2026-03-02", lastUpdated: "2026-03-09", status: "In Review" });
    assert.equal(textAt(r, "metadata/status"), "In Review");
    assert.equal(textAt(r, "metadata/createdDate"), "2026-03-02");
    assert.equal(r.spec.sections.find((s) => s.key === "overview")?.heading, "1. Overview");
  });

  test("as bullets under the title, bold and plain labels, before an Overview of prose", () => {
    const r = parse("metadata-under-title.md");
    assert.equal(r.spec.title, "Meter Reading Backfill");
    assert.deepEqual(r.spec.metadata, { featureId: "GRID-0051", author: "Tomás Ferreira (Data Engineer)", createdDate: "2026-04-14", lastUpdated: "2026-04-20", status: "Draft" });
    assert.equal(r.source.rawStatus, "draft");
    assert.equal(textAt(r, "metadata/status"), "draft");
    assert.match(r.spec.sections.find((s) => s.key === "overview") ? "ok" : "", /ok/);
  });

  test("as a key | value table", () => {
    const r = parse("metadata-table.md");
    assert.equal(r.spec.title, "Tariff Change Notifications");
    assert.deepEqual(r.spec.metadata, { featureId: "GRID-0063", author: "Hana Kobayashi, Staff Engineer", createdDate: "2026-05-01", lastUpdated: "2026-05-03", status: "Approved" });
    assert.equal(textAt(r, "metadata/featureId"), "GRID-0063");
  });

  test("as one header row of keys over a row of values", () => {
    const r = parse("metadata-horizontal.md");
    assert.equal(r.spec.title, "Outage Map Tiles");
    assert.deepEqual(r.spec.metadata, { featureId: "GRID-0070", author: "Lena Vogt", createdDate: "2026-06-11", lastUpdated: "2026-06-12", status: "Draft" });
    assert.equal(textAt(r, "metadata/status"), "Draft");
    assert.equal(r.pos.get("metadata/status")!.line, 5);
  });

  test("italic labels, metadata above the title, and under a Document Information heading", () => {
    const r = parseSpec("*Status*: Draft\n\n# Technical Specification: X\n\n## Document Information\n\n_Feature ID_: FEAT-9\n\n## Introduction\n\nText.\n", "x.md");
    assert.equal(r.spec.metadata.status, "Draft");
    assert.equal(r.spec.metadata.featureId, "FEAT-9");
  });

  test("metadata after the first content section is not metadata", () => {
    const r = parseSpec("# Technical Specification: X\n\n## Introduction\n\n**Status**: Approved\n", "x.md");
    assert.equal(r.spec.metadata.status, null);
  });
});

describe("titles", () => {
  const cases: [string, string | null][] = [
    ["# Technical Specification: Refund Flow", "Refund Flow"],
    ["# Technical Specification — Refund Flow", "Refund Flow"],
    ["# Technical Specification - Refund Flow", "Refund Flow"],
    ["# Refund Flow - Technical Specification", "Refund Flow"],
    ["# Refund Flow: Technical Specification", "Refund Flow"],
    ["# Refund Flow — Technical Specification", "Refund Flow"],
    ["# Technical Specification Document: Refund Flow", "Refund Flow"],
    ["# Refund Flow Technical Specification", "Refund Flow"],
    ["# Tech Spec: Refund Flow", "Refund Flow"],
    ["# Technical Design: Refund Flow", "Refund Flow"],
    ["# Technical Specification", null],
    ["# Technical Specification:", null],
  ];
  for (const [heading, name] of cases) {
    test(`${heading} → ${JSON.stringify(name)}, and the file is a spec`, () => {
      const r = parseSpec(`${heading}\n\n## Introduction\n\nText.\n`, "notes.md");
      assert.equal(r.spec.title, name);
      assert.ok(r.source.isSpec);
    });
  }

  test("`# Technical Specification` with no name is a spec with a finding asking for the name", () => {
    const r = parseSpec("# Technical Specification\n\n**Status**: In Review\n\n## Introduction\n\nText.\n", "technical-specification.md");
    const title = lintSpec(r).filter((d) => d.rule === "spec-title");
    assert.equal(title.length, 1);
    assert.equal(title[0]!.severity, "error", "an error from In Review on");
    assert.match(title[0]!.message, /does not name the feature/);
  });

  test("a file named technical-specification.md with any title is a spec; a README with one is not", () => {
    const text = "# Refund Flow\n\n## Introduction\n\nText.\n";
    assert.ok(parseSpec(text, "specs/refunds/technical-specification.md").source.isSpec);
    assert.ok(parseSpec(text, "specs/refunds/FEAT-7-technical-specification.md").source.isSpec);
    assert.ok(!parseSpec(text, "specs/refunds/README.md").source.isSpec);
  });

  test("a spec with no title: a warning in a Draft, an error from In Review on", () => {
    const sev = (status: string): string[] => lintSpec(parseSpec(`## Overview\n\n**Feature ID**: FEAT-1\n**Status**: ${status}\n`, "x.md"))
      .filter((d) => d.rule === "spec-title").map((d) => d.severity);
    assert.deepEqual(sev("Draft"), ["warning"]);
    assert.deepEqual(sev("In Review"), ["error"]);
  });
});

describe("APIs", () => {
  const r = parse("apis.md");
  const apis = r.spec.apis;

  test("prose sub-sections of API Design (Authentication, Versioning, Error Handling, Rate Limits) are not APIs", () => {
    assert.deepEqual(apis.map((a) => `${a.method} ${a.endpoint}`), [
      "POST /api/v1/forecast/solar", "GET /api/v1/forecast/{forecastId}", "POST /api/v1/forecast/reconcile", "DELETE /api/v1/forecast/{forecastId}"]);
    for (const name of ["Authentication", "Versioning", "Error Handling", "Rate Limits"]) {
      const s = r.spec.sections.find((x) => x.heading === name)!;
      assert.equal(s.key, null, `${name} is prose`);
      assert.ok(s.content && s.content.length > 10, `${name} keeps its text`);
    }
    const api = lintSpec(r).filter((d) => d.rule === "api-fields" && d.severity === "error");
    assert.deepEqual(api, [], "no API findings on prose");
  });

  test("method and path in the heading, positions on the heading line", () => {
    assert.equal(apis[0]!.name, "POST /api/v1/forecast/solar");
    assert.equal(textAt(r, "apis/0/method"), "POST");
    assert.equal(textAt(r, "apis/0/endpoint"), "/api/v1/forecast/solar");
    assert.equal(apis[1]!.name, "GET /api/v1/forecast/{forecastId}", "`API 2: GET /x`");
  });

  test("`**Request:**` / `**Response:**` bold labels before fenced JSON, and the error list after them", () => {
    assert.deepEqual(apis[0]!.requestBody, { vendor: "sunly", issuedAt: "2026-03-02T06:00:00Z", points: [{ hour: 0, mw: 12.5 }] });
    assert.deepEqual(apis[0]!.response, { forecastId: "f-81", accepted: true });
    assert.deepEqual(apis[0]!.errors.map((e) => e.status), ["400", "409"]);
  });

  test("a code line names the method and path (in any case), a `##### Response` sub-heading is the Response label", () => {
    assert.equal(apis[2]!.name, "Reconcile forecasts");
    assert.equal(apis[2]!.method, "POST", "the model writes methods in upper case");
    assert.equal(textAt(r, "apis/2/method"), "post");
    assert.deepEqual(apis[2]!.response, { runId: "r-9", status: "queued" });
    const casing = lintSpec(r).filter((d) => d.rule === "api-fields" && /should be written "POST"/.test(d.message));
    assert.equal(casing.length, 1);
    assert.equal(casing[0]!.severity, "warning");
    assert.ok(casing[0]!.fix, "the casing is fixable");
  });

  test("`Name (POST /path)` headings and fenced HTTP request lines", () => {
    const t = parseSpec("# Technical Specification: X\n\n## API Design\n\n### Create refund (POST /refunds)\n\nCreates one.\n\n### Cancel\n\n```http\nPOST /refunds/{id}/cancel HTTP/1.1\n```\n", "x.md");
    assert.deepEqual(t.spec.apis.map((a) => `${a.method} ${a.endpoint}`), ["POST /refunds", "POST /refunds/{id}/cancel"]);
  });

  test("the Endpoint bullet with the method, and a parameter table", () => {
    assert.deepEqual(apis[3]!.parameters, [{ name: "forecastId", type: "String", description: "The forecast to delete" }]);
  });
});

describe("components", () => {
  const r = parse("components.md");
  const [reader, solver] = r.spec.architecture.components;

  test("only the headings under Components are components; Component Diagram and Component Interaction are prose", () => {
    assert.deepEqual(r.spec.architecture.components.map((c) => c.name), ["Forecast Reader", "Schedule Solver"]);
    assert.equal(r.spec.sections.find((s) => s.heading === "Component Interaction")!.key, null);
    assert.equal(r.spec.sections.find((s) => s.heading === "Component Diagram")!.key, null);
  });

  test("a bold label line ends the previous label; labels techspec has no field for are kept in extra", () => {
    assert.equal(reader!.purpose, "Loads the reconciled forecast every five minutes.");
    assert.deepEqual(reader!.extra, { Location: "services/planner/reader" });
    assert.equal(reader!.interfaces, "Internal gRPC ForecastFeed.Read");
    assert.deepEqual(reader!.dependencies, ["Forecast API", "Redis"]);
  });

  test("`**Responsibilities:**` followed by a bullet list, and nested bullets under `- **Label**:`, are the value", () => {
    assert.equal(reader!.responsibilities, "Poll the forecast feed\nReject forecasts older than one hour");
    assert.equal(solver!.responsibilities, "Solve the unit-commitment problem\nPublish the schedule to the market gateway");
    assert.deepEqual(solver!.dependencies, ["Forecast Reader", "OR-Tools 9"]);
    assert.deepEqual(solver!.extra, { Owner: "Grid Optimization team" });
    assert.equal(textAt(r, "architecture/components/1/dependencies/1"), "OR-Tools 9");
  });
});

describe("entity tables and types", () => {
  const r = parse("entities.md");
  const [meter, reading] = r.spec.dataModel.entities;
  const read = fieldReader(r.spec.dataModel.entities.map((e) => e.name));

  test("spec-kit's Field | Type | Required | Description | Validation loses nothing", () => {
    assert.deepEqual(meter!.fields[1], { name: "serial", type: "String(32)", description: "Serial printed on the device", constraints: "Unique", required: "Yes", extra: {} });
    const id = read(meter!.fields[0]!);
    assert.ok(id.primaryKey && id.required, "Yes (PK) → primary key, not null");
    assert.ok(read(meter!.fields[1]!).required, "Yes → not null");
    assert.ok(read(meter!.fields[2]!).nullable, "No → nullable");
  });

  test("columns in another order are read by their header names; other columns are kept", () => {
    assert.deepEqual(reading!.fields[1], { name: "value", type: "Number", description: "", constraints: "Not null", required: null, extra: { Unit: "kWh" } });
    assert.equal(read(reading!.fields[1]!).type.kind, "float");
  });

  test("`T | null` (escaped pipe), `T?`, `List<T>`, `Object`, `ObjectId`", () => {
    const firmware = read(meter!.fields[3]!);
    assert.equal(firmware.type.kind, "string");
    assert.ok(firmware.nullable);
    assert.equal(read(meter!.fields[4]!).type.kind, "objectId");
    assert.deepEqual(read(reading!.fields[2]!).type, { kind: "array", items: { kind: "integer", size: "integer" } });
    assert.equal(read(reading!.fields[3]!).type.kind, "json");
    const received = read(reading!.fields[4]!);
    assert.equal(received.type.kind, "timestamp");
    assert.ok(received.nullable);
  });

  test("type spellings", () => {
    const kind = (raw: string): string => parseFieldType(raw).type.kind;
    for (const t of ["number", "Number", "double", "float", "real"]) assert.equal(kind(t), "float", t);
    for (const t of ["UUID?", "UUID | null", "null | UUID", "Nullable<UUID>"]) {
      assert.deepEqual(parseFieldType(t), { type: { kind: "uuid" }, nullable: true }, t);
    }
    for (const t of ["String[]", "List<String>", "Array<String>"]) assert.deepEqual(parseFieldType(t).type, { kind: "array", items: { kind: "string", maxLength: null } }, t);
    assert.equal(kind("ObjectId"), "objectId");
    assert.equal(kind("Object"), "json");
    assert.equal(kind("Enum(a | b)"), "enum", "a pipe inside an enum is not a union with null");
  });

  test("an item heading that is only its prefix (`Entity 3:`) names nothing, so the rule asks for the name", () => {
    const t = parseSpec("# Technical Specification: X\n\n**Status**: Draft\n\n## Data Model\n\n### Entity 3:\n\n| Field | Type |\n|---|---|\n| id | UUID |\n", "x.md");
    assert.equal(t.spec.dataModel.entities[0]!.name, "");
    assert.ok(lintSpec(t).some((d) => d.rule === "entity-table" && /has no name/.test(d.message)));
  });

  test("a Data Model heading without a table (Relationships) is prose, not an entity", () => {
    assert.deepEqual(r.spec.dataModel.entities.map((e) => e.name), ["Meter", "Reading"]);
    assert.equal(r.spec.sections.find((s) => s.heading === "Relationships")!.key, null);
  });
});

describe("placeholders", () => {
  test("the template's bracketed texts are placeholders", () => {
    const template = readFileSync(new URL("../../templates/technical-specification.md", import.meta.url), "utf8");
    const texts = [...template.matchAll(/\[([^\]]+)\](?!\()/g)].map((m) => m[1]!);
    assert.ok(texts.length > 50);
    for (const t of texts) assert.ok(isPlaceholderText(t), `[${t}] is a placeholder`);
  });

  test("instructions and fill-ins are placeholders; content in brackets is not", () => {
    for (const t of ["Describe the retry policy for failed webhooks", "Team Name", "Service Owner", "TBD", "todo", "Yes/No", "Question 4", "yyyy-mm-dd"]) {
      assert.ok(isPlaceholderText(t), `[${t}]`);
    }
    for (const t of ["BindProperty", "Authorize", "x", " ", "string", "^1", "1", "RFC 9110", "sic", "Required", "JsonIgnore", "GET"]) {
      assert.ok(!isPlaceholderText(t), `[${t}] is content`);
    }
    assert.ok(isPlaceholder("[Name]") && !isPlaceholder("[Name] and [Role]") && !isPlaceholder("Name"));
  });
});
