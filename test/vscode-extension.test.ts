// The VS Code extension as users install it: scripts/package-vscode.ts writes a .vsix, which is read here as the
// zip it is; its manifest, the bundled extension (loaded with a stand-in `vscode` module) and the bundled
// techspec server (run as VS Code would run it, with Node) are checked from the unpacked package.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as zlib from "node:zlib";
import { after, before, describe, test } from "node:test";

// This file runs as dist/test/vscode-extension.test.js.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCRIPT = join(ROOT, "dist", "scripts", "package-vscode.js");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const SERVER_MAIN = "extension/dist/server/dist/src/cli/main.js";
const FEAT2 = "specs/FEAT-0002-notification-preferences/technical-specification.md";

/** The entries of a zip file, by name, inflated; throws when the archive is not a well-formed zip. */
function readZip(zip: Buffer): Map<string, Buffer> {
  // The end-of-central-directory record: the last 22 bytes, unless a comment follows it.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, "no end-of-central-directory record: not a zip file");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `central directory entry ${n} has a bad signature`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    assert.equal(zip.readUInt32LE(local), 0x04034b50, `${name}: bad local header`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + compressed);
    assert.ok(method === 0 || method === 8, `${name}: compression method ${method}`);
    const data = method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
    assert.equal(data.length, size, `${name}: size`);
    const crc32 = (zlib as { crc32?: (data: Buffer) => number }).crc32;
    if (crc32) assert.equal(crc32(data) >>> 0, crc, `${name}: CRC-32`);
    entries.set(name, data);
    at += 46 + skip;
  }
  return entries;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Run {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A workspace with the three example specs, FEAT-0002's Created Date broken (one error), and `copies` more specs. */
function workspace(dir: string, copies = 0): string {
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, "examples", "specs"), join(dir, "specs"), { recursive: true });
  writeFileSync(join(dir, "techspec.config.json"), `${JSON.stringify({ specs: ["specs/**/technical-specification.md"] })}\n`);
  const spec = join(dir, FEAT2);
  writeFileSync(spec, readFileSync(spec, "utf8").replace("**Created Date**: 2026-04-06", "**Created Date**: 2026-02-30"));
  const source = join(ROOT, "examples", "specs", "FEAT-0001-refund-processing");
  for (let i = 0; i < copies; i++) {
    const id = `FEAT-${String(1000 + i)}`;
    const target = join(dir, "specs", `${id}-copy`);
    cpSync(source, target, { recursive: true });
    const file = join(target, "technical-specification.md");
    writeFileSync(file, readFileSync(file, "utf8").replaceAll("FEAT-0001", id));
  }
  return dir;
}

/** A function object that answers every property, call and `new` with itself: enough of `vscode` to load a bundle. */
function anything(): unknown {
  const target = function () {};
  const proxy: unknown = new Proxy(target, {
    get: (_t, prop) => (typeof prop === "symbol" ? undefined : prop === "then" ? undefined : proxy),
    apply: () => proxy,
    construct: () => proxy as object,
  });
  return proxy;
}

interface ExtensionModule {
  activate(context: { extensionPath: string; subscriptions: unknown[] }): Promise<void>;
  deactivate(): Promise<void>;
  resolveServer(setting: string, folders: readonly string[], extensionPath: string): { source: string; path: string; kind: string } | { error: string };
  serverOptions(choice: { source: string; path: string; kind: string }, runtime: string, cwd: string | undefined): { run: { command: string; args: string[]; options: { cwd?: string; env?: NodeJS.ProcessEnv } } };
}

/**
 * Enough of VS Code's API for the extension to activate and the language client to start a server: settings from
 * `settings`, the workspace folders, output channels whose lines go to `lines`, and anything else answered by
 * `anything()` (registrations and events that never fire). The extension's own `import * as vscode` sees the
 * object's own keys; the language client requires the module and sees everything.
 */
function fakeVscode(settings: Record<string, unknown>, folders: readonly string[], lines: string[]): unknown {
  const other = anything() as Record<string | symbol, unknown>;
  const channel = (name: string): object => {
    const write = (tag: string) => (message: unknown): void => void lines.push(`${name} [${tag}] ${String(message)}`);
    return {
      name, logLevel: 3, onDidChangeLogLevel: () => ({ dispose() {} }),
      trace: write("trace"), debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error"),
      append: write("text"), appendLine: write("text"), replace() {}, clear() {}, show() {}, hide() {}, dispose() {},
    };
  };
  const api: Record<string, unknown> = {
    version: "1.91.0",
    workspace: new Proxy({}, {
      get: (_t, prop) => prop === "getConfiguration" ? () => ({ get: (key: string, fallback: unknown) => settings[key] ?? fallback })
        : prop === "workspaceFolders" ? folders.map((fsPath, index) => ({ uri: { scheme: "file", fsPath }, name: `folder${index}`, index }))
          : (other["workspace"] as Record<string | symbol, unknown>)[prop],
    }),
    window: new Proxy({}, { get: (_t, prop) => (prop === "createOutputChannel" ? channel : (other["window"] as Record<string | symbol, unknown>)[prop]) }),
    commands: other["commands"],
    EventEmitter: class {
      event = (): { dispose(): void } => ({ dispose() {} });
      fire(): void {}
      dispose(): void {}
    },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
  };
  return new Proxy(api, { get: (target, prop) => (prop in target ? target[prop as string] : other[prop]) });
}

/** Loads a bundled extension.js in this process with a stand-in for the `vscode` module, which only VS Code has. */
function loadExtension(file: string, vscode: unknown = anything()): ExtensionModule {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = (request, ...rest) => (request === "vscode" ? vscode : original.call(loader, request, ...rest));
  try {
    return createRequire(import.meta.url)(file) as ExtensionModule;
  } finally {
    loader._load = original;
  }
}

/** Sends LSP messages to a server process and reads its answers (Content-Length framing). */
class LspPeer {
  private buffer = Buffer.alloc(0);
  private waiting = new Map<number, (msg: { result?: unknown; error?: unknown }) => void>();
  constructor(private readonly child: ReturnType<typeof spawn>) {
    child.stdout!.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const end = this.buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const length = Number(/Content-Length: *(\d+)/i.exec(this.buffer.toString("ascii", 0, end))?.[1]);
        if (this.buffer.length < end + 4 + length) return;
        const msg = JSON.parse(this.buffer.toString("utf8", end + 4, end + 4 + length)) as { id?: number; result?: unknown; error?: unknown; method?: string };
        this.buffer = this.buffer.subarray(end + 4 + length);
        if (msg.id !== undefined && msg.method === undefined) this.waiting.get(msg.id)?.(msg);
        // A request from the server (workspace/configuration, client/registerCapability): answered with nothing.
        else if (msg.id !== undefined) this.send({ id: msg.id, result: null });
      }
    });
  }
  send(msg: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...msg }), "utf8");
    this.child.stdin!.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }
  request(id: number, method: string, params: unknown): Promise<{ result?: unknown; error?: unknown }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${method} in 20 s`)), 20_000);
      this.waiting.set(id, (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
      this.send({ id, method, params });
    });
  }
}

describe("the VS Code extension package", () => {
  const tmp = mkdtempSync(join(tmpdir(), "techspec-vscode-test-"));
  const vsix = join(tmp, "out", `techspec-${VERSION}.vsix`);
  const unpacked = join(tmp, "unpacked");
  let packaging: Run;
  let entries: Map<string, Buffer>;

  before(() => {
    packaging = run(process.execPath, [SCRIPT, "--out", vsix], ROOT);
    if (packaging.code !== 0) return;
    entries = readZip(readFileSync(vsix));
    for (const [name, data] of entries) {
      if (name.endsWith("/")) continue;
      mkdirSync(dirname(join(unpacked, name)), { recursive: true });
      writeFileSync(join(unpacked, name), data);
    }
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test("the packaging script writes techspec-<version>.vsix and prints its path and size", () => {
    assert.equal(packaging.code, 0, packaging.stderr + packaging.stdout);
    assert.match(packaging.stdout, new RegExp(`^Packaged ${vsix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(\\d+ KiB\\)$`, "m"));
    const size = readFileSync(vsix).length;
    assert.ok(size > 100_000 && size < 8 * 1024 * 1024, `a .vsix of ${size} bytes`);
  });

  test("the .vsix is a zip holding the manifest, the bundled extension and the bundled server, and no sources", () => {
    const names = [...entries.keys()];
    for (const name of ["[Content_Types].xml", "extension.vsixmanifest", "extension/package.json", "extension/readme.md", "extension/LICENSE.txt",
      "extension/dist/extension.js", SERVER_MAIN, "extension/dist/server/dist/src/cli/lint-worker.js", "extension/dist/server/package.json",
      "extension/dist/server/templates/technical-specification.md", "extension/dist/server/schemas/techspec.config.schema.json", "extension/dist/server/docs/rules.md"]) {
      assert.ok(entries.has(name), `${name} is in the package`);
    }
    assert.deepEqual(names.filter((n) => /\.ts$|(^|\/)node_modules\/|^extension\/src\/|tsconfig\.json$|\.vsix$/.test(n)), []);
    assert.match(entries.get("extension.vsixmanifest")!.toString("utf8"), new RegExp(`Version="${VERSION.replace(/\./g, "\\.")}"`));
  });

  test("the manifest: version of the root package, VS Code 1.91+, markdown activation, the settings and commands", () => {
    const manifest = JSON.parse(entries.get("extension/package.json")!.toString("utf8")) as {
      name: string; publisher: string; version: string; main: string; engines: { vscode: string }; activationEvents: string[];
      contributes: { configuration: { properties: Record<string, { type: string; default: unknown; enum?: string[] }> }; commands: { command: string }[] };
    };
    assert.equal(manifest.name, "techspec");
    assert.equal(manifest.publisher, "techspec");
    assert.equal(manifest.version, VERSION);
    assert.equal(manifest.engines.vscode, "^1.91.0");
    assert.equal(manifest.main, "./dist/extension.js");
    assert.ok(manifest.activationEvents.includes("onLanguage:markdown"));
    const props = manifest.contributes.configuration.properties;
    assert.deepEqual(props["techspec.server.path"] && { type: props["techspec.server.path"].type, default: props["techspec.server.path"].default }, { type: "string", default: "" });
    assert.deepEqual(props["techspec.trace.server"]?.enum, ["off", "messages", "verbose"]);
    assert.equal(props["techspec.trace.server"]?.default, "off");
    assert.equal(props["techspec.enable"]?.default, true);
    assert.equal(props["techspec.server.runtime"]?.default, "");
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), ["techspec.restartServer", "techspec.showOutput"]);
  });

  test("the bundled server prints the version, and lints as the CLI does: configuration, templates, worker threads", () => {
    const server = join(unpacked, SERVER_MAIN);
    const env = { ...process.env, TECHSPEC_NOW: "2027-01-15" };
    const version = run(process.execPath, [server, "--version"], tmp);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout, `${VERSION}\n`);
    // The same report as the built CLI's, but for links into each one's own package (docs/rules.md).
    const small = workspace(join(tmp, "ws-small"));
    const bundled = run(process.execPath, [server, "lint", "--format", "json"], small, env);
    const cli = run(process.execPath, [join(ROOT, "dist", "src", "cli", "main.js"), "lint", "--format", "json"], small, env);
    assert.equal(bundled.code, 1, bundled.stderr);
    const packageUrl = (text: string, root: string): unknown => JSON.parse(text.replaceAll(pathToFileURL(root).href.replace(/\/?$/, "/"), "package:/"));
    assert.deepEqual(packageUrl(bundled.stdout, join(unpacked, "extension", "dist", "server")), packageUrl(cli.stdout, ROOT));
    // A spec from the bundled templates.
    const created = run(process.execPath, [server, "new", "Bundled Templates"], small);
    assert.equal(created.code, 0, created.stderr);
    // 203 specs: over the count at which lint starts worker threads (lint-worker.js, a file of its own in the bundle).
    const large = workspace(join(tmp, "ws-large"), 200);
    const lint = run(process.execPath, [server, "lint", "--format", "json", "--threads", "2"], large, env);
    assert.equal(lint.code, 1, lint.stderr);
    const report = JSON.parse(lint.stdout) as { summary: { files: number }; diagnostics: { file: string; line: number; rule: string }[] };
    assert.equal(report.summary.files, 203);
    assert.deepEqual(report.diagnostics.filter((d) => d.rule === "metadata").map((d) => [d.file, d.line]), [[FEAT2, 7]]);
  });

  test("the bundled server answers initialize on `lsp --stdio`", async () => {
    const server = join(unpacked, SERVER_MAIN);
    const help = run(process.execPath, [server, "lsp", "--help"], tmp);
    assert.equal(help.code, 0, help.stderr);
    const ws = workspace(join(tmp, "ws-lsp"));
    const child = spawn(process.execPath, [server, "lsp", "--stdio"], { cwd: ws, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const peer = new LspPeer(child);
      const rootUri = new URL(`file://${realpathSync(ws)}/`).href;
      const init = await peer.request(1, "initialize", { processId: process.pid, rootUri, capabilities: {}, workspaceFolders: [{ uri: rootUri, name: "ws" }] });
      assert.equal(init.error, undefined, JSON.stringify(init.error));
      assert.equal(typeof (init.result as { capabilities?: unknown }).capabilities, "object", stderr);
      peer.send({ method: "initialized", params: {} });
      const shutdown = await peer.request(2, "shutdown", null);
      assert.equal(shutdown.error, undefined);
      peer.send({ method: "exit" });
      const code = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve("still running 10 s after exit"), 10_000))]);
      assert.equal(code, 0, stderr);
    } finally {
      child.kill();
    }
  });

  test("the bundled extension loads, and finds the server: the setting, else the workspace's techspec, else the bundled one", () => {
    const ext = loadExtension(join(unpacked, "extension", "dist", "extension.js"));
    assert.equal(typeof ext.activate, "function");
    assert.equal(typeof ext.deactivate, "function");
    const extensionPath = join(unpacked, "extension");
    const bare = join(tmp, "bare");
    mkdirSync(bare, { recursive: true });
    assert.deepEqual(ext.resolveServer("", [bare], extensionPath), { source: "bundled", path: join(extensionPath, "dist", "server", "dist", "src", "cli", "main.js"), kind: "module" });

    // A project with techspec installed, opened at its root or at a package folder below it (a monorepo).
    const project = join(tmp, "project");
    const cli = join(project, "node_modules", "techspec", "dist", "src", "cli", "main.js");
    mkdirSync(dirname(cli), { recursive: true });
    writeFileSync(cli, "");
    writeFileSync(join(project, "node_modules", "techspec", "package.json"), JSON.stringify({ name: "techspec", version: "9.9.9", bin: { techspec: "dist/src/cli/main.js" } }));
    mkdirSync(join(project, "node_modules", ".bin"), { recursive: true });
    symlinkSync("../techspec/dist/src/cli/main.js", join(project, "node_modules", ".bin", "techspec"));
    mkdirSync(join(project, "packages", "api"), { recursive: true });
    const real = realpathSync(cli);
    assert.deepEqual(ext.resolveServer("", [bare, project], extensionPath), { source: "workspace", path: real, kind: "module" });
    assert.deepEqual(ext.resolveServer("", [join(project, "packages", "api")], extensionPath), { source: "workspace", path: real, kind: "module" });

    // The setting wins; node_modules/.bin/techspec is the link to the JavaScript file; a wrapper is run as it is.
    assert.deepEqual(ext.resolveServer("node_modules/.bin/techspec", [project], extensionPath), { source: "setting", path: real, kind: "module" });
    const wrapper = join(project, "techspec-wrapper");
    writeFileSync(wrapper, "#!/bin/sh\n");
    chmodSync(wrapper, 0o755);
    assert.deepEqual(ext.resolveServer("${workspaceFolder}/techspec-wrapper", [project], extensionPath), { source: "setting", path: realpathSync(wrapper), kind: "executable" });
    const missing = ext.resolveServer("nothing/here.js", [project], extensionPath);
    assert.ok("error" in missing && /techspec\.server\.path "nothing\/here\.js" is not a file/.test(missing.error), JSON.stringify(missing));
    assert.ok("error" in ext.resolveServer("relative.js", [], extensionPath));

    // Started as `node <cli> lsp --stdio`, with VS Code's own Node unless a runtime is set.
    const options = ext.serverOptions({ source: "workspace", path: real, kind: "module" }, "", project).run;
    assert.deepEqual([options.command, options.args, options.options.cwd, options.options.env?.["ELECTRON_RUN_AS_NODE"]], [process.execPath, [real, "lsp", "--stdio"], project, "1"]);
    const withNode = ext.serverOptions({ source: "workspace", path: real, kind: "module" }, "node", project).run;
    assert.deepEqual([withNode.command, withNode.args], ["node", [real, "lsp", "--stdio"]]);
  });

  test("activated with a stand-in VS Code, the extension starts the bundled server through the language client", async () => {
    const server = join(unpacked, SERVER_MAIN);
    assert.equal(run(process.execPath, [server, "lsp", "--help"], tmp).code, 0);
    const ws = workspace(join(tmp, "ws-activate"));
    const lines: string[] = [];
    const file = join(unpacked, "extension", "dist", "extension.js");
    // A fresh copy of the module: loadExtension above cached one bound to another stand-in.
    delete createRequire(import.meta.url).cache[file];
    const ext = loadExtension(file, fakeVscode({ "trace.server": "messages" }, [ws], lines));
    const context = { extensionPath: join(unpacked, "extension"), subscriptions: [] as unknown[] };
    await ext.activate(context);
    try {
      assert.ok(lines.includes(`techspec [info] Starting the bundled techspec: ${server}`), lines.join("\n"));
      assert.ok(lines.some((l) => /^techspec \(trace\) \[text\] .*Received response 'initialize - \(0\)'/.test(l)), lines.join("\n"));
      assert.ok(!lines.some((l) => l.startsWith("techspec [error]")), lines.join("\n"));
      assert.ok(context.subscriptions.length >= 4, "commands, listeners and channels are disposed with the extension");
    } finally {
      await ext.deactivate();
    }
  });

  test("the extension type-checks against @types/vscode", () => {
    const extension = join(ROOT, "editors", "vscode");
    // @types/vscode is a devDependency pinned to the engines.vscode version: the extension type-checks against it.
    createRequire(join(extension, "package.json")).resolve("@types/vscode/package.json");
    const tsc = run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(extension, "tsconfig.json")], ROOT);
    assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
  });
});
