/**
 * Property test of the Data Model path end to end: random entity tables (the type vocabulary, nullable markers,
 * Required columns, header layouts, defaults, checks, foreign keys between entities, composite keys, names that
 * collide once snake_cased, reserved words) are written as Markdown specs and linted. Whenever lint reports no
 * error from the data rules, the SQL export of both dialects and both namings executes on SQLite (sql.js) and
 * PostgreSQL (PGlite); whenever the export refuses, lint reported an error on the line it names.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import initSqlJs from "sql.js";
import { ExportError } from "../src/export/export-error.js";
import { checkSql, exportSql, type SqlDialect } from "../src/export/sql.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import { lintSpec } from "../src/rules/lint-spec.js";
import { problemSpan, type SqlNaming } from "../src/types/relational-model.js";

// A fixed seed keeps CI reproducible; FC_SEED=random explores new cases (a failure prints its seed to replay).
if (process.env["FC_SEED"] !== "random") fc.configureGlobal({ seed: Number(process.env["FC_SEED"] ?? 20261124) });

const DATA_RULES = new Set(["entity-table", "unknown-type", "unknown-constraint", "parse"]);

let pg: PGlite;
let SQL: Awaited<ReturnType<typeof initSqlJs>>;

before(async () => {
  [pg, SQL] = await Promise.all([PGlite.create(), initSqlJs()]);
});

after(async () => {
  await pg.close();
});

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const ENTITY_NAMES = ["Order", "OrderLine", "order_line", "User", "Select", "Group", "Customer", "SqliteStat", "OrderPkey", "IdxOrderCode", "Payment", "Tag"];
const FIELD_NAMES = ["id", "Id", "createdAt", "created_at", "select", "from", "order", "user", "default", "check", "amount", "name", "status", "code", "parentId", "qty", "value"];
const TYPES = ["UUID", "String", "String(3)", "String(0)", "Varchar(64)", "Text", "Integer", "Int", "BigInt", "SmallInt", "Number", "Float", "Double", "Real",
  "Decimal(12,2)", "Decimal(5,2)", "Numeric", "Boolean", "Date", "Timestamp", "Timestamptz", "Time", "JSON", "Object", "ObjectId", "Email", "URL",
  "Enum(active, closed)", "Enum('it''s', b)", "Money"];
const DEFAULTS = ["0", "-1", "1.5", "40000", "'EUR'", "abc", "true", "false", "null", "now()", "{}", "[]", "2026-01-01", "2026-02-30", "10:30",
  "gen_random_uuid()", "'x y'", "two words", "5f0c8e2a9b1d4c3e8f7a6b5c", "'active'", "closed", "'2026-01-31T10:00:00Z'"];

interface GenField {
  readonly name: string;
  readonly type: string;
  readonly required: string;
  readonly constraints: readonly string[];
}

interface GenEntity {
  readonly name: string;
  readonly layout: 0 | 1 | 2;
  readonly table: boolean;
  readonly fields: readonly GenField[];
}

/** A CHECK expression over `fields` (and the field itself), mostly inside the grammar, sometimes not. */
function checkArb(fields: readonly string[]): fc.Arbitrary<string> {
  const value = fc.oneof(
    fc.constantFrom(...fields),
    fc.integer({ min: -5, max: 100 }).map(String),
    fc.constantFrom("'a'", "'AB%'", "'2026-01-01'", "1.5", "TRUE", "NULL", "'5f0c8e2a-9b1d-4c3e-8f7a-6b5c4d3e2f10'"),
  );
  const term = fc.oneof(
    { weight: 3, arbitrary: value },
    { weight: 1, arbitrary: fc.tuple(value, fc.constantFrom("+", "-", "*", "/", "%", "||"), value).map(([a, op, b]) => `${a} ${op} ${b}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("length", "lower", "upper", "abs", "trim"), value).map(([f, a]) => `${f}(${a})`) },
  );
  const condition = fc.oneof(
    fc.tuple(term, fc.constantFrom("=", "<>", "<", ">", ">=", "<=", "!="), term).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(term, fc.constantFrom("LIKE 'a%'", "NOT LIKE '%\\_x'", "IN (1, 2)", "IN ('a', 'b')", "NOT IN (3)", "BETWEEN 0 AND 10", "IS NULL", "IS NOT NULL")).map(([a, rest]) => `${a} ${rest}`),
    fc.constantFrom("> 0", ">= 1", "<> ''", "IN ('active', 'closed')", "BETWEEN 1 AND 5", "IS NOT NULL", "LIKE 'x%'", "must be positive", "> 0 AND < 100"),
    fc.constantFrom(...fields),
  );
  return fc.oneof(
    { weight: 3, arbitrary: condition },
    { weight: 1, arbitrary: fc.tuple(condition, fc.constantFrom("AND", "OR"), condition).map(([a, op, b]) => `(${a}) ${op} ${b}`) },
    { weight: 1, arbitrary: condition.map((c) => `NOT (${c})`) },
  );
}

function typeArb(entities: readonly string[]): fc.Arbitrary<string> {
  const base = entities.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TYPES) }, { weight: 1, arbitrary: fc.constantFrom(...entities) }) : fc.constantFrom(...TYPES);
  return fc.tuple(base, fc.constantFrom("", "", "", "", "?", " | null", "[]", "list", "array", "nullable")).map(([t, wrap]) => {
    switch (wrap) {
      case "list": return `List<${t}>`;
      case "array": return `Array<${t}>`;
      case "nullable": return `Nullable<${t}>`;
      default: return `${t}${wrap}`;
    }
  });
}

function fieldArb(entities: readonly string[], names: readonly string[]): fc.Arbitrary<GenField> {
  const constraint = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom("Primary key", "Primary key (composite)", "PK", "Not null", "Nullable", "Unique", "Indexed", "min length 2", "max length 5") },
    { weight: 2, arbitrary: fc.constantFrom(...DEFAULTS).map((d) => `Default ${d}`) },
    { weight: 2, arbitrary: checkArb(names).map((c) => `Check ${c}`) },
    {
      weight: entities.length ? 2 : 0,
      arbitrary: fc.tuple(fc.constantFrom(...(entities.length ? entities : ["X"])), fc.constantFrom("", ".id", ".Id", ".code", ".created_at", ".nope"))
        .map(([e, f]) => (f ? `Foreign key → ${e}${f}` : `References ${e}`)),
    },
  );
  return fc.record({
    name: fc.constantFrom(...names),
    type: typeArb(entities),
    required: fc.constantFrom("Yes", "No", "Yes (PK)", "Y", "Optional", "", "Maybe"),
    constraints: fc.array(constraint, { maxLength: 3 }),
  });
}

const dataModelArb: fc.Arbitrary<GenEntity[]> = fc.uniqueArray(fc.constantFrom(...ENTITY_NAMES), { minLength: 1, maxLength: 4 }).chain((names) =>
  fc.tuple(...names.map((name) => fc.record({
    name: fc.constant(name),
    layout: fc.constantFrom(0 as const, 1 as const, 2 as const),
    table: fc.nat(9).map((n) => n > 0),
    fields: fc.subarray(FIELD_NAMES, { minLength: 1, maxLength: 6 }).chain((fieldNames) =>
      fc.tuple(fc.boolean(), fc.array(fieldArb(names, fieldNames), { minLength: 0, maxLength: 6 }))
        .map(([withId, fields]) => (withId ? [{ name: "id", type: "UUID", required: "Yes (PK)", constraints: [] }, ...fields] : fields))),
  }))));

/** What a careful author writes: every choice fits the others, so most of these specs lint clean. */
const CAREFUL_TYPES: Readonly<Record<string, { readonly defaults: readonly string[]; readonly checks: readonly string[] }>> = {
  "UUID": { defaults: ["gen_random_uuid()", "'5f0c8e2a-9b1d-4c3e-8f7a-6b5c4d3e2f10'"], checks: ["IS NOT NULL"] },
  "String(40)": { defaults: ["'none'", "n/a"], checks: ["<> ''", "LIKE 'a%'", "length(#) <= 40", "# = lower(#)"] },
  "Text": { defaults: ["''", "'it''s'"], checks: ["NOT LIKE '%\\_x'", "trim(#) <> ''"] },
  "Integer": { defaults: ["0", "-1", "42"], checks: ["> 0", ">= 0 AND # < 1000", "# % 2 = 0", "BETWEEN 1 AND 5", "IN (1, 2, 3)"] },
  "BigInt": { defaults: ["0", "9223372036854775807"], checks: ["<> 0", "abs(#) < 100"] },
  "Number": { defaults: ["1.5", "0"], checks: ["BETWEEN 0 AND 1.5", "# * 2 < 10"] },
  "Decimal(12,2)": { defaults: ["0", "10.25"], checks: [">= 0", "# % 1 = 0"] },
  "Boolean": { defaults: ["true", "false"], checks: ["# OR NOT #", "IN (TRUE, FALSE)"] },
  "Date": { defaults: ["now()", "2026-01-01"], checks: ["> '2020-01-01'"] },
  "Timestamp": { defaults: ["now()", "'2026-01-31T10:00:00Z'"], checks: [">= '2020-01-01T00:00:00Z'"] },
  "Time": { defaults: ["now()", "10:30"], checks: ["< '23:00'"] },
  "JSON": { defaults: ["{}", '{"a": 1}'], checks: ["IS NOT NULL"] },
  "ObjectId": { defaults: ["5f0c8e2a9b1d4c3e8f7a6b5c"], checks: ["LIKE '5%'"] },
  "Enum(active, closed)": { defaults: ["active", "'closed'"], checks: ["<> 'closed'", "IN ('active')"] },
  "List<String>": { defaults: ["[]", '["a", "b"]'], checks: ["IS NULL OR # IS NOT NULL"] },
};
const CAREFUL_ENTITIES = ["Order", "User", "Select", "Group", "Customer", "Payment", "Tag", "Line"];
const CAREFUL_FIELDS = ["createdAt", "select", "from", "order", "user", "default", "amount", "name", "status", "code", "qty", "value"];

function carefulFieldArb(entities: readonly string[], name: string): fc.Arbitrary<GenField> {
  return fc.record({
    type: fc.constantFrom(...Object.keys(CAREFUL_TYPES), ...entities),
    nullable: fc.constantFrom("", "", "?", " | null", "nullable"),
    pick: fc.tuple(fc.nat(), fc.nat(), fc.nat()),
    extras: fc.subarray(["Unique", "Indexed", "default", "check", "fk"]),
  }).map(({ type, nullable, pick, extras }) => {
    const spec = CAREFUL_TYPES[type];
    const constraints: string[] = [];
    for (const x of extras) {
      if (x === "default" && spec && !(type === "JSON" && extras.includes("Unique"))) constraints.push(`Default ${spec.defaults[pick[0] % spec.defaults.length]}`);
      else if (x === "check" && spec) constraints.push(`Check ${spec.checks[pick[1] % spec.checks.length]!.replace(/#/g, name)}`);
      else if (x === "fk" && (type === "UUID" || !spec) && entities.length) constraints.push(`Foreign key → ${spec ? entities[pick[2] % entities.length] : type}.id`);
      else if (x === "Unique" || x === "Indexed") constraints.push(x);
    }
    const written = nullable === "nullable" ? `Nullable<${type}>` : `${type}${nullable}`;
    return { name, type: written, required: nullable ? "No" : pick[2] % 2 ? "Yes" : "", constraints };
  });
}

const carefulModelArb: fc.Arbitrary<GenEntity[]> = fc.uniqueArray(fc.constantFrom(...CAREFUL_ENTITIES), { minLength: 1, maxLength: 4 }).chain((names) =>
  fc.tuple(...names.map((name) => fc.record({
    name: fc.constant(name),
    layout: fc.constantFrom(0 as const, 1 as const, 2 as const),
    table: fc.constant(true),
    fields: fc.subarray(CAREFUL_FIELDS, { minLength: 0, maxLength: 6 }).chain((fieldNames) =>
      fc.tuple(fc.boolean(), ...fieldNames.map((f) => carefulFieldArb(names, f))).map(([composite, ...fields]) => [
        { name: "id", type: "UUID", required: "Yes (PK)", constraints: composite && fields.length ? ["Primary key (composite)"] : [] },
        ...fields.map((f, k) => (composite && k === 0 ? { ...f, type: f.type.replace(/\?$| \| null$/, "").replace(/^Nullable<(.*)>$/, "$1"), required: "Yes", constraints: ["Primary key (composite)"] } : f)),
      ])),
  }))));

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

const cell = (s: string): string => s.replace(/\|/g, "\\|");

function markdown(entities: readonly GenEntity[]): string {
  const out = ["# Technical Specification: Generated Data Model", "", "## Overview", "", "**Feature ID**: FEAT-0001  ", "**Status**: Draft", "",
    "## Data Model", "", "Tables of the generated feature.", ""];
  entities.forEach((e, i) => {
    out.push(`### Entity ${i + 1}: ${e.name}`, "");
    if (!e.table) {
      out.push("Described elsewhere.", "");
      return;
    }
    const rows = e.fields.map((f) => {
      const constraints = cell(f.constraints.join(", "));
      switch (e.layout) {
        case 0: return [f.name, cell(f.type), `The ${f.name}`, f.required === "Yes (PK)" ? [constraints, "Primary key"].filter(Boolean).join(", ") : constraints];
        case 1: return [f.name, cell(f.type), f.required, `The ${f.name}`, constraints];
        case 2: return [`The ${f.name}`, f.name, constraints, cell(f.type), f.required, "Team"];
      }
    });
    const header = [["Field", "Type", "Description", "Constraints"], ["Field", "Type", "Required", "Description", "Validation"],
      ["Description", "Name", "Notes", "Type", "Required", "Owner"]][e.layout]!;
    out.push(`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`), "");
  });
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Engines
// ---------------------------------------------------------------------------------------------

async function pgError(ddl: string): Promise<string | null> {
  try {
    await pg.exec(`BEGIN;\n${ddl}\nROLLBACK;`);
    return null;
  } catch (err) {
    await pg.exec("ROLLBACK;").catch(() => undefined);
    return (err as Error).message;
  }
}

function sqliteError(ddl: string): string | null {
  const db = new SQL.Database();
  try {
    db.run("PRAGMA foreign_keys = ON;");
    db.exec(ddl);
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    db.close();
  }
}

const stats = { cases: 0, clean: 0, exported: 0, refused: 0 };

test("lint-clean Data Models export DDL that runs on SQLite and PostgreSQL; refused exports are lint errors", { timeout: 120_000 }, async () => {
  await fc.assert(fc.asyncProperty(fc.oneof(dataModelArb, carefulModelArb), async (entities) => {
    const text = markdown(entities);
    const parsed = parseSpec(text, "specs/FEAT-0001-generated/technical-specification.md");
    const diagnostics = lintSpec(parsed);
    assert.ok(!diagnostics.some((d) => /failed on this file/.test(d.message)), diagnostics.map((d) => d.message).join("\n"));
    const dataErrors = diagnostics.filter((d) => d.severity === "error" && DATA_RULES.has(d.rule));
    const errorLines = new Set(dataErrors.map((d) => d.line));
    stats.cases++;
    if (dataErrors.length === 0) stats.clean++;
    for (const naming of ["snake_case", "preserve"] as SqlNaming[]) {
      const problems = checkSql(parsed.spec, { dialect: "postgres", naming });
      if (problems.length) {
        stats.refused++;
        assert.equal(dataErrors.length > 0, true, `the export refuses (${problems.map((p) => p.message).join("; ")}) but lint found no error:\n${text}`);
        for (const p of problems) {
          const line = problemSpan(p, parsed.pos, parsed.source).line;
          assert.ok(errorLines.has(line), `export problem on line ${line} (${p.message}) is not a lint error:\n${text}`);
        }
        assert.throws(() => exportSql(parsed.spec, { dialect: "sqlite", naming }), ExportError);
        continue;
      }
      stats.exported++;
      for (const dialect of ["postgres", "sqlite"] as SqlDialect[]) {
        const ddl = exportSql(parsed.spec, { dialect, naming });
        assert.doesNotMatch(ddl, /\(\s*\);/, "no table without columns");
        const error = dialect === "postgres" ? await pgError(ddl) : sqliteError(ddl);
        assert.equal(error, null, `${dialect}, ${naming}: ${error}\n--- lint: ${dataErrors.length ? dataErrors.map((d) => `${d.line}: ${d.message}`).join("\n") : "clean"}\n--- spec:\n${text}\n--- DDL:\n${ddl}`);
      }
    }
  }), { numRuns: Number(process.env["SQL_PROPERTY_RUNS"] ?? 250) });
  if (process.env["SQL_PROPERTY_STATS"]) console.log(stats);
  // The generator must reach both sides of the property, or it proves little.
  assert.ok(stats.clean >= stats.cases * 0.1, `only ${stats.clean} of ${stats.cases} generated specs lint clean`);
  assert.ok(stats.refused >= stats.cases * 0.2, `only ${stats.refused} refused exports in ${stats.cases} specs`);
});
