// The techspec extension: a language client for `techspec lsp --stdio`. It finds the server (the setting, the
// workspace's own techspec, or the copy bundled in the .vsix), starts it with VS Code's Node unless told otherwise,
// and starts it again when a setting that chooses it changes. Features come from the server; nothing here lints.
import { execFile } from "node:child_process";
import { readFileSync, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import * as vscode from "vscode";
import { LanguageClient, type Executable, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

/** The techspec CLI that runs the language server, and where it was found. */
export interface ServerChoice {
  readonly source: "setting" | "workspace" | "bundled";
  /** A JavaScript file (run with Node) or, for `kind: "executable"`, a program that takes techspec's arguments. */
  readonly path: string;
  readonly kind: "module" | "executable";
}

/** Where the .vsix puts its copy of the CLI (scripts/package-vscode.ts builds it there). */
export function bundledServer(extensionPath: string): ServerChoice {
  return { source: "bundled", path: join(extensionPath, "dist", "server", "dist", "src", "cli", "main.js"), kind: "module" };
}

/**
 * The server to run: `techspec.server.path` when set (an error when it names nothing), else the techspec
 * installed for the first workspace folder that has one (node_modules/techspec, looked for from the folder
 * upwards as Node does, or the folder itself when it is techspec's own repository), else the bundled copy.
 */
export function resolveServer(setting: string, folders: readonly string[], extensionPath: string): ServerChoice | { readonly error: string } {
  const wanted = setting.trim();
  if (wanted !== "") {
    const expanded = wanted.replace(/^~(?=$|[\\/])/, homedir()).replace(/\$\{workspaceFolder\}/g, folders[0] ?? "${workspaceFolder}");
    if (!isAbsolute(expanded) && folders[0] === undefined) {
      return { error: `techspec.server.path "${wanted}" is relative, and no folder is open to take it from (give an absolute path)` };
    }
    const path = resolve(folders[0] ?? "", expanded);
    if (!isFile(path)) return { error: `techspec.server.path "${wanted}" is not a file (${path}); set it to techspec's dist/src/cli/main.js, or clear it to use the workspace's or the bundled techspec` };
    // node_modules/.bin/techspec is a link to the JavaScript file on POSIX systems: run that with Node.
    const real = realpathOr(path);
    return { source: "setting", path: real, kind: /\.[cm]?js$/i.test(real) ? "module" : "executable" };
  }
  for (const folder of folders) {
    const found = workspaceTechspec(folder);
    if (found !== undefined) return { source: "workspace", path: found, kind: "module" };
  }
  return bundledServer(extensionPath);
}

/** The CLI of the techspec installed for a folder, looked for from the folder upwards; undefined when there is none. */
function workspaceTechspec(folder: string): string | undefined {
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    const own = binOf(join(dir, "package.json"));
    if (own !== undefined) return own;
    const installed = binOf(join(dir, "node_modules", "techspec", "package.json"));
    if (installed !== undefined) return installed;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The `techspec` bin of a package.json named techspec, when that file exists. */
function binOf(packageJson: string): string | undefined {
  let pkg: { name?: unknown; bin?: unknown };
  try {
    pkg = JSON.parse(readFileSync(packageJson, "utf8")) as { name?: unknown; bin?: unknown };
  } catch {
    return undefined;
  }
  if (pkg.name !== "techspec") return undefined;
  const bin = typeof pkg.bin === "string" ? pkg.bin : (pkg.bin as Record<string, unknown> | undefined)?.["techspec"];
  if (typeof bin !== "string") return undefined;
  const path = join(dirname(packageJson), bin);
  return isFile(path) ? realpathOr(path) : undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The command that runs the server's CLI with `args`: Node (VS Code's own, or `runtime`) running the module, or the executable itself. */
function launch(choice: ServerChoice, runtime: string, cwd: string | undefined, args: readonly string[], debug = false): Executable {
  if (choice.kind === "executable") {
    return { command: choice.path, args: [...args], options: { cwd, shell: process.platform === "win32" && /\.(cmd|bat)$/i.test(choice.path) } };
  }
  // VS Code's process is Electron; ELECTRON_RUN_AS_NODE makes it plain Node, as the client's own fork does.
  const env = runtime === "" ? { ...process.env, ELECTRON_RUN_AS_NODE: "1" } : process.env;
  const inspect = debug ? ["--nolazy", "--inspect=6009"] : [];
  return { command: runtime === "" ? process.execPath : runtime, args: [...inspect, choice.path, ...args], options: { cwd, env } };
}

/** How to start a server: `techspec lsp --stdio`, the same command as in every other editor. */
export function serverOptions(choice: ServerChoice, runtime: string, cwd: string | undefined): ServerOptions {
  // No `transport` on purpose: with one, the client would append --stdio and --clientProcessId=<pid> itself (the
  // server learns the process id from the initialize request anyway).
  return { run: launch(choice, runtime, cwd, ["lsp", "--stdio"]), debug: launch(choice, runtime, cwd, ["lsp", "--stdio"], true) };
}

/** Whether a techspec has the `lsp` command (versions before it answer "unknown command" with exit code 2). */
function hasLsp(choice: ServerChoice, runtime: string, cwd: string | undefined): Promise<boolean> {
  const { command, args, options } = launch(choice, runtime, cwd, ["lsp", "--help"]);
  return new Promise((done) => {
    execFile(command, args ?? [], { ...options, timeout: 15_000 }, (err) => done(err === null));
  });
}

function describe(choice: ServerChoice): string {
  switch (choice.source) {
    case "setting":
      return `techspec.server.path: ${choice.path}`;
    case "workspace":
      return `the workspace's techspec: ${choice.path}`;
    case "bundled":
      return `the bundled techspec: ${choice.path}`;
  }
}

/**
 * A log channel for the client's message trace that follows `techspec.trace.server`: the language client traces
 * only while its trace channel's log level is Trace, and a real channel's level is set by hand in VS Code
 * ("Developer: Set Log Level…"), so this one reports Trace whenever the setting is messages or verbose.
 */
function traceChannel(): vscode.LogOutputChannel {
  const channel = vscode.window.createOutputChannel("techspec (trace)");
  const changed = new vscode.EventEmitter<vscode.LogLevel>();
  const level = (): vscode.LogLevel => (vscode.workspace.getConfiguration("techspec").get<string>("trace.server", "off") === "off" ? vscode.LogLevel.Off : vscode.LogLevel.Trace);
  const watch = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration("techspec.trace.server")) changed.fire(level());
  });
  const line = (tag: string) => (message: string | Error, ...args: unknown[]): void => {
    const text = message instanceof Error ? message.stack ?? message.message : message;
    channel.appendLine(`[${new Date().toISOString()}] [${tag}] ${text}${args.length ? ` ${args.map((a) => JSON.stringify(a)).join(" ")}` : ""}`);
  };
  return {
    name: channel.name,
    get logLevel() {
      return level();
    },
    onDidChangeLogLevel: changed.event,
    trace: line("trace"),
    debug: line("debug"),
    info: line("info"),
    warn: line("warn"),
    error: line("error"),
    append: (value) => channel.append(value),
    appendLine: (value) => channel.appendLine(value),
    replace: (value) => channel.replace(value),
    clear: () => channel.clear(),
    show: (columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean) => {
      if (typeof columnOrPreserveFocus === "boolean") channel.show(columnOrPreserveFocus);
      else channel.show(columnOrPreserveFocus, preserveFocus);
    },
    hide: () => channel.hide(),
    dispose: () => {
      watch.dispose();
      changed.dispose();
      channel.dispose();
    },
  };
}

/** One running (or stopped) language client; starts and stops happen one after the other, never interleaved. */
class Server {
  private client: LanguageClient | undefined;
  private choice: ServerChoice | undefined;
  private clientDisposables: vscode.Disposable[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly extensionPath: string,
    private readonly output: vscode.LogOutputChannel,
    private readonly trace: vscode.LogOutputChannel,
  ) {}

  /** Stops the server if it runs, then starts it as the settings now say. */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopClient();
      await this.startClient();
    });
  }

  /** Restarts only when the server the settings and folders now choose is another one. */
  refresh(): Promise<void> {
    return this.enqueue(async () => {
      const next = this.resolve();
      if (this.client !== undefined && !("error" in next) && next.path === this.choice?.path) return;
      await this.stopClient();
      await this.startClient();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopClient());
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step).catch((err: unknown) => {
      this.output.error(`techspec language server: ${(err as Error).message ?? String(err)}`);
    });
    return this.queue;
  }

  private folders(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath);
  }

  private resolve(): ServerChoice | { readonly error: string } {
    return resolveServer(vscode.workspace.getConfiguration("techspec").get<string>("server.path", ""), this.folders(), this.extensionPath);
  }

  private async startClient(): Promise<void> {
    const config = vscode.workspace.getConfiguration("techspec");
    if (!config.get<boolean>("enable", true)) {
      this.output.info("techspec.enable is off: the language server is not started");
      return;
    }
    let choice = this.resolve();
    if ("error" in choice) {
      this.output.error(choice.error);
      void vscode.window.showErrorMessage(choice.error, "Open Settings").then((answer) => {
        if (answer) void vscode.commands.executeCommand("workbench.action.openSettings", "techspec.server.path");
      });
      return;
    }
    const runtime = config.get<string>("server.runtime", "").trim();
    const cwd = this.folders()[0];
    if (choice.source === "workspace" && !(await hasLsp(choice, runtime, cwd))) {
      this.output.warn(`${describe(choice)} has no "lsp" command (a version before the language server); using the bundled one`);
      choice = bundledServer(this.extensionPath);
    }
    this.output.info(`Starting ${describe(choice)}${runtime ? ` with ${runtime}` : ""}`);
    const watchers = [vscode.workspace.createFileSystemWatcher("**/techspec.config.json"), vscode.workspace.createFileSystemWatcher("**/*.md")];
    const clientOptions: LanguageClientOptions = {
      // Every Markdown file on disk: the server decides which are specs (by the configuration's "specs" globs).
      documentSelector: [{ scheme: "file", language: "markdown" }],
      outputChannel: this.output,
      traceOutputChannel: this.trace,
      synchronize: { fileEvents: watchers },
    };
    const client = new LanguageClient("techspec", "techspec", serverOptions(choice, runtime, cwd), clientOptions);
    this.client = client;
    this.choice = choice;
    this.clientDisposables = watchers;
    await client.start();
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.choice = undefined;
    try {
      if (client?.needsStop()) await client.stop();
    } finally {
      for (const d of this.clientDisposables) d.dispose();
      this.clientDisposables = [];
    }
  }
}

// VS Code awaits only deactivate(), which takes no arguments: the one way to stop the server cleanly on the way out.
let current: Server | undefined;

/** Called by VS Code when a Markdown file opens or the workspace has a techspec.config.json. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("techspec", { log: true });
  const trace = traceChannel();
  const server = new Server(context.extensionPath, output, trace);
  current = server;
  context.subscriptions.push(
    output,
    trace,
    vscode.commands.registerCommand("techspec.restartServer", () => server.restart()),
    vscode.commands.registerCommand("techspec.showOutput", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("techspec.enable") || e.affectsConfiguration("techspec.server.runtime")) void server.restart();
      else if (e.affectsConfiguration("techspec.server.path")) void server.refresh();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void server.refresh()),
  );
  await server.restart();
}

/** Called by VS Code on shutdown or when the extension is disabled: stops the server. */
export async function deactivate(): Promise<void> {
  const server = current;
  current = undefined;
  await server?.stop();
}
