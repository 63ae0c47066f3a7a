// Imports flow one way, as ARCHITECTURE.md documents: model ← parse ← types ← workflow ← rules ← workspace ← site ←
// server ← cli, with format, export and diff beside rules, store beside workspace and contract beside site. This test reads every import of src/ and fails on one that goes against
// the flow, on a sibling of rules importing another, and on any cycle between files.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { test } from "node:test";

const SRC = resolve("src");

/** Each top-level folder's place in the flow; a folder may import folders of a lower rank only (and itself). */
const RANK: Readonly<Record<string, number>> = {
  model: 0, parse: 1, types: 2, workflow: 3, rules: 4, format: 4, export: 4, diff: 4, workspace: 5, store: 5, site: 6, contract: 6, server: 7, lsp: 7, cli: 8,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

/** Relative import specifiers of a file: static imports and re-exports, and dynamic `import("…")`. */
function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+"(\.[^"]+)"/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/^\s*import\s+"(\.[^"]+)"/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*"(\.[^"]+)"\s*\)/g)) out.push(m[1]!);
  return out;
}

const layerOf = (file: string): string => relative(SRC, file).split(sep)[0]!;

const graph = new Map<string, string[]>();
for (const f of files(SRC)) {
  graph.set(f, importsOf(readFileSync(f, "utf8")).map((spec) => resolve(dirname(f), spec.replace(/\.js$/, ".ts"))));
}

test("the import scan sees the code (guards the test itself)", () => {
  assert.ok(graph.size > 80, `${graph.size} files`);
  const lint = graph.get(join(SRC, "cli", "commands", "lint.ts"))!;
  assert.ok(lint.some((t) => layerOf(t) === "workspace"), "lint.ts imports the workspace");
  assert.ok(importsOf('const m = await import("./commands/x.js");').length === 1, "dynamic imports are seen");
});

test("every import goes down the documented flow", () => {
  const wrong: string[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(from);
    if (a.endsWith(".ts")) continue; // src/index.ts, the public API, may gather from every layer
    assert.ok(a in RANK, `${a} is a documented layer (add it to ARCHITECTURE.md and this test)`);
    for (const to of targets) {
      const b = layerOf(to);
      if (a === b) continue;
      if (!(b in RANK) || RANK[b]! >= RANK[a]!) wrong.push(`${relative(SRC, from)} → ${relative(SRC, to)} (${a} may not import ${b})`);
    }
  }
  assert.deepEqual(wrong, []);
});

test("outside rules/, only the engine's files are imported (index, rule, lint-spec and the parts that load no rule), never one rule's internals", () => {
  const engine = new Set(["index.ts", "rule.ts", "lint-spec.ts", "catalog.ts", "input-rules.ts", "settings.ts", "lint-workspace.ts"].map((f) => join(SRC, "rules", f)));
  const wrong: string[] = [];
  for (const [from, targets] of graph) {
    if (layerOf(from) === "rules") continue;
    for (const to of targets) if (layerOf(to) === "rules" && !engine.has(to)) wrong.push(`${relative(SRC, from)} → ${relative(SRC, to)}`);
  }
  assert.deepEqual(wrong, []);
});

test("no cycle between files", () => {
  const state = new Map<string, 1 | 2>();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]): void => {
    state.set(f, 1);
    for (const t of graph.get(f) ?? []) {
      if (!graph.has(t)) continue;
      if (state.get(t) === 1) cycles.push([...path.slice(path.indexOf(t)), t].map((x) => relative(SRC, x)).join(" → "));
      else if (!state.has(t)) visit(t, [...path, t]);
    }
    state.set(f, 2);
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f, [f]);
  assert.deepEqual(cycles, []);
});
