/**
 * Tolerance tests for `parseSpec`: every way authors bend the template must still give the
 * right model values and the right source positions (1-based line/column, end column exclusive).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseSpec, NOT_A_SPEC, type ParseResult } from "../src/parse/parse-spec.js";
import { SECTION_TITLES } from "../src/parse/section-keys.js";
import type { Span } from "../src/model/position.js";
import type { Spec } from "../src/model/spec.js";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const fixture = (name: string): string =>
  readFileSync(new URL(`../../test/fixtures/parse/${name}`, import.meta.url), "utf8");

const TITLE = "# Technical Specification: Demo";
const META = ["## Overview", "", "**Feature ID**: FEAT-1", "**Status**: Draft"].join("\n");

/** A minimal valid spec (title + Overview metadata) followed by the given blocks, blank-line separated. */
function specText(...blocks: string[]): string {
  return [TITLE, META, ...blocks].join("\n\n") + "\n";
}

/** Parses and checks the invariants every parse must keep: no internal error, JSON-clean model. */
function parse(text: string, path = "spec.md"): ParseResult {
  const r = parseSpec(text, path);
  for (const d of r.diagnostics) {
    assert.ok(!d.message.startsWith("internal parser error"), `parser crashed: ${d.message}`);
  }
  assert.deepEqual(JSON.parse(JSON.stringify(r.spec)), r.spec, "spec must survive a JSON round trip");
  return r;
}

/** 1-based line and column of the nth occurrence of `needle` in `text` (a leading BOM is not a column). */
function locate(text: string, needle: string, nth = 1): { line: number; column: number } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let idx = -1;
  for (let k = 0; k < nth; k++) {
    idx = body.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`test bug: occurrence ${nth} of ${JSON.stringify(needle)} not found`);
  }
  const before = body.slice(0, idx);
  const line = before.split("\n").length;
  return { line, column: idx - (before.lastIndexOf("\n") + 1) + 1 };
}

/** The single-line span of the nth occurrence of `needle`. */
function spanAt(text: string, needle: string, nth = 1): Span {
  const { line, column } = locate(text, needle, nth);
  return { line, column, endLine: line, endColumn: column + needle.length };
}

function assertPos(r: ParseResult, path: string, text: string, needle: string, nth = 1): void {
  assert.deepEqual(r.pos.get(path), spanAt(text, needle, nth), `position of ${path} (${JSON.stringify(needle)})`);
}

const keysOf = (r: ParseResult): (string | null)[] => r.spec.sections.map((s) => s.key);
const parseDiagnostics = (r: ParseResult) => r.diagnostics.filter((d) => d.rule === "parse");

// ---------------------------------------------------------------------------------------------
// Helpers are themselves right (so the position assertions below mean something)
// ---------------------------------------------------------------------------------------------

describe("test helpers", () => {
  test("locate counts 1-based lines and columns and skips a BOM", () => {
    assert.deepEqual(locate("ab\ncd", "d"), { line: 2, column: 2 });
    assert.deepEqual(locate("\uFEFFab", "a"), { line: 1, column: 1 });
    assert.deepEqual(locate("x\r\ny z", "z"), { line: 2, column: 3 });
    assert.deepEqual(spanAt("a\nb x\nx", "x", 2), { line: 3, column: 1, endLine: 3, endColumn: 2 });
  });

  test("specText builds a spec with metadata at known places", () => {
    const text = specText();
    const r = parse(text);
    assert.equal(r.spec.title, "Demo");
    assert.deepEqual(r.pos.get("title"), { line: 1, column: 3, endLine: 1, endColumn: 32 });
    assert.deepEqual(r.pos.get("metadata/featureId"), { line: 5, column: 17, endLine: 5, endColumn: 23 });
    assert.deepEqual(r.pos.get("metadata/status"), { line: 6, column: 13, endLine: 6, endColumn: 18 });
    assert.deepEqual(r.diagnostics, []);
  });
});

// ---------------------------------------------------------------------------------------------
// Headings
// ---------------------------------------------------------------------------------------------

describe("headings", () => {
  test("top-level sections one level too high or too low are recognized", () => {
    const text = specText(
      "# Introduction\n\nIntro at level one.",
      "### Related Documents\n\n- [PRD](./PRD.md)",
      "# Architecture\n\nArch body.",
      "## System Context\n\nContext body.",
      "### Implementation Details\n\nImpl body.",
      "#### Security Considerations\n\nSec body.",
      "# Open Questions\n\n- Q1",
    );
    const r = parse(text);
    assert.deepEqual(keysOf(r), ["title", "overview", "introduction", "relatedDocuments", "architecture",
      "architecture.systemContext", "implementation", "implementation.security", "openQuestions"]);
    assert.equal(r.spec.introduction, "Intro at level one.");
    assert.deepEqual(r.spec.relatedDocuments, [{ title: "PRD", href: "./PRD.md" }]);
    assert.equal(r.spec.architecture.overview, "Arch body.");
    assert.equal(r.spec.architecture.systemContext, "Context body.");
    assert.equal(r.spec.implementation.overview, "Impl body.");
    assert.equal(r.spec.implementation.security, "Sec body.");
    assert.deepEqual(r.spec.openQuestions, ["Q1"]);
    assert.deepEqual(r.spec.sections.map((s) => s.level), [1, 2, 1, 3, 1, 2, 3, 4, 1]);
    assertPos(r, "introduction", text, "Introduction");
    assertPos(r, "relatedDocuments", text, "Related Documents");
    assertPos(r, "relatedDocuments/0", text, "[PRD](./PRD.md)");
    assertPos(r, "architecture/systemContext", text, "System Context");
    assertPos(r, "implementation/security", text, "Security Considerations");
    assertPos(r, "openQuestions/0", text, "Q1");
  });

  test("heading text in any case", () => {
    const text = specText(
      "## INTRODUCTION\n\nShouting.",
      "## related documents\n\n- [x](./x.md)",
      "## ARCHITECTURE\n\nA.",
      "### system context\n\nS.",
      "## testing approach\n\nT.",
      "### UNIT TESTING\n\nU.",
      "### End-To-End Testing\n\nE.",
      "## approval\n\n**QA Lead**: Kim - approved",
    );
    const r = parse(text);
    assert.deepEqual(keysOf(r), ["title", "overview", "introduction", "relatedDocuments", "architecture",
      "architecture.systemContext", "testing", "testing.unit", "testing.endToEnd", "approval"]);
    assert.equal(r.spec.introduction, "Shouting.");
    assert.deepEqual(r.spec.relatedDocuments, [{ title: "x", href: "./x.md" }]);
    assert.equal(r.spec.architecture.systemContext, "S.");
    assert.equal(r.spec.testing.unit, "U.");
    assert.equal(r.spec.testing.endToEnd, "E.");
    assert.deepEqual(r.spec.approvals, [{ role: "QA Lead", name: "Kim", decision: "Approved", date: null, digest: null, reason: null }]);
    // The heading is reported as written, the section key says what it was read as.
    assert.equal(r.spec.sections[2]!.heading, "INTRODUCTION");
    assertPos(r, "introduction", text, "INTRODUCTION");
    assertPos(r, "testing/unit", text, "UNIT TESTING");
  });

  test("numbered headings: `## 1. Introduction`, `### 2.1 System Context`, `## IV. Approval`", () => {
    const text = specText(
      "## 1. Introduction\n\nNumbered.",
      "## 2. Architecture\n\nA.",
      "### 2.1 System Context\n\nS.",
      "### 2.2. Data Model\n\nD.",
      "## 3 Deployment\n\nDep.",
      "### 3.1 Rollback\n\nR.",
      "## IV. Approval\n\n**PM**: Ann - Pending",
    );
    const r = parse(text);
    assert.deepEqual(keysOf(r), ["title", "overview", "introduction", "architecture", "architecture.systemContext",
      "dataModel", "deployment", "deployment.rollback", "approval"]);
    assert.equal(r.spec.introduction, "Numbered.");
    assert.equal(r.spec.architecture.systemContext, "S.");
    assert.equal(r.spec.dataModel.overview, "D.");
    assert.equal(r.spec.deployment.overview, "Dep.");
    assert.equal(r.spec.deployment.rollback, "R.");
    assert.deepEqual(r.spec.approvals, [{ role: "PM", name: "Ann", decision: "Pending", date: null, digest: null, reason: null }]);
    assert.equal(r.spec.sections[2]!.heading, "1. Introduction");
    assertPos(r, "introduction", text, "1. Introduction");
    assertPos(r, "architecture/systemContext", text, "2.1 System Context");
    assertPos(r, "deployment/rollback", text, "3.1 Rollback");
  });

  test("closing hashes, no space after the marks, and up to three spaces of indentation", () => {
    const text = specText("## Introduction ##\n\nClosed.", "##Architecture\n\nTight.", "   ## Deployment\n\nIndented.");
    const r = parse(text);
    assert.deepEqual(keysOf(r), ["title", "overview", "introduction", "architecture", "deployment"]);
    assert.equal(r.spec.introduction, "Closed.");
    assert.equal(r.spec.architecture.overview, "Tight.");
    assert.equal(r.spec.deployment.overview, "Indented.");
    assertPos(r, "introduction", text, "Introduction");
    assertPos(r, "architecture", text, "Architecture");
    assertPos(r, "deployment", text, "Deployment");
  });

  test("a whole architecture tree one level deeper than the template", () => {
    const text = specText(
      "## Architecture\n\nA.",
      "#### System Context\n\nS.",
      "#### Components\n\nC.",
      "##### Component 1: Ledger\n\n- **Purpose**: Keeps books.",
      "#### Data Model\n\nD.",
      "##### Entity 1: Account\n\n| Field | Type | Description | Constraints |\n|---|---|---|---|\n| id | UUID | Key | PK |",
      "#### API Design",
      "##### API 1: Get Account\n\n- **Endpoint**: `GET /accounts/{id}`",
    );
    const r = parse(text);
    assert.deepEqual(keysOf(r), ["title", "overview", "architecture", "architecture.systemContext", "architecture.components",
      "component", "dataModel", "entity", "apiDesign", "api"]);
    assert.equal(r.spec.architecture.components[0]!.name, "Ledger");
    assert.equal(r.spec.architecture.components[0]!.purpose, "Keeps books.");
    assert.equal(r.spec.dataModel.entities[0]!.name, "Account");
    assert.equal(r.spec.apis[0]!.method, "GET");
    assert.equal(r.spec.apis[0]!.endpoint, "/accounts/{id}");
    assertPos(r, "architecture/components/0/name", text, "Component 1: Ledger");
    assertPos(r, "dataModel/entities/0/name", text, "Entity 1: Account");
    assertPos(r, "apis/0/name", text, "API 1: Get Account");
  });

  test("component headings skipping a level (`##### Component` under `### Components`)", () => {
    const text = specText("## Architecture", "### Components", "##### Component 1: Deep\n\n- **Purpose**: Skipped a level.");
    const r = parse(text);
    assert.equal(r.spec.architecture.components.length, 1);
    assert.equal(r.spec.architecture.components[0]!.name, "Deep");
    assert.equal(r.spec.architecture.components[0]!.purpose, "Skipped a level.");
    assertPos(r, "architecture/components/0", text, "Component 1: Deep");
    assertPos(r, "architecture/components/0/purpose", text, "Skipped a level.");
  });

  test("items at the same level as their collection heading are recognized by their prefix", () => {
    const text = specText(
      "## Architecture",
      "### Components",
      "### Component 1: Api\n\n- **Purpose**: P1.",
      "### Component 2 - Worker\n\n- **Purpose**: P2.",
      "### Data Model",
      "### Entity: Account",
      "### API Design",
      "### API 1: Get Account\n\n- **Method**: GET",
    );
    const r = parse(text);
    assert.deepEqual(keysOf(r), ["title", "overview", "architecture", "architecture.components", "component", "component",
      "dataModel", "entity", "apiDesign", "api"]);
    assert.deepEqual(r.spec.architecture.components.map((c) => [c.name, c.purpose]), [["Api", "P1."], ["Worker", "P2."]]);
    assert.deepEqual(r.spec.dataModel.entities.map((e) => e.name), ["Account"]);
    assert.deepEqual(r.spec.apis.map((a) => [a.name, a.method]), [["Get Account", "GET"]]);
    assertPos(r, "architecture/components/1/name", text, "Component 2 - Worker");
    assertPos(r, "apis/0/method", text, "GET");
  });

  test("regression: `### Data Model` after `## Components` (one level too high) is the data model, not a component", () => {
    // Components written one level too high; Data Model at its template level right after the component list.
    const text = specText(
      "## Architecture\n\nA.",
      "## Components",
      "### Component 1: Ledger\n\n- **Purpose**: Keeps books.",
      "### Data Model\n\nD.",
      "#### Entity 1: Account\n\n| Field | Type | Description | Constraints |\n|---|---|---|---|\n| id | UUID | Key | PK |",
    );
    const r = parse(text);
    assert.deepEqual(keysOf(r), ["title", "overview", "architecture", "architecture.components", "component", "dataModel", "entity"]);
    assert.deepEqual(r.spec.architecture.components.map((c) => c.name), ["Ledger"]);
    assert.equal(r.spec.dataModel.overview, "D.");
    assert.deepEqual(r.spec.dataModel.entities.map((e) => e.name), ["Account"]);
    assertPos(r, "dataModel", text, "Data Model");
  });

  test("regression: numbered item headings lose their number in the name (`#### 2.2.1 Component: Ledger` is named Ledger)", () => {
    const text = specText(
      "## 2. Architecture",
      "### 2.2 Components",
      "#### 2.2.1 Component: Ledger\n\n- **Purpose**: P.",
      "### 2.3 Data Model",
      "#### 2.3.1 Entity: Account",
      "### 2.4 API Design",
      "#### 2.4.1 API: Get Account",
    );
    const r = parse(text);
    assert.deepEqual(keysOf(r), ["title", "overview", "architecture", "architecture.components", "component",
      "dataModel", "entity", "apiDesign", "api"]);
    assert.equal(r.spec.architecture.components[0]!.name, "Ledger");
    assert.equal(r.spec.dataModel.entities[0]!.name, "Account");
    assert.equal(r.spec.apis[0]!.name, "Get Account");
  });
});

// ---------------------------------------------------------------------------------------------
// Component, entity and API headings
// ---------------------------------------------------------------------------------------------

describe("item headings", () => {
  test("components: `Component 1 - Name`, `Component: Name`, bare `Name`, en dash", () => {
    const text = specText(
      "## Architecture",
      "### Components",
      "#### Component 1 - Refund API\n\n- **Purpose**: One.",
      "#### Component: Refund Ledger\n\n- **Purpose**: Two.",
      "#### Webhook Reconciler\n\n- **Purpose**: Three.",
      "#### Component 4 – Orchestrator\n\n- **Purpose**: Four.",
    );
    const r = parse(text);
    const comps = r.spec.architecture.components;
    assert.deepEqual(comps.map((c) => c.name), ["Refund API", "Refund Ledger", "Webhook Reconciler", "Orchestrator"]);
    assert.deepEqual(comps.map((c) => c.purpose), ["One.", "Two.", "Three.", "Four."]);
    assertPos(r, "architecture/components/0/name", text, "Component 1 - Refund API");
    assertPos(r, "architecture/components/1/name", text, "Component: Refund Ledger");
    assertPos(r, "architecture/components/2/name", text, "Webhook Reconciler");
    assertPos(r, "architecture/components/3/name", text, "Component 4 – Orchestrator");
    assertPos(r, "architecture/components/2/purpose", text, "Three.");
  });

  test("regression: snake_case entity, component and API names keep their underscores", () => {
    const text = specText(
      "## Architecture",
      "### Components",
      "#### Component 1: refund_worker\n\n- **Purpose**: P.",
      "### Data Model",
      "#### Entity 1: refund_events",
      "#### payment_intents\n\n| Field | Type |\n|---|---|\n| id | UUID |",
      "### API Design",
      "#### API 1: list_refunds",
    );
    const r = parse(text);
    assert.deepEqual(r.spec.architecture.components.map((c) => c.name), ["refund_worker"]);
    assert.deepEqual(r.spec.dataModel.entities.map((e) => e.name), ["refund_events", "payment_intents"]);
    assert.deepEqual(r.spec.apis.map((a) => a.name), ["list_refunds"]);
  });

  test("entities: `Entity 1 - Name`, `Entity: Name`, bare `Name`, `Table: name`", () => {
    const table = "| Field | Type | Description | Constraints |\n|-------|------|-------------|-------------|\n";
    const text = specText(
      "## Architecture",
      "### Data Model",
      `#### Entity 1 - Payment\n\n${table}| id | UUID | Payment key | PK |`,
      `#### Entity: Refund\n\n${table}| amount | BigInt | Minor units | > 0 |`,
      `#### RefundEvent\n\n${table}| note | Text | Free text | Nullable |`,
      `#### Table: RefundOutbox\n\n${table}| seq | BigSerial | Order | PK |`,
    );
    const r = parse(text);
    const ents = r.spec.dataModel.entities;
    assert.deepEqual(ents.map((e) => e.name), ["Payment", "Refund", "RefundEvent", "RefundOutbox"]);
    assert.deepEqual(ents[1]!.fields, [{ name: "amount", type: "BigInt", description: "Minor units", constraints: "> 0", required: null, extra: {} }]);
    assertPos(r, "dataModel/entities/0/name", text, "Entity 1 - Payment");
    assertPos(r, "dataModel/entities/2/name", text, "RefundEvent");
    assertPos(r, "dataModel/entities/1/fields/0", text, "| amount | BigInt | Minor units | > 0 |");
  });

  test("APIs: `API 1 - Name`, `API: Name`, bare `Name`, `Endpoint 4: Name`", () => {
    const text = specText(
      "## Architecture",
      "### API Design",
      "#### API 1 - Create Refund\n\n- **Endpoint**: `POST /refunds`",
      "#### API: Get Refund\n\n- **Endpoint**: `GET /refunds/{id}`",
      "#### Cancel Refund\n\n- **Endpoint**: `POST /refunds/{id}/cancel`",
      "#### Endpoint 4: List Refunds\n\n- **Endpoint**: `GET /refunds`",
    );
    const r = parse(text);
    assert.deepEqual(r.spec.apis.map((a) => a.name), ["Create Refund", "Get Refund", "Cancel Refund", "List Refunds"]);
    assert.deepEqual(r.spec.apis.map((a) => `${a.method} ${a.endpoint}`),
      ["POST /refunds", "GET /refunds/{id}", "POST /refunds/{id}/cancel", "GET /refunds"]);
    assertPos(r, "apis/0/name", text, "API 1 - Create Refund");
    assertPos(r, "apis/1/name", text, "API: Get Refund");
    assertPos(r, "apis/2/name", text, "Cancel Refund");
    assertPos(r, "apis/3/name", text, "Endpoint 4: List Refunds");
  });
});

// ---------------------------------------------------------------------------------------------
// Bullets and labels
// ---------------------------------------------------------------------------------------------

describe("bullets and labels", () => {
  test("`*`, `-` and `+` bullets, `__bold__` labels, `**Label:** value` and plain `Label: value`", () => {
    const text = specText(
      "## Architecture",
      "### Components",
      [
        "#### Component 1: Mixed",
        "",
        "* **Purpose**: Star bullet.",
        "+ __Responsibilities__: Plus bullet, underscore bold.",
        "- **Interfaces:** Colon inside the bold.",
        "* Dependencies: Ledger, Redis",
      ].join("\n"),
    );
    const r = parse(text);
    assert.deepEqual(r.spec.architecture.components[0], {
      name: "Mixed",
      purpose: "Star bullet.",
      responsibilities: "Plus bullet, underscore bold.",
      interfaces: "Colon inside the bold.",
      dependencies: ["Ledger", "Redis"],
      extra: {},
    });
    const base = "architecture/components/0";
    assertPos(r, `${base}/purpose`, text, "Star bullet.");
    assertPos(r, `${base}/responsibilities`, text, "Plus bullet, underscore bold.");
    assertPos(r, `${base}/interfaces`, text, "Colon inside the bold.");
    assertPos(r, `${base}/dependencies/0`, text, "Ledger");
    assertPos(r, `${base}/dependencies/1`, text, "Redis");
  });

  test("labels without a bullet, and sub-bullets under a label", () => {
    const text = specText(
      "## Architecture",
      "### Components",
      [
        "#### Component 1: Multi",
        "",
        "**Purpose**: First line.",
        "**Dependencies**:",
        "  * `Refund Ledger`",
        "  + PostgreSQL (primary store)",
        "  - Kafka",
      ].join("\n"),
    );
    const r = parse(text);
    const c = r.spec.architecture.components[0]!;
    assert.equal(c.purpose, "First line.");
    assert.deepEqual(c.dependencies, ["Refund Ledger", "PostgreSQL", "Kafka"]);
    assertPos(r, "architecture/components/0/dependencies/0", text, "Refund Ledger");
    assertPos(r, "architecture/components/0/dependencies/1", text, "PostgreSQL");
    assertPos(r, "architecture/components/0/dependencies/2", text, "Kafka");
  });

  test("list sections accept `*`, `-`, `+` and numbered items; continuation lines are joined", () => {
    const text = specText(
      "## Implementation Details",
      "### Libraries and Frameworks\n\n* Fastify 4\n- stripe-node 14\n+ ioredis 5\n1. KafkaJS 2",
      "## Open Questions\n\n- Should refunds\n  be batched?\n* Who approves?",
      "## Appendix",
      "### References\n\n+ [Stripe refunds](https://stripe.com/docs/refunds)\n* RFC 9110",
    );
    const r = parse(text);
    assert.deepEqual(r.spec.implementation.libraries, ["Fastify 4", "stripe-node 14", "ioredis 5", "KafkaJS 2"]);
    assert.deepEqual(r.spec.openQuestions, ["Should refunds be batched?", "Who approves?"]);
    assert.deepEqual(r.spec.references, [
      { title: "Stripe refunds", href: "https://stripe.com/docs/refunds" },
      { title: "RFC 9110", href: null },
    ]);
    assertPos(r, "implementation/libraries/0", text, "Fastify 4");
    assertPos(r, "implementation/libraries/2", text, "ioredis 5");
    assertPos(r, "implementation/libraries/3", text, "KafkaJS 2");
    assertPos(r, "openQuestions/0", text, "Should refunds");
    assertPos(r, "openQuestions/1", text, "Who approves?");
    assertPos(r, "references/0", text, "[Stripe refunds](https://stripe.com/docs/refunds)");
    assertPos(r, "references/1", text, "RFC 9110");
  });

  test("`None.` in a list section means an empty list", () => {
    const r = parse(specText("## Deployment", "### Dependencies\n\nNone.", "## Open Questions\n\n- None"));
    assert.deepEqual(r.spec.deployment.dependencies, []);
    assert.deepEqual(r.spec.openQuestions, []);
  });
});

// ---------------------------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------------------------

describe("metadata", () => {
  test("bold lines, with the colon outside or inside the bold, and `__bold__`", () => {
    const text = [
      "# Technical Specification: Refunds",
      "",
      "## Overview",
      "",
      "**Feature ID**: FEAT-0001",
      "**Author:** Priya Raman, Staff Engineer",
      "__Created Date__: 2026-02-09",
      "- **Last Updated**: `2026-03-18`",
      "**Status**: Approved",
      "",
    ].join("\n");
    const r = parse(text);
    assert.deepEqual(r.spec.metadata, {
      featureId: "FEAT-0001",
      author: "Priya Raman, Staff Engineer",
      createdDate: "2026-02-09",
      lastUpdated: "2026-03-18",
      status: "Approved",
    });
    assert.equal(r.spec.title, "Refunds");
    assertPos(r, "metadata/featureId", text, "FEAT-0001");
    assertPos(r, "metadata/author", text, "Priya Raman, Staff Engineer");
    assertPos(r, "metadata/createdDate", text, "2026-02-09");
    assertPos(r, "metadata/lastUpdated", text, "2026-03-18");
    assertPos(r, "metadata/status", text, "Approved");
    assert.equal(r.source.rawStatus, "Approved");
    assert.deepEqual(r.diagnostics, []);
  });

  test("a two-column table with a `| Field | Value |` header and alignment colons", () => {
    const text = [
      "# Technical Specification: Refunds",
      "",
      "## Overview",
      "",
      "| Field | Value |",
      "|:------|------:|",
      "| **Feature ID** | FEAT-0002 |",
      "| Author | Ann Lee |",
      "| Created Date | 2026-01-01 |",
      "| Last Updated | 2026-01-05 |",
      "| Status | in review |",
      "",
    ].join("\n");
    const r = parse(text);
    assert.deepEqual(r.spec.metadata, {
      featureId: "FEAT-0002", author: "Ann Lee", createdDate: "2026-01-01", lastUpdated: "2026-01-05", status: "In Review",
    });
    assertPos(r, "metadata/featureId", text, "FEAT-0002");
    assertPos(r, "metadata/author", text, "Ann Lee");
    assertPos(r, "metadata/lastUpdated", text, "2026-01-05");
    assertPos(r, "metadata/status", text, "in review");
    assert.equal(r.source.rawStatus, "in review");
    assert.deepEqual(r.diagnostics, []);
  });

  test("a two-column table without a header row", () => {
    const text = [
      "# Technical Specification: Refunds",
      "",
      "## Overview",
      "",
      "| Feature ID | FEAT-0003 |",
      "| Author | Bob |",
      "| Status | IN-REVIEW |",
      "",
    ].join("\n");
    const r = parse(text);
    assert.equal(r.spec.metadata.featureId, "FEAT-0003");
    assert.equal(r.spec.metadata.author, "Bob");
    assert.equal(r.spec.metadata.status, "In Review");
    assertPos(r, "metadata/featureId", text, "FEAT-0003");
    assertPos(r, "metadata/author", text, "Bob");
    assertPos(r, "metadata/status", text, "IN-REVIEW");
  });

  test("an escaped pipe in a metadata table cell is unescaped in the value", () => {
    const text = "# Technical Specification: X\n\n## Overview\n\n| Field | Value |\n|---|---|\n| Author | Ann \\| Bob |\n";
    const r = parse(text);
    assert.equal(r.spec.metadata.author, "Ann | Bob");
    assert.equal(r.pos.get("metadata/author")!.line, 7);
    assert.equal(r.pos.get("metadata/author")!.column, 12);
  });

  test("regression: the span of a metadata value with an escaped pipe covers the cell text as written", () => {
    // `Ann \| Bob` is 10 characters in the source; the value "Ann | Bob" is 9.
    const text = "# Technical Specification: X\n\n## Overview\n\n| Field | Value |\n|---|---|\n| Author | Ann \\| Bob |\n";
    const r = parse(text);
    assertPos(r, "metadata/author", text, "Ann \\| Bob");
  });

  test("metadata directly under the title when there is no Overview heading", () => {
    const text = "# Technical Specification: X\n\n**Feature ID**: F-9\n**Status**: draft\n\n## Introduction\n\nHi.\n";
    const r = parse(text);
    assert.equal(r.spec.metadata.featureId, "F-9");
    assert.equal(r.spec.metadata.status, "Draft");
    assert.equal(r.spec.introduction, "Hi.");
    assertPos(r, "metadata/featureId", text, "F-9");
    assertPos(r, "metadata/status", text, "draft");
  });

  test("status is normalized in any case and spelling; the raw text is kept in the source", () => {
    const cases: [string, string][] = [
      ["draft", "Draft"], ["DRAFT", "Draft"], ["in review", "In Review"], ["IN-REVIEW", "In Review"],
      ["In_Review", "In Review"], ["under review", "In Review"], ["approved", "Approved"],
      ["IMPLEMENTED", "Implemented"], ["archived", "Archived"], ["Superseded by FEAT-9", "Superseded"],
      ["**In Review**", "In Review"], ["`approved`", "Approved"], ["Something else", "Something else"],
    ];
    for (const [raw, want] of cases) {
      const text = `# Technical Specification: X\n\n## Overview\n\n**Status**: ${raw}\n`;
      const r = parse(text);
      assert.equal(r.spec.metadata.status, want, `status ${JSON.stringify(raw)}`);
      const bare = raw.replace(/[*`]/g, "");
      assert.equal(r.source.rawStatus, bare);
      assertPos(r, "metadata/status", text, bare);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Line endings, BOM, hard breaks
// ---------------------------------------------------------------------------------------------

const SAMPLE = [
  "# Technical Specification: Line Endings",
  "",
  "## Overview",
  "",
  "**Feature ID**: FEAT-7  ",
  "**Author**: Ann Lee\\",
  "**Status**: Approved",
  "",
  "## Introduction",
  "",
  "First line  ",
  "second line\\",
  "third line",
  "",
  "## Architecture",
  "",
  "### Components",
  "",
  "#### Component 1: Api",
  "",
  "- **Purpose**: Serve requests  ",
  "- **Dependencies**: Ledger, Redis\\",
  "",
  "### API Design",
  "",
  "#### API 1: Create",
  "",
  "- **Endpoint**: `POST /things`  ",
  "- **Request Body**:",
  "  ```json",
  "  {\"a\": 1}",
  "  ```",
  "- **Error Responses**:",
  "  - 404: Not found  ",
  "  - 409: Conflict\\",
  "",
  "## Open Questions",
  "",
  "- Why?  ",
  "- When?\\",
  "",
  "## Approval",
  "",
  "**Engineering Lead**: Jane Doe - Approved  ",
  "**QA Lead**: Bob - Pending\\",
  "",
].join("\n");

describe("line endings, BOM and hard breaks", () => {
  test("trailing two spaces and trailing backslash are removed from every kind of value", () => {
    const r = parse(SAMPLE);
    const s = r.spec;
    assert.equal(s.metadata.featureId, "FEAT-7");
    assert.equal(s.metadata.author, "Ann Lee");
    assert.equal(s.introduction, "First line\nsecond line\nthird line");
    assert.equal(s.architecture.components[0]!.purpose, "Serve requests");
    assert.deepEqual(s.architecture.components[0]!.dependencies, ["Ledger", "Redis"]);
    assert.equal(s.apis[0]!.endpoint, "/things");
    assert.equal(s.apis[0]!.method, "POST");
    assert.deepEqual(s.apis[0]!.requestBody, { a: 1 });
    assert.deepEqual(s.apis[0]!.errors, [{ status: "404", description: "Not found" }, { status: "409", description: "Conflict" }]);
    assert.deepEqual(s.openQuestions, ["Why?", "When?"]);
    assert.deepEqual(s.approvals, [
      { role: "Engineering Lead", name: "Jane Doe", decision: "Approved", date: null, digest: null, reason: null },
      { role: "QA Lead", name: "Bob", decision: "Pending", date: null, digest: null, reason: null },
    ]);
    // Spans end where the value ends, before the break marker.
    assertPos(r, "metadata/featureId", SAMPLE, "FEAT-7");
    assertPos(r, "metadata/author", SAMPLE, "Ann Lee");
    assertPos(r, "architecture/components/0/purpose", SAMPLE, "Serve requests");
    assertPos(r, "architecture/components/0/dependencies/1", SAMPLE, "Redis");
    assertPos(r, "apis/0/endpoint", SAMPLE, "/things");
    assertPos(r, "apis/0/errors/0", SAMPLE, "404: Not found");
    assertPos(r, "apis/0/errors/1", SAMPLE, "409: Conflict");
    assertPos(r, "openQuestions/0", SAMPLE, "Why?");
    assertPos(r, "openQuestions/1", SAMPLE, "When?");
    assertPos(r, "approvals/0/decision", SAMPLE, "Approved", 2);
    assertPos(r, "approvals/1/decision", SAMPLE, "Pending");
  });

  test("CRLF line endings give the same model and the same positions as LF", () => {
    const lf = parse(SAMPLE);
    const crlf = parse(SAMPLE.replace(/\n/g, "\r\n"));
    assert.deepEqual(crlf.spec, lf.spec);
    assert.deepEqual([...crlf.pos], [...lf.pos]);
    assert.deepEqual(crlf.source.lines, lf.source.lines);
    assert.ok(crlf.source.lines.every((l) => !l.includes("\r")), "no CR left in lines");
    assert.deepEqual(crlf.source.jsonExamples.map((j) => j.block.text), lf.source.jsonExamples.map((j) => j.block.text));
    assert.deepEqual(crlf.diagnostics, lf.diagnostics);
    // Line starts are offsets in the CRLF text.
    const text = SAMPLE.replace(/\n/g, "\r\n");
    assert.equal(crlf.source.lineStarts[4], text.indexOf("**Feature ID**"));
    assert.deepEqual(crlf.pos.get("metadata/featureId"), { line: 5, column: 17, endLine: 5, endColumn: 23 });
  });

  test("a UTF-8 BOM does not count as a column and does not hide the title", () => {
    const lf = parse(SAMPLE);
    const text = "\uFEFF" + SAMPLE;
    const bom = parse(text);
    assert.deepEqual(bom.spec, lf.spec);
    assert.deepEqual([...bom.pos], [...lf.pos]);
    assert.equal(bom.spec.title, "Line Endings");
    assert.deepEqual(bom.pos.get("title"), { line: 1, column: 3, endLine: 1, endColumn: 40 });
    assert.equal(bom.source.lines[0], "# Technical Specification: Line Endings");
    assert.equal(bom.source.lineStarts[0], 1, "line 1 starts after the BOM");
    assert.equal(bom.source.isSpec, true);
    assert.deepEqual(bom.diagnostics, []);
  });

  test("BOM and CRLF together, with metadata on line 1 and no title", () => {
    const text = "\uFEFF**Feature ID**: F-1\r\n**Status**: in review\r\n\r\n## Introduction\r\n\r\nHello  \r\n";
    const r = parse(text);
    assert.equal(r.spec.metadata.featureId, "F-1");
    assert.equal(r.spec.metadata.status, "In Review");
    assert.equal(r.spec.introduction, "Hello");
    assert.deepEqual(r.pos.get("metadata/featureId"), { line: 1, column: 17, endLine: 1, endColumn: 20 });
    assert.deepEqual(r.pos.get("metadata/status"), { line: 2, column: 13, endLine: 2, endColumn: 22 });
    assert.equal(r.source.isSpec, true);
  });
});

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

describe("tables", () => {
  test("entity table with alignment colons in the delimiter row and escaped pipes in cells", () => {
    const text = specText(
      "## Architecture",
      "### Data Model",
      [
        "#### Entity 1: Payment",
        "",
        "| Field | Type | Description | Constraints |",
        "|:------|:----:|------------:|-------------|",
        "| id | UUID | Key | Primary key |",
        "| state | Enum(a \\| b) | One of a \\| b | Not null |",
        "| note | `Text` | **Free** text | |",
      ].join("\n"),
    );
    const r = parse(text);
    assert.deepEqual(r.spec.dataModel.entities[0]!.fields, [
      { name: "id", type: "UUID", description: "Key", constraints: "Primary key", required: null, extra: {} },
      { name: "state", type: "Enum(a | b)", description: "One of a | b", constraints: "Not null", required: null, extra: {} },
      { name: "note", type: "Text", description: "Free text", constraints: "", required: null, extra: {} },
    ]);
    const table = r.source.entityTables[0]!.table!;
    assert.ok(table.delimiter, "the alignment row is the delimiter row");
    assert.equal(table.rows.length, 3);
    assert.deepEqual(r.source.entityTables[0]!.columns, { name: 0, type: 1, description: 2, constraints: 3, required: -1 });
    // Cell spans cover the cell text as written, escapes included.
    const cell = table.rows[1]!.cells[1]!;
    const at = spanAt(text, "Enum(a \\| b)");
    assert.equal(table.rows[1]!.line, at.line);
    assert.deepEqual([cell.column, cell.endColumn], [at.column, at.endColumn]);
    assertPos(r, "dataModel/entities/0/fields/1", text, "| state | Enum(a \\| b) | One of a \\| b | Not null |");
  });

  test("entity table columns in another order are mapped by header name", () => {
    const text = specText(
      "## Data Model",
      "### Entity: Order\n\n| Type | Name | Notes |\n| ---: | :--- | :---: |\n| UUID | id | the key |",
    );
    const r = parse(text);
    assert.deepEqual(r.spec.dataModel.entities[0]!.fields, [{ name: "id", type: "UUID", description: "", constraints: "the key", required: null, extra: {} }]);
  });

  test("approvals table with alignment colons and an escaped pipe", () => {
    const text = specText(
      "## Approval",
      "| Role | Name | Decision |\n|:-----|:----:|---------:|\n| Engineering Lead | Jane \\| Doe | approved |\n| QA | Bob | PENDING |",
    );
    const r = parse(text);
    assert.deepEqual(r.spec.approvals, [
      { role: "Engineering Lead", name: "Jane | Doe", decision: "Approved", date: null, digest: null, reason: null },
      { role: "QA", name: "Bob", decision: "Pending", date: null, digest: null, reason: null },
    ]);
    assertPos(r, "approvals/0/decision", text, "approved");
    assertPos(r, "approvals/1/decision", text, "PENDING");
    assert.deepEqual(r.source.rawDecisions, ["approved", "PENDING"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Fenced code and JSON examples
// ---------------------------------------------------------------------------------------------

function apiSpec(...lines: string[]): string {
  return specText("## API Design", ["### API 1: Create", "", ...lines].join("\n"));
}

describe("fenced code blocks and JSON", () => {
  test("``` with `json` and ~~~ without an info string, indented inside list items", () => {
    const text = apiSpec(
      "- **Request Body**:",
      "  ~~~",
      "  {\"amount\": 2500,",
      "   \"reason\": \"duplicate\"}",
      "  ~~~",
      "- **Response**:",
      "  ```json",
      "  {",
      "    \"id\": \"r1\",",
      "    \"items\": [1, 2]",
      "  }",
      "  ```",
    );
    const r = parse(text);
    const api = r.spec.apis[0]!;
    assert.deepEqual(api.requestBody, { amount: 2500, reason: "duplicate" });
    assert.deepEqual(api.response, { id: "r1", items: [1, 2] });
    const blocks = r.source.codeBlocks;
    assert.deepEqual(blocks.map((b) => [b.lang, b.indent, b.closed]), [["", 2, true], ["json", 2, true]]);
    const tilde = locate(text, "  ~~~");
    assert.equal(blocks[0]!.line, tilde.line);
    assert.equal(blocks[0]!.contentLine, tilde.line + 1);
    assert.equal(blocks[0]!.endLine, tilde.line + 3);
    assert.equal(blocks[1]!.text, "{\n  \"id\": \"r1\",\n  \"items\": [1, 2]\n}");
    // The value spans the whole fenced block.
    const open = locate(text, "```json").line;
    assert.deepEqual(r.pos.get("apis/0/response"), { line: open, column: 1, endLine: open + 5, endColumn: 6 });
    assert.deepEqual(r.pos.get("apis/0/requestBody"), { line: tilde.line, column: 1, endLine: tilde.line + 3, endColumn: 6 });
    assert.deepEqual(r.source.jsonExamples.map((j) => [j.path, j.error]), [["apis/0/requestBody", null], ["apis/0/response", null]]);
  });

  test("unindented fences after bold labels, a longer ~~~~ fence containing ```", () => {
    const text = apiSpec(
      "**Request Body**:",
      "",
      "```",
      "{\"a\": true}",
      "```",
      "",
      "**Response:**",
      "",
      "~~~~JSON",
      "{\"s\": \"```\"}",
      "```",
      "~~~~",
    );
    const r = parse(text);
    // The ``` inside the ~~~~ block does not close it; the JSON is invalid because of the stray ``` line.
    assert.deepEqual(r.spec.apis[0]!.requestBody, { a: true });
    assert.equal(r.spec.apis[0]!.response, null);
    assert.equal(r.source.codeBlocks[1]!.lang, "json");
    assert.equal(r.source.codeBlocks[1]!.text, "{\"s\": \"```\"}\n```");
    const err = r.source.jsonExamples[1]!.error!;
    assert.equal(err.line, locate(text, "```\n~~~~").line);
    assert.equal(err.column, 1);
  });

  test("invalid JSON: `requestBody` is null and the error points at the file position (indented fence)", () => {
    const text = apiSpec(
      "- **Request Body**:",
      "  ```json",
      "  {",
      "    \"b\": [1, 2,]",
      "  }",
      "  ```",
      "- **Response**:",
      "  ```json",
      "  {\"ok\": tru}",
      "  ```",
    );
    const r = parse(text);
    assert.equal(r.spec.apis[0]!.requestBody, null);
    assert.equal(r.spec.apis[0]!.response, null);
    const [req, res] = r.source.jsonExamples;
    assert.equal(req!.path, "apis/0/requestBody");
    assert.equal(req!.error!.message, "trailing comma is not allowed in JSON");
    // The error is reported at the trailing comma itself.
    assert.deepEqual([req!.error!.line, req!.error!.column], Object.values(locate(text, ",]")));
    assert.equal(res!.path, "apis/0/response");
    assert.equal(res!.error!.message, "unexpected character");
    assert.deepEqual([res!.error!.line, res!.error!.column], Object.values(locate(text, "tru}")));
  });

  test("invalid JSON in an unindented fence without info string, and an empty block", () => {
    const text = apiSpec("**Request Body**:", "", "```", "{", "  \"a\" 1", "}", "```", "", "**Response**:", "", "```json", "```");
    const r = parse(text);
    const [req, res] = r.source.jsonExamples;
    assert.equal(r.spec.apis[0]!.requestBody, null);
    assert.equal(req!.error!.message, "expected ':'");
    assert.deepEqual([req!.error!.line, req!.error!.column], Object.values(locate(text, "1\n}")));
    assert.equal(res!.error!.message, "empty JSON block");
    assert.equal(res!.error!.line, locate(text, "```json").line + 1);
  });

  test("invalid JSON under CRLF and a BOM still points at the right line and column", () => {
    const lf = apiSpec("- **Request Body**:", "  ```json", "  {\"a\": 1 \"b\": 2}", "  ```");
    const text = "\uFEFF" + lf.replace(/\n/g, "\r\n");
    const r = parse(text);
    const err = r.source.jsonExamples[0]!.error!;
    assert.equal(err.message, "expected ','");
    assert.deepEqual([err.line, err.column], Object.values(locate(lf, "\"b\"")));
  });

  test("regression: JSON error column is right when a content line is indented less than the fence", () => {
    // The fence is indented by 2 but the JSON line starts in column 1; `x` is in column 7 of its line.
    const text = apiSpec("- **Request Body**:", "  ```json", "{\"a\": x}", "  ```");
    const r = parse(text);
    const err = r.source.jsonExamples[0]!.error!;
    assert.equal(r.spec.apis[0]!.requestBody, null);
    assert.deepEqual({ line: err.line, column: err.column }, locate(text, "x}"));
  });

  test("regression: JSON error at a blank last line inside an indented fence is at column 1 of that line", () => {
    // Missing closing brace; the error is at the end of the block text, which is the empty line.
    const text = apiSpec("- **Response**:", "  ```json", "  {", "    \"a\": 1", "", "  ```");
    const r = parse(text);
    const err = r.source.jsonExamples[0]!.error!;
    const blank = locate(text, "\"a\": 1").line + 1;
    assert.equal(r.source.lines[blank - 1], "");
    assert.deepEqual({ line: err.line, column: err.column }, { line: blank, column: 1 });
  });

  test("regression: with two JSON blocks under one label the model takes the first one", () => {
    const text = apiSpec(
      "- **Response**:",
      "  ```json",
      "  {\"ok\": true}",
      "  ```",
      "  Error example:",
      "  ```json",
      "  {\"error\": \"x\"}",
      "  ```",
    );
    const r = parse(text);
    assert.deepEqual(r.spec.apis[0]!.response, { ok: true });
    const open = locate(text, "```json").line;
    assert.deepEqual(r.pos.get("apis/0/response"), { line: open, column: 1, endLine: open + 2, endColumn: 6 });
  });

  test("a code block does not hide labels outside it and headings inside it are not headings", () => {
    const text = apiSpec("```", "## Not A Heading", "- **Endpoint**: /nope", "```", "", "- **Endpoint**: /yes");
    const r = parse(text);
    assert.equal(r.spec.apis[0]!.endpoint, "/yes");
    assert.ok(!r.spec.sections.some((s) => s.heading === "Not A Heading"));
  });
});

// ---------------------------------------------------------------------------------------------
// Request and response bodies in other media types
// ---------------------------------------------------------------------------------------------

/** An API with a PUT taking and answering a block of `lang` (indented in its list item). */
function bodySpec(reqLang: string, reqLines: readonly string[], resLang = reqLang, resLines = reqLines): string {
  return apiSpec(
    "- **Endpoint**: `/api/specs/{id}/source`",
    "- **Method**: PUT",
    "- **Request Body**:",
    `  \`\`\`${reqLang}`, ...reqLines.map((l) => (l ? `  ${l}` : "")), "  ```",
    "- **Response**:",
    `  \`\`\`${resLang}`, ...resLines.map((l) => (l ? `  ${l}` : "")), "  ```",
  );
}

describe("request and response media types", () => {
  test("a block in a known language is read as its text, with the language's media type", () => {
    const cases: [string, string, string[]][] = [
      ["markdown", "text/markdown", ["# Technical Specification: Demo", "", "- item"]],
      ["md", "text/markdown", ["## Overview"]],
      ["xml", "application/xml", ["<refund id=\"r1\">", "  <amount>2500</amount>", "</refund>"]],
      ["html", "text/html", ["<p>Hello</p>"]],
      ["text", "text/plain", ["plain words"]],
      ["txt", "text/plain", ["plain words"]],
      ["plain", "text/plain", ["plain words"]],
      ["yaml", "application/yaml", ["amount: 2500", "reason: duplicate"]],
      ["yml", "application/yaml", ["- a", "- b"]],
      ["csv", "text/csv", ["id,amount", "r1,2500"]],
      ["graphql", "application/graphql", ["query { refund(id: \"r1\") { amount } }"]],
      ["Markdown", "text/markdown", ["# Any case"]],
    ];
    for (const [lang, mediaType, lines] of cases) {
      const text = bodySpec(lang, lines);
      const r = parse(text);
      const api = r.spec.apis[0]!;
      assert.deepEqual([api.requestBody, api.requestMediaType], [lines.join("\n"), mediaType], lang);
      assert.deepEqual([api.response, api.responseMediaType], [lines.join("\n"), mediaType], lang);
      // The position is the whole block, as for JSON; nothing is a JSON example and nothing is reported.
      const open = locate(text, `\`\`\`${lang}`).line;
      assert.deepEqual(r.pos.get("apis/0/requestBody"), { line: open, column: 1, endLine: open + lines.length + 1, endColumn: 6 }, lang);
      assert.deepEqual(r.source.jsonExamples, [], lang);
      assert.deepEqual(r.diagnostics, [], lang);
    }
  });

  test("a language written as a media type is that media type; a JSON one is parsed as JSON", () => {
    let api = parse(bodySpec("application/x-ndjson", ["{\"a\": 1}", "{\"a\": 2}"], "text/markdown", ["# Doc"])).spec.apis[0]!;
    assert.deepEqual([api.requestBody, api.requestMediaType], ["{\"a\": 1}\n{\"a\": 2}", "application/x-ndjson"]);
    assert.deepEqual([api.response, api.responseMediaType], ["# Doc", "text/markdown"]);
    const r = parse(bodySpec("application/merge-patch+json", ["{\"a\": null}"], "application/problem+json", ["{\"title\": \"Conflict\"}"]));
    api = r.spec.apis[0]!;
    assert.deepEqual([api.requestBody, api.requestMediaType], [{ a: null }, "application/merge-patch+json"]);
    assert.deepEqual([api.response, api.responseMediaType], [{ title: "Conflict" }, "application/problem+json"]);
    assert.deepEqual(r.source.jsonExamples.map((j) => [j.path, j.error]), [["apis/0/requestBody", null], ["apis/0/response", null]]);
    // Invalid JSON under a JSON media type is reported like any JSON example.
    const bad = parse(bodySpec("application/json", ["{\"a\": }"], "application/xml", ["<a/>"]));
    assert.deepEqual([bad.spec.apis[0]!.requestBody, bad.spec.apis[0]!.requestMediaType], [null, null]);
    assert.deepEqual(bad.diagnostics.map((d) => d.rule), ["json-block"]);
    assert.deepEqual([bad.spec.apis[0]!.response, bad.spec.apis[0]!.responseMediaType], ["<a/>", "application/xml"]);
  });

  test("a block in an unknown language is not read: no body, no media type, and the label's next block is not taken", () => {
    for (const lang of ["foo", "http", "sh", "mermaid", "text/", "not a/type"]) {
      const text = apiSpec(
        "- **Endpoint**: `/x`", "- **Method**: POST",
        "- **Request Body**:", `  \`\`\`${lang}`, "  some body", "  ```", "  ```json", "  {\"a\": 1}", "  ```",
        "- **Response**:", "  ```", "  not json", "  ```",
      );
      const r = parse(text);
      const api = r.spec.apis[0]!;
      assert.deepEqual([api.requestBody, api.requestMediaType, api.response, api.responseMediaType], [null, null, null, null], lang);
      assert.deepEqual(r.source.jsonExamples, [], lang);
      assert.equal(r.pos.get("apis/0/requestBody")!.line, locate(text, `\`\`\`${lang}`).line, lang);
    }
  });

  test("a text block that is a whole HTTP message (request or status line first) is not read as a body", () => {
    const api = parse(bodySpec("text", ["", "PUT /api/specs/1/source HTTP/1.1", "Content-Type: text/markdown", "", "# Doc"],
      "text", ["HTTP/1.1 200 OK", "", "# Doc"])).spec.apis[0]!;
    assert.deepEqual([api.requestBody, api.requestMediaType, api.response, api.responseMediaType], [null, null, null, null]);
    // A line that only starts with a method word is text.
    const words = parse(bodySpec("text", ["GET well soon", "POST /x is the path"])).spec.apis[0]!;
    assert.equal(words.requestMediaType, "text/plain");
  });

  test("JSON examples are read as before and are application/json", () => {
    for (const [lang, body, value] of [
      ["json", "{\"a\": 1}", { a: 1 }], ["jsonc", "[1, 2]", [1, 2]], ["json5", "{\"b\": true}", { b: true }],
      ["JSON", "{\"c\": null}", { c: null }], ["", "{\"d\": \"x\"}", { d: "x" }], ["", "  [\"e\"]", ["e"]],
    ] as const) {
      const r = parse(bodySpec(lang, [body]));
      const api = r.spec.apis[0]!;
      assert.deepEqual([api.requestBody, api.requestMediaType, api.response, api.responseMediaType], [value, "application/json", value, "application/json"], lang);
      assert.deepEqual(r.source.jsonExamples.map((j) => j.error), [null, null], lang);
    }
    // Invalid JSON, an empty JSON block, an API without bodies: no body and no media type.
    const bad = parse(bodySpec("json", ["{\"a\": }"], "", [])).spec.apis[0]!;
    assert.deepEqual([bad.requestBody, bad.requestMediaType, bad.response, bad.responseMediaType], [null, null, null, null]);
    const none = parse(apiSpec("- **Endpoint**: `/x`", "- **Method**: DELETE")).spec.apis[0]!;
    assert.deepEqual([none.requestBody, none.requestMediaType, none.response, none.responseMediaType], [null, null, null, null]);
  });
});

// ---------------------------------------------------------------------------------------------
// Unknown sections
// ---------------------------------------------------------------------------------------------

describe("unknown sections", () => {
  test("are kept in document order with their content; every heading appears once", () => {
    const text = specText(
      "## Glossary\n\nRefund: money going back.",
      "### Terms in detail\n\n- Capture\n- Settlement",
      "## Introduction\n\nIntro.",
      "## Risks\n\n| Risk | Mitigation |\n|---|---|\n| Double refund | Idempotency |",
      "## Architecture\n\nA.",
      "### Components",
      "#### Component 1: Api\n\n- **Purpose**: P.",
      "##### Notes\n\nComponent note.\n\n```text\nkept as code\n```",
      "## Revision History\n\n- v1  \n- v2",
    );
    const r = parse(text);
    const headingLines = text.split("\n").filter((l) => /^#{1,6} /.test(l)).length;
    assert.equal(r.spec.sections.length, headingLines);
    assert.deepEqual(r.spec.sections.map((s) => [s.heading, s.key]), [
      ["Technical Specification: Demo", "title"],
      ["Overview", "overview"],
      ["Glossary", null],
      ["Terms in detail", null],
      ["Introduction", "introduction"],
      ["Risks", null],
      ["Architecture", "architecture"],
      ["Components", "architecture.components"],
      ["Component 1: Api", "component"],
      ["Notes", null],
      ["Revision History", null],
    ]);
    const unknown = r.spec.sections.filter((s) => s.key === null);
    assert.deepEqual(unknown.map((s) => s.content), [
      "Refund: money going back.",
      "- Capture\n- Settlement",
      "| Risk | Mitigation |\n|---|---|\n| Double refund | Idempotency |",
      "Component note.\n\n```text\nkept as code\n```",
      "- v1\n- v2",
    ]);
    assert.deepEqual(unknown.map((s) => s.line), unknown.map((s) => locate(text, `# ${s.heading}`).line));
    assert.deepEqual(unknown.map((s) => s.level), [2, 3, 2, 5, 2]);
    // Known sections carry no content field; their text lives in the model.
    assert.ok(r.spec.sections.filter((s) => s.key !== null).every((s) => !("content" in s)));
    assert.equal(r.spec.introduction, "Intro.");
    assert.equal(r.spec.architecture.components[0]!.purpose, "P.");
  });

  test("a known sub-section name under the wrong parent is kept as unknown with its content", () => {
    const r = parse(specText("## Testing Approach\n\nT.", "### Algorithms\n\nNot implementation."));
    assert.deepEqual(r.spec.sections.at(-1), { heading: "Algorithms", level: 3, line: 12, key: null, content: "Not implementation." });
    assert.equal(r.spec.implementation.algorithms, null);
  });

  test("an empty unknown section has empty content", () => {
    const r = parse(specText("## Notes"));
    assert.deepEqual(r.spec.sections.at(-1), { heading: "Notes", level: 2, line: 8, key: null, content: "" });
  });
});

// ---------------------------------------------------------------------------------------------
// Approvals
// ---------------------------------------------------------------------------------------------

describe("approvals", () => {
  test("bold lines: `Name - Decision`, `Name (Decision)`, a decision alone, a name alone; any case", () => {
    const text = specText(
      "## Approval",
      [
        "**Engineering Lead**: Jane Doe - APPROVED  ",
        "**Security Lead**: Bob Stone (pending)",
        "__QA Lead__: rejected",
        "- **Product Manager:** Ann Lee — Rejected.",
        "**Architect**: Tom Lin",
      ].join("\n"),
    );
    const r = parse(text);
    assert.deepEqual(r.spec.approvals, [
      { role: "Engineering Lead", name: "Jane Doe", decision: "Approved", date: null, digest: null, reason: null },
      { role: "Security Lead", name: "Bob Stone", decision: "Pending", date: null, digest: null, reason: null },
      { role: "QA Lead", name: "", decision: "Rejected", date: null, digest: null, reason: null },
      { role: "Product Manager", name: "Ann Lee", decision: "Rejected", date: null, digest: null, reason: null },
      { role: "Architect", name: "Tom Lin", decision: "", date: null, digest: null, reason: null },
    ]);
    assert.deepEqual(r.source.rawDecisions, ["APPROVED", "pending", "rejected", "Rejected.", ""]);
    assertPos(r, "approvals/0/decision", text, "APPROVED");
    assertPos(r, "approvals/1/decision", text, "pending");
    assertPos(r, "approvals/2/decision", text, "rejected");
    assertPos(r, "approvals/3/decision", text, "Rejected.");
    const line = locate(text, "**Engineering Lead**").line;
    assert.deepEqual(r.pos.get("approvals/0"), { line, column: 1, endLine: line, endColumn: "**Engineering Lead**: Jane Doe - APPROVED  ".length + 1 });
  });

  test("a table with header names in another order (`Approver`, `Status`)", () => {
    const text = specText("## Approvals", "| Status | Role | Approver |\n|---|---|---|\n| Approved | Eng Lead | Jane |\n| pending | QA | Bob |");
    const r = parse(text);
    assert.deepEqual(r.spec.approvals, [
      { role: "Eng Lead", name: "Jane", decision: "Approved", date: null, digest: null, reason: null },
      { role: "QA", name: "Bob", decision: "Pending", date: null, digest: null, reason: null },
    ]);
    assertPos(r, "approvals/1/decision", text, "pending");
  });

  test("a table without a header row is read as role, name, decision", () => {
    const text = specText("## Sign-off", "| Engineering Lead | Jane | Rejected |\n| QA | Bob | **approved** |");
    const r = parse(text);
    assert.deepEqual(r.spec.approvals, [
      { role: "Engineering Lead", name: "Jane", decision: "Rejected", date: null, digest: null, reason: null },
      { role: "QA", name: "Bob", decision: "Approved", date: null, digest: null, reason: null },
    ]);
    assertPos(r, "approvals/0/decision", text, "Rejected");
  });
});

// ---------------------------------------------------------------------------------------------
// API details
// ---------------------------------------------------------------------------------------------

describe("API details", () => {
  test("an endpoint written as `` `POST /api/v1/x` `` splits into method and endpoint", () => {
    const text = apiSpec("- **Endpoint**: `POST /api/v1/refunds`");
    const r = parse(text);
    assert.equal(r.spec.apis[0]!.method, "POST");
    assert.equal(r.spec.apis[0]!.endpoint, "/api/v1/refunds");
    assertPos(r, "apis/0/method", text, "POST");
    assertPos(r, "apis/0/endpoint", text, "/api/v1/refunds");
  });

  test("endpoint without backticks, lower-case method, separate Method label, plain labels", () => {
    const text = specText(
      "## API Design",
      "### API 1: A\n\n* Endpoint: get /a",
      "### API 2: B\n\n+ __Method__: PATCH\n+ __Endpoint__: `/b/{id}`",
      "### API 3: C\n\n**URL**: DELETE /c\\\n**HTTP Method**: DELETE",
    );
    const r = parse(text);
    assert.deepEqual(r.spec.apis.map((a) => [a.method, a.endpoint]), [["GET", "/a"], ["PATCH", "/b/{id}"], ["DELETE", "/c"]]);
    assertPos(r, "apis/0/endpoint", text, "/a");
    assertPos(r, "apis/1/method", text, "PATCH");
    assertPos(r, "apis/1/endpoint", text, "/b/{id}");
    assertPos(r, "apis/2/endpoint", text, "/c");
    assertPos(r, "apis/2/method", text, "DELETE", 2);
  });

  test("regression: `POST `/path`` (method outside the code span) gives the endpoint span inside the backticks", () => {
    const text = apiSpec("- **Endpoint**: POST `/api/v1/refunds`");
    const r = parse(text);
    assert.equal(r.spec.apis[0]!.method, "POST");
    assert.equal(r.spec.apis[0]!.endpoint, "/api/v1/refunds");
    assertPos(r, "apis/0/method", text, "POST");
    assertPos(r, "apis/0/endpoint", text, "/api/v1/refunds");
  });

  test("parameters: `id: UUID - desc`, `` `id` (UUID): desc ``, `id (path, UUID) - desc`, name only, `None`", () => {
    const text = apiSpec(
      "- **Request Parameters**:",
      "  - paymentId: UUID - Identifier of the payment",
      "  - `limit` (Integer): Page size",
      "  * refundId (path, UUID) - Refund to cancel",
      "  + cursor: Opaque cursor from the previous page",
      "  - verbose",
      "  - None",
      "- **Response**: none",
    );
    const r = parse(text);
    const params = r.spec.apis[0]!.parameters;
    assert.deepEqual(params.slice(0, 2), [
      { name: "paymentId", type: "UUID", description: "Identifier of the payment" },
      { name: "limit", type: "Integer", description: "Page size" },
    ]);
    assert.equal(params[2]!.name, "refundId");
    assert.match(params[2]!.type ?? "", /\bUUID\b/);
    assert.equal(params[2]!.description, "Refund to cancel");
    assert.deepEqual(params.slice(3), [
      { name: "cursor", type: null, description: "Opaque cursor from the previous page" },
      { name: "verbose", type: null, description: null },
    ]);
    assertPos(r, "apis/0/parameters/0", text, "paymentId: UUID - Identifier of the payment");
    assertPos(r, "apis/0/parameters/1", text, "`limit` (Integer): Page size");
    assertPos(r, "apis/0/parameters/2", text, "refundId (path, UUID) - Refund to cancel");
    assertPos(r, "apis/0/parameters/4", text, "verbose");
    assertPos(r, "apis/0/parameters", text, "Request Parameters**:");
  });

  test("error responses: `- 404: Not found`, `- **409**: Conflict`, dash and space forms", () => {
    const text = apiSpec(
      "- **Error Responses**:",
      "  - 404: Not found",
      "  - **409**: Conflict",
      "  - `422` - Unprocessable",
      "  - 429 Too many requests",
      "  - 5xx:",
    );
    const r = parse(text);
    assert.deepEqual(r.spec.apis[0]!.errors, [
      { status: "404", description: "Not found" },
      { status: "409", description: "Conflict" },
      { status: "422", description: "Unprocessable" },
      { status: "429", description: "Too many requests" },
      { status: "5xx", description: "" },
    ]);
    assertPos(r, "apis/0/errors/0", text, "404: Not found");
    assertPos(r, "apis/0/errors/1", text, "**409**: Conflict");
    assertPos(r, "apis/0/errors/2", text, "`422` - Unprocessable");
  });

  test("a sibling bullet that is not a known label ends the parameter list", () => {
    const text = apiSpec("- **Parameters**:", "  - id: UUID - key", "- Notes: free text", "  - not: a parameter");
    const r = parse(text);
    assert.deepEqual(r.spec.apis[0]!.parameters, [{ name: "id", type: "UUID", description: "key" }]);
  });
});

// ---------------------------------------------------------------------------------------------
// The seed template
// ---------------------------------------------------------------------------------------------

describe("seed template", () => {
  const text = fixture("seed-template.md");
  const r = parseSpec(text, "technical-specification.md");

  test("every section is recognized and every template key is present", () => {
    const keys = new Set(keysOf(r));
    for (const key of Object.keys(SECTION_TITLES)) assert.ok(keys.has(key), `section key ${key} recognized`);
    assert.ok(!keys.has(null), "no unknown sections in the template");
    assert.deepEqual(keysOf(r).filter((k) => k === "component" || k === "entity" || k === "api"),
      ["component", "component", "entity", "entity", "api", "api"]);
    assert.equal(r.spec.sections.length, text.split("\n").filter((l) => l.startsWith("#")).length);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.source.isSpec, true);
  });

  test("placeholders are kept verbatim", () => {
    const component = {
      name: "[Name]", purpose: "[Description]", responsibilities: "[List of responsibilities]",
      interfaces: "[List of interfaces]", dependencies: ["[List of dependencies]"], extra: {},
    };
    const field = { name: "[Field]", type: "[Type]", description: "[Description]", constraints: "[Constraints]", required: null, extra: {} };
    const example = { field1: "value1", field2: "value2" };
    const api = {
      name: "[Name]", endpoint: "[Endpoint]", method: "[Method]",
      parameters: [{ name: "[Parameter]", type: "[Type]", description: "[Description]" }, { name: "[Parameter]", type: "[Type]", description: "[Description]" }],
      requestBody: example, requestMediaType: "application/json", response: example, responseMediaType: "application/json",
      errors: [{ status: "[Status Code]", description: "[Description]" }, { status: "[Status Code]", description: "[Description]" }],
    };
    const expected: Omit<Spec, "sections"> = {
      path: "technical-specification.md",
      title: "[Feature Name]",
      metadata: { featureId: "[ID]", author: "[Name and Role]", createdDate: "[YYYY-MM-DD]", lastUpdated: "[YYYY-MM-DD]", status: "[Draft/In Review/Approved]" },
      introduction: "[Provide a brief introduction to this technical specification. What feature is being implemented? What is the technical approach?]",
      relatedDocuments: [
        { title: "Product Requirements Document", href: "./PRD.md" },
        { title: "UI/UX Design", href: "./ui-ux-design.md" },
        { title: "Implementation Plan", href: "./implementation-plan.md" },
        { title: "Test Plan", href: "./test-plan.md" },
      ],
      architecture: {
        overview: "[Describe the architecture for this feature. Include diagrams if possible.]",
        systemContext: "[Describe how this feature fits into the overall system architecture.]",
        components: [component, component],
      },
      dataModel: {
        overview: "[Describe the data model for this feature. Include entity-relationship diagrams if possible.]",
        entities: [{ name: "[Name]", fields: [field, field, field] }, { name: "[Name]", fields: [field, field, field] }],
      },
      apis: [api, api],
      implementation: {
        overview: "[Provide detailed implementation information for this feature.]",
        algorithms: "[Describe any algorithms that will be used in this feature.]",
        libraries: ["[List any libraries or frameworks that will be used in this feature.]"],
        configuration: "[Describe any configuration changes that will be required for this feature.]",
        security: "[Describe any security considerations for this feature.]",
        performance: "[Describe any performance considerations for this feature.]",
        scalability: "[Describe any scalability considerations for this feature.]",
      },
      testing: {
        overview: "[Describe the testing approach for this feature.]",
        unit: "[Describe the unit testing approach for this feature.]",
        integration: "[Describe the integration testing approach for this feature.]",
        endToEnd: "[Describe the end-to-end testing approach for this feature.]",
      },
      deployment: {
        overview: "[Describe the deployment approach for this feature.]",
        dependencies: ["[List any deployment dependencies for this feature.]"],
        migration: "[Describe any migration steps that will be required for this feature.]",
        rollback: "[Describe the rollback plan for this feature.]",
      },
      openQuestions: ["[Question 1]", "[Question 2]", "[Question 3]"],
      references: [{ title: "[Reference 1]", href: null }, { title: "[Reference 2]", href: null }, { title: "[Reference 3]", href: null }],
      approvals: [
        { role: "Engineering Lead", name: "[Name]", decision: "[Approved/Pending]", date: null, digest: null, reason: null },
        { role: "Architecture Lead", name: "[Name]", decision: "[Approved/Pending]", date: null, digest: null, reason: null },
        { role: "Security Lead", name: "[Name]", decision: "[Approved/Pending]", date: null, digest: null, reason: null },
      ],
    };
    const { sections: _sections, ...rest } = r.spec;
    assert.deepEqual(rest, expected);
    assert.equal(r.source.rawStatus, "[Draft/In Review/Approved]");
    assert.deepEqual(r.source.rawDecisions, ["[Approved/Pending]", "[Approved/Pending]", "[Approved/Pending]"]);
  });

  test("positions of template values", () => {
    assert.deepEqual(r.pos.get("title"), { line: 1, column: 3, endLine: 1, endColumn: 42 });
    assert.deepEqual(r.pos.get("metadata/featureId"), { line: 5, column: 17, endLine: 5, endColumn: 21 });
    assert.deepEqual(r.pos.get("metadata/status"), { line: 9, column: 13, endLine: 9, endColumn: 39 });
    assert.deepEqual(r.pos.get("architecture/components/1/name"), { line: 41, column: 6, endLine: 41, endColumn: 25 });
    assert.deepEqual(r.pos.get("architecture/components/0/purpose"), { line: 36, column: 16, endLine: 36, endColumn: 29 });
    assert.deepEqual(r.pos.get("dataModel/entities/0/fields/2"), { line: 58, column: 1, endLine: 58, endColumn: 53 });
    assert.deepEqual(r.pos.get("apis/0/endpoint"), { line: 74, column: 17, endLine: 74, endColumn: 27 });
    assert.deepEqual(r.pos.get("apis/0/requestBody"), { line: 80, column: 1, endLine: 85, endColumn: 6 });
    assert.deepEqual(r.pos.get("apis/1/response"), { line: 112, column: 1, endLine: 117, endColumn: 6 });
    assert.deepEqual(r.pos.get("apis/1/errors/1"), { line: 120, column: 5, endLine: 120, endColumn: 33 });
    assert.deepEqual(r.pos.get("openQuestions/2"), { line: 188, column: 3, endLine: 188, endColumn: 15 });
    assert.deepEqual(r.pos.get("references/0"), { line: 198, column: 3, endLine: 198, endColumn: 16 });
    assert.deepEqual(r.pos.get("approvals/2/decision"), { line: 208, column: 29, endLine: 208, endColumn: 47 });
    for (const [path, span] of r.pos) assert.ok(span.line >= 1 && span.endLine <= r.source.lines.length, path);
  });
});

// ---------------------------------------------------------------------------------------------
// Parse diagnostics
// ---------------------------------------------------------------------------------------------

describe("parse diagnostics", () => {
  test("a Markdown file that is not a spec gets a `parse` error", () => {
    const r = parse("# Meeting notes\n\n- talked about refunds\n\n## Action items\n\n- none\n", "notes.md");
    const d = parseDiagnostics(r);
    assert.equal(d.length, 1);
    assert.equal(d[0]!.severity, "error");
    assert.equal(d[0]!.file, "notes.md");
    assert.ok(d[0]!.message.startsWith("not a technical specification"), d[0]!.message);
    assert.equal(d[0]!.message, NOT_A_SPEC);
    assert.deepEqual([d[0]!.line, d[0]!.column], [1, 1]);
    assert.equal(r.source.isSpec, false);
    // Nothing is dropped: the unknown section is still there.
    assert.deepEqual(r.spec.sections.map((s) => [s.heading, s.key, s.content]),
      [["Meeting notes", "title", undefined], ["Action items", null, "- none"]]);
  });

  test("plain text, an empty file and a README are not specs either", () => {
    for (const text of ["", "just some words\n", "# README\n\nInstall with npm.\n"]) {
      const r = parse(text);
      const d = parseDiagnostics(r).filter((x) => x.message.startsWith("not a technical specification"));
      assert.equal(d.length, 1, JSON.stringify(text));
      assert.equal(r.source.isSpec, false);
    }
  });

  test("the title alone, or the Overview metadata alone, makes a spec", () => {
    for (const text of [
      "# Technical Specification: X\n",
      "# technical specification - lower case\n",
      "# Notes\n\n## Overview\n\n**Feature ID**: F-1\n",
      "**Status**: Draft\n",
    ]) {
      const r = parse(text);
      assert.equal(r.source.isSpec, true, JSON.stringify(text));
      assert.deepEqual(parseDiagnostics(r), [], JSON.stringify(text));
    }
  });

  test("an unclosed fence gives a `parse` warning at the fence line and swallows the rest", () => {
    const text = specText("## Introduction\n\nBefore.\n\n  ```json\n  {\"a\": 1}", "## Architecture\n\nNever seen.");
    const r = parse(text);
    const d = parseDiagnostics(r);
    assert.equal(d.length, 1);
    assert.equal(d[0]!.severity, "warning");
    const line = locate(text, "```json").line;
    assert.deepEqual([d[0]!.line, d[0]!.column, d[0]!.endLine, d[0]!.endColumn], [line, 1, line, "  ```json".length + 1]);
    assert.match(d[0]!.message, /never closed/);
    assert.equal(r.source.codeBlocks[0]!.closed, false);
    assert.equal(r.source.codeBlocks[0]!.endLine, r.source.lines.length);
    assert.ok(!r.spec.sections.some((s) => s.key === "architecture"), "the heading inside the open fence is code");
  });

  test("one warning per unclosed fence; a closed ~~~ block gives none", () => {
    assert.equal(parseDiagnostics(parse(specText("## Notes\n\n~~~\ncode\n~~~"))).length, 0);
    const r = parse(specText("## Notes\n\n````\ncode\n```"));
    assert.deepEqual(parseDiagnostics(r).map((d) => d.severity), ["warning"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Never throws
// ---------------------------------------------------------------------------------------------

function garbage(n: number, seed: number): string {
  let x = seed >>> 0;
  let out = "";
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const r = x >>> 16;
    // Bytes as latin-1, control characters, lone surrogates and astral characters.
    out += r % 17 === 0 ? String.fromCharCode(0xd800 + (r % 0x400)) : r % 13 === 0 ? "😀" : String.fromCharCode(r % 256);
  }
  return out;
}

describe("parseSpec never throws", () => {
  const inputs: [string, string][] = [
    ["empty string", ""],
    ["only whitespace", " \t\n\r\n  \n\t"],
    ["only newlines", "\n".repeat(1000)],
    ["a lone BOM", "\uFEFF"],
    ["binary-ish garbage", garbage(20_000, 1)],
    ["more garbage", garbage(20_000, 42)],
    ["NUL bytes", "\u0000".repeat(1000)],
    ["a lone |", "|"],
    ["a lone #", "#"],
    ["a lone ```", "```"],
    ["a lone ~~~", "~~~"],
    ["a lone [", "["],
    ["a lone **", "**"],
    ["a lone `<!--`", "<!--"],
    ["a lone CR", "\r"],
    ["headings without text", "#\n##\n###\n# \n## \n"],
    ["very long plain line", "x".repeat(1_000_000)],
    ["very long words line", "lorem ipsum ".repeat(100_000)],
    ["very long table row", "| a ".repeat(200_000)],
    ["very long heading", "## " + "word ".repeat(100_000)],
    ["very long backtick run", "`".repeat(500_000)],
    ["very long bracket run", "[".repeat(500_000)],
    ["very long hash run", "#".repeat(500_000)],
    ["very long star run", "*".repeat(500_000)],
    ["very long bold label", "**" + "Label".repeat(100_000) + "**: value"],
    ["very long metadata value", "# Technical Specification: X\n\n**Author**: " + "Ann Lee, ".repeat(100_000)],
    ["100k headings", Array.from({ length: 100_000 }, (_, i) => `${"#".repeat(1 + (i % 6))} Heading ${i}`).join("\n")],
    ["100k spec headings", "# Technical Specification: X\n" + Array.from({ length: 100_000 }, (_, i) =>
      ["## Architecture", "### Components", "#### Component 1: A", "### Data Model", "#### Entity: B", "## API Design", "### API: C", "## Approval"][i % 8]!).join("\n")],
  ];

  for (const [name, text] of inputs) {
    test(name, () => {
      const r = parse(text);
      assert.equal(typeof r.spec, "object");
      assert.equal(r.source.lines.length >= 1, true);
      assert.equal(r.source.text, text);
    });
  }

  test("non-string input is coerced rather than thrown on", () => {
    const r = parseSpec(undefined as unknown as string);
    assert.equal(typeof r.spec, "object");
  });
});

test("invalid JSON: the model holds null and parseSpec returns a json-block diagnostic at the error", () => {
  const text = [
    "# Technical Specification: X", "", "## API Design", "", "### API 1: Create", "",
    "- **Endpoint**: `/x`", "- **Method**: POST", "- **Request Body**:", "  ```json", "  {", '    "a": 1', '    "b": 2', "  }", "  ```", "",
  ].join("\n");
  const r = parseSpec(text, "x.md");
  assert.equal(r.spec.apis[0]!.requestBody, null);
  const d = r.diagnostics.find((x) => x.rule === "json-block");
  assert.ok(d, "a json-block diagnostic");
  assert.equal(d.line, 13);
  assert.equal(d.column, 5);
  assert.equal(d.file, "x.md");
  assert.match(d.message, /request body of API 1: expected ','/);
});
