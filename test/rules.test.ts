// Rule fixtures: Markdown specs under test/fixtures/rules/<rule-id>/ whose expected findings are written
// where they occur, as marker comments:
//   <!-- ^ rule-id -->          the nearest line above that is not a marker has a finding of rule-id
//   <!-- ^ rule-id rule-id -->  two findings (of the same or different rules) on that line
//   <!-- expect rule-id@42 -->  a finding on line 42 (for lines inside code blocks)
// A fixture without markers must lint clean. Every rule has at least one failing and one clean fixture.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { parseSpec } from "../src/parse/parse-spec.js";
import { rules } from "../src/rules/index.js";
import { lintSpec, lintWorkspace } from "../src/rules/lint-spec.js";
import { loadConfig } from "../src/workspace/config.js";
import { FileHost } from "../src/workspace/host.js";

const root = resolve("test/fixtures/rules");

function expected(text: string): string[] {
  const out: string[] = [];
  const lines = text.split(/\r?\n/);
  let lastContent = 0;
  lines.forEach((line, i) => {
    const up = /^\s*<!--\s*\^\s*([\w\s-]+?)\s*-->\s*$/.exec(line);
    const abs = /<!--\s*expect\s+([\w-]+)@(\d+)\s*-->/g;
    if (up) {
      for (const rule of up[1]!.split(/\s+/)) out.push(`${lastContent}:${rule}`);
      return;
    }
    let m: RegExpExecArray | null;
    let any = false;
    while ((m = abs.exec(line))) {
      out.push(`${m[2]}:${m[1]}`);
      any = true;
    }
    if (!any) lastContent = i + 1;
  });
  return out.sort();
}

const dirs = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

/** Rules that read git history are tested against real repositories in workflow.test.ts, not with fixtures. */
const GIT_RULES = new Set(["approval-provenance", "status-transition", "last-updated"]);

test("every rule has a failing and a clean fixture", () => {
  for (const rule of rules.filter((r) => !GIT_RULES.has(r.id))) {
    assert.ok(dirs.includes(rule.id), `no fixture folder test/fixtures/rules/${rule.id}`);
    const files = readdirSync(join(root, rule.id)).filter((f) => f.endsWith(".md") && !/^(PRD|ui-ux-design|implementation-plan|test-plan)\.md$/.test(f));
    const texts = files.map((f) => readFileSync(join(root, rule.id, f), "utf8"));
    assert.ok(texts.some((t) => expected(t).some((e) => e.endsWith(`:${rule.id}`))), `${rule.id}: no fixture expects a finding`);
    assert.ok(texts.some((t) => expected(t).length === 0), `${rule.id}: no clean fixture`);
  }
});

for (const dir of dirs) {
  const files = readdirSync(join(root, dir)).filter((f) => f.endsWith(".md") && !/^(PRD|ui-ux-design|implementation-plan|test-plan)\.md$/.test(f)).sort();
  for (const f of files) {
    test(`${dir}/${f}`, async () => {
      const path = join(root, dir, f);
      const text = readFileSync(path, "utf8");
      const parsed = parseSpec(text, f);
      // A fixture folder may carry its own configuration (roles, for example).
      const configFile = join(root, dir, "techspec.config.json");
      const config = existsSync(configFile) ? await loadConfig(configFile) : null;
      const diagnostics = lintSpec(parsed, { host: new FileHost(undefined, { git: false }).forSpec(path), ...(config ? { settings: config.settings, rules: config.rules } : {}) });
      const actual = diagnostics.map((d) => `${d.line}:${d.rule}`).sort();
      assert.deepEqual(actual, expected(text), diagnostics.map((d) => `${d.line}:${d.column} ${d.rule} ${d.message}`).join("\n"));
    });
  }
}

test("unique-feature-id reports every spec sharing an ID", () => {
  const entries = [
    { file: "a.md", featureId: "FEAT-0001", featureIdAt: { line: 5, column: 17, endLine: 5, endColumn: 26 } },
    { file: "b.md", featureId: "FEAT-0001", featureIdAt: { line: 5, column: 17, endLine: 5, endColumn: 26 } },
    { file: "c.md", featureId: "FEAT-0002", featureIdAt: { line: 5, column: 17, endLine: 5, endColumn: 26 } },
  ];
  const ds = lintWorkspace(entries);
  assert.deepEqual(ds.map((d) => `${d.file}:${d.line}:${d.rule}`), ["a.md:5:unique-feature-id", "b.md:5:unique-feature-id"]);
  assert.match(ds[0]!.message, /FEAT-0001 is also used by b\.md/);
  assert.deepEqual(lintWorkspace(entries, { "unique-feature-id": { severity: "off" } }), []);
});

test("component-dependency: a dependency mentioned only on its own line is reported; a mention elsewhere, in any case, is enough", () => {
  const spec = (extra: string): string => [
    "# Technical Specification: Dependency Mentions", "", "## Overview", "", "**Feature ID**: FEAT-0042", "**Status**: Draft", "",
    "## Architecture", "", "### Components", "", "#### Component 1: Gateway", "",
    "- **Purpose**: Route requests.", "- **Dependencies**: Geo Lookup (Geo Lookup is called per request), Gateway", "",
    "## Implementation Details", "", extra, "",
  ].join("\n");
  const found = (text: string): string[] => lintSpec(text, { path: "x.md" }).filter((d) => d.rule === "component-dependency").map((d) => d.message);
  assert.equal(found(spec("Nothing else here.")).length, 1, "the mention on the dependency's own line does not count");
  assert.deepEqual(found(spec("The Geo Lookup service answers in 5 ms.")), []);
  assert.deepEqual(found(spec("the geo lookup service answers in 5 ms.")), [], "a lower-case mention counts");
  // İ lower-cases to two code units, so offsets in the lower-cased text move: the rule must still see the mention.
  assert.deepEqual(found(spec("İİİİ İstanbul: the geo lookup service answers in 5 ms.")), []);
  assert.equal(found(spec("İİİİ İstanbul has no mention.")).length, 1);
  assert.equal(found(spec("Geo Lookups and GeoLookup are other words.")).length, 1, "only whole words are mentions");
});
