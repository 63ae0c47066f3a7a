// The run-wide memos must not keep the texts of the specs they saw alive: a memo key cut from a spec's text
// is a view of the whole text in V8, so the memo stores detached copies.
import assert from "node:assert/strict";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { detached, StringMemo } from "../src/model/memo.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import { lintSpec } from "../src/rules/lint-spec.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test("a detached copy is equal to the original", () => {
  for (const s of ["", "id", "exactly13char", "a longer key with spaces and ünïcödé", "x".repeat(1000)]) assert.equal(detached(s), s);
});

test("the memo computes once per key, from a key equal to the one given, and empties itself when full", () => {
  const seen: string[] = [];
  const memo = new StringMemo<number>(3);
  const len = (k: string): number => (seen.push(k), k.length);
  assert.equal(memo.of("alpha", len), 5);
  assert.equal(memo.of("alpha", len), 5);
  assert.deepEqual(seen, ["alpha"]);
  memo.of("beta", len);
  memo.of("gamma", len);
  memo.of("delta", len); // the fourth key: the memo was full and starts again
  assert.equal(memo.get("alpha"), undefined);
  assert.equal(memo.get("delta"), 5);
});

test("memo keys cut from large texts do not keep the texts alive", () => {
  const memo = new StringMemo<string>(1000);
  const before = heapAfterGc();
  for (let i = 0; i < 50; i++) {
    // A 1 MB text per round, of which only a 30-character key is kept.
    const text = `${String(i).padStart(4, "0")}${"y".repeat(1_000_000)}`;
    const key = text.slice(0, 30);
    memo.of(key, (k) => k.slice(4, 20));
  }
  const grown = heapAfterGc() - before;
  assert.ok(grown < 10_000_000, `the heap grew by ${(grown / 1e6).toFixed(1)} MB for 50 keys: the memo keeps its keys' texts`);
});

test("linting many specs keeps none of their texts", () => {
  const spec = (i: number): string => [
    `# Technical Specification: Memory ${i}`, "", "## Overview", "", `**Feature ID**: FEAT-${1000 + i}`, "**Status**: Draft", "",
    "## Data Model", "", `### Entity 1: LongEntityNameNumber${i}`, "",
    "| Field | Type | Description | Constraints |", "|---|---|---|---|",
    `| identifierOfRecord${i} | UUID | Key | Primary key, Not null |`,
    `| amountInMinorUnits | Decimal(12,2) | Amount ${i} | Not null, Default 0, Check >= 0 |`,
    "", `<!-- ${"z".repeat(400_000)} -->`, "",
  ].join("\n");
  lintSpec(parseSpec(spec(-1), "warm.md"));
  const before = heapAfterGc();
  for (let i = 0; i < 40; i++) lintSpec(parseSpec(spec(i), `m${i}.md`));
  const grown = heapAfterGc() - before;
  // 40 texts of 400 kB would be 16 MB.
  assert.ok(grown < 6_000_000, `the heap grew by ${(grown / 1e6).toFixed(1)} MB after linting 40 specs of 400 kB`);
});
