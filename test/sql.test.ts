import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import initSqlJs from "sql.js";
import { exportSql, snakeCase } from "../src/export/sql.js";
import type { Spec } from "../src/model/spec.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import { exampleAndGeneratedSpecs } from "../test-support/specs.js";

const specs: Spec[] = [];
let pg: PGlite;

before(async () => {
  specs.push(...exampleAndGeneratedSpecs(200, 11));
  pg = new PGlite();
  await pg.waitReady;
});

after(async () => {
  await pg.close();
});

const cyclic = parseSpec([
  "# Technical Specification: Cycle", "", "## Overview", "", "**Feature ID**: FEAT-0009", "", "## Data Model", "",
  "### Entity 1: Order", "", "| Field | Type | Description | Constraints |", "|---|---|---|---|",
  "| id | UUID | Id | Primary key |", "| lastShipmentId | UUID | Latest shipment | Nullable, Foreign key → Shipment.id |",
  "| total | Decimal(12,2) | Total | Not null, Check >= 0, Default 0 |", "| notes | JSON | Notes | Nullable, Default '{}' |", "",
  "### Entity 2: Shipment", "", "| Field | Type | Description | Constraints |", "|---|---|---|---|",
  "| id | UUID | Id | Primary key |", "| orderId | UUID | Order | Not null, Foreign key → Order.id, Indexed |",
  "| shipped | Boolean | Shipped | Not null, Default false |", "| code | String(12) | Code | Unique, min length 3 |", "",
  "### Entity 3: OrderLine", "", "| Field | Type | Description | Constraints |", "|---|---|---|---|",
  "| orderId | UUID | Order | Primary key (composite), Foreign key → Order.id |", "| lineNo | Integer | Line | Primary key (composite) |",
  "| status | Enum(open, closed) | State | Not null, Default open |", "| createdAt | Timestamp | Created | Not null, Default now() |", "",
].join("\n")).spec;

test("snake_case naming", () => {
  assert.equal(snakeCase("RefundCatalog"), "refund_catalog");
  assert.equal(snakeCase("createdAt"), "created_at");
  assert.equal(snakeCase("HTTPRequestLog"), "http_request_log");
  assert.equal(snakeCase("order-line item"), "order_line_item");
});

test("PostgreSQL: a foreign-key cycle is closed with ALTER TABLE, composite keys, checks and defaults", async () => {
  const ddl = exportSql(cyclic, { dialect: "postgres" });
  assert.match(ddl, /-- Foreign keys closing dependency cycles.\nALTER TABLE "shipment" ADD FOREIGN KEY \("order_id"\) REFERENCES "order" \("id"\);/);
  assert.ok(ddl.indexOf('CREATE TABLE "shipment"') < ddl.indexOf('CREATE TABLE "order"'), "the cycle is entered at the first entity's dependency");
  assert.match(ddl, /PRIMARY KEY \("order_id", "line_no"\)/);
  assert.match(ddl, /"total" NUMERIC\(12, 2\) NOT NULL CHECK \("total" >= 0\) DEFAULT 0|"total" NUMERIC\(12, 2\) NOT NULL DEFAULT 0 CHECK \("total" >= 0\)/);
  assert.match(ddl, /CREATE INDEX "idx_shipment_order_id" ON "shipment" \("order_id"\);/);
  assert.ok(ddl.indexOf('CREATE TABLE "order"') < ddl.indexOf('CREATE TABLE "order_line"'), "referenced tables first");
  await pg.exec(`BEGIN;\n${ddl}\nROLLBACK;`);
});

test("preserve naming keeps entity and field names", () => {
  const ddl = exportSql(cyclic, { dialect: "sqlite", naming: "preserve" });
  assert.match(ddl, /CREATE TABLE "OrderLine" \(/);
  assert.match(ddl, /"lineNo" INTEGER NOT NULL,/);
  assert.match(ddl, /PRIMARY KEY \("orderId", "lineNo"\)/);
});

test("the DDL of every example and generated spec runs on SQLite (sql.js) with foreign keys on", async () => {
  const SQL = await initSqlJs();
  for (const spec of [cyclic, ...specs]) {
    const db = new SQL.Database();
    try {
      db.run("PRAGMA foreign_keys = ON;");
      db.exec(exportSql(spec, { dialect: "sqlite" }));
      const tables = db.exec("SELECT count(*) FROM sqlite_master WHERE type = 'table'")[0]!.values[0]![0];
      assert.equal(tables, new Set(spec.dataModel.entities.map((e) => e.name.toLowerCase())).size, spec.path);
    } catch (err) {
      assert.fail(`${spec.path}: ${(err as Error).message}\n${exportSql(spec, { dialect: "sqlite" })}`);
    } finally {
      db.close();
    }
  }
});

test("the DDL of every example and generated spec runs on PostgreSQL (PGlite)", async () => {
  for (const spec of specs) {
    const ddl = exportSql(spec, { dialect: "postgres" });
    try {
      await pg.exec(`BEGIN;\n${ddl}\nROLLBACK;`);
    } catch (err) {
      await pg.exec("ROLLBACK;").catch(() => undefined);
      assert.fail(`${spec.path}: ${(err as Error).message}\n${ddl}`);
    }
  }
});
