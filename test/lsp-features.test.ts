// The language server's features as a library: SpecWorkspace over an in-memory workspace (documents in a Map,
// unopened files in another), and over a temporary copy of examples/ on disk where its diagnostics are compared
// with the CLI engine's (lintFile and the workspace rules, and `techspec lint --format json` itself).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import type { CodeAction, CompletionItem, DocumentSymbol, Position, TextEdit } from "vscode-languageserver";
import type { Diagnostic } from "../src/model/diagnostic.js";
import { STATUSES } from "../src/parse/normalize.js";
import type { LintHost } from "../src/rules/rule.js";
import { defaultConfig, loadConfig, resolveConfig, type Config } from "../src/workspace/config.js";
import { FileHost } from "../src/workspace/host.js";
import { lintFile, type LintJob } from "../src/workspace/lint-file.js";
import { readTemplate } from "../src/workspace/package-files.js";
import { isInside, posixRelative } from "../src/workspace/paths.js";
import { decodeSpecBytes, type ReadOutcome } from "../src/workspace/read-spec.js";
import { rootLintSettings, workspaceFindings } from "../src/workspace/spec-roots.js";
import { lineMap } from "../src/lsp/buffer-git-facts.js";
import { FIX_ALL_KIND } from "../src/lsp/code-actions.js";
import { DiskFiles } from "../src/lsp/disk-files.js";
import { markdownAnchors } from "../src/lsp/markdown-anchors.js";
import { SpecWorkspace, uriOf, type DocumentText, type OpenFiles, type WorkspaceFiles } from "../src/lsp/spec-workspace.js";

// This file runs as dist/test/lsp-features.test.js.
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const EXAMPLES = join(REPO, "examples");
const FEAT1 = "specs/FEAT-0001-refund-processing/technical-specification.md";
const FEAT2 = "specs/FEAT-0002-notification-preferences/technical-specification.md";
const FEAT1_TEXT = readFileSync(join(EXAMPLES, FEAT1), "utf8");

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A temporary copy of examples/ (its configuration and specs), outside any git repository. */
function tempExamples(): string {
  const dir = mkdtempSync(join(tmpdir(), "techspec-lsp-"));
  temps.push(dir);
  cpSync(join(EXAMPLES, "specs"), join(dir, "specs"), { recursive: true });
  writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ specs: ["specs/**/technical-specification.md"] }));
  return dir;
}

// ---------------------------------------------------------------------------------------------
// An in-memory workspace

const MEM = resolve("/mem-workspace");

/** Unopened files in a Map: lint's discovery is the specs under the root, links resolve in the Map. */
class MemoryFiles implements WorkspaceFiles {
  constructor(readonly files: Map<string, string>) {}

  specPaths(config: Config): readonly string[] {
    return [...this.files.keys()].filter((p) => isInside(config.root, p) && p.endsWith("technical-specification.md")).sort();
  }

  read(path: string): ReadOutcome {
    const text = this.files.get(path);
    return text === undefined ? { ok: false, reason: "no such file or directory" } : decodeSpecBytes(Buffer.from(text, "utf8"));
  }

  lintHost(config: Config, path: string, _text: string, open: OpenFiles): LintHost {
    const at = (rel: string): string => (rel.startsWith("/") ? join(config.root, rel) : resolve(dirname(path), rel));
    return {
      fileExists: (rel) => open.text(at(rel)) !== undefined || this.files.has(at(rel)),
      anchorsOf: (rel) => {
        const text = open.text(at(rel)) === undefined ? this.files.get(at(rel)) : undefined;
        return open.anchors(at(rel)) ?? (text === undefined ? undefined : markdownAnchors(text));
      },
      workspacePath: posixRelative(config.root, path),
    };
  }
}

/** Every file of examples/specs under MEM. */
function exampleFiles(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(join(MEM, posixRelative(EXAMPLES, p)), readFileSync(p, "utf8"));
    }
  };
  walk(join(EXAMPLES, "specs"));
  return out;
}

function memConfig(extra: Partial<Config> = {}): Config {
  return { ...defaultConfig(MEM), file: join(MEM, "techspec.config.json"), specs: ["specs/**/technical-specification.md"], ...extra };
}

interface Mem {
  readonly ws: SpecWorkspace;
  readonly docs: Map<string, DocumentText>;
  readonly files: Map<string, string>;
  open(rel: string, text: string, version?: number): string;
}

function memWorkspace(config: Config = memConfig()): Mem {
  const docs = new Map<string, DocumentText>();
  const files = exampleFiles();
  const ws = new SpecWorkspace({ documents: docs, files: new MemoryFiles(files), now: () => new Date(2026, 11, 3), template: () => readTemplate("technical-specification.md") });
  ws.addProject(config);
  return {
    ws, docs, files,
    open(rel, text, version = 1) {
      const uri = uriOf(join(MEM, rel));
      docs.set(uri, { text, version });
      return uri;
    },
  };
}

/** The LSP position of the `nth` occurrence of `needle` in `text`, plus `shift` characters. */
function positionOf(text: string, needle: string, shift = 0, nth = 0): Position {
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" is in the text`);
  }
  const before = text.slice(0, at + shift);
  const line = before.split("\n").length - 1;
  return { line, character: before.length - before.lastIndexOf("\n") - 1 };
}

/** The text with LSP edits applied (they do not overlap; applied from the end). */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  const offset = (p: Position): number => starts[p.line]! + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

function editsOf(action: CodeAction, uri: string): TextEdit[] {
  const edit = action.edit!;
  if (edit.changes) return edit.changes[uri]!;
  const change = edit.documentChanges![0]! as { textDocument: { uri: string }; edits: TextEdit[] };
  assert.equal(change.textDocument.uri, uri);
  return change.edits;
}

const labels = (items: readonly CompletionItem[]): string[] => items.map((i) => i.label);

/** FEAT-0001 with three things `--fix` repairs: status and decision casing, an HTTP method in lower case. */
const FIXABLE = FEAT1_TEXT.replace("**Status**: Approved", "**Status**: approved")
  .replace("**Engineering Lead**: Marcus Lee - Approved", "**Engineering Lead**: Marcus Lee - approved")
  .replace("- **Method**: POST", "- **Method**: post");

// ---------------------------------------------------------------------------------------------

describe("diagnostics are the CLI engine's", () => {
  /** What `techspec lint` computes for the workspace's files: lintFile for each, then the workspace rules. */
  async function cliDiagnostics(dir: string, rel: string): Promise<Diagnostic[]> {
    const config = await loadConfig(join(dir, "techspec.config.json"));
    const job: LintJob = { settings: config.settings, rules: config.rules, overrides: config.overrides, maxFileSize: config.maxFileSize, fix: false, root: config.root, ...rootLintSettings(config) };
    const host = new FileHost(config.root, { signing: config.settings.signatures });
    const specs = readdirSync(join(dir, "specs")).map((f) => `specs/${f}/technical-specification.md`);
    const results = specs.map((r) => lintFile(join(dir, r), r, job, host));
    const all = [...results.flatMap((r) => r.diagnostics), ...workspaceFindings(config, results.filter((r) => r.inputError === null))];
    return all.filter((d) => d.file === rel).sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
  }

  async function serverDiagnostics(dir: string, rel: string, text: string): Promise<{ diagnostics: Diagnostic[]; ws: SpecWorkspace; files: DiskFiles; uri: string }> {
    const docs = new Map<string, DocumentText>();
    const files = new DiskFiles();
    const ws = new SpecWorkspace({ documents: docs, files });
    ws.addProject(await loadConfig(join(dir, "techspec.config.json")));
    const uri = uriOf(join(dir, rel));
    docs.set(uri, { text, version: 1 });
    const diagnostics = ws.diagnostics(uri)!.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
    return { diagnostics, ws, files, uri };
  }

  const cases: readonly (readonly [string, (t: string) => string])[] = [
    ["the example as it is", (t) => t],
    ["fixable casing", () => FIXABLE],
    ["a placeholder, a broken link and a bad date", (t) => t.replace("**Created Date**: 2026-02-09", "**Created Date**: 2026-02-30").replace("./PRD.md", "./PRD-old.md").replace("## Introduction", "## Introduction\n\n[Describe the feature]")],
    ["a NUL character", (t) => t.replace("## Introduction", "## Intro\u0000duction")],
    ["a Markdown file that is not a spec", () => "# Notes\n\nnothing here\n"],
    ["an empty file", () => ""],
    ["a duplicate Feature ID", (t) => t.replace("**Feature ID**: FEAT-0001", "**Feature ID**: FEAT-0002")],
  ];
  for (const [name, change] of cases) {
    test(`${name}: the server's diagnostics of the text are lint's of the saved file`, async () => {
      const dir = tempExamples();
      const text = change(FEAT1_TEXT);
      writeFileSync(join(dir, FEAT1), text);
      const expected = await cliDiagnostics(dir, FEAT1);
      const { diagnostics } = await serverDiagnostics(dir, FEAT1, text);
      assert.deepEqual(diagnostics, expected);
      if (name !== "the example as it is") assert.ok(expected.length > 0, "the case has findings");
    });
  }

  test("unsaved changes: the editor's text is linted, not the file on disk", async () => {
    const dir = tempExamples();
    const { diagnostics, ws, files, uri } = await serverDiagnostics(dir, FEAT1, FIXABLE);
    assert.ok(diagnostics.some((d) => d.rule === "metadata" && d.message.includes('"approved"')));
    // Saved, the CLI says the same.
    writeFileSync(join(dir, FEAT1), FIXABLE);
    files.fileChanged(join(dir, FEAT1));
    ws.fileChanged(join(dir, FEAT1));
    assert.deepEqual(diagnostics, await cliDiagnostics(dir, FEAT1));
    assert.deepEqual(ws.diagnostics(uri)!.length, diagnostics.length);
  });

  test("bytes that are not UTF-8 on disk, opened unchanged: text-encoding findings as lint reports them", async () => {
    const dir = tempExamples();
    const bytes = Buffer.concat([Buffer.from(FEAT1_TEXT.slice(0, 200), "utf8"), Buffer.from([0xe9]), Buffer.from(FEAT1_TEXT.slice(200), "utf8")]);
    writeFileSync(join(dir, FEAT1), bytes);
    const decoded = decodeSpecBytes(bytes);
    assert.ok(decoded.ok);
    const expected = await cliDiagnostics(dir, FEAT1);
    assert.ok(expected.some((d) => d.rule === "text-encoding"));
    const { diagnostics } = await serverDiagnostics(dir, FEAT1, decoded.file.text);
    assert.deepEqual(diagnostics, expected);
  });

  test("the same findings as `techspec lint --format json`", async () => {
    const dir = tempExamples();
    writeFileSync(join(dir, FEAT1), FIXABLE);
    const run = spawnSync(process.execPath, [CLI, "lint", "--format", "json"], { cwd: dir, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { diagnostics: Diagnostic[] };
    const { diagnostics } = await serverDiagnostics(dir, FEAT1, FIXABLE);
    const shape = (d: Diagnostic): unknown => [d.file, d.line, d.column, d.endLine, d.endColumn, d.rule, d.severity, d.message, d.fix ?? null];
    assert.deepEqual(diagnostics.map(shape), report.diagnostics.filter((d) => d.file === FEAT1).map(shape));
    assert.ok(diagnostics.length >= 3);
  });

  test("a workspace of several spec roots: each spec with its root's settings, Feature IDs across roots, as lint", async () => {
    const dir = mkdtempSync(join(tmpdir(), "techspec-lsp-roots-"));
    temps.push(dir);
    const put = (rel: string, text: string): void => {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    };
    put("techspec.config.json", JSON.stringify({ workspaces: ["packages/*"] }));
    put("packages/billing/techspec.config.json", JSON.stringify({ rules: { metadata: "error", "unique-feature-id": "warn" } }));
    const billing = "packages/billing/specs/FEAT-0001-refunds/technical-specification.md";
    const search = "packages/search/specs/FEAT-0001-search/technical-specification.md";
    put(billing, FIXABLE);
    put(search, FEAT1_TEXT);
    const run = spawnSync(process.execPath, [CLI, "lint", "--format", "json"], { cwd: dir, encoding: "utf8" });
    assert.equal(run.status, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { diagnostics: Diagnostic[] };
    const shape = (d: Diagnostic): unknown => [d.file, d.line, d.column, d.rule, d.severity, d.message];
    // As the server loads it: the configuration that applies in the spec's folder.
    const config = await resolveConfig(join(dir, "packages/billing/specs"));
    const docs = new Map<string, DocumentText>();
    const ws = new SpecWorkspace({ documents: docs, files: new DiskFiles() });
    ws.addProject(config);
    for (const rel of [billing, search]) {
      const uri = uriOf(join(dir, rel));
      docs.set(uri, { text: readFileSync(join(dir, rel), "utf8"), version: 1 });
      assert.deepEqual(ws.diagnostics(uri)!.map(shape), report.diagnostics.filter((d) => d.file === rel).map(shape), rel);
    }
    const billingFindings = report.diagnostics.filter((d) => d.file === billing);
    assert.ok(billingFindings.some((d) => d.rule === "metadata" && d.severity === "error"));
    assert.ok(billingFindings.some((d) => d.rule === "unique-feature-id" && d.severity === "warning"));
    assert.ok(report.diagnostics.some((d) => d.file === search && d.rule === "unique-feature-id" && d.severity === "error"));
  });

  test("the LSP shape: rule id as code, its documentation as codeDescription, severities", async () => {
    const dir = tempExamples();
    const { ws, uri } = await serverDiagnostics(dir, FEAT1, FIXABLE);
    const lsp = ws.lspDiagnostics(uri)!;
    const status = lsp.find((d) => d.code === "metadata")!;
    assert.equal(status.source, "techspec");
    assert.equal(status.severity, 2);
    assert.match(status.codeDescription!.href, /^file:\/\/.*\/docs\/rules\.md#metadata$/);
    assert.deepEqual(status.range.start, positionOf(FIXABLE, "approved"));
  });
});

describe("code actions", () => {
  test("a finding's fix is a quick fix that produces the fixed text", () => {
    const m = memWorkspace();
    const uri = m.open(FEAT1, FIXABLE);
    const at = positionOf(FIXABLE, "approved", 2);
    const actions = m.ws.codeActions(uri, { start: at, end: at });
    const fix = actions.find((a) => a.title === "Fix this metadata problem")!;
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.kind, "quickfix");
    assert.equal(fix.isPreferred, true);
    assert.equal(fix.diagnostics?.[0]?.code, "metadata");
    assert.equal(applyEdits(FIXABLE, editsOf(fix, uri)), FIXABLE.replace("**Status**: approved", "**Status**: Approved"));
    assert.ok(actions.some((a) => a.title === "Fix all auto-fixable problems" && a.kind === "quickfix"));
  });

  test("versioned edits when the client takes them", () => {
    const m = memWorkspace();
    const uri = m.open(FEAT1, FIXABLE, 7);
    const at = positionOf(FIXABLE, "post");
    const [fix] = m.ws.codeActions(uri, { start: at, end: at }, { documentChanges: true });
    assert.equal(fix!.title, "Fix this api-fields problem");
    assert.deepEqual((fix!.edit!.documentChanges![0] as { textDocument: unknown }).textDocument, { uri, version: 7 });
  });

  test("suggestions are quick fixes that are not preferred", () => {
    const m = memWorkspace();
    const text = FEAT1_TEXT.replace("| amount | BigInt | Captured amount", "| amount | BigIntt | Captured amount");
    const uri = m.open(FEAT1, text);
    const diagnostics = m.ws.diagnostics(uri)!;
    const withSuggestions = diagnostics.find((d) => d.suggestions?.length)!;
    assert.ok(withSuggestions, "unknown-type suggests a correction");
    const at = { line: withSuggestions.line - 1, character: withSuggestions.column - 1 };
    const actions = m.ws.codeActions(uri, { start: at, end: at });
    const s = withSuggestions.suggestions![0]!;
    const action = actions.find((a) => a.title === s.message)!;
    assert.ok(action);
    assert.notEqual(action.isPreferred, true);
    assert.equal(applyEdits(text, editsOf(action, uri)), text.slice(0, s.fix.range[0]) + s.fix.text + text.slice(s.fix.range[1]));
    assert.equal(applyEdits(text, editsOf(action, uri)), FEAT1_TEXT);
    // Not part of the fix-all: a suggestion may change what the author meant.
    assert.deepEqual(m.ws.codeActions(uri, { start: at, end: at }, { only: [FIX_ALL_KIND] }), []);
  });

  test("source.fixAll.techspec applies exactly what `techspec lint --fix` writes", () => {
    const m = memWorkspace();
    const uri = m.open(FEAT1, FIXABLE);
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = m.ws.codeActions(uri, whole, { only: ["source.fixAll"] });
    assert.deepEqual(actions.map((a) => a.kind), [FIX_ALL_KIND]);
    const fixed = applyEdits(FIXABLE, editsOf(actions[0]!, uri));
    const dir = tempExamples();
    writeFileSync(join(dir, FEAT1), FIXABLE);
    const run = spawnSync(process.execPath, [CLI, "lint", "--fix", FEAT1], { cwd: dir, encoding: "utf8" });
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    assert.equal(fixed, readFileSync(join(dir, FEAT1), "utf8"));
    assert.equal(fixed, FEAT1_TEXT);
    // Nothing to fix: no fix-all offered.
    const clean = m.open(FEAT2, m.files.get(join(MEM, FEAT2))!);
    assert.deepEqual(m.ws.codeActions(clean, whole, { only: [FIX_ALL_KIND] }), []);
    // Asked for quick fixes only: no source action.
    assert.ok(m.ws.codeActions(uri, whole, { only: ["quickfix"] }).every((a) => a.kind === "quickfix"));
  });
});

describe("completion", () => {
  test("section headings from the template after #, missing ones first", () => {
    const m = memWorkspace();
    const text = FEAT1_TEXT.replace("## Open Questions", "## Open Questions-x").replace("\n## Appendix", "\n## \n\n## Appendix");
    const uri = m.open(FEAT1, text);
    const at = positionOf(text, "## \n", 3);
    const items = m.ws.completion(uri, at).items;
    const names = labels(items);
    for (const h of ["Overview", "Testing Approach", "Implementation Details", "Approval", "Open Questions"]) assert.ok(names.includes(h), `${h} in ${names.join(", ")}`);
    assert.ok(names.includes("Component 5: Name"), "the next component number");
    assert.ok(names.includes("Entity 4: Name"));
    const overview = items.find((i) => i.label === "Overview")!;
    assert.match(overview.detail!, /already in this spec/);
    const missing = items.find((i) => i.label === "Open Questions")!;
    assert.ok(missing.sortText! < overview.sortText!, "a missing level-2 section sorts before a present one");
    assert.deepEqual((missing.textEdit as TextEdit).newText, "## Open Questions");
    assert.deepEqual((missing.textEdit as TextEdit).range.start, { line: at.line, character: 0 });
  });

  test("metadata keys the Overview lacks, with today's date", () => {
    const m = memWorkspace();
    const text = FEAT1_TEXT.replace("**Author**: Priya Raman, Staff Software Engineer  \n", "").replace("**Last Updated**: 2026-11-24  \n", "**Last Updated**: 2026-11-24  \n**\n");
    const uri = m.open(FEAT1, text);
    const items = m.ws.completion(uri, positionOf(text, "**\n", 2)).items;
    assert.deepEqual(labels(items), ["Author"]);
    assert.equal((items[0]!.textEdit as TextEdit).newText, "**Author**: ");
    const dates = m.open(FEAT2, "# Technical Specification: X\n\n## Overview\n\n**Feature ID**: FEAT-0002\n\n");
    const offered = m.ws.completion(dates, { line: 5, character: 0 }).items;
    assert.deepEqual(labels(offered), ["Author", "Created Date", "Last Updated", "Status"]);
    assert.equal((offered[1]!.textEdit as TextEdit).newText, "**Created Date**: 2026-12-03");
  });

  test("status values after the Status label", () => {
    const m = memWorkspace();
    const uri = m.open(FEAT1, FEAT1_TEXT);
    const at = positionOf(FEAT1_TEXT, "**Status**: Approved", "**Status**: ".length);
    const items = m.ws.completion(uri, at).items;
    assert.deepEqual(labels(items), [...STATUSES]);
    // Replaces the value, up to the end of the line's text.
    assert.deepEqual((items[0]!.textEdit as TextEdit).range, { start: at, end: { line: at.line, character: at.character + "Approved".length } });
  });

  test("roles of the configuration in the Approval block, and their holders after a role", () => {
    const m = memWorkspace(memConfig({
      settings: { ...defaultConfig(MEM).settings, approvalRoles: ["Engineering Lead", "Architecture Lead", "Security Lead", "Product Lead"], roles: { "Security Lead": ["Daniel Okafor <daniel@example.com>"] } },
    }));
    const text = `${FEAT1_TEXT.trimEnd()}\n**Pr\n**Security Lead**: \n`;
    const uri = m.open(FEAT1, text);
    const roles = m.ws.completion(uri, positionOf(text, "**Pr\n", 4)).items;
    assert.deepEqual(labels(roles), ["Product Lead"]);
    assert.equal((roles[0]!.textEdit as TextEdit).newText, "**Product Lead**: ");
    const people = m.ws.completion(uri, positionOf(text, "**Security Lead**: \n", "**Security Lead**: ".length)).items;
    assert.deepEqual(labels(people), ["Daniel Okafor"]);
  });

  test("entity names after a foreign key, then the entity's fields; entities and types in the Type column", () => {
    const m = memWorkspace();
    const text = FEAT1_TEXT.replace("| Foreign key → Refund.id, Not null, Indexed |", "| Foreign key →  |")
      .replace("| paymentId | UUID | Payment being refunded | Foreign key → Payment.id,", "| paymentId | UUID | Payment being refunded | Foreign key → Payment.,");
    const uri = m.open(FEAT1, text);
    const entities = m.ws.completion(uri, positionOf(text, "Foreign key →  |", "Foreign key → ".length)).items;
    assert.deepEqual(labels(entities), ["Payment", "Refund", "RefundEvent"]);
    const fields = m.ws.completion(uri, positionOf(text, "Foreign key → Payment.,", "Foreign key → Payment.".length)).items;
    assert.ok(labels(fields).includes("id") && labels(fields).includes("merchantId"), labels(fields).join(", "));
    const typeAt = positionOf(text, "| refundId | UUID", "| refundId | UU".length);
    const types = m.ws.completion(uri, typeAt).items;
    assert.ok(labels(types).includes("Payment") && labels(types).includes("Refund"), "entity names");
    assert.ok(labels(types).includes("UUID") && labels(types).includes("Timestamp"), "built-in types");
    assert.deepEqual((types.find((i) => i.label === "Refund")!.textEdit as TextEdit).range.start, { line: typeAt.line, character: typeAt.character - 2 });
  });

  test("nothing inside code blocks", () => {
    const m = memWorkspace();
    const uri = m.open(FEAT1, FEAT1_TEXT);
    assert.deepEqual(m.ws.completion(uri, positionOf(FEAT1_TEXT, '"amount": 2500', 2)).items, []);
  });
});

describe("hover, definition, symbols", () => {
  test("hover on a finding: the rule's description, examples and documentation link", () => {
    const m = memWorkspace();
    const uri = m.open(FEAT1, FIXABLE);
    const hover = m.ws.hover(uri, positionOf(FIXABLE, "approved", 3))!;
    const value = (hover.contents as { kind: string; value: string }).value;
    assert.match(value, /`metadata`/);
    assert.match(value, /Overview metadata is complete/);
    assert.match(value, /Reported:\n\n```markdown\n/);
    assert.match(value, /\[Documentation of metadata\]\(file:\/\/.*docs\/rules\.md#metadata\)/);
    assert.deepEqual(hover.range!.start, positionOf(FIXABLE, "approved"));
    assert.equal(m.ws.hover(uri, positionOf(FIXABLE, "Refund Processing")), null);
  });

  test("definition: a foreign key goes to the entity, or to the field's row; an entity-typed field to the entity", () => {
    const m = memWorkspace();
    const text = FEAT1_TEXT.replace("| requestedBy | UUID |", "| requestedBy | Array<RefundEvent> |");
    const uri = m.open(FEAT1, text);
    const [entity] = m.ws.definition(uri, positionOf(text, "Foreign key → Payment.id", "Foreign key → Pay".length));
    assert.equal(entity!.uri, uri);
    assert.deepEqual(entity!.range.start, positionOf(text, "Entity 1: Payment"));
    const [field] = m.ws.definition(uri, positionOf(text, "Foreign key → Payment.id", "Foreign key → Payment.i".length));
    assert.equal(field!.range.start.line, positionOf(text, "| id | UUID | Unique identifier of the payment").line);
    const [typed] = m.ws.definition(uri, positionOf(text, "Array<RefundEvent>", 8));
    assert.deepEqual(typed!.range.start, positionOf(text, "Entity 3: RefundEvent"));
    assert.deepEqual(m.ws.definition(uri, positionOf(text, "Not null, Indexed")), []);
  });

  test("document symbols: sections nested by level, components, entities with fields, APIs, approvals", () => {
    const m = memWorkspace();
    const uri = m.open(FEAT1, FEAT1_TEXT);
    const symbols = m.ws.documentSymbols(uri);
    assert.equal(symbols.length, 1);
    const title = symbols[0]!;
    assert.equal(title.name, "Technical Specification: Refund Processing");
    const child = (s: DocumentSymbol, name: string): DocumentSymbol => {
      const c = s.children?.find((x) => x.name === name);
      assert.ok(c, `${name} under ${s.name}: ${s.children?.map((x) => x.name).join(", ")}`);
      return c;
    };
    assert.deepEqual(title.children!.filter((c) => c.kind === 3).map((c) => c.name).slice(0, 4), ["Overview", "Introduction", "Related Documents", "Architecture"]);
    assert.equal(child(child(title, "Overview"), "Status").detail, "Approved");
    const architecture = child(title, "Architecture");
    const component = child(child(architecture, "Components"), "Component 1: Refund API");
    assert.equal(component.kind, 5);
    const payment = child(child(architecture, "Data Model"), "Entity 1: Payment");
    assert.equal(payment.kind, 23);
    assert.equal(child(payment, "merchantId").detail, "UUID");
    assert.equal(payment.children!.length, 9);
    const api = child(child(architecture, "API Design"), "API 1: Create Refund");
    assert.equal(api.kind, 6);
    assert.equal(api.detail, "POST /api/v1/payments/{paymentId}/refunds");
    assert.deepEqual(child(title, "Approval").children!.map((c) => c.name), ["Engineering Lead", "Architecture Lead", "Security Lead"]);
    // Every child lies inside its parent's range.
    const inside = (s: DocumentSymbol): void => {
      for (const c of s.children ?? []) {
        assert.ok(c.range.start.line >= s.range.start.line && c.range.end.line <= s.range.end.line, `${c.name} inside ${s.name}`);
        inside(c);
      }
    };
    symbols.forEach(inside);
  });
});

describe("the workspace across open and unopened files", () => {
  test("unique-feature-id: an open spec that takes an unopened spec's Feature ID, both ways", () => {
    const m = memWorkspace();
    const text = m.files.get(join(MEM, FEAT2))!.replace("**Feature ID**: FEAT-0002", "**Feature ID**: FEAT-0001");
    const uri = m.open(FEAT2, text);
    const found = m.ws.diagnostics(uri)!.filter((d) => d.rule === "unique-feature-id");
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, /FEAT-0001 is also used by specs\/FEAT-0001-refund-processing\/technical-specification\.md/);
    assert.deepEqual({ line: found[0]!.line - 1, character: found[0]!.column - 1 }, positionOf(text, "FEAT-0001"));
    // Opening the other one: it sees the open spec's unsaved ID.
    const other = m.open(FEAT1, FEAT1_TEXT);
    assert.match(m.ws.diagnostics(other)!.find((d) => d.rule === "unique-feature-id")!.message, /also used by specs\/FEAT-0002/);
    // Changed back in the editor: gone from both.
    m.docs.set(uri, { text: m.files.get(join(MEM, FEAT2))!, version: 2 });
    assert.deepEqual(m.ws.diagnostics(uri)!.filter((d) => d.rule === "unique-feature-id"), []);
    assert.deepEqual(m.ws.diagnostics(other)!.filter((d) => d.rule === "unique-feature-id"), []);
  });

  test("on disk: an unopened spec that changes is read again once the change is known", async () => {
    const dir = tempExamples();
    const docs = new Map<string, DocumentText>();
    const files = new DiskFiles();
    const ws = new SpecWorkspace({ documents: docs, files });
    ws.addProject(await loadConfig(join(dir, "techspec.config.json")));
    const uri = uriOf(join(dir, FEAT1));
    docs.set(uri, { text: FEAT1_TEXT, version: 1 });
    assert.deepEqual(ws.diagnostics(uri), []);
    const feat3 = join(dir, "specs/FEAT-0003-warehouse-stock-reservation/technical-specification.md");
    writeFileSync(feat3, readFileSync(feat3, "utf8").replace("**Feature ID**: FEAT-0003", "**Feature ID**: FEAT-0001"));
    files.fileChanged(feat3);
    ws.fileChanged(feat3);
    assert.deepEqual(ws.diagnostics(uri)!.map((d) => d.rule), ["unique-feature-id"]);
  });

  test("related-document-link: an open document's unsaved headings answer its anchors", () => {
    const m = memWorkspace();
    const text = FEAT1_TEXT.replace("(./PRD.md)", "(./PRD.md#rollout-plan)");
    const uri = m.open(FEAT1, text);
    assert.ok(m.ws.diagnostics(uri)!.some((d) => d.rule === "related-document-link" && d.message.includes("#rollout-plan")));
    const prd = join(MEM, "specs/FEAT-0001-refund-processing/PRD.md");
    m.open("specs/FEAT-0001-refund-processing/PRD.md", `${m.files.get(prd)!}\n## Rollout Plan\n\nSoon.\n`);
    assert.deepEqual(m.ws.dependents(prd), [uri]);
    m.ws.forget(uri);
    assert.deepEqual(m.ws.diagnostics(uri)!.filter((d) => d.rule === "related-document-link"), []);
  });

  test("a Markdown file outside the specs globs: nothing unless it reads as a spec", () => {
    const m = memWorkspace();
    m.files.set(join(MEM, "specs/new/technical-specification.md"), "just text\n");
    assert.deepEqual(m.ws.diagnostics(m.open("notes/README.md", "# Notes\n\nText.\n")), []);
    const spec = m.ws.diagnostics(m.open("drafts/idea.md", "# Technical Specification: Idea\n\n## Overview\n\n**Status**: draft\n"))!;
    assert.ok(spec.some((d) => d.rule === "metadata"));
    assert.ok(!spec.some((d) => d.rule === "unique-feature-id"));
    // A file the globs name that is not a spec: lint's unreadable-file.
    assert.deepEqual(m.ws.diagnostics(m.open("specs/new/technical-specification.md", "just text\n"))!.map((d) => d.rule), ["unreadable-file"]);
  });

  test("a document in no project and a non-file URI get nothing", () => {
    const m = memWorkspace();
    m.docs.set("untitled:Untitled-1", { text: FEAT1_TEXT, version: 1 });
    assert.equal(m.ws.diagnostics("untitled:Untitled-1"), null);
    assert.equal(m.ws.diagnostics(uriOf(resolve("/elsewhere/technical-specification.md"))), null);
  });
});

describe("git facts of unsaved text", () => {
  test("status-transition: the editor compares an unsaved Status with HEAD's, as lint does once it is saved", async () => {
    const dir = tempExamples();
    const git = (...args: string[]): void => {
      const r = spawnSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
    };
    const path = join(dir, FEAT1);
    const draft = FEAT1_TEXT.replace("**Status**: Approved", "**Status**: Draft");
    writeFileSync(path, draft);
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "specs");
    const docs = new Map<string, DocumentText>();
    const files = new DiskFiles();
    const config = await loadConfig(join(dir, "techspec.config.json"));
    const ws = new SpecWorkspace({ documents: docs, files });
    ws.addProject(config);
    const uri = uriOf(path);
    docs.set(uri, { text: draft, version: 1 });
    assert.deepEqual(ws.diagnostics(uri)!.filter((d) => d.rule === "status-transition"), []);
    // Draft → Implemented skips the lifecycle: reported while unsaved, against HEAD.
    const skipped = draft.replace("**Status**: Draft", "**Status**: Implemented");
    docs.set(uri, { text: skipped, version: 2 });
    const unsaved = ws.diagnostics(uri)!.filter((d) => d.rule === "status-transition");
    assert.equal(unsaved.length, 1, JSON.stringify(ws.diagnostics(uri)));
    writeFileSync(path, skipped);
    const job: LintJob = { settings: config.settings, rules: config.rules, overrides: config.overrides, maxFileSize: config.maxFileSize, fix: false, root: config.root };
    const saved = lintFile(path, FEAT1, job, new FileHost(config.root)).diagnostics.filter((d) => d.rule === "status-transition");
    assert.deepEqual(unsaved, saved);
  });

  test("lines map to the saved file's by the unchanged lines before and after the edit", () => {
    const map = lineMap("a\nb\nc\nd\n", "a\nb\nX\nY\nc\nd\n");
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(map), [1, 2, null, null, 3, 4]);
    const removed = lineMap("a\nb\nc\nd", "a\nd");
    assert.deepEqual([1, 2].map(removed), [1, 4]);
    assert.deepEqual([1, 2].map(lineMap("\uFEFFa\r\nb", "a\nb")), [1, 2]);
  });
});
