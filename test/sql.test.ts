import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import initSqlJs from "sql.js";
import { ExportError } from "../src/export/export-error.js";
import { checkSql, exportSql, snakeCase } from "../src/export/sql.js";
import type { Spec } from "../src/model/spec.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import { parseType } from "../src/types/data-type.js";
import { postgresOf } from "../src/types/mappings.js";
import { foreignKeyCompatible } from "../src/types/relational-model.js";
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

/** The generated corpus plants defects (a duplicate field); the SQL export refuses those specs and says why. */
const exportable = (spec: Spec): boolean => {
  const problems = checkSql(spec, { dialect: "postgres" });
  if (problems.length) {
    assert.throws(() => exportSql(spec, { dialect: "postgres" }), (err: unknown) => err instanceof ExportError && err.problems.length === problems.length, spec.path);
    assert.ok(problems.every((p) => /declared twice/.test(p.message)), `${spec.path}: ${problems.map((p) => p.message).join("; ")}`);
  }
  return problems.length === 0;
};

test("the DDL of every example and generated spec runs on SQLite (sql.js) with foreign keys on", async () => {
  const SQL = await initSqlJs();
  for (const spec of [cyclic, ...specs].filter(exportable)) {
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
  const ok = specs.filter(exportable);
  assert.ok(ok.length > specs.length * 0.9, `${ok.length} of ${specs.length} specs export`);
  for (const spec of ok) {
    const ddl = exportSql(spec, { dialect: "postgres" });
    try {
      await pg.exec(`BEGIN;\n${ddl}\nROLLBACK;`);
    } catch (err) {
      await pg.exec("ROLLBACK;").catch(() => undefined);
      assert.fail(`${spec.path}: ${(err as Error).message}\n${ddl}`);
    }
  }
});

// ---------------------------------------------------------------------------------------------
// What PostgreSQL and SQLite accept, measured on both engines
// ---------------------------------------------------------------------------------------------

/** A spec whose Data Model section is `dataModel`. */
function specOf(dataModel: string): Spec {
  return parseSpec(`# Technical Specification: Data\n\n## Overview\n\n**Feature ID**: FEAT-0042\n\n## Data Model\n\n${dataModel}\n`, "specs/FEAT-0042-data/technical-specification.md").spec;
}

/** One entity `T` with the rows given (| Field | Type | Description | Constraints |, Description left empty). */
function entity(name: string, rows: readonly (readonly [string, string, string])[]): string {
  return [`### Entity: ${name}`, "", "| Field | Type | Description | Constraints |", "|---|---|---|---|",
    ...rows.map(([f, t, c]) => `| ${f} | ${t.replace(/\|/g, "\\|")} | ${f} | ${c.replace(/\|/g, "\\|")} |`), ""].join("\n");
}

async function pgRuns(sql: string): Promise<string | null> {
  try {
    await pg.exec(`BEGIN;\n${sql}\nROLLBACK;`);
    return null;
  } catch (err) {
    await pg.exec("ROLLBACK;").catch(() => undefined);
    return (err as Error).message;
  }
}

let SQL: Awaited<ReturnType<typeof initSqlJs>>;
before(async () => {
  SQL = await initSqlJs();
});

function sqliteRuns(sql: string): string | null {
  const db = new SQL.Database();
  try {
    db.run("PRAGMA foreign_keys = ON;");
    db.exec(sql);
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    db.close();
  }
}

test("foreignKeyCompatible says exactly which foreign keys PostgreSQL accepts", async () => {
  const types = ["UUID", "String", "String(10)", "Text", "Email", "ObjectId", "Enum(a, b)", "SmallInt", "Integer", "BigInt", "Float",
    "Decimal", "Decimal(12,2)", "Boolean", "Date", "Timestamp", "Timestamptz", "Time", "JSON", "Array<String>", "Array<Integer>", "Array<BigInt>"];
  const mismatches: string[] = [];
  for (const child of types) {
    for (const parent of types) {
      const accepted = (await pgRuns(`CREATE TABLE p (k ${postgresOf(parseType(parent))} PRIMARY KEY); CREATE TABLE c (r ${postgresOf(parseType(child))} REFERENCES p (k));`)) === null;
      if (accepted !== foreignKeyCompatible(parseType(child), parseType(parent))) mismatches.push(`${child} → ${parent}: PostgreSQL ${accepted ? "accepts" : "refuses"}`);
      const spec = specOf(`${entity("P", [["k", parent, "Primary key"]])}\n${entity("C", [["r", child, "Foreign key → P.k"]])}`);
      assert.equal(checkSql(spec, { dialect: "postgres" }).length === 0, accepted, `${child} → ${parent}`);
    }
  }
  assert.deepEqual(mismatches, []);
});

test("accepted CHECK expressions run on both databases and reject the same rows", async () => {
  const rows: [string, string, string][] = [
    ["id", "Integer", "Primary key"],
    ["code", "String(20)", "Not null, Check LIKE 'AB%' AND length(code) BETWEEN 3 AND 20, Check code = upper(code)"],
    ["amount", "Decimal(12,2)", "Check >= 0, Check amount * 2 <= 1000 OR amount IS NULL"],
    ["qty", "Integer", "Check qty % 2 = 0 AND NOT qty IN (4, 8) AND -qty < 0"],
    ["ratio", "Float", "Check ratio BETWEEN 0 AND 1.5 AND abs(ratio) >= 0"],
    ["state", "Enum(new, done)", "Check state <> 'done' OR qty > 0"],
    ["active", "Boolean", "Check active OR state = 'new', Check active = TRUE OR active = FALSE"],
    ["startsOn", "Date", "Check startsOn >= '2020-01-01' AND startsOn < endsAt"],
    ["endsAt", "Timestamptz", "Check IS NOT NULL"],
    ["name", "Text", 'Check trim(lower(name)) <> "" AND name || \'!\' <> \'!\' AND "name" NOT LIKE \'%\\_%\''],
  ];
  const spec = specOf(entity("Thing", rows));
  assert.deepEqual(checkSql(spec, { dialect: "postgres" }), []);
  const pgDdl = exportSql(spec, { dialect: "postgres" });
  const liteDdl = exportSql(spec, { dialect: "sqlite" });
  assert.match(liteDdl, /"code" GLOB 'AB\*'/);
  assert.match(pgDdl, /char_length\("code"\)/);
  assert.match(liteDdl, /length\("code"\)/);
  const good = `INSERT INTO "thing" VALUES (1, 'ABC', 10.5, 2, 0.5, 'new', TRUE, '2026-01-01', '2026-02-01T00:00:00Z', 'x');`;
  const bad = [
    `INSERT INTO "thing" VALUES (2, 'abc', 1, 2, 0.5, 'new', TRUE, '2026-01-01', '2026-02-01', 'x');`, // LIKE is case-sensitive in both
    `INSERT INTO "thing" VALUES (3, 'ABC', -1, 2, 0.5, 'new', TRUE, '2026-01-01', '2026-02-01', 'x');`,
    `INSERT INTO "thing" VALUES (4, 'ABC', 1, 4, 0.5, 'new', TRUE, '2026-01-01', '2026-02-01', 'x');`,
    `INSERT INTO "thing" VALUES (5, 'ABC', 1, 2, 0.5, 'new', TRUE, '2026-01-01', '2026-02-01', 'x_y');`, // \\_ is a literal underscore
    `INSERT INTO "thing" VALUES (6, 'ABC', 1, 2, 0.5, 'done', TRUE, '2026-01-01', '2026-02-01', 'x');`.replace(", 2, 0.5, 'done'", ", 0, 0.5, 'done'"),
  ];
  assert.equal(await pgRuns(`${pgDdl}\n${good}`), null);
  assert.equal(sqliteRuns(`${liteDdl}\n${good.replace("TRUE", "1")}`), null);
  for (const row of bad) {
    assert.match(String(await pgRuns(`${pgDdl}\n${row}`)), /violates check constraint/, row);
    assert.match(String(sqliteRuns(`${liteDdl}\n${row.replace("TRUE", "1")}`)), /CHECK constraint failed/, row);
  }
});

test("CHECK expressions outside the grammar are problems that say why", () => {
  const cases: [string, string, RegExp][] = [
    ["Integer", "Check must be positive", /"must" is not a field of the entity/],
    ["Integer", "Check > 'abc'", /a 'string' cannot be compared with an integer|an integer cannot be compared with a 'string'/],
    ["String", "Check > 0", /text cannot be compared with an integer/],
    ["Integer", "Check qty", /is an integer, not a condition/],
    ["Integer", "Check length(qty) > 0", /length\(\) takes text/],
    ["Integer", "Check 0 < qty < 10", /comparisons do not chain/],
    ["Integer", "Check qty = NULL", /IS NULL/],
    ["Float", "Check qty % 2 = 0", /remainder of a float/],
    ["Integer", "Check qty / 0 > 1", /divides by zero/],
    ["Date", "Check > '2026-02-30'", /is not a date/],
    ["JSON", "Check > 0", /JSON field can only be tested with IS \[NOT\] NULL/],
    ["Integer", "Check random() > 0", /not a function techspec accepts/],
    ["Decimal", "Check < 1e131072", /too large/],
    ["Integer", "Check qty > (1", /expected "\)"/],
    ["Integer", "Check 'open", /not closed/],
    ["Integer", "Check qty > 0) DROP TABLE x (", /unexpected "\)"/],
    ["Integer", "Check qty > 0 -- comment", /"comment" is not a field/],
    ["Integer", `Check ${"(".repeat(40)}qty > 0${")".repeat(40)}`, /nested more than/],
  ];
  for (const [type, constraint, message] of cases) {
    const problems = checkSql(specOf(entity("T", [["id", "UUID", "Primary key"], ["qty", type, constraint]])), { dialect: "postgres" });
    assert.equal(problems.length, 1, `${constraint}: ${problems.map((p) => p.message).join("; ")}`);
    assert.match(problems[0]!.message, message, constraint);
    assert.match(problems[0]!.message, /\(expected a comparison such as "> 0"/);
  }
});

test("accepted defaults run on both databases and fit their columns when a row takes them", async () => {
  const rows: [string, string, string][] = [
    ["id", "UUID", "Primary key, Default gen_random_uuid()"],
    ["n", "SmallInt", "Default -32768"], ["big", "BigInt", "Default 9223372036854775807"], ["f", "Float", "Default 1.5e3"],
    ["d", "Decimal(5,2)", "Default 999.99"], ["flag", "Boolean", "Not null, Default true"], ["off", "Boolean", "Default 0"],
    ["s", "String(3)", "Default 'EUR'"], ["word", "Text", "Default hello"], ["quote", "Text", "Default 'it''s'"],
    ["state", "Enum('it''s', b)", "Default 'it''s'"], ["day", "Date", "Default 2026-02-28"], ["at", "Timestamp", "Default now()"],
    ["atz", "Timestamptz", "Default '2026-01-31T10:00:00Z'"], ["t", "Time", "Default 10:30"], ["today", "Date", "Default current_date"],
    ["meta", "JSON", 'Default {"a": [1, 2], "b": "x, y"}'], ["tags", "Array<String>", 'Default ["a", "b"]'], ["none", "Array<Integer>", "Default []"],
    ["oid", "ObjectId", "Default 5f0c8e2a9b1d4c3e8f7a6b5c"], ["gone", "Text", "Default null"],
  ];
  const spec = specOf(entity("Defaults", rows));
  assert.deepEqual(checkSql(spec, { dialect: "postgres" }), []);
  const pgDdl = exportSql(spec, { dialect: "postgres" });
  const liteDdl = exportSql(spec, { dialect: "sqlite" });
  assert.equal(await pgRuns(`${pgDdl}\nINSERT INTO "defaults" DEFAULT VALUES;`), null);
  assert.equal(sqliteRuns(`${liteDdl}\nINSERT INTO "defaults" DEFAULT VALUES;`), null);
  const db = new SQL.Database();
  db.exec(`${liteDdl}\nINSERT INTO "defaults" DEFAULT VALUES;`);
  const id = String(db.exec(`SELECT "id" FROM "defaults"`)[0]!.values[0]![0]);
  db.close();
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "SQLite's generated UUID is a version 4 UUID");
});

test("defaults that do not fit their column are problems that say what was expected", () => {
  const cases: [string, string, RegExp][] = [
    ["Integer", "Default abc", /expected a whole number/], ["SmallInt", "Default 40000", /from -32768 to 32767/],
    ["Decimal(5,2)", "Default 1000", /below 1000/], ["String(2)", "Default 'abc'", /at most 2 characters/],
    ["Boolean", "Default yes", /true or false/], ["UUID", "Default xyz", /a UUID/], ["Date", "Default 2026-02-30", /YYYY-MM-DD/],
    ["Integer", "Default now()", /fits Date, Time and Timestamp fields, not Integer/], ["Enum(a, b)", "Default c", /one of 'a', 'b'/],
    ["JSON", "Default {x", /a JSON value/], ["Array<Integer>", 'Default ["x"]', /item "x"/], ["Text", "Default two words", /in quotes/],
    ["Integer", "Not null, Default null", /contradicts a required field/], ["Integer", "Default 1, Default 2", /more than one Default/],
    ["Integer", "Default gen_random_uuid()", /fits UUID fields/],
  ];
  for (const [type, constraint, message] of cases) {
    const problems = checkSql(specOf(entity("T", [["id", "UUID", "Primary key"], ["v", type, constraint]])), { dialect: "postgres" });
    assert.equal(problems.length, 1, `${type} ${constraint}: ${problems.map((p) => p.message).join("; ")}`);
    assert.match(problems[0]!.message, message, `${type} ${constraint}`);
  }
});

test("an entity reference takes the type of the referenced primary key; arrays of references too", async () => {
  const spec = specOf([
    entity("Customer", [["id", "BigInt", "Primary key"]]),
    entity("Address", [["street", "String", "Not null"]]),
    entity("Order", [["id", "UUID", "Primary key"], ["customer", "Customer", "Not null, Foreign key → Customer"], ["watchers", "Array<Customer>", ""], ["ship", "Address", ""], ["parent", "Order", "Foreign key → Order.id"]]),
  ].join("\n"));
  assert.deepEqual(checkSql(spec, { dialect: "postgres" }), []);
  const ddl = exportSql(spec, { dialect: "postgres" });
  assert.match(ddl, /"customer" BIGINT NOT NULL/);
  assert.match(ddl, /"watchers" BIGINT\[\]/);
  assert.match(ddl, /"ship" JSONB/, "an entity without a key is stored embedded");
  assert.match(ddl, /"parent" UUID,/);
  assert.match(ddl, /FOREIGN KEY \("parent"\) REFERENCES "order" \("id"\)/, "a self-reference stays in its table");
  assert.equal(await pgRuns(ddl), null);
  assert.equal(sqliteRuns(exportSql(spec, { dialect: "sqlite" })), null);
  const loop = specOf([entity("A", [["id", "B", "Primary key"]]), entity("B", [["id", "A", "Primary key"]])].join("\n"));
  assert.match(checkSql(loop, { dialect: "postgres" }).map((p) => p.message).join("\n"), /refers back to "B" \(a loop of references/);
});

test("names of constraints and indexes never collide with tables, reserved words stay quoted", async () => {
  const spec = specOf([
    entity("Order", [["id", "UUID", "Primary key"], ["code", "String", "Unique"], ["select", "Integer", "Indexed"]]),
    entity("OrderPkey", [["id", "UUID", "Primary key"]]),
    entity("OrderCodeKey", [["id", "UUID", "Primary key"]]),
    entity("IdxOrderSelect", [["id", "UUID", "Primary key"], ["group", "Order", "Foreign key → Order.id"]]),
    entity("User", [["from", "String", "Not null"], ["table", "Integer", "Check table > 0 AND \"from\" <> ''"]]),
  ].join("\n"));
  assert.deepEqual(checkSql(spec, { dialect: "postgres" }), []);
  for (const naming of ["snake_case", "preserve"] as const) {
    const pgDdl = exportSql(spec, { dialect: "postgres", naming });
    assert.equal(await pgRuns(pgDdl), null, pgDdl);
    assert.equal(sqliteRuns(exportSql(spec, { dialect: "sqlite", naming })), null);
  }
  assert.match(exportSql(spec, { dialect: "postgres" }), /CONSTRAINT "order_pkey2" PRIMARY KEY/);
});

test("impossible exports throw an ExportError with every problem; names too long for PostgreSQL are problems", () => {
  const spec = specOf([entity("Empty", []), entity(`A${"b".repeat(70)}`, [["id", "UUID", "Primary key"]])].join("\n"));
  const problems = checkSql(spec, { dialect: "postgres" });
  assert.deepEqual(problems.map((p) => p.path), ["dataModel/entities/0", "dataModel/entities/1"]);
  assert.match(problems[1]!.message, /PostgreSQL cuts names at 63/);
  assert.throws(() => exportSql(spec, { dialect: "sqlite" }), (err: unknown) => err instanceof ExportError && err.code === "INPUT" && /Entity "Empty" has no fields/.test(err.message));
  assert.doesNotMatch(String((() => { try { return exportSql(specOf(entity("Empty", [])), { dialect: "postgres" }); } catch { return ""; } })()), /\(\s*\)/);
});

test("a line break in the spec's path stays inside the header comment", async () => {
  const spec = parseSpec("## Data Model\n\n### Entity: T\n\n| Field | Type |\n|---|---|\n| id | UUID |\n", "specs/a\nDROP TABLE x; --/technical-specification.md").spec;
  const ddl = exportSql(spec, { dialect: "postgres" });
  assert.match(ddl.split("\n")[0]!, /^-- Generated by techspec from specs\/a DROP TABLE x; --\/technical-specification\.md \(postgres\)/);
  assert.doesNotMatch(ddl, /^DROP/m);
  assert.equal(await pgRuns(ddl), null);
});
