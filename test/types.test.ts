import assert from "node:assert/strict";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parseConstraints } from "../src/types/constraints.js";
import { parseType } from "../src/types/data-type.js";
import { jsonSchemaOf, postgresOf, sqliteOf, TYPE_EXAMPLES, typescriptOf } from "../src/types/mappings.js";

test("every documented spelling is recognized, case-insensitively", () => {
  for (const raw of TYPE_EXAMPLES.filter((t) => t !== "Blob")) {
    for (const form of [raw, raw.toLowerCase(), raw.toUpperCase()]) {
      assert.notEqual(parseType(form, ["Customer"]).kind, "unknown", form);
    }
  }
  assert.equal(parseType("Blob").kind, "unknown");
  assert.equal(parseType("Customer").kind, "unknown", "an entity name is a reference only when it is an entity");
});

test("parameters of types are read", () => {
  assert.deepEqual(parseType("String(255)"), { kind: "string", maxLength: 255 });
  assert.deepEqual(parseType("varchar( 64 )"), { kind: "string", maxLength: 64 });
  assert.deepEqual(parseType("Decimal(12,2)"), { kind: "decimal", precision: 12, scale: 2 });
  assert.deepEqual(parseType("Numeric(10)"), { kind: "decimal", precision: 10, scale: 0 });
  assert.deepEqual(parseType("Enum(active, suspended, 'closed')"), { kind: "enum", values: ["active", "suspended", "closed"] });
  assert.deepEqual(parseType("Enum(a | b)"), { kind: "enum", values: ["a", "b"] });
  assert.deepEqual(parseType("Array<UUID>"), { kind: "array", items: { kind: "uuid" } });
  assert.deepEqual(parseType("Integer[]"), { kind: "array", items: { kind: "integer", size: "integer" } });
  assert.deepEqual(parseType("Timestamptz"), { kind: "timestamp", timezone: true });
  assert.deepEqual(parseType("order", ["Order"]), { kind: "reference", entity: "Order" });
  assert.deepEqual(parseType("Enum()"), { kind: "unknown", raw: "Enum()" });
});

test("constraints are read, with what is not understood kept as written", () => {
  assert.deepEqual(parseConstraints("Primary key").constraints, [{ kind: "primaryKey", composite: false }]);
  assert.deepEqual(parseConstraints("Primary key (composite), FK -> GiftCard.id").constraints, [
    { kind: "primaryKey", composite: true }, { kind: "foreignKey", entity: "GiftCard", field: "id" }]);
  assert.deepEqual(parseConstraints("Not null, Default 0, Check >= 0").constraints, [
    { kind: "notNull" }, { kind: "default", value: "0", now: false }, { kind: "check", expression: ">= 0" }]);
  assert.deepEqual(parseConstraints("Not null, default now()").constraints, [{ kind: "notNull" }, { kind: "default", value: "now()", now: true }]);
  assert.deepEqual(parseConstraints("Default 'a, b'").constraints, [{ kind: "default", value: "'a, b'", now: false }]);
  assert.deepEqual(parseConstraints("Not null, foreign key → Account.id").constraints, [
    { kind: "notNull" }, { kind: "foreignKey", entity: "Account", field: "id" }]);
  assert.deepEqual(parseConstraints("references Account").constraints, [{ kind: "foreignKey", entity: "Account", field: null }]);
  assert.deepEqual(parseConstraints("Required; Unique; Indexed; max length 40; min_length: 2").constraints, [
    { kind: "notNull" }, { kind: "unique" }, { kind: "indexed" }, { kind: "maxLength", value: 40 }, { kind: "minLength", value: 2 }]);
  assert.deepEqual(parseConstraints("-"), { constraints: [], unknown: [] });
  assert.deepEqual(parseConstraints("Not null, lowercase only").unknown, ["lowercase only"]);
});

test("every mapping gives a valid JSON Schema and a type for each target", () => {
  const ajv = new Ajv2020({ strict: true });
  // ajv-formats is CommonJS; under nodenext its default export arrives as the module object.
  const addFormats = (addFormatsModule as unknown as { default: (a: Ajv2020) => void }).default ?? addFormatsModule;
  addFormats(ajv);
  for (const raw of TYPE_EXAMPLES) {
    const t = parseType(raw, ["Customer"]);
    const schema = { $defs: { Customer: { type: "object" } }, ...jsonSchemaOf(t) };
    assert.doesNotThrow(() => ajv.compile(schema), raw);
    assert.match(postgresOf(t), /^[A-Z][A-Z ]*(\(\d+(, \d+)?\))?(\[\])?$/, raw);
    assert.match(sqliteOf(t), /^(INTEGER|REAL|NUMERIC|TEXT)$/, raw);
    assert.ok(typescriptOf(t).length > 0, raw);
  }
  assert.equal(typescriptOf(parseType("Enum(a, b)")), '"a" | "b"');
  assert.equal(typescriptOf(parseType("Array<Enum(a, b)>")), '("a" | "b")[]');
  assert.equal(postgresOf(parseType("Decimal(12,2)")), "NUMERIC(12, 2)");
  assert.deepEqual(jsonSchemaOf(parseType("Customer", ["Customer"])), { $ref: "#/$defs/Customer" });
});
