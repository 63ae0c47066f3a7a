// `verify --database-url`, the library part: a database created from techspec's own `export sql` has no findings
// on SQLite and on a real PostgreSQL server; each mutation of it gives the right rule on the right line with a fix
// whose DDL, applied finding by finding, brings the database back to no findings.
import { InputError } from "../src/workspace/errors.js";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test, type TestContext } from "node:test";
import Sqlite from "libsql";
import pg from "pg";
import { UnreachableError } from "../src/contract/errors.js";
import { DATABASE_CHECKS } from "../src/contract/checks.js";
import { canonicalPostgresType, verifyDatabase } from "../src/contract/verify-database.js";
import { isConstantExpression, normalizeDefault } from "../src/contract/default-expression.js";
import { parseDatabaseUrl } from "../src/contract/database-url.js";
import { exportSql, type SqlDialect, type SqlNaming } from "../src/export/sql.js";
import type { Diagnostic } from "../src/model/diagnostic.js";
import { parseSpec, type ParseResult } from "../src/parse/parse-spec.js";
import { postgresOf } from "../src/types/mappings.js";
import { parseType } from "../src/types/data-type.js";
import { startPostgres, type TestPostgres } from "../test-support/postgres.js";

// Every type mappings.ts writes, defaults PostgreSQL reformats (negative numbers, 1e3, timestamps, arrays), a
// foreign-key cycle (closed with ALTER TABLE), a composite key, and a table whose name takes PostgreSQL's name for
// another table's primary key ("order_pkey"), so exportSql names that constraint itself.
const SPEC = [
  "# Technical Specification: Shop Orders", "", "## Overview", "", "**Feature ID**: FEAT-0042", "", "## Data Model", "",
  "### Entity 1: Customer", "", "| Field | Type | Description | Constraints |", "|---|---|---|---|",
  "| id | UUID | Identifier | Primary key, Default gen_random_uuid() |",
  "| email | Email | Sign-in address | Not null, Unique |",
  "| displayName | String(120) | Shown name | Not null |",
  "| status | Enum(active, blocked) | State | Not null, Default 'active' |",
  "| createdAt | Timestamp | Creation time | Not null, Default now() |",
  "| score | Decimal(10,2) | Loyalty score | Nullable, Default 10.5 |",
  "| nickname | String(40) | Short name | Nullable, Indexed |",
  "| legacyCode | ObjectId | Identifier in the old system | Nullable |",
  "",
  "### Entity 2: Order", "", "| Field | Type | Description | Constraints |", "|---|---|---|---|",
  "| id | UUID | Identifier | Primary key |",
  "| customerId | UUID | Buyer | Not null, Foreign key → Customer.id, Indexed |",
  "| total | BigInt | Total in cents | Not null, Default 0 |",
  "| placedOn | Date | Day of the order | Not null, Default '2026-01-01' |",
  "| paid | Boolean | Whether paid | Not null, Default false |",
  "| notes | JSON | Free notes | Nullable, Default '{}' |",
  "| priority | SmallInt | Priority | Not null, Default -1 |",
  "| ratio | Float | Ratio | Nullable, Default 1e3 |",
  "| shippedAt | Timestamptz | Shipping time | Nullable, Default '2026-01-31T10:00:00Z' |",
  "| cutoff | Time | Daily cutoff | Nullable, Default '10:00:00' |",
  "| couponCode | String(20) | Coupon | Nullable, Unique |",
  "| lastShipmentId | UUID | Latest shipment | Nullable, Foreign key → Shipment.id |",
  "",
  "### Entity 3: Shipment", "", "| Field | Type | Description | Constraints |", "|---|---|---|---|",
  "| id | UUID | Identifier | Primary key |",
  "| orderId | UUID | Order shipped | Not null, Foreign key → Order.id |",
  "| carrier | Varchar(32) | Carrier | Not null, Default 'post' |",
  "",
  "### Entity 4: OrderLine", "", "| Field | Type | Description | Constraints |", "|---|---|---|---|",
  "| orderId | UUID | Order | Primary key (composite), Foreign key → Order.id |",
  "| lineNo | Integer | Line number | Primary key (composite) |",
  "| quantity | Integer | Quantity | Not null, Default 1, Check > 0 |",
  "| tags | Array<String> | Tags | Nullable, Default [\"a\", \"b\"] |",
  "| counts | Integer[] | Counts | Nullable, Default [1, -2] |",
  "| stamps | Array<Timestamptz> | Stamps | Nullable |",
  "| prices | Array<Decimal(5,2)> | Prices | Nullable |",
  "| matrix | Array<Array<Integer>> | Matrix | Nullable |",
  "| raw | Blob | Raw bytes | Nullable |",
  "| site | URL | Web site | Nullable |",
  "| payload | JSONB | Payload | Nullable |",
  "| refs | Array<ObjectId> | References | Nullable |",
  "| memo | Text | Memo | Nullable |",
  "| amount | Decimal | Amount | Nullable, Default -0.5 |",
  "| buyer | Customer | Buyer (an entity reference) | Nullable, Foreign key → Customer.id |",
  "| flags | Array<Boolean> | Flags | Nullable, Default [true] |",
  "| weights | Array<Float> | Weights | Nullable, Default [1.5] |",
  "| days | Array<Date> | Days | Nullable, Default [\"2026-01-01\"] |",
  "",
  "### Entity 5: OrderPkey", "", "| Field | Type | Description | Constraints |", "|---|---|---|---|",
  "| id | Integer | Identifier | Primary key |",
  "| label | String | Label | Nullable, Default 'none' |",
  "",
].join("\n");

const parsed = parseSpec(SPEC, "spec.md");
const LINES = SPEC.split("\n");

function lineIndex(from: number, test: (l: string) => boolean, what: string): number {
  const i = LINES.findIndex((l, k) => k >= from && test(l));
  assert.ok(i >= 0, `the fixture has ${what}`);
  return i;
}

/** The 1-based line of an entity's heading in the fixture. */
function entityLine(entity: string): number {
  return lineIndex(0, (l) => new RegExp(`^### Entity \\d+: ${entity}$`).test(l), `entity ${entity}`) + 1;
}

/** The 1-based line of a field's row, the first after its entity's heading. */
function fieldLine(entity: string, field: string): number {
  return lineIndex(entityLine(entity), (l) => l.startsWith(`| ${field} |`), `field ${entity}.${field}`) + 1;
}

const DATA_MODEL_LINE = lineIndex(0, (l) => l === "## Data Model", "a Data Model section") + 1;

/** `rule@line` of each diagnostic, in the order given (verifyDatabase sorts by line). */
function summary(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.rule}@${d.line}`);
}

function explain(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.rule}@${d.line} ${d.severity}: ${d.message}`).join("\n") || "(none)";
}

/** The DDL of a finding's fix, the SQLite rebuild explanation taken off. */
function fixOf(d: Diagnostic): string {
  const at = d.message.indexOf("; fix: ");
  assert.ok(at > 0, `the message has a fix: ${d.message}`);
  return d.message.slice(at + "; fix: ".length).replace(/^rebuild the table, as SQLite cannot [^:]*: /, "");
}

function assertOneLineWithFix(d: Diagnostic): void {
  assert.doesNotMatch(d.message, /[\r\n]/, "one line");
  assert.match(fixOf(d), /^(?:PRAGMA|CREATE|ALTER|DROP)\b/, `a DDL fix: ${d.message}`);
}

/** A mutation of a database created from exportSql's DDL, and what verifying it must report. */
interface Mutation {
  readonly name: string;
  /** Edits the exported DDL before it runs. */
  readonly edit?: (ddl: string) => string;
  /** Runs after the DDL. */
  readonly then?: string;
  /** `rule@line`, sorted by line as verifyDatabase sorts. */
  readonly expect: readonly string[];
  /** What every finding's message says. */
  readonly says?: RegExp;
  readonly severity?: "warning";
}

function replaced(ddl: string, from: string, to: string): string {
  assert.ok(ddl.includes(from), `the DDL has ${from}`);
  return ddl.replace(from, to);
}

/** The DDL without the line holding `text`, keeping the commas of CREATE TABLE right. */
function withoutLine(ddl: string, text: string): string {
  const lines = ddl.split("\n");
  const i = lines.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `the DDL has ${text}`);
  lines.splice(i, 1);
  if (lines[i] === ");" && lines[i - 1]?.endsWith(",")) lines[i - 1] = lines[i - 1]!.slice(0, -1);
  return lines.join("\n");
}

/** Applies findings' fixes one at a time until there is none left (each fix may change what the next one is). */
async function converge(verify: () => Promise<Diagnostic[]>, run: (sql: string) => Promise<void>): Promise<void> {
  const applied: string[] = [];
  for (let i = 0; i < 12; i++) {
    const found = await verify();
    if (found.length === 0) return;
    // In line order, the first fix that runs: a foreign key to a missing table waits for the table's CREATE.
    const failures: string[] = [];
    for (const d of found) {
      try {
        await run(fixOf(d));
        applied.push(fixOf(d));
        break;
      } catch (error) {
        failures.push(`${d.rule}@${d.line}: ${(error as Error).message}: ${fixOf(d)}`);
      }
    }
    if (failures.length === found.length) assert.fail(`no fix runs:\n${failures.join("\n")}`);
  }
  assert.fail(`the fixes do not bring the database to zero findings; applied:\n${applied.join("\n")}\nleft:\n${explain(await verify())}`);
}

const tmp = mkdtempSync(join(tmpdir(), "techspec-verify-db-"));
after(() => rmSync(tmp, { recursive: true, force: true }));
let files = 0;

/** A new SQLite file holding `sql`. */
function sqliteFile(sql: string): string {
  const file = join(tmp, `db${++files}.sqlite`);
  const db = new Sqlite(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
  return file;
}

function runSqlite(file: string, sql: string): void {
  const db = new Sqlite(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

async function verifySqlite(file: string, spec: ParseResult = parsed, naming: SqlNaming = "snake_case"): Promise<Diagnostic[]> {
  const result = await verifyDatabase(spec, `sqlite:${file}`, { naming });
  assert.equal(result.engine, "sqlite");
  return result.diagnostics;
}

const SQLITE_MUTATIONS: readonly Mutation[] = [
  { name: "a dropped column", edit: (d) => withoutLine(d, '"display_name" TEXT NOT NULL'), expect: [`db-column@${fieldLine("Customer", "displayName")}`], says: /"customer"\."display_name" is missing from the database; fix: / },
  { name: "an extra column", then: 'ALTER TABLE "customer" ADD COLUMN "fax" TEXT', expect: [`db-column@${entityLine("Customer")}`], says: /"customer"\."fax" is in the database.*DROP COLUMN "fax"/ },
  {
    name: "a renamed column (a drop plus an add, and said to be)", then: 'ALTER TABLE "customer" RENAME COLUMN "display_name" TO "full_name"',
    expect: [`db-column@${entityLine("Customer")}`, `db-column@${fieldLine("Customer", "displayName")}`],
    says: /\(if "full_name" was renamed to "display_name", that shows as a drop plus an add\)/,
  },
  { name: "a changed type", edit: (d) => replaced(d, '"ratio" REAL', '"ratio" TEXT'), expect: [`db-type@${fieldLine("Order", "ratio")}`], says: /has type TEXT, expected REAL; fix: rebuild the table, as SQLite cannot change a column's type in place: PRAGMA foreign_keys = OFF; BEGIN; CREATE TABLE "order_new" \(/ },
  { name: "NOT NULL removed", edit: (d) => replaced(d, '"display_name" TEXT NOT NULL', '"display_name" TEXT'), expect: [`db-nullable@${fieldLine("Customer", "displayName")}`], says: /allows NULL, expected NOT NULL/ },
  { name: "a changed default", edit: (d) => replaced(d, "DEFAULT 'active'", "DEFAULT 'blocked'"), expect: [`db-default@${fieldLine("Customer", "status")}`], says: /has DEFAULT 'blocked', expected DEFAULT 'active'/ },
  { name: "a dropped default", edit: (d) => replaced(d, "\"ratio\" REAL DEFAULT 1e3", "\"ratio\" REAL"), expect: [`db-default@${fieldLine("Order", "ratio")}`], says: /has no default, expected DEFAULT 1e3/ },
  { name: "a missing unique", edit: (d) => replaced(d, '"email" TEXT NOT NULL UNIQUE', '"email" TEXT NOT NULL'), expect: [`db-unique@${fieldLine("Customer", "email")}`], says: /is not UNIQUE.*fix: CREATE UNIQUE INDEX/ },
  { name: "an extra unique", then: 'CREATE UNIQUE INDEX "memo_once" ON "order_line" ("memo")', expect: [`db-unique@${fieldLine("OrderLine", "memo")}`], says: /is UNIQUE \(index "memo_once"\).*DROP INDEX "memo_once"/ },
  { name: "a missing foreign key", edit: (d) => withoutLine(d, 'FOREIGN KEY ("customer_id")'), expect: [`db-foreign-key@${fieldLine("Order", "customerId")}`], says: /has no foreign key, expected REFERENCES "customer" \("id"\)/ },
  {
    name: "a foreign key to another table", edit: (d) => replaced(d, 'FOREIGN KEY ("buyer") REFERENCES "customer"', 'FOREIGN KEY ("buyer") REFERENCES "order"'),
    expect: [`db-foreign-key@${fieldLine("OrderLine", "buyer")}`], says: /references REFERENCES "order" \("id"\), expected REFERENCES "customer" \("id"\)/,
  },
  { name: "a missing index", edit: (d) => withoutLine(d, 'CREATE INDEX "idx_customer_nickname"'), expect: [`db-index@${fieldLine("Customer", "nickname")}`], says: /has no index.*fix: CREATE INDEX "idx_customer_nickname" ON "customer" \("nickname"\);/ },
  { name: "an extra index (a warning)", then: 'CREATE INDEX "by_memo" ON "order_line" ("memo")', expect: [`db-index@${fieldLine("OrderLine", "memo")}`], says: /Index "by_memo".*not Indexed.*DROP INDEX "by_memo"/, severity: "warning" },
  { name: "a changed primary key", edit: (d) => replaced(d, 'PRIMARY KEY ("order_id", "line_no")', 'PRIMARY KEY ("order_id")'), expect: [`db-primary-key@${entityLine("OrderLine")}`], says: /has PRIMARY KEY \("order_id"\), expected PRIMARY KEY \("order_id", "line_no"\)/ },
  { name: "a missing table", then: 'DROP TABLE "order_line"', expect: [`db-table@${entityLine("OrderLine")}`], says: /Table "order_line" of entity "OrderLine" is missing.*fix: CREATE TABLE "order_line" \(/ },
  { name: "an extra table", then: 'CREATE TABLE "audit_log" ("id" INTEGER PRIMARY KEY, "what" TEXT)', expect: [`db-table@${DATA_MODEL_LINE}`], says: /Table "audit_log" is in the database.*fix: DROP TABLE "audit_log";/ },
  {
    name: "a renamed table (a drop plus an add, and said to be)", then: 'ALTER TABLE "order_line" RENAME TO "order_item"',
    expect: [`db-table@${DATA_MODEL_LINE}`, `db-table@${entityLine("OrderLine")}`], says: /\(if "order_item" was renamed to "order_line", that shows as a drop plus an add\)/,
  },
];

describe("SQLite", () => {
  const ddl = exportSql(parsed.spec, { dialect: "sqlite" });

  test("a database created from export sql has no findings, and is left as it was", async () => {
    const file = sqliteFile(ddl);
    const before = readFileSync(file);
    const result = await verifyDatabase(parsed, `sqlite:${file}`, { naming: "snake_case" });
    assert.equal(explain(result.diagnostics), "(none)");
    assert.deepEqual([result.engine, result.tables], ["sqlite", 5]);
    assert.ok(readFileSync(file).equals(before), "the file is unchanged");
    assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith(`db${files}.`)), [`db${files}.sqlite`], "no journal or WAL file");
  });

  test("the same with naming preserve", async () => {
    const file = sqliteFile(exportSql(parsed.spec, { dialect: "sqlite", naming: "preserve" }));
    assert.equal(explain(await verifySqlite(file, parsed, "preserve")), "(none)");
    // Read with snake_case, SQLite's tables match (it ignores case) but the camelCase columns do not.
    const snake = await verifySqlite(file);
    assert.ok(snake.some((d) => d.rule === "db-column" && d.line === fieldLine("Customer", "displayName") && /"display_name" is missing/.test(d.message)), explain(snake));
  });

  for (const m of SQLITE_MUTATIONS) {
    test(`${m.name}: ${m.expect.join(", ")}, and the fixes converge`, async () => {
      const file = sqliteFile(m.edit ? m.edit(ddl) : ddl);
      if (m.then) runSqlite(file, m.then);
      const found = await verifySqlite(file);
      assert.deepEqual(summary(found), m.expect, explain(found));
      for (const d of found) {
        assertOneLineWithFix(d);
        if (m.says) assert.match(d.message, m.says);
        assert.equal(d.severity, m.severity ?? "error");
        assert.equal(d.file, "spec.md");
      }
      await converge(() => verifySqlite(file), async (sql) => runSqlite(file, sql));
    });
  }

  test("checks choose the rules that run", async () => {
    const file = sqliteFile(withoutLine(replaced(ddl, '"email" TEXT NOT NULL UNIQUE', '"email" TEXT NOT NULL'), 'CREATE INDEX "idx_customer_nickname"'));
    assert.deepEqual(summary(await verifySqlite(file)), [`db-unique@${fieldLine("Customer", "email")}`, `db-index@${fieldLine("Customer", "nickname")}`]);
    const only = await verifyDatabase(parsed, `sqlite:${file}`, { naming: "snake_case", checks: new Set(["db-index"]) });
    assert.deepEqual(summary(only.diagnostics), [`db-index@${fieldLine("Customer", "nickname")}`]);
    const none = await verifyDatabase(parsed, `sqlite:${file}`, { naming: "snake_case", checks: new Set() });
    assert.deepEqual(none.diagnostics, []);
  });

  test("ignoreTables leaves out a migration tool's tables, but never a table an entity declares", async () => {
    const file = sqliteFile(`${ddl}\nCREATE TABLE "kysely_migration" ("name" TEXT PRIMARY KEY); CREATE TABLE "kysely_migration_lock" ("id" TEXT PRIMARY KEY);`);
    assert.deepEqual(summary(await verifySqlite(file)), [`db-table@${DATA_MODEL_LINE}`, `db-table@${DATA_MODEL_LINE}`]);
    const ignored = await verifyDatabase(parsed, `sqlite:${file}`, { naming: "snake_case", ignoreTables: ["KYSELY_migration*"] });
    assert.deepEqual(ignored.diagnostics, []);
    const dropped = sqliteFile(withoutLine(ddl, '"display_name" TEXT NOT NULL'));
    const still = await verifyDatabase(parsed, `sqlite:${dropped}`, { naming: "snake_case", ignoreTables: ["*"] });
    assert.deepEqual(summary(still.diagnostics), [`db-column@${fieldLine("Customer", "displayName")}`]);
  });

  test("odd databases: views, virtual tables, tables without a key, names with spaces, expression indexes", async () => {
    const file = sqliteFile(`${ddl}
CREATE VIEW "open orders" AS SELECT * FROM "order";
CREATE VIRTUAL TABLE "search" USING fts5(body);
CREATE TABLE "odd table" ("a b" TEXT, "c" INTEGER);
CREATE INDEX "by lower" ON "odd table" (lower("a b"));
CREATE INDEX "by expression" ON "customer" (lower("email"));
CREATE TABLE "parent" ("x" INTEGER, "y" INTEGER, UNIQUE ("x", "y"));
CREATE TABLE "child" ("x" INTEGER, "y" INTEGER, FOREIGN KEY ("x", "y") REFERENCES "parent" ("x", "y"), FOREIGN KEY ("x") REFERENCES "parent");`);
    const found = await verifySqlite(file);
    assert.deepEqual(summary(found), [`db-table@${DATA_MODEL_LINE}`, `db-table@${DATA_MODEL_LINE}`, `db-table@${DATA_MODEL_LINE}`, `db-index@${entityLine("Customer")}`], explain(found));
    assert.match(found.map((d) => d.message).join("\n"), /Table "odd table"/);
    assert.match(found[3]!.message, /Index "by expression" on "customer" \(<expression>\)/);
  });

  test("the URL forms: sqlite:relative, sqlite://relative, sqlite:/absolute, file:relative, file:///absolute", async () => {
    const file = sqliteFile(ddl);
    const rel = relative(process.cwd(), file);
    for (const url of [`sqlite:${rel}`, `sqlite://${rel}`, `sqlite:${file}`, `file:${rel}`, pathToFileURL(file).href, `  sqlite:${file}  `]) {
      const result = await verifyDatabase(parsed, url, { naming: "snake_case" });
      assert.deepEqual([result.diagnostics.length, result.tables], [0, 5], url);
    }
    assert.equal(parseDatabaseUrl("sqlite:db.sqlite", "/work").location, "/work/db.sqlite");
    assert.equal(parseDatabaseUrl("sqlite:///abs/db.sqlite", "/work").location, "/abs/db.sqlite");
  });
});

describe("errors", () => {
  test("a missing SQLite file is unreachable, and is not created", async () => {
    const file = join(tmp, "missing.sqlite");
    await assert.rejects(verifyDatabase(parsed, `sqlite:${file}`, { naming: "snake_case" }), (e: Error) => e instanceof UnreachableError && /does not exist/.test(e.message));
    assert.equal(existsSync(file), false);
  });

  test("a folder or a file that is not a database is unreachable", async () => {
    await assert.rejects(verifyDatabase(parsed, `sqlite:${tmp}`, { naming: "snake_case" }), UnreachableError);
    const text = join(tmp, "notes.txt");
    writeFileSync(text, "not a database, only some words that are long enough to fill a header of a hundred bytes or so, really\n");
    await assert.rejects(verifyDatabase(parsed, `sqlite:${text}`, { naming: "snake_case" }), (e: Error) => e instanceof UnreachableError && !/[\r\n]/.test(e.message));
  });

  test("a URL of another kind is a InputError naming the forms, without its password", async () => {
    for (const url of ["mysql://root:hunter2@db.example/shop", "http://u:hunter2@x/", "shop.db", "sqlite:", "file://remote-host/x.db"]) {
      await assert.rejects(verifyDatabase(parsed, url, { naming: "snake_case" }), (e: Error) => {
        assert.ok(e instanceof InputError, `${url}: ${e.message}`);
        assert.doesNotMatch(e.message, /hunter2/);
        assert.match(e.message, /postgres:\/\/.*sqlite:<path>/);
        return true;
      });
    }
  });

  test("a PostgreSQL URL on a closed port is unreachable, quickly, and the message hides the password", async () => {
    const port = await closedPort();
    const started = Date.now();
    await assert.rejects(verifyDatabase(parsed, `postgres://app:s3cret-pw@127.0.0.1:${port}/shop`, { naming: "snake_case" }), (e: Error) => {
      assert.ok(e instanceof UnreachableError, e.message);
      assert.doesNotMatch(e.message, /s3cret-pw/);
      assert.match(e.message, new RegExp(`^Cannot connect to PostgreSQL at postgres://app@127\\.0\\.0\\.1:${port}/shop: `));
      assert.doesNotMatch(e.message, /[\r\n]/);
      return true;
    });
    assert.ok(Date.now() - started < 5000, "refused at once");
  });

  test("a Data Model that cannot be written as SQL is a InputError", async () => {
    const broken = parseSpec(SPEC.replace("Foreign key → Customer.id, Indexed", "Foreign key → Supplier.id, Indexed"), "spec.md");
    await assert.rejects(verifyDatabase(broken, `sqlite:${join(tmp, "never-opened.sqlite")}`, { naming: "snake_case" }),
      (e: Error) => e instanceof InputError && /^The Data Model cannot be written as SQL: .*"Supplier".*techspec export sql/.test(e.message));
  });
});

describe("default expressions and types", () => {
  test("PostgreSQL's spellings reduce to exportSql's", () => {
    const pairs: [string, string][] = [
      ["'x'", "'x'::character varying"], ["-1", "'-1'::integer"], ["TRUE", "true"], ["'{}'::jsonb", "'{}'::jsonb"],
      ["ARRAY['a', 'b']::TEXT[]", "ARRAY['a'::text, 'b'::text]"], ["ARRAY[1, -2]::INTEGER[]", "ARRAY[1, '-2'::integer]"],
      ["ARRAY[1.5]::DOUBLE PRECISION[]", "ARRAY[(1.5)::double precision]"], ["CURRENT_TIMESTAMP", "now()"], ["NULL", "NULL::text"],
      ["'it''s'", "'it''s'::text"],
    ];
    for (const [a, b] of pairs) assert.equal(normalizeDefault(a, "postgres"), normalizeDefault(b, "postgres"), `${a} ~ ${b}`);
    assert.notEqual(normalizeDefault("'a'", "postgres"), normalizeDefault("'b'::text", "postgres"));
    assert.equal(normalizeDefault("(lower(hex(randomblob(4))) || '-')", "sqlite"), normalizeDefault("lower(hex(randomblob(4))) || '-'", "sqlite"));
    assert.notEqual(normalizeDefault("(a) || (b)", "sqlite"), normalizeDefault("a) || (b", "sqlite"));
  });

  test("only literals count as constant (nothing is evaluated that could call a function)", () => {
    for (const e of ["'2026-01-01'::date", "ARRAY['a'::text]", "'-1'::integer", "1e3", "'{}'::integer[]", "'x'::character varying(20)"]) assert.ok(isConstantExpression(e), e);
    for (const e of ["nextval('s'::regclass)", "gen_random_uuid()", "now()", "ARRAY(select 1)", "1; drop table x", "\"x\"", "CURRENT_TIMESTAMP", "'x'::my_domain", "'x'::\"text\"", "'x'::public.text"]) assert.ok(!isConstantExpression(e), e);
  });

  test("every PostgreSQL type mappings.ts writes has format_type's spelling", () => {
    const cases: [string, string][] = [
      ["UUID", "uuid"], ["String(255)", "character varying(255)"], ["String", "text"], ["SmallInt", "smallint"], ["Integer", "integer"],
      ["BigInt", "bigint"], ["Float", "double precision"], ["Decimal", "numeric"], ["Decimal(10,2)", "numeric(10,2)"], ["Boolean", "boolean"],
      ["Date", "date"], ["Timestamp", "timestamp without time zone"], ["Timestamptz", "timestamp with time zone"], ["Time", "time without time zone"],
      ["JSON", "jsonb"], ["ObjectId", "character(24)"], ["Array<Timestamptz>", "timestamp with time zone[]"], ["Array<String(10)>", "character varying(10)[]"],
      ["Array<Decimal(5,2)>", "numeric(5,2)[]"], ["Array<ObjectId>", "character(24)[]"],
    ];
    for (const [type, formatted] of cases) assert.equal(canonicalPostgresType(postgresOf(parseType(type))), formatted, type);
  });
});

describe("PostgreSQL", () => {
  let server: TestPostgres;
  let admin: pg.Client | undefined;
  let databases = 0;

  before(async () => {
    server = await startPostgres();
    if (server.kind === "server") {
      admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
    }
  });
  after(async () => {
    await admin?.end();
    await server?.stop();
  });

  /** Whether there is a real server; fails without one unless TECHSPEC_TEST_POSTGRES=pglite asks for the fallback. */
  function needServer(t: TestContext): boolean {
    if (server.kind === "server") return true;
    if (process.env["TECHSPEC_TEST_POSTGRES"] === "pglite") {
      t.skip("TECHSPEC_TEST_POSTGRES=pglite: PGlite has no URL to verify");
      return false;
    }
    assert.fail(`these tests need a real PostgreSQL server (install postgresql, or set TECHSPEC_TEST_POSTGRES=pglite to skip them): ${server.description}`);
  }

  /** A fresh database holding `sql`, given to `use` with a client on it, dropped afterwards. */
  async function withDatabase(sql: string, use: (url: string, client: pg.Client) => Promise<void>): Promise<void> {
    const name = `verify_${process.pid}_${++databases}`;
    await admin!.query(`create database ${name}`);
    const url = server.url.replace(/\/[^/]*$/, `/${name}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query(sql);
      await use(url, client);
    } finally {
      await client.end().catch(() => {});
      await admin!.query(`drop database if exists ${name} with (force)`);
    }
  }

  async function verifyPg(url: string, spec: ParseResult = parsed, naming: SqlNaming = "snake_case"): Promise<Diagnostic[]> {
    const result = await verifyDatabase(spec, url, { naming });
    assert.equal(result.engine, "postgres");
    return result.diagnostics;
  }

  const ddl = exportSql(parsed.spec, { dialect: "postgres" });

  test("runs on a real server", (t) => {
    t.diagnostic(`PostgreSQL for these tests: ${server.kind}: ${server.description}`);
    needServer(t);
  });

  test("a database created from export sql has no findings, with either naming", async (t) => {
    if (!needServer(t)) return;
    await withDatabase(ddl, async (url) => {
      const result = await verifyDatabase(parsed, url, { naming: "snake_case" });
      assert.equal(explain(result.diagnostics), "(none)");
      assert.deepEqual([result.engine, result.tables], ["postgres", 5]);
      assert.equal(explain(await verifyPg(url.replace(/^postgres:/, "postgresql:"))), "(none)");
    });
    await withDatabase(exportSql(parsed.spec, { dialect: "postgres", naming: "preserve" }), async (url) => {
      assert.equal(explain(await verifyPg(url, parsed, "preserve")), "(none)");
    });
  });

  const PG_MUTATIONS: readonly Mutation[] = [
    { name: "a changed type", then: 'ALTER TABLE "order" ALTER COLUMN "total" TYPE INTEGER', expect: [`db-type@${fieldLine("Order", "total")}`], says: /has type integer, expected BIGINT; fix: ALTER TABLE "order" ALTER COLUMN "total" TYPE BIGINT/ },
    { name: "a shorter varchar", then: 'ALTER TABLE "customer" ALTER COLUMN "display_name" TYPE VARCHAR(60)', expect: [`db-type@${fieldLine("Customer", "displayName")}`], says: /has type character varying\(60\), expected VARCHAR\(120\)/ },
    { name: "NOT NULL removed", then: 'ALTER TABLE "customer" ALTER COLUMN "display_name" DROP NOT NULL', expect: [`db-nullable@${fieldLine("Customer", "displayName")}`], says: /SET NOT NULL;$/ },
    { name: "NOT NULL added", then: 'ALTER TABLE "customer" ALTER COLUMN "nickname" SET NOT NULL', expect: [`db-nullable@${fieldLine("Customer", "nickname")}`], says: /DROP NOT NULL;$/ },
    { name: "a changed default", then: 'ALTER TABLE "order" ALTER COLUMN "total" SET DEFAULT 5', expect: [`db-default@${fieldLine("Order", "total")}`], says: /has DEFAULT 5, expected DEFAULT 0; fix: .* SET DEFAULT 0;/ },
    { name: "a changed timestamp default", then: `ALTER TABLE "order" ALTER COLUMN "shipped_at" SET DEFAULT '2026-01-31T11:00:00Z'`, expect: [`db-default@${fieldLine("Order", "shippedAt")}`] },
    { name: "a dropped default", then: 'ALTER TABLE "customer" ALTER COLUMN "id" DROP DEFAULT', expect: [`db-default@${fieldLine("Customer", "id")}`], says: /has no default, expected DEFAULT gen_random_uuid\(\)/ },
    { name: "a missing unique", then: 'ALTER TABLE "customer" DROP CONSTRAINT "customer_email_key"', expect: [`db-unique@${fieldLine("Customer", "email")}`], says: /fix: ALTER TABLE "customer" ADD UNIQUE \("email"\);/ },
    { name: "an extra unique", then: 'ALTER TABLE "order_line" ADD UNIQUE ("memo")', expect: [`db-unique@${fieldLine("OrderLine", "memo")}`], says: /DROP CONSTRAINT "order_line_memo_key"/ },
    { name: "a missing foreign key", then: 'ALTER TABLE "order" DROP CONSTRAINT "order_customer_id_fkey"', expect: [`db-foreign-key@${fieldLine("Order", "customerId")}`], says: /fix: ALTER TABLE "order" ADD FOREIGN KEY \("customer_id"\) REFERENCES "customer" \("id"\);/ },
    { name: "an extra foreign key", then: 'ALTER TABLE "order_line" ADD FOREIGN KEY ("order_id") REFERENCES "shipment" ("id")', expect: [`db-foreign-key@${fieldLine("OrderLine", "orderId")}`], says: /REFERENCES "shipment" \("id"\), which the Data Model does not declare/ },
    { name: "a missing index", then: 'DROP INDEX "idx_customer_nickname"', expect: [`db-index@${fieldLine("Customer", "nickname")}`], says: /fix: CREATE INDEX "idx_customer_nickname" ON "customer" \("nickname"\);$/ },
    { name: "an extra index (a warning)", then: 'CREATE INDEX "by_memo" ON "order_line" ("memo")', expect: [`db-index@${fieldLine("OrderLine", "memo")}`], severity: "warning" },
    { name: "a missing primary key", then: 'ALTER TABLE "order_line" DROP CONSTRAINT "order_line_pkey"', expect: [`db-primary-key@${entityLine("OrderLine")}`], says: /has no primary key, expected PRIMARY KEY \("order_id", "line_no"\)/ },
    { name: "a missing, named primary key", then: 'ALTER TABLE "order" DROP CONSTRAINT "order_pkey2" CASCADE', expect: [`db-primary-key@${fieldLine("Order", "id")}`, `db-foreign-key@${fieldLine("Shipment", "orderId")}`, `db-foreign-key@${fieldLine("OrderLine", "orderId")}`], says: /ADD CONSTRAINT "order_pkey2" PRIMARY KEY|ADD FOREIGN KEY/ },
    { name: "a missing column", then: 'ALTER TABLE "customer" DROP COLUMN "display_name"', expect: [`db-column@${fieldLine("Customer", "displayName")}`], says: /fix: ALTER TABLE "customer" ADD COLUMN "display_name" VARCHAR\(120\) NOT NULL;/ },
    { name: "a missing column with its index and foreign key", then: 'ALTER TABLE "order" DROP COLUMN "customer_id"', expect: [`db-column@${fieldLine("Order", "customerId")}`], says: /ADD COLUMN "customer_id" UUID NOT NULL; ALTER TABLE "order" ADD FOREIGN KEY .* CREATE INDEX "idx_order_customer_id"/ },
    {
      name: "a renamed column", then: 'ALTER TABLE "customer" RENAME COLUMN "display_name" TO "full_name"',
      expect: [`db-column@${entityLine("Customer")}`, `db-column@${fieldLine("Customer", "displayName")}`], says: /\(if "full_name" was renamed to "display_name", that shows as a drop plus an add\)/,
    },
    { name: "an extra table", then: 'CREATE TABLE "audit_log" ("id" BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "what" TEXT)', expect: [`db-table@${DATA_MODEL_LINE}`], says: /fix: DROP TABLE "audit_log";$/ },
    { name: "a missing table", then: 'DROP TABLE "order_line"', expect: [`db-table@${entityLine("OrderLine")}`], says: /fix: CREATE TABLE "order_line" \(.*\);$/ },
    { name: "a missing table in a cycle", then: 'DROP TABLE "shipment" CASCADE', expect: [`db-foreign-key@${fieldLine("Order", "lastShipmentId")}`, `db-table@${entityLine("Shipment")}`], says: /ADD FOREIGN KEY/ },
  ];

  for (const m of PG_MUTATIONS) {
    test(`${m.name}: ${m.expect.join(", ")}, and the fixes converge`, async (t) => {
      if (!needServer(t)) return;
      await withDatabase(`${ddl}\n${m.then ?? ""}`, async (url, client) => {
        const found = await verifyPg(url);
        assert.deepEqual(summary(found), m.expect, explain(found));
        for (const d of found) {
          assertOneLineWithFix(d);
          if (m.says) assert.match(d.message, m.says);
          assert.equal(d.severity, m.severity ?? "error");
        }
        await converge(() => verifyPg(url), async (sql) => void (await client.query(sql)));
      });
    });
  }

  test("odd databases: views, partitions, identity columns, names with spaces, other schemas, expression indexes", async (t) => {
    if (!needServer(t)) return;
    await withDatabase(`${ddl}
      CREATE VIEW "open orders" AS SELECT * FROM "order";
      CREATE TABLE "odd table" ("a b" TEXT, "c" INTEGER);
      CREATE INDEX "by lower" ON "odd table" (lower("a b"));
      CREATE TABLE "readings" ("at" DATE NOT NULL, "v" INTEGER) PARTITION BY RANGE ("at");
      CREATE TABLE "readings_2026" PARTITION OF "readings" FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      CREATE SCHEMA "other";
      CREATE TABLE "other"."elsewhere" ("id" UUID PRIMARY KEY REFERENCES "customer" ("id"));
      ALTER TABLE "order_line" ADD COLUMN "seq" INTEGER GENERATED ALWAYS AS IDENTITY;
      ALTER TABLE "customer" ALTER COLUMN "legacy_code" SET DEFAULT 'abcdefabcdefabcdefabcdef';
      ALTER TABLE "order_line" ADD FOREIGN KEY ("buyer") REFERENCES "other"."elsewhere" ("id");`, async (url) => {
      const found = await verifyPg(url);
      assert.deepEqual(summary(found), [
        `db-table@${DATA_MODEL_LINE}`, `db-table@${DATA_MODEL_LINE}`, `db-default@${fieldLine("Customer", "legacyCode")}`,
        `db-column@${entityLine("OrderLine")}`, `db-foreign-key@${fieldLine("OrderLine", "buyer")}`,
      ], explain(found));
      const text = found.map((d) => d.message).join("\n");
      assert.match(text, /Table "odd table"/);
      assert.match(text, /Table "readings"/);
      assert.doesNotMatch(text, /readings_2026|open orders|elsewhere" is in/);
      assert.match(text, /REFERENCES "other"\."elsewhere" \("id"\)/);
    });
  });

  test("a database that does not exist is unreachable", async (t) => {
    if (!needServer(t)) return;
    const url = server.url.replace(/\/[^/]*$/, "/no_such_database").replace("postgres://postgres@", "postgres://postgres:pw-never-shown@");
    await assert.rejects(verifyPg(url), (e: Error) => e instanceof UnreachableError && /no_such_database/.test(e.message) && !/pw-never-shown/.test(e.message));
  });

  test("verifying never writes: the session is read-only", async (t) => {
    if (!needServer(t)) return;
    await withDatabase(ddl, async (url, client) => {
      const before = await client.query("select count(*)::int as n from pg_class");
      await verifyPg(url);
      assert.deepEqual((await client.query("select count(*)::int as n from pg_class")).rows, before.rows);
    });
  });

  describe("the examples' specs have no findings on databases created from their export sql", () => {
    for (const dialect of ["sqlite", "postgres"] as const satisfies readonly SqlDialect[]) {
      for (const naming of ["snake_case", "preserve"] as const) {
        test(`${dialect}, ${naming}`, async (t) => {
          if (dialect === "postgres" && !needServer(t)) return;
          const specs = exampleSpecs();
          assert.ok(specs.length >= 3, "the examples have specs with entities");
          for (const spec of specs) {
            const sql = exportSql(spec.spec, { dialect, naming });
            if (dialect === "sqlite") {
              assert.equal(explain(await verifySqlite(sqliteFile(sql), spec, naming)), "(none)", spec.spec.path);
            } else {
              await withDatabase(sql, async (url) => assert.equal(explain(await verifyPg(url, spec, naming)), "(none)", spec.spec.path));
            }
          }
        });
      }
    }
  });
});

test("the checks are the documented ones", () => {
  assert.deepEqual(DATABASE_CHECKS.map((c) => c.id), ["db-table", "db-column", "db-type", "db-nullable", "db-default", "db-primary-key", "db-unique", "db-foreign-key", "db-index"]);
  for (const c of DATABASE_CHECKS) assert.ok(c.description.endsWith("."), c.id);
});

function exampleSpecs(): ParseResult[] {
  const root = resolve("examples", "specs");
  return readdirSync(root)
    .map((dir) => join(root, dir, "technical-specification.md"))
    .filter((f) => existsSync(f))
    .map((f) => parseSpec(readFileSync(f, "utf8"), f))
    .filter((p) => p.spec.dataModel.entities.length > 0);
}

/** A port on 127.0.0.1 that nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      s.close(() => done(port));
    });
  });
}
