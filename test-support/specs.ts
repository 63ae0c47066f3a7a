// Shared by the exporter suites: the example specs and a generated corpus, parsed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Spec } from "../src/model/spec.js";
import { parseSpec } from "../src/parse/parse-spec.js";

/** The three example specs plus `count` specs from ../shared/bench/gen-corpus.mjs with `seed`. */
export function exampleAndGeneratedSpecs(count: number, seed: number): Spec[] {
  const specs: Spec[] = [];
  for (const d of readdirSync("examples/specs")) {
    const p = join("examples/specs", d, "technical-specification.md");
    specs.push(parseSpec(readFileSync(p, "utf8"), p).spec);
  }
  const dir = mkdtempSync(join(tmpdir(), "techspec-corpus-"));
  const gen = spawnSync(process.execPath, [resolve("..", "shared", "bench", "gen-corpus.mjs"), dir, String(count), String(seed)], { encoding: "utf8" });
  assert.equal(gen.status, 0, `corpus generator failed (it is expected at ../shared/bench/gen-corpus.mjs): ${gen.stderr}`);
  for (const d of readdirSync(dir).filter((x) => x.startsWith("feat-"))) {
    const p = join(dir, d, "technical-specification.md");
    specs.push(parseSpec(readFileSync(p, "utf8"), p).spec);
  }
  return specs;
}
