// The language server's latency, as an editor sees it: `techspec lsp --stdio` started as a child process and
// driven over its stdio by the protocol client. Start → first diagnostics of a spec (several fresh starts), then
// change → publishDiagnostics for each of 100 small edits of the same spec (median and p95).
// Run: npm run build && node dist/bench/lsp-bench.js (BENCH_LSP_EDITS, BENCH_LSP_STARTS to change the counts).
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
  InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, ShutdownRequest, StreamMessageReader,
  StreamMessageWriter, type ProtocolConnection, type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node";
import { repo } from "./corpus.js";

const EDITS = Number(process.env["BENCH_LSP_EDITS"] ?? 100);
const STARTS = Number(process.env["BENCH_LSP_STARTS"] ?? 5);
/** Time between edits, as a fast typist's keystrokes: each edit is its own lint, not coalesced with the next. */
const PAUSE_MS = 40;
const SPEC = "specs/FEAT-0001-refund-processing/technical-specification.md";
const cli = join(repo, "dist", "src", "cli", "main.js");

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Session {
  readonly connection: ProtocolConnection;
  /** Resolves with the first publication for `uri` at `version`. */
  published(uri: string, version: number): Promise<PublishDiagnosticsParams>;
  stop(): Promise<void>;
}

/** Starts the server in `dir` and initializes it (without waiting: the first diagnostics measure the whole start). */
function startServer(dir: string): Session {
  const child = spawn(process.execPath, [cli, "lsp", "--stdio"], { cwd: dir, stdio: ["pipe", "pipe", "inherit"] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map<string, (p: PublishDiagnosticsParams) => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const key = `${p.uri}\0${p.version}`;
    waiting.get(key)?.(p);
    waiting.delete(key);
  });
  connection.onNotification("window/logMessage", () => undefined);
  connection.listen();
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  void connection.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: pathToFileURL(dir).href, workspaceFolders: [{ uri: pathToFileURL(dir).href, name: "bench" }],
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
  }).then(() => connection.sendNotification(InitializedNotification.type, {}));
  return {
    connection,
    published: (uri, version) => new Promise((resolve) => waiting.set(`${uri}\0${version}`, resolve)),
    async stop() {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      await exited;
      connection.dispose();
    },
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "techspec-lsp-bench-"));
  try {
    cpSync(join(repo, "examples", "specs"), join(dir, "specs"), { recursive: true });
    writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({ specs: ["specs/**/technical-specification.md"] }));
    const path = join(dir, SPEC);
    const uri = pathToFileURL(path).href;
    const text = readFileSync(path, "utf8");
    const loadBefore = loadavg().map((x) => x.toFixed(2)).join(" ");

    // Start → first diagnostics: spawn, initialize, open, publish.
    const starts: number[] = [];
    for (let i = 0; i < STARTS; i++) {
      const t0 = performance.now();
      const s = startServer(dir);
      const first = s.published(uri, 1);
      await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "markdown", version: 1, text } });
      await first;
      starts.push(performance.now() - t0);
      await s.stop();
    }

    // Change → diagnostics: one character typed or removed in the Introduction, and every tenth edit the
    // Status's casing, so that the findings change too.
    const s = startServer(dir);
    const opened = s.published(uri, 1);
    await s.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "markdown", version: 1, text } });
    await opened;
    const lines = text.split("\n");
    const introLine = lines.findIndex((l) => l.startsWith("## Introduction")) + 2;
    const statusLine = lines.findIndex((l) => l.startsWith("**Status**:"));
    const latencies: number[] = [];
    let typed = false;
    let lower = false;
    for (let v = 2; v < EDITS + 2; v++) {
      let change;
      if (v % 10 === 0) {
        lower = !lower;
        change = { range: { start: { line: statusLine, character: 12 }, end: { line: statusLine, character: 13 } }, text: lower ? "a" : "A" };
      } else {
        change = typed
          ? { range: { start: { line: introLine, character: 0 }, end: { line: introLine, character: 1 } }, text: "" }
          : { range: { start: { line: introLine, character: 0 }, end: { line: introLine, character: 0 } }, text: "x" };
        typed = !typed;
      }
      const published = s.published(uri, v);
      const t0 = performance.now();
      await s.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: v }, contentChanges: [change] });
      await published;
      latencies.push(performance.now() - t0);
      await sleep(PAUSE_MS);
    }
    await s.stop();

    const cpu = cpus();
    const kb = (statSync(path).size / 1024).toFixed(1);
    console.log(`machine: ${cpu.length} × ${cpu[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${new Date().toISOString()}; load average before ${loadBefore}`);
    console.log(`techspec lsp --stdio on ${SPEC} (${kb} KB), examples/ workspace (3 specs)`);
    console.log(`| measure | median ms | p95 ms | min ms | max ms | n |\n| --- | --- | --- | --- | --- | --- |`);
    const row = (name: string, xs: readonly number[]): string =>
      `| ${name} | ${quantile(xs, 0.5).toFixed(1)} | ${quantile(xs, 0.95).toFixed(1)} | ${Math.min(...xs).toFixed(1)} | ${Math.max(...xs).toFixed(1)} | ${xs.length} |`;
    console.log(row("start → first diagnostics", starts));
    console.log(row("change → diagnostics", latencies));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
