// The language server's engine as a library: open documents (the editor's text wins over the disk), the
// workspace's other specs read from disk, and every editor feature computed from them. It touches the file
// system only through `WorkspaceFiles`, so tests run it over an in-memory workspace.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type {
  CodeAction, CompletionList, Diagnostic as LspDiagnostic, DocumentSymbol, Hover, Location, Position, Range,
} from "vscode-languageserver";
import { sortDiagnostics, type Diagnostic } from "../model/diagnostic.js";
import { parseSpec, type ParseResult } from "../parse/parse-spec.js";
import type { Span } from "../model/position.js";
import type { LintHost } from "../rules/rule.js";
import type { Config } from "../workspace/config.js";
import { isInside, posixRelative } from "../workspace/paths.js";
import type { ReadOutcome } from "../workspace/read-spec.js";
import { rootFor, workspaceFindings } from "../workspace/spec-roots.js";
import { codeActions, type CodeActionOptions } from "./code-actions.js";
import { completions, type CompletionOptions } from "./completion.js";
import { definition } from "./definition.js";
import { lintDocument } from "./document-lint.js";
import type { DocumentState } from "./document-state.js";
import { documentSymbols } from "./document-symbols.js";
import { hover } from "./hover.js";
import { markdownAnchors } from "./markdown-anchors.js";
import { toLspDiagnostic } from "./protocol-diagnostic.js";
import { TextPositions } from "./text-positions.js";

/** An open document's text and the editor's version of it. */
export interface DocumentText {
  readonly text: string;
  readonly version: number;
}

/** The open documents by URI (a `Map`, or the server's `TextDocuments` behind an adapter). */
export interface OpenDocuments {
  get(uri: string): DocumentText | undefined;
  keys(): Iterable<string>;
}

/** What the workspace knows of open files, for the rules' questions about linked documents. */
export interface OpenFiles {
  /** The editor's text of an open file, by absolute path. */
  text(path: string): string | undefined;
  /** The heading anchors of an open file's text. */
  anchors(path: string): ReadonlySet<string> | undefined;
}

/** The workspace's files as lint sees them: which specs the configuration names, their bytes, the rules' host. */
export interface WorkspaceFiles {
  /** Every spec the configuration names, as `techspec lint` without paths discovers them (absolute paths). */
  specPaths(config: Config): readonly string[];
  /** A file read as lint reads it (for unopened specs, and to know whether a document has unsaved changes). */
  read(path: string, maxFileSize: number): ReadOutcome;
  /** The rules' host for the spec at `path` whose text is `text`: linked files (open ones as the editor has them) and git. */
  lintHost(config: Config, path: string, text: string, open: OpenFiles): LintHost;
}

/** What the workspace rules see of one spec, as lint's results give it. */
export interface SpecEntry {
  readonly path: string;
  readonly display: string;
  readonly featureId: string | null;
  readonly featureIdAt: Span | null;
}

/** The specs of one configuration (with all its spec roots, in a workspace). */
export class Project {
  /** Absolute paths of the specs the configuration names; null until discovered. */
  specs: ReadonlySet<string> | null = null;
  /** What lint learned of each unopened spec read so far (null: it could not be read as a spec). */
  readonly scanned = new Map<string, SpecEntry | null>();
  /** Discovered specs not read yet. */
  pending: string[] = [];
  /** The workspace rules' findings by display path, and the entries they were computed from. */
  workspace: { readonly key: string; readonly byFile: ReadonlyMap<string, Diagnostic[]> } | null = null;

  constructor(readonly config: Config) {}
}

/** An open document's state, with the project it was linted in. */
export interface OpenDocumentState extends DocumentState {
  readonly project: Project;
}

export interface SpecWorkspaceOptions {
  readonly documents: OpenDocuments;
  readonly files: WorkspaceFiles;
  /** The clock, for the dates completion offers. */
  readonly now?: () => Date;
  /** Text of templates/technical-specification.md, for heading completion (read lazily when omitted). */
  readonly template?: () => string;
}

/** The engine: diagnostics and editor features for the open documents of one or more configurations. */
export class SpecWorkspace {
  private readonly projects = new Map<string, Project>();
  private readonly states = new Map<string, OpenDocumentState>();
  private readonly anchorCache = new Map<string, { readonly version: number; readonly anchors: ReadonlySet<string> }>();
  private templateText: string | undefined;

  constructor(private readonly options: SpecWorkspaceOptions) {}

  /** Adds (or replaces) the project of a configuration; a document belongs to the project with the deepest root holding it. */
  addProject(config: Config): Project {
    const project = new Project(config);
    this.projects.set(config.root, project);
    this.invalidate();
    return project;
  }

  /** The project whose configuration's folder is `root`, if loaded. */
  projectAt(root: string): Project | null {
    return this.projects.get(root) ?? null;
  }

  /** Drops every project (the configuration changed). */
  clearProjects(): void {
    this.projects.clear();
    this.invalidate();
  }

  /** The loaded projects. */
  allProjects(): Project[] {
    return [...this.projects.values()];
  }

  /** The project a file belongs to, or null when no loaded configuration holds it. */
  projectFor(path: string): Project | null {
    let best: Project | null = null;
    for (const p of this.projects.values()) {
      if (isInside(p.config.root, path) && (!best || p.config.root.length > best.config.root.length)) best = p;
    }
    return best;
  }

  /**
   * Forgets every lint and what was learnt of the unopened specs (files came or went, git's HEAD moved, the
   * configuration changed): the next request lints again, and the specs are discovered and read again.
   */
  invalidate(): void {
    this.states.clear();
    for (const p of this.projects.values()) {
      p.specs = null;
      p.scanned.clear();
      p.pending = [];
      p.workspace = null;
    }
  }

  /** Forgets what was read of one file on disk (it changed), keeping the rest. */
  fileChanged(path: string): void {
    for (const p of this.projects.values()) {
      if (p.scanned.delete(path)) p.pending.push(path);
    }
    for (const [uri, s] of this.states) if (s.path === path || s.links.has(path)) this.states.delete(uri);
  }

  /** Forgets an open document's lint, so that the next request lints it again (what it depends on changed). */
  forget(uri: string): void {
    this.states.delete(uri);
  }

  /** Forgets an open document (closed). */
  closed(uri: string): void {
    this.states.delete(uri);
    this.anchorCache.delete(uri);
  }

  /** The document linted at its current version, or null when it is not open, not a file, or in no project. */
  state(uri: string): OpenDocumentState | null {
    const doc = this.options.documents.get(uri);
    if (!doc) return null;
    const cached = this.states.get(uri);
    if (cached && cached.version === doc.version && cached.text === doc.text) return cached;
    const path = pathOf(uri);
    if (path === null) return null;
    const project = this.projectFor(path);
    if (!project) return null;
    const { config } = project;
    const display = posixRelative(config.root, path) || path;
    const named = this.specsOf(project).has(path);
    // In a workspace with several spec roots, a spec takes the settings of the root nearest it, as lint's job does.
    const job = rootFor(config, path);
    const disk = this.options.files.read(path, job.maxFileSize);
    const host = this.options.files.lintHost(config, path, doc.text, this.openFiles());
    const lint = lintDocument({ display, text: doc.text, diskFile: disk.ok ? disk.file : null }, job, host, named);
    const parsed = lint.parsed ?? parseSpec(doc.text, display);
    const state: OpenDocumentState = {
      uri, version: doc.version, text: doc.text, path, display, project, positions: new TextPositions(doc.text), lint, parsed,
      links: linkedPaths(parsed, path, config.root),
    };
    this.states.set(uri, state);
    return state;
  }

  /**
   * The document's diagnostics: its own lint and the workspace rules' findings about it. With `complete` false,
   * the workspace rules see only the unopened specs read so far (see `scan`).
   */
  diagnostics(uri: string, options: { readonly complete?: boolean } = {}): Diagnostic[] | null {
    const s = this.state(uri);
    if (!s) return null;
    if (options.complete !== false) this.scan(s.project, Infinity);
    const workspace = this.workspaceDiagnostics(s.project).get(s.display) ?? [];
    return workspace.length === 0 ? [...s.lint.diagnostics] : sortDiagnostics([...s.lint.diagnostics, ...workspace]);
  }

  /** The diagnostics in the protocol's shape. */
  lspDiagnostics(uri: string, options: { readonly complete?: boolean } = {}): LspDiagnostic[] | null {
    return this.diagnostics(uri, options)?.map((d) => toLspDiagnostic(d)) ?? null;
  }

  /** Reads unopened specs of the project for up to `budgetMs`; true when all are read. */
  scan(project: Project, budgetMs: number): boolean {
    this.specsOf(project);
    const started = performance.now();
    while (project.pending.length > 0) {
      if (performance.now() - started >= budgetMs) return false;
      const path = project.pending.pop()!;
      project.scanned.set(path, this.readEntry(project, path));
    }
    return true;
  }

  /** Whether every spec of the project has been read. */
  scanned(project: Project): boolean {
    return project.specs !== null && project.pending.length === 0;
  }

  /** The open documents in a project (other than `except`). */
  openIn(project: Project, except?: string): string[] {
    const out: string[] = [];
    for (const uri of this.options.documents.keys()) {
      if (uri === except) continue;
      const path = pathOf(uri);
      if (path !== null && this.projectFor(path) === project) out.push(uri);
    }
    return out;
  }

  /** Open documents that link to the file at `path` (their link findings depend on its text). */
  dependents(path: string): string[] {
    const out: string[] = [];
    for (const uri of this.options.documents.keys()) {
      const s = this.states.get(uri);
      if (s && s.path !== path && s.links.has(path)) out.push(uri);
    }
    return out;
  }

  /** Code actions at a range: a quick fix per fix and suggestion, a fix-all per rule, and the document's fix-all. */
  codeActions(uri: string, range: Range, options: CodeActionOptions = {}): CodeAction[] {
    const s = this.state(uri);
    const diagnostics = this.diagnostics(uri, { complete: false });
    return s && diagnostics ? codeActions(s, diagnostics, range, options) : [];
  }

  /** Completion at a position. */
  completion(uri: string, position: Position, options: Omit<CompletionOptions, "settings" | "template" | "today" | "idPrefix"> = {}): CompletionList {
    const s = this.state(uri);
    if (!s) return { isIncomplete: false, items: [] };
    const root = rootFor(s.project.config, s.path);
    return completions(s, position, {
      ...options,
      settings: root.settings,
      idPrefix: root.idPrefix,
      template: this.template(),
      today: (this.options.now ?? (() => new Date()))(),
    });
  }

  /** Hover over a finding: the rule's documentation. */
  hover(uri: string, position: Position): Hover | null {
    const diagnostics = this.diagnostics(uri, { complete: false });
    return diagnostics ? hover(diagnostics, position) : null;
  }

  /** Where a foreign key or an entity-typed field points. */
  definition(uri: string, position: Position): Location[] {
    const s = this.state(uri);
    return s ? definition(s, position) : [];
  }

  /** The outline: sections, with components, entities (and their fields), APIs and approvals inside theirs. */
  documentSymbols(uri: string): DocumentSymbol[] {
    const s = this.state(uri);
    return s ? documentSymbols(s.parsed) : [];
  }

  private template(): string {
    if (this.templateText === undefined) this.templateText = this.options.template?.() ?? "";
    return this.templateText;
  }

  private specsOf(project: Project): ReadonlySet<string> {
    if (project.specs === null) {
      project.specs = new Set(this.options.files.specPaths(project.config));
      project.pending = [...project.specs].filter((p) => !project.scanned.has(p)).reverse();
    }
    return project.specs;
  }

  private readEntry(project: Project, path: string): SpecEntry | null {
    const read = this.options.files.read(path, rootFor(project.config, path).maxFileSize);
    if (!read.ok) return null;
    const display = posixRelative(project.config.root, path) || path;
    const parsed = parseSpec(read.file.text, display);
    if (!parsed.source.isSpec) return null;
    return { path, display, featureId: parsed.spec.metadata.featureId, featureIdAt: parsed.pos.get("metadata/featureId") ?? null };
  }

  /** The workspace rules over the project's specs: open ones as the editor has them, the others as read from disk. */
  private workspaceDiagnostics(project: Project): ReadonlyMap<string, Diagnostic[]> {
    const open = new Map<string, string>();
    for (const uri of this.options.documents.keys()) {
      const path = pathOf(uri);
      if (path !== null) open.set(path, uri);
    }
    const entries: SpecEntry[] = [];
    for (const path of this.specsOf(project)) {
      const uri = open.get(path);
      const s = uri === undefined ? null : this.state(uri);
      if (s) {
        // Named as this project's lint names it (a spec under a nested configuration is linted in that one's project).
        if (s.lint.linted) entries.push({ path, display: posixRelative(project.config.root, path) || path, featureId: s.lint.featureId, featureIdAt: s.lint.featureIdAt });
      } else {
        const e = project.scanned.get(path);
        if (e) entries.push(e);
      }
    }
    const key = entries.map((e) => `${e.display}\0${e.featureId ?? ""}\0${e.featureIdAt ? `${e.featureIdAt.line}:${e.featureIdAt.column}:${e.featureIdAt.endColumn}` : ""}`).join("\n");
    if (project.workspace?.key === key) return project.workspace.byFile;
    const byFile = new Map<string, Diagnostic[]>();
    // As lint: every spec root's specs together, each finding with its own root's severity.
    for (const d of workspaceFindings(project.config, entries)) {
      const list = byFile.get(d.file);
      if (list) list.push(d);
      else byFile.set(d.file, [d]);
    }
    project.workspace = { key, byFile };
    return byFile;
  }

  private openFiles(): OpenFiles {
    const byPath = (path: string): string | undefined => {
      for (const uri of this.options.documents.keys()) if (pathOf(uri) === path) return uri;
      return undefined;
    };
    return {
      text: (path) => {
        const uri = byPath(path);
        return uri === undefined ? undefined : this.options.documents.get(uri)?.text;
      },
      anchors: (path) => {
        const uri = byPath(path);
        const doc = uri === undefined ? undefined : this.options.documents.get(uri);
        if (!doc || uri === undefined) return undefined;
        const hit = this.anchorCache.get(uri);
        if (hit && hit.version === doc.version) return hit.anchors;
        const anchors = markdownAnchors(doc.text);
        this.anchorCache.set(uri, { version: doc.version, anchors });
        return anchors;
      },
    };
  }
}

/** The path of a file: URI, or null for other schemes (an untitled document). */
export function pathOf(uri: string): string | null {
  if (!uri.startsWith("file:")) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

/** The file: URI of a path. */
export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** The local files a spec links to, resolved as the link rule resolves them (relative to its folder, `/` from the root). */
function linkedPaths(parsed: ParseResult, path: string, root: string): Set<string> {
  const out = new Set<string>();
  for (const link of [...parsed.source.links, ...parsed.source.linkDefinitions]) {
    const href = link.href.trim();
    if (href === "" || EXTERNAL.test(href)) continue;
    const hash = href.indexOf("#");
    let file = (hash >= 0 ? href.slice(0, hash) : href).split("?")[0]!;
    try {
      file = decodeURIComponent(file);
    } catch {
      // kept as written, as the rule keeps it
    }
    if (file === "") continue;
    out.add(file.startsWith("/") ? join(root, file) : resolve(dirname(path), file));
  }
  return out;
}
