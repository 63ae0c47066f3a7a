// `techspec lsp`: the language server. The protocol (vscode-languageserver) and the editor's documents on one
// side, `SpecWorkspace` (the same lint as `techspec lint`, and the editor features) on the other. Diagnostics are
// pushed shortly after each change (2 ms, then a lint of about a millisecond for an 18 KB spec); a burst of changes
// is linted once, at its last version, and a lint for a version the client has already replaced is dropped.
import { createRequire } from "node:module";
import { basename, dirname } from "node:path";
import type {
  ClientCapabilities, Connection, Diagnostic as LspDiagnostic, InitializeParams, InitializeResult, Message, MessageReader, WatchDog,
} from "vscode-languageserver";
import { CONFIG_FILE, defaultConfig, findConfig, resolveConfig } from "../workspace/config.js";
import { packageVersion, readTemplate } from "../workspace/package-files.js";
import { isInside } from "../workspace/paths.js";
import { FIX_ALL_KIND } from "./code-actions.js";
import { TRIGGER_CHARACTERS } from "./completion.js";
import { DiskFiles, headStamp, repositoryOf } from "./disk-files.js";
import { SOURCE } from "./protocol-diagnostic.js";
import { pathOf, SpecWorkspace, type Project } from "./spec-workspace.js";

export interface LanguageServerOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** The folder used when the client names no workspace folder. */
  readonly cwd: string;
  readonly now?: () => Date;
  /**
   * How long after a change its lint waits for more changes (ms). Short: the whole of the time to diagnostics is
   * this plus the lint; long enough that a burst of changes (a paste, an undo, several quick edits) is linted once.
   */
  readonly debounceMs?: number;
  /** The client's process id (`--clientProcessId`): the server exits when it is gone. */
  readonly clientProcessId?: number;
}

// The protocol packages are CommonJS: required, not imported, because an ES import of them makes Node scan every
// module they re-export for its export names (cjs-module-lexer), which was a fifth of the start-up time.
const require = createRequire(import.meta.url);
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require("vscode-languageserver/node") as typeof import("vscode-languageserver/node");
// The protocol-independent connection (its watchdog is ours: `exited` instead of process.exit), from the same modules.
const { createConnection, DidChangeWatchedFilesNotification, ProposedFeatures, TextDocuments } = require("vscode-languageserver") as typeof import("vscode-languageserver");
const { TextDocument } = require("vscode-languageserver-textdocument") as typeof import("vscode-languageserver-textdocument");

/** A running server; `exited` resolves with the exit code (0 after shutdown then exit, else 1). */
export interface LanguageServer {
  readonly exited: Promise<number>;
}

/** How often the server checks that git's HEAD has not moved (a commit or checkout made outside the editor), in ms. */
const GIT_POLL_MS = 3000;
/** How often the server checks that the client's process is still there, in ms. */
const PARENT_POLL_MS = 3000;
/** Longest slice of reading unopened specs before the server attends to messages again, in ms. */
const SCAN_SLICE_MS = 8;

/** Starts the language server on a pair of streams (stdin and stdout for `techspec lsp --stdio`). */
export function startLanguageServer(options: LanguageServerOptions): LanguageServer {
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  const intervals: NodeJS.Timeout[] = [];
  let done = false;
  const watchDog: WatchDog = {
    shutdownReceived: false,
    initialize(params) {
      const pid = params.processId ?? options.clientProcessId;
      if (typeof pid === "number") intervals.push(parentWatch(pid, () => watchDog.exit(watchDog.shutdownReceived ? 0 : 1)));
    },
    exit(code) {
      if (done) return;
      done = true;
      for (const i of intervals) clearInterval(i);
      server.stop();
      connection.dispose();
      resolveExit(code);
    },
  };
  const reader = new StreamMessageReader(options.input);
  const writer = new StreamMessageWriter(options.output);
  const wire = new WireVersions();
  const connection = createConnection(() => createProtocolConnection(wire.watch(reader), writer), watchDog, ProposedFeatures.all);
  // The client went away without shutting the server down.
  reader.onClose(() => watchDog.exit(watchDog.shutdownReceived ? 0 : 1));
  if (options.clientProcessId !== undefined) intervals.push(parentWatch(options.clientProcessId, () => watchDog.exit(watchDog.shutdownReceived ? 0 : 1)));
  const server = new Server(connection, options, wire);
  connection.listen();
  return { exited };
}

/** Calls `gone` once the process `pid` no longer exists. */
function parentWatch(pid: number, gone: () => void): NodeJS.Timeout {
  const timer = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EPERM") gone();
    }
  }, PARENT_POLL_MS);
  timer.unref();
  return timer;
}

/**
 * The newest version of each document read from the client, before the connection handles it: messages are
 * handled one per turn of the event loop, so a lint can know that a newer version is already waiting behind it.
 */
class WireVersions {
  private readonly versions = new Map<string, number>();

  /** The reader, noting each document version it reads. */
  watch(reader: MessageReader): MessageReader {
    return {
      onError: reader.onError,
      onClose: reader.onClose,
      onPartialMessage: reader.onPartialMessage,
      listen: (callback) => reader.listen((message) => {
        this.note(message);
        callback(message);
      }),
      dispose: () => reader.dispose(),
    };
  }

  /** Whether a version of the document newer than `version` has been read. */
  newer(uri: string, version: number): boolean {
    return (this.versions.get(uri) ?? -Infinity) > version;
  }

  private note(message: Message): void {
    const m = message as { method?: string; params?: { textDocument?: { uri?: unknown; version?: unknown } } };
    if (m.method !== "textDocument/didChange" && m.method !== "textDocument/didOpen") return;
    const { uri, version } = m.params?.textDocument ?? {};
    if (typeof uri === "string" && typeof version === "number") this.versions.set(uri, version);
  }
}

class Server {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly files = new DiskFiles();
  private readonly workspace: SpecWorkspace;
  private readonly debounceMs: number;
  private roots: string[] = [];
  private capabilities: ClientCapabilities = {};
  /** Loaded (or failed) projects by configuration file, or by root folder without one. */
  private readonly projects = new Map<string, Promise<string | null>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly published = new Map<string, string>();
  private readonly shownErrors = new Set<string>();
  private readonly stamps = new Map<string, string>();
  private readonly scanning = new Set<Project>();
  private readonly repos = new Map<string, ReturnType<typeof repositoryOf>>();
  private gitTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly connection: Connection, options: LanguageServerOptions, private readonly wire: WireVersions) {
    this.debounceMs = options.debounceMs ?? 2;
    this.workspace = new SpecWorkspace({
      documents: {
        get: (uri) => {
          const d = this.documents.get(uri);
          return d ? { text: d.getText(), version: d.version } : undefined;
        },
        keys: () => this.documents.keys(),
      },
      files: this.files,
      ...(options.now ? { now: options.now } : {}),
      template: () => readTemplate("technical-specification.md"),
    });
    this.roots = [options.cwd];
    connection.onInitialize((params) => this.initialize(params, options.cwd));
    connection.onInitialized(() => this.initialized());
    connection.onShutdown(() => this.stop());
    this.documents.onDidChangeContent(({ document }) => this.changed(document.uri));
    this.documents.onDidClose(({ document }) => this.closed(document.uri));
    this.documents.onDidSave(({ document }) => this.saved(document.uri));
    connection.onDidChangeWatchedFiles(({ changes }) => this.filesChanged(changes.map((c) => ({ uri: c.uri, type: c.type }))));
    connection.onCodeAction(({ textDocument, range, context }) => this.guard(() => this.workspace.codeActions(textDocument.uri, range, {
      ...(context.only ? { only: context.only } : {}),
      documentChanges: this.capabilities.workspace?.workspaceEdit?.documentChanges === true,
    }), []));
    connection.onCompletion(({ textDocument, position }) => this.guard(() => this.workspace.completion(textDocument.uri, position, {
      snippets: this.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true,
    }), { isIncomplete: false, items: [] }));
    connection.onHover(({ textDocument, position }) => this.guard(() => this.workspace.hover(textDocument.uri, position), null));
    connection.onDefinition(({ textDocument, position }) => this.guard(() => this.workspace.definition(textDocument.uri, position), []));
    connection.onDocumentSymbol(({ textDocument }) => this.guard(() => this.workspace.documentSymbols(textDocument.uri), []));
    this.documents.listen(connection);
  }

  private initialize(params: InitializeParams, cwd: string): InitializeResult {
    this.capabilities = params.capabilities;
    const folders = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri)).filter((p): p is string => p !== null);
    const root = params.rootUri ? pathOf(params.rootUri) : params.rootPath ?? null;
    this.roots = folders.length > 0 ? folders : root ? [root] : [cwd];
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: 2, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: ["quickfix", FIX_ALL_KIND] },
        completionProvider: { triggerCharacters: TRIGGER_CHARACTERS },
        hoverProvider: true,
        definitionProvider: true,
        documentSymbolProvider: { label: SOURCE },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: SOURCE, version: packageVersion() },
    };
  }

  private initialized(): void {
    if (this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: `**/${CONFIG_FILE}` },
          { globPattern: "**/*.{md,markdown}" },
          // Linked files that come or go (an image, a PDF): the link rule's answers change.
          { globPattern: "**/*", kind: 1 | 4 },
        ],
      }).catch(() => undefined);
    }
    if (this.capabilities.workspace?.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => pathOf(f.uri)));
        this.roots = [...this.roots.filter((r) => !removed.has(r)), ...e.added.map((f) => pathOf(f.uri)).filter((p): p is string => p !== null)];
        this.reload();
      });
    }
    this.gitTimer = setInterval(() => this.guard(() => this.checkGit(), undefined), GIT_POLL_MS);
    this.gitTimer.unref();
    // Read the workspace folders' specs in the background, so the workspace rules are ready when a spec opens.
    for (const root of this.roots) {
      void this.ensureProject(root).then((key) => {
        const p = key === null ? null : this.workspace.projectFor(root);
        if (p && !this.stopped) this.scanInBackground(p);
      });
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.gitTimer) clearInterval(this.gitTimer);
  }

  /** Runs a request's work; an internal error is logged and answered with `fallback` rather than taking the server down. */
  private guard<T>(work: () => T, fallback: T): T {
    try {
      return work();
    } catch (err) {
      this.connection.console.error(`techspec: internal error: ${(err as Error).stack ?? (err as Error).message}`);
      return fallback;
    }
  }

  private changed(uri: string): void {
    // Opened: at once; changed: after the debounce, so that a burst of changes is linted once.
    this.schedule(uri, this.published.has(uri) ? this.debounceMs : 0);
    // Open specs that link to this one read its headings from the editor: their link findings may change too.
    const path = pathOf(uri);
    if (path === null) return;
    for (const other of this.workspace.dependents(path)) {
      this.workspace.forget(other);
      this.schedule(other, this.debounceMs * 4);
    }
  }

  private closed(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.workspace.closed(uri);
    this.published.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    // Its Feature ID now counts as it is on disk, and so do its headings for the specs that link to it.
    const path = pathOf(uri);
    if (path !== null) {
      this.workspace.fileChanged(path);
      const project = this.workspace.projectFor(path);
      if (project) this.refresh(project);
    }
  }

  private saved(uri: string): void {
    const path = pathOf(uri);
    if (path === null) return;
    this.files.fileChanged(path);
    this.workspace.fileChanged(path);
    this.schedule(uri, 0);
  }

  private filesChanged(changes: readonly { uri: string; type: number }[]): void {
    let config = false;
    let comeOrGone = false;
    for (const c of changes) {
      const path = pathOf(c.uri);
      if (path === null) continue;
      if (basename(path).toLowerCase() === CONFIG_FILE.toLowerCase()) config = true;
      else if (c.type !== 2) comeOrGone = true;
      else {
        this.files.fileChanged(path);
        this.workspace.fileChanged(path);
      }
    }
    if (config) this.reload();
    else if (comeOrGone) {
      this.files.filesAddedOrRemoved();
      this.workspace.invalidate();
      this.relintAll();
    } else {
      // The specs that read a changed file (itself, or a link to it) were forgotten: they are linted again.
      for (const project of this.workspace.allProjects()) this.refresh(project);
    }
  }

  /** The configuration changed (or the workspace folders did): every project is loaded again and every document linted. */
  private reload(): void {
    this.projects.clear();
    this.repos.clear();
    this.shownErrors.clear();
    this.files.refresh();
    this.workspace.clearProjects();
    this.relintAll();
  }

  private relintAll(): void {
    for (const uri of this.documents.keys()) this.schedule(uri, 0);
  }

  private schedule(uri: string, delay = this.debounceMs): void {
    if (this.stopped) return;
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      void this.lint(uri);
    }, delay));
  }

  /** Lints a document and publishes its diagnostics, unless it changed (or closed) meanwhile. */
  private async lint(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    const path = pathOf(uri);
    if (!doc || path === null) return;
    const version = doc.version;
    // A newer version is read and waits to be handled: its own lint follows, this one is not needed.
    if (this.wire.newer(uri, version)) return;
    const key = await this.ensureProject(dirname(path));
    // A result for a version the editor has moved past is dropped: the newer version's lint is on its way.
    if (this.stopped || this.documents.get(uri)?.version !== version || this.wire.newer(uri, version)) return;
    if (key === null) {
      this.send(uri, version, []);
      return;
    }
    this.guard(() => this.checkGit(), undefined);
    const diagnostics = this.guard(() => this.workspace.lspDiagnostics(uri, { complete: false }), null);
    if (this.documents.get(uri)?.version !== version || this.wire.newer(uri, version)) return;
    this.send(uri, version, diagnostics ?? []);
    const project = this.workspace.projectFor(path);
    if (!project) return;
    if (!this.workspace.scanned(project)) this.scanInBackground(project);
    // Its Feature ID may have changed: the other open specs' workspace findings follow.
    this.republish(project, uri);
  }

  private send(uri: string, version: number, diagnostics: LspDiagnostic[]): void {
    this.published.set(uri, `${version}\0${JSON.stringify(diagnostics)}`);
    void this.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  /** Publishes the open documents of a project whose diagnostics differ from what the editor has. */
  private republish(project: Project, except?: string): void {
    for (const uri of this.workspace.openIn(project, except)) {
      if (this.timers.has(uri)) continue; // its own lint is coming
      const doc = this.documents.get(uri);
      if (!doc) continue;
      const diagnostics = this.guard(() => this.workspace.lspDiagnostics(uri, { complete: false }), null);
      if (!diagnostics) continue;
      if (this.published.get(uri) !== `${doc.version}\0${JSON.stringify(diagnostics)}`) this.send(uri, doc.version, diagnostics);
    }
  }

  /** Updates the open documents of a project, once the unopened specs that changed are read again. */
  private refresh(project: Project): void {
    if (this.workspace.scanned(project)) this.republish(project);
    else this.scanInBackground(project);
  }

  /** Reads the project's unopened specs in short slices between messages, then updates the open documents. */
  private scanInBackground(project: Project): void {
    if (this.scanning.has(project)) return;
    this.scanning.add(project);
    const step = (): void => {
      if (this.stopped) return;
      const done = this.guard(() => this.workspace.scan(project, SCAN_SLICE_MS), true);
      if (!done) {
        setImmediate(step);
        return;
      }
      this.scanning.delete(project);
      this.republish(project);
    };
    setImmediate(step);
  }

  /**
   * Loads the project of the files in a folder: the nearest techspec.config.json (as `techspec lint` run there
   * finds it), else the defaults at the workspace folder holding it. Resolves with the project's key, or null when
   * its configuration is invalid (the editor is told once; lint would stop there too).
   */
  private ensureProject(dir: string): Promise<string | null> {
    const file = findConfig(dir);
    const root = file ? dirname(file) : this.roots.filter((r) => isInside(r, dir)).sort((a, b) => b.length - a.length)[0] ?? dir;
    const key = file ?? root;
    let loading = this.projects.get(key);
    if (!loading) {
      // resolveConfig: inside a spec root of a workspace, the workspace's configuration (with every root) applies.
      loading = (file ? resolveConfig(dir) : Promise.resolve(defaultConfig(root))).then(
        (config) => {
          if (!this.workspace.projectAt(config.root)) this.workspace.addProject(config);
          return key;
        },
        (err: unknown) => {
          const message = (err as Error).message;
          this.connection.console.error(`techspec: ${message}`);
          if (!this.shownErrors.has(message)) {
            this.shownErrors.add(message);
            void this.connection.window.showErrorMessage(`techspec: ${message} (specs under it are not linted until it is fixed)`);
          }
          return null;
        },
      );
      this.projects.set(key, loading);
    }
    return loading;
  }

  /** A commit or checkout moved HEAD: git's facts are read again and every document linted. */
  private checkGit(): void {
    let moved = false;
    for (const project of this.workspace.allProjects()) {
      const root = project.config.root;
      if (!this.repos.has(root)) this.repos.set(root, repositoryOf(root));
      const repo = this.repos.get(root);
      if (!repo) continue;
      const stamp = headStamp(repo.gitDir);
      const before = this.stamps.get(repo.gitDir);
      this.stamps.set(repo.gitDir, stamp);
      if (before !== undefined && before !== stamp) moved = true;
    }
    if (!moved) return;
    this.files.refresh();
    this.workspace.invalidate();
    this.relintAll();
  }
}
