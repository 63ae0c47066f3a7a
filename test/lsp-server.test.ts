// `techspec lsp --stdio` end to end: the built CLI as a child process, driven by the protocol client of
// vscode-languageserver-protocol over its standard input and output, in a temporary copy of examples/.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, test } from "node:test";
import {
  CodeActionRequest, CompletionRequest, createProtocolConnection, DidChangeTextDocumentNotification, DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification, DocumentSymbolRequest, ExitNotification, HoverRequest, InitializedNotification, InitializeRequest,
  PublishDiagnosticsNotification, RegistrationRequest, ShutdownRequest, StreamMessageReader, StreamMessageWriter,
  type CodeAction, type CompletionList, type DocumentSymbol, type InitializeResult, type ProtocolConnection,
  type PublishDiagnosticsParams, type Registration,
} from "vscode-languageserver-protocol/node";
import { STATUSES } from "../src/parse/normalize.js";

// This file runs as dist/test/lsp-server.test.js.
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const CLI = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const FEAT1 = "specs/FEAT-0001-refund-processing/technical-specification.md";
const FEAT2 = "specs/FEAT-0002-notification-preferences/technical-specification.md";

const temps: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
after(() => {
  // A test that failed half-way leaves its server running: it would keep this process alive.
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "techspec-lsp-server-"));
  temps.push(dir);
  cpSync(join(REPO, "examples", "specs"), join(dir, "specs"), { recursive: true });
  writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ specs: ["specs/**/technical-specification.md"] }));
  return dir;
}

interface Client {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: ProtocolConnection;
  readonly published: PublishDiagnosticsParams[];
  readonly registrations: Registration[];
  readonly stderr: () => string;
  /** The first publication (already received or still to come) for `uri` that `match` accepts. */
  diagnostics(uri: string, match?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  exit(): Promise<number | null>;
}

function start(dir: string, args: readonly string[] = ["lsp", "--stdio"]): Client {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
  children.push(child);
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; match: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const registrations: Registration[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.match(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  connection.onRequest(RegistrationRequest.type, (params) => {
    registrations.push(...params.registrations);
  });
  connection.onNotification("window/logMessage", () => undefined);
  connection.listen();
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child, connection, published, registrations, stderr: () => stderr,
    diagnostics(uri, match = () => true, timeoutMs = 10_000) {
      const seen = published.find((p) => p.uri === uri && match(p));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(published.map((p) => [p.uri.slice(-40), p.version, p.diagnostics.length]))}; stderr: ${stderr}`)), timeoutMs);
        waiters.push({ uri, match, resolve: (p) => { clearTimeout(timer); resolve(p); } });
      });
    },
    exit: () => exited,
  };
}

async function initialize(client: Client, dir: string): Promise<InitializeResult> {
  const result = await client.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: "ws" }],
    capabilities: {
      workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true }, workspaceFolders: true },
      textDocument: { completion: { completionItem: { snippetSupport: false } }, publishDiagnostics: { versionSupport: true } },
    },
  });
  await client.connection.sendNotification(InitializedNotification.type, {});
  return result;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The LSP position of `needle` (plus `shift`) in `text`. */
function positionOf(text: string, needle: string, shift = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const before = text.slice(0, at + shift);
  return { line: before.split("\n").length - 1, character: before.length - before.lastIndexOf("\n") - 1 };
}

test("the server over stdio: diagnostics, stale versions dropped, code actions, completion, configuration reload, exit", { timeout: 60_000 }, async () => {
  const dir = workspace();
  const client = start(dir);
  const { connection } = client;
  const init = await initialize(client, dir);
  const caps = init.capabilities;
  assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
  assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ["quickfix", "source.fixAll.techspec"] });
  assert.ok(caps.completionProvider?.triggerCharacters?.includes("#"));
  assert.equal(caps.hoverProvider, true);
  assert.equal(caps.definitionProvider, true);
  assert.ok(caps.documentSymbolProvider);
  assert.equal(init.serverInfo?.name, "techspec");

  // Open: diagnostics with the rule id as code and a link to its documentation.
  const path = join(dir, FEAT1);
  const uri = pathToFileURL(path).href;
  const original = readFileSync(path, "utf8");
  const text = original.replace("**Status**: Approved", "**Status**: approved");
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "markdown", version: 1, text } });
  const first = await client.diagnostics(uri);
  assert.equal(first.version, 1);
  const status = first.diagnostics.find((d) => d.code === "metadata")!;
  assert.ok(status, JSON.stringify(first.diagnostics));
  assert.equal(status.severity, 2);
  assert.equal(status.source, "techspec");
  assert.match(status.codeDescription!.href, /^file:\/\/.*\/docs\/rules\.md#metadata$/);
  assert.deepEqual(status.range.start, positionOf(text, "approved"));
  assert.ok(client.registrations.some((r) => r.method === DidChangeWatchedFilesNotification.method), "file watchers registered");

  // Several quick changes: only the last version's diagnostics are published.
  const from = client.published.length;
  const intro = positionOf(text, "## Introduction", 3);
  for (let v = 2; v <= 6; v++) {
    void connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: intro, end: { line: intro.line, character: intro.character + (v === 2 ? 0 : 1) } }, text: v === 6 ? "" : "x" }],
    });
  }
  const last = await client.diagnostics(uri, (p) => p.version === 6);
  await sleep(300);
  const after = client.published.slice(from).filter((p) => p.uri === uri);
  assert.deepEqual(after.map((p) => p.version), after.map(() => 6), `published versions ${after.map((p) => p.version).join(", ")}`);
  // "## xIntroduction" → "## Introduction" again? v2 inserted x, v3-v5 replaced it, v6 removed it.
  assert.deepEqual(last.diagnostics, first.diagnostics);

  // A quick fix for the finding, as a versioned edit.
  const actions = await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri }, range: status.range, context: { diagnostics: [status] },
  }) as CodeAction[];
  const fix = actions.find((a) => a.title === "Fix this metadata problem")!;
  assert.ok(fix, JSON.stringify(actions));
  assert.deepEqual(fix.edit?.documentChanges?.[0], {
    textDocument: { uri, version: 6 },
    edits: [{ range: status.range, newText: "Approved" }],
  });
  const fixAll = await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ["source.fixAll"] },
  }) as CodeAction[];
  assert.deepEqual(fixAll.map((a) => a.kind), ["source.fixAll.techspec"]);

  // Completion of a status value; hover; the outline.
  const completion = await connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionOf(text, "**Status**: ", "**Status**: ".length) }) as CompletionList;
  assert.deepEqual(completion.items.map((i) => i.label), [...STATUSES]);
  const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: status.range.start });
  assert.match(JSON.stringify(hover), /Overview metadata/);
  const symbols = await connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }) as DocumentSymbol[];
  assert.equal(symbols[0]?.name, "Technical Specification: Refund Processing");

  // The workspace rule: a second open spec takes the first one's Feature ID; both are told.
  const path2 = join(dir, FEAT2);
  const uri2 = pathToFileURL(path2).href;
  const text2 = readFileSync(path2, "utf8").replace("**Feature ID**: FEAT-0002", "**Feature ID**: FEAT-0001");
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri2, languageId: "markdown", version: 1, text: text2 } });
  const dup2 = await client.diagnostics(uri2, (p) => p.diagnostics.some((d) => d.code === "unique-feature-id"));
  assert.match(dup2.diagnostics.find((d) => d.code === "unique-feature-id")!.message as string, /FEAT-0001 is also used by specs\/FEAT-0001/);
  await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === "unique-feature-id"));

  // The configuration changes: every open spec is linted again with it.
  writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ specs: ["specs/**/technical-specification.md"], rules: { metadata: "error", "unique-feature-id": "off" } }));
  await connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(join(dir, "techspec.config.json")).href, type: 2 }] });
  const relinted = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === "metadata" && d.severity === 1));
  assert.ok(!relinted.diagnostics.some((d) => d.code === "unique-feature-id"));
  await client.diagnostics(uri2, (p) => !p.diagnostics.some((d) => d.code === "unique-feature-id"));

  // Shut down, then exit: the process ends with 0, and nothing but the protocol was written to stdout.
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  assert.equal(await client.exit(), 0, client.stderr());
  assert.equal(client.stderr(), "");
});

test("an unopened spec changes on disk: the open specs' workspace findings follow", { timeout: 60_000 }, async () => {
  const dir = workspace();
  const client = start(dir);
  await initialize(client, dir);
  const uri = pathToFileURL(join(dir, FEAT1)).href;
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "markdown", version: 1, text: readFileSync(join(dir, FEAT1), "utf8") } });
  const clean = await client.diagnostics(uri);
  assert.deepEqual(clean.diagnostics, []);
  const feat3 = join(dir, "specs/FEAT-0003-warehouse-stock-reservation/technical-specification.md");
  writeFileSync(feat3, readFileSync(feat3, "utf8").replace("**Feature ID**: FEAT-0003", "**Feature ID**: FEAT-0001"));
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(feat3).href, type: 2 }] });
  const dup = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.code === "unique-feature-id"));
  assert.match(dup.diagnostics[0]!.message as string, /also used by specs\/FEAT-0003-warehouse-stock-reservation\/technical-specification\.md/);
  await client.connection.sendRequest(ShutdownRequest.type);
  await client.connection.sendNotification(ExitNotification.type);
  assert.equal(await client.exit(), 0);
});

test("a configuration that does not load: the editor is told, its specs get no diagnostics", { timeout: 60_000 }, async () => {
  const dir = workspace();
  writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ specs: ["specs/**/technical-specification.md"], rules: { "no-such-rule": "error" } }));
  const client = start(dir);
  const messages: string[] = [];
  client.connection.onRequest("window/showMessageRequest", (p: { message: string }) => {
    messages.push(p.message);
    return null;
  });
  client.connection.onNotification("window/showMessage", (p: { message: string }) => void messages.push(p.message));
  await initialize(client, dir);
  const uri = pathToFileURL(join(dir, FEAT1)).href;
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "markdown", version: 1, text: readFileSync(join(dir, FEAT1), "utf8") } });
  const published = await client.diagnostics(uri);
  assert.deepEqual(published.diagnostics, []);
  for (let i = 0; i < 50 && messages.length === 0; i++) await sleep(20);
  assert.match(messages.join("\n"), /no-such-rule/);
  await client.connection.sendRequest(ShutdownRequest.type);
  await client.connection.sendNotification(ExitNotification.type);
  assert.equal(await client.exit(), 0);
});

test("the client goes away without shutting down: exit code 1", { timeout: 60_000 }, async () => {
  const dir = workspace();
  const client = start(dir);
  await initialize(client, dir);
  client.child.stdin.end();
  assert.equal(await client.exit(), 1);
});

test("techspec lsp without --stdio is a usage error; --help says how to run it", () => {
  const usage = spawnSync(process.execPath, [CLI, "lsp"], { encoding: "utf8" });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /lsp: give --stdio/);
  const help = spawnSync(process.execPath, [CLI, "lsp", "--help"], { encoding: "utf8" });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: techspec lsp --stdio/);
  const main = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8" });
  assert.match(main.stdout, /lsp {8}a language server for editors/);
});
