// Severity follows the lifecycle: draft-relaxed rules, configuration overrides by status, and their precedence.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { parseSpec } from "../src/parse/parse-spec.js";
import { lintSpec, type LintOptions } from "../src/rules/lint-spec.js";
import { loadConfig } from "../src/workspace/config.js";
import { fillTemplate } from "../src/workspace/new-spec.js";

const template = readFileSync(new URL("../../templates/technical-specification.md", import.meta.url), "utf8");
const scaffold = fillTemplate(template, { title: "Refund Flow", id: "FEAT-0001", author: "Ann Lee, Engineer", date: "2026-03-01" });
const withStatus = (status: string | null): string =>
  status === null ? scaffold.replace(/^\*\*Status\*\*: Draft.*\n/m, "") : scaffold.replace("**Status**: Draft", `**Status**: ${status}`);

function severities(text: string, options: LintOptions = {}): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const d of lintSpec(parseSpec(text, "technical-specification.md"), options)) {
    (out.get(d.rule) ?? out.set(d.rule, new Set()).get(d.rule)!).add(d.severity);
  }
  return out;
}

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("severity by status", () => {
  test("a freshly scaffolded Draft has warnings only", () => {
    const s = severities(scaffold);
    assert.ok(s.get("no-placeholder")?.has("warning"));
    for (const [rule, sev] of s) assert.deepEqual([...sev], ["warning"], `${rule} in a Draft`);
  });

  test("the same text In Review or Approved: the draft-relaxed rules are errors", () => {
    for (const status of ["In Review", "Approved"]) {
      const s = severities(withStatus(status));
      assert.deepEqual([...s.get("no-placeholder")!], ["error"], `no-placeholder at ${status}`);
    }
  });

  test("no status and an unknown status are treated as a Draft", () => {
    assert.deepEqual([...severities(withStatus(null)).get("no-placeholder")!], ["warning"]);
    assert.deepEqual([...severities(withStatus("Pondering")).get("no-placeholder")!], ["warning"]);
  });

  test("each relaxed rule is a warning in Draft and an error In Review", () => {
    const text = [
      "# Technical Specification", "", "## Overview", "", "**Feature ID**: FEAT-1", "**Status**: STATUS", "",
      "## Architecture", "", "[Describe the architecture in two sentences]", "", "## Testing Approach", "", "## Open Questions", "", "- Who owns the ledger?", "",
    ].join("\n");
    for (const [status, want] of [["Draft", "warning"], ["In Review", "error"]] as const) {
      const s = severities(text.replace("STATUS", status));
      for (const rule of ["no-placeholder", "empty-section", "required-section", "spec-title"]) {
        assert.deepEqual([...(s.get(rule) ?? [])], [want], `${rule} at ${status}`);
      }
    }
    // open-questions reports only on Approved specs: an error there.
    assert.deepEqual([...severities(text.replace("STATUS", "Approved")).get("open-questions")!], ["error"]);
  });
});

describe("overrides", () => {
  test("an override for Draft makes placeholders errors in Drafts only", () => {
    const overrides = [{ status: ["Draft"], rules: { "no-placeholder": { severity: "error" as const } } }];
    assert.deepEqual([...severities(scaffold, { overrides }).get("no-placeholder")!], ["error"]);
    assert.deepEqual([...severities(withStatus("In Review"), { overrides }).get("no-placeholder")!], ["error"]);
    const off = [{ status: ["In Review"], rules: { "no-placeholder": { severity: "off" as const } } }];
    assert.equal(severities(withStatus("In Review"), { overrides: off }).get("no-placeholder"), undefined);
    assert.deepEqual([...severities(scaffold, { overrides: off }).get("no-placeholder")!], ["warning"], "other statuses keep the default");
  });

  test("precedence: rules beat the status default, overrides beat rules, the last matching override wins", () => {
    const rules = { "no-placeholder": { severity: "error" as const } };
    assert.deepEqual([...severities(scaffold, { rules }).get("no-placeholder")!], ["error"]);
    const overrides = [
      { status: ["Draft"], rules: { "no-placeholder": { severity: "off" as const } } },
      { status: ["Draft", "In Review"], rules: { "no-placeholder": { severity: "warning" as const } } },
    ];
    assert.deepEqual([...severities(scaffold, { rules, overrides }).get("no-placeholder")!], ["warning"]);
  });

  test("the configuration file: overrides load; a bad status or rule id is one clear error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "techspec-overrides-"));
    dirs.push(dir);
    const file = join(dir, "techspec.config.json");
    writeFileSync(file, JSON.stringify({ overrides: [{ status: ["Draft"], rules: { "no-placeholder": "error", "required-section": ["warn", { Draft: ["overview"] }] } }] }));
    const config = await loadConfig(file);
    assert.deepEqual(config.overrides, [{ status: ["Draft"], rules: { "no-placeholder": { severity: "error", options: {} }, "required-section": { severity: "warning", options: { Draft: ["overview"] } } } }]);
    writeFileSync(file, JSON.stringify({ overrides: [{ status: ["Drafty"], rules: {} }] }));
    await assert.rejects(loadConfig(file), /"overrides\.0\.status\.0" must be/);
    writeFileSync(file, JSON.stringify({ overrides: [{ status: ["Draft"], rules: { "no-placeholders": "error" } }] }));
    await assert.rejects(loadConfig(file), /"overrides\[0\]\.rules\.no-placeholders" is not a rule \(did you mean "no-placeholder"\?\)/);
    writeFileSync(file, JSON.stringify({ overrides: [{ rules: {} }] }));
    await assert.rejects(loadConfig(file), /overrides\.0/);
  });
});
