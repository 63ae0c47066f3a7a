// `techspec site`: lint and compile every spec, render one page each plus an index with a search index, and
// publish the folder in one step (built beside the target, then renamed into place).
import { copyFileSync, existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, extname, join, resolve } from "node:path";
import MiniSearch from "minisearch";
import type { Diagnostic } from "../model/diagnostic.js";
import { exporters, openApiText, type ExportOptions } from "../export/exporter.js";
import { exportOpenApi } from "../export/openapi.js";
import { specIdentity } from "../export/spec-identity.js";
import { parseSpec, type ParseResult } from "../parse/parse-spec.js";
import { sortDiagnostics } from "../model/diagnostic.js";
import { UniqueNames } from "../model/unique-names.js";
import type { Config } from "../workspace/config.js";
import { InputError } from "../workspace/errors.js";
import { escapeRegExp, removeStale, type Leftovers } from "../workspace/leftovers.js";
import { lintFiles } from "../workspace/lint-files.js";
import { packageRoot, packageVersion } from "../workspace/package-files.js";
import { isInside, posixRelative } from "../workspace/paths.js";
import { readSpecFile } from "../workspace/read-spec.js";
import { rootFor, rootLintSettings, specRoots, workspaceFindings } from "../workspace/spec-roots.js";
import { summarize } from "../workspace/summary.js";
import { FAVICON_SVG, page, relUrl } from "./html.js";
import { renderIndex, SEARCH_FIELDS, type IndexEntry } from "./index-page.js";
import { renderMarkdown, type LinkResolver } from "./markdown.js";
import { inspectLinkedFile, type PublishScope } from "./inspect-linked-file.js";
import { linkPath } from "./publish-policy.js";
import { renderDocPage, renderImagePage, renderSpecPage, type Download, type SitePage } from "./spec-page.js";

/** File that marks a folder as a built site, so rebuilding never replaces a folder it did not make. */
export const SITE_MARKER = ".techspec-site";

export interface SiteOptions {
  /** Absolute folder to publish to. */
  readonly out: string;
  readonly title: string;
  readonly threads?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Where the unfinished build folder is registered, to be removed if the run is interrupted. */
  readonly leftovers?: Leftovers;
  /** Awaited just before the build is swapped in (tests interrupt a build there). */
  readonly beforePublish?: () => Promise<void>;
}

export interface SiteResult {
  readonly specs: number;
  readonly pages: number;
  readonly files: number;
  /** Links and images the pages show as not published (missing, outside the workspace, hidden, or of a type not published). */
  readonly unpublished: number;
  readonly errors: number;
  readonly warnings: number;
  /** One line per file that could not be read or is not a spec. */
  readonly inputErrors: readonly string[];
}

/** Artefacts offered for download on a spec page. */
const DOWNLOADS: readonly { file: string; label: string; target: string; options: ExportOptions; when: (s: SitePage) => boolean }[] = [
  { file: "openapi.yaml", label: "OpenAPI 3.1 (YAML)", target: "openapi", options: { format: "yaml" }, when: (s) => s.parsed.spec.apis.length > 0 },
  { file: "openapi.json", label: "OpenAPI 3.1 (JSON)", target: "openapi", options: { format: "json" }, when: (s) => s.parsed.spec.apis.length > 0 },
  { file: "schema.json", label: "JSON Schema", target: "jsonschema", options: {}, when: (s) => s.parsed.spec.dataModel.entities.length > 0 },
  { file: "postgres.sql", label: "SQL (PostgreSQL)", target: "sql", options: { dialect: "postgres" }, when: (s) => s.parsed.spec.dataModel.entities.length > 0 },
  { file: "sqlite.sql", label: "SQL (SQLite)", target: "sql", options: { dialect: "sqlite" }, when: (s) => s.parsed.spec.dataModel.entities.length > 0 },
  { file: "types.ts", label: "TypeScript types", target: "types", options: {}, when: (s) => s.parsed.spec.dataModel.entities.length + s.parsed.spec.apis.length > 0 },
  { file: "diagrams.mmd", label: "Mermaid diagrams", target: "mermaid", options: {}, when: (s) => s.parsed.spec.dataModel.entities.length + s.parsed.spec.architecture.components.length > 0 },
];

/** How a linked workspace file is published: a rendered page, a copy, an SVG image shown inline, or not at all. */
type Linked =
  | { readonly kind: "copy"; readonly site: string }
  | { readonly kind: "page"; readonly site: string; readonly bytes: Buffer }
  | { readonly kind: "svg"; readonly site: string; readonly dataUrl: string }
  | { readonly kind: "refused"; readonly reason: string };

/** Builds the portal for the given spec files into `options.out`. */
export async function buildSite(config: Config, targets: readonly (readonly [string, string])[], options: SiteOptions): Promise<SiteResult> {
  const out = options.out;
  checkOut(out, config.root);
  // The parses of specs linted in this thread (few specs): a page is built from the parse its findings came from.
  const parsedByLint = new Map<string, ParseResult>();
  const results = await lintFiles(targets, { settings: config.settings, rules: config.rules, overrides: config.overrides, maxFileSize: config.maxFileSize, fix: false, root: config.root, ...rootLintSettings(config) },
    { ...(options.threads !== undefined ? { threads: options.threads } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      onParsed: (path, parsed) => parsedByLint.set(path, parsed) });
  const inputErrors = results.filter((r) => r.inputError !== null).map((r) => r.inputError!);
  const linted = results.filter((r) => r.inputError === null);
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of workspaceFindings(config, linted)) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);

  // What a killed build left beside --out (its unfinished folder, an old site set aside) is removed first.
  removeStale(dirname(out), new RegExp(`^\\.${escapeRegExp(basename(out))}\\.(?:tmp|old)-(\\d+)-\\d+$`));
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}-${Date.now()}`);
  options.leftovers?.add(tmp, { folder: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const pages: SitePage[] = [];
    const slugs = new UniqueNames([], (s) => s.toLowerCase());
    for (const r of linted) {
      await yieldToEventLoop();
      let parsed = parsedByLint.get(r.path);
      parsedByLint.delete(r.path);
      if (!parsed) {
        try {
          parsed = parseSpec(readSpecFile(r.path, r.display, config.maxFileSize).text, r.display);
        } catch (err) {
          if (err instanceof InputError) {
            inputErrors.push(err.message);
            continue;
          }
          throw err;
        }
      }
      const base = (parsed.spec.metadata.featureId ?? basename(dirname(r.path))).replace(/[^\w.-]+/g, "-").replace(/^[.-]+/, "") || "spec";
      const slug = slugs.take(base, (i) => `${base}-${i}`);
      const workspacePath = posixRelative(config.root, r.path);
      pages.push({
        slug, path: r.path, display: r.display, parsed,
        diagnostics: sortDiagnostics([...r.diagnostics, ...(byFile.get(r.display) ?? [])]),
        summary: summarize(parsed, rootFor(config, r.path), r.display, workspacePath),
      });
    }
    const specPages = new Map(pages.map((p) => [p.path, `specs/${p.slug}.html`]));
    const scope: PublishScope = { root: config.root, realRoot: realpathSync(config.root), realConfig: config.file && existsSync(config.file) ? realpathSync(config.file) : null, maxInlineBytes: config.maxFileSize };
    const linked = new Map<string, Linked>(); // absolute file → how it is published
    const queue: string[] = []; // pages still to render: Markdown documents and SVG images
    let files = 0;
    let unpublished = 0;
    const folders = new Set<string>(); // made in this build: one mkdir per folder, not one per file
    const write = (sitePath: string, content: string | Buffer): void => {
      const abs = join(tmp, ...sitePath.split("/"));
      const folder = dirname(abs);
      if (!folders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        folders.add(folder);
      }
      writeFileSync(abs, content);
      files++;
    };
    const publishLinked = (abs: string): Linked => {
      const inspected = inspectLinkedFile(abs, scope);
      const site = `files/${posixRelative(config.root, abs)}`;
      switch (inspected.kind) {
        case "refused":
          return inspected;
        case "copy":
          // The bytes that were checked, not the file again: it cannot change between the check and the copy.
          write(site, inspected.bytes);
          return { kind: "copy", site };
        case "page":
          queue.push(abs);
          return { kind: "page", site: `${site}.html`, bytes: inspected.bytes };
        case "svg":
          queue.push(abs);
          return { kind: "svg", site: `${site}.html`, dataUrl: `data:image/svg+xml;base64,${inspected.bytes.toString("base64")}` };
      }
    };
    const resolverFor = (file: string, sitePath: string): LinkResolver => ({ path, hash, image }) => {
      const fragment = hash === "" ? "" : `#${encodeURIComponent(hash)}`;
      if (path === "") return { href: fragment || "#" };
      const checked = linkPath(path);
      if ("reason" in checked) return { missing: `${path} ${checked.reason}` };
      const abs = checked.path.startsWith("/") ? join(config.root, checked.path) : resolve(dirname(file), checked.path);
      const specPage = specPages.get(abs);
      if (specPage) return { href: relUrl(sitePath, specPage) + fragment };
      let entry = linked.get(abs);
      if (!entry) {
        entry = publishLinked(abs);
        linked.set(abs, entry);
      }
      if (entry.kind === "refused") return { missing: `${path} ${entry.reason}` };
      // An SVG image is shown only through <img>, where a browser runs nothing of it; a link opens a page showing it.
      if (entry.kind === "svg" && image) return { href: entry.dataUrl };
      return { href: relUrl(sitePath, entry.site) + fragment };
    };

    const mermaid = "assets/mermaid.min.js";
    for (const p of pages) {
      await yieldToEventLoop();
      const sitePath = `specs/${p.slug}.html`;
      const downloads: Download[] = [];
      // Named as `techspec export` names it: a missing Feature ID or title comes from the spec's folder.
      const identity = specIdentity(p.parsed.spec, basename(dirname(p.path)));
      // The OpenAPI document is built once for its two formats (or fails once, with the same message).
      let openapi: { doc: object } | { error: unknown } | undefined;
      const run = (d: (typeof DOWNLOADS)[number]): string => {
        if (d.target !== "openapi") return exporters.find((e) => e.id === d.target)!.run(p.parsed.spec, { ...d.options, naming: rootFor(config, p.path).sqlNaming, identity });
        if (!openapi) {
          try {
            openapi = { doc: exportOpenApi(p.parsed.spec, identity) };
          } catch (error) {
            openapi = { error };
          }
        }
        if ("error" in openapi) throw openapi.error;
        return openApiText(openapi.doc, d.options.format);
      };
      for (const d of DOWNLOADS) {
        if (!d.when(p)) continue;
        const file = `specs/${p.slug}/${d.file}`;
        try {
          write(file, run(d));
          downloads.push({ label: d.label, path: file, name: `${p.slug}.${d.file}` });
        } catch (err) {
          downloads.push({ label: d.label, path: null, name: `${p.slug}.${d.file}`, error: (err as Error).message });
        }
      }
      write(`specs/${p.slug}/spec.md`, p.parsed.source.text);
      downloads.push({ label: "Markdown source", path: `specs/${p.slug}/spec.md`, name: `${p.slug}.md` });
      const body = renderSpecPage(p, sitePath, downloads, resolverFor(p.path, sitePath));
      unpublished += body.unpublished;
      write(sitePath, page({ path: sitePath, title: `${p.summary.id ? `${p.summary.id} · ` : ""}${p.parsed.spec.title ?? p.display} · ${options.title}`, siteTitle: options.title,
        body: body.html, scripts: body.diagrams ? [mermaid] : [], bodyClass: "spec" }));
    }
    for (let abs = queue.shift(); abs !== undefined; abs = queue.shift()) {
      await yieldToEventLoop();
      const entry = linked.get(abs)!;
      const display = posixRelative(config.root, abs);
      if (entry.kind === "svg") {
        write(entry.site, page({ path: entry.site, title: `${basename(abs)} · ${options.title}`, siteTitle: options.title, body: renderImagePage(display, entry.dataUrl), bodyClass: "doc" }));
        continue;
      }
      if (entry.kind !== "page") continue;
      const doc = renderDocPage(display, renderMarkdown(entry.bytes.toString("utf8"), resolverFor(abs, entry.site)));
      unpublished += doc.unpublished;
      write(entry.site, page({ path: entry.site, title: `${doc.headings[0]?.text ?? basename(abs, extname(abs))} · ${options.title}`, siteTitle: options.title, body: doc.html,
        scripts: doc.diagrams ? [mermaid] : [], bodyClass: "doc" }));
    }

    const entries: IndexEntry[] = pages.map((p) => ({
      slug: p.slug, url: `specs/${p.slug}.html`, summary: p.summary,
      errors: p.diagnostics.filter((d) => d.severity === "error").length,
      warnings: p.diagnostics.filter((d) => d.severity === "warning").length,
      introduction: p.parsed.spec.introduction,
    }));
    write("index.html", page({ path: "index.html", title: options.title, siteTitle: options.title,
      body: renderIndex(entries, options.title, inputErrors, config.roots?.length ? specRoots(config).map((r) => r.name!) : []), scripts: ["assets/search-index.js", "assets/minisearch.js"], bodyClass: "index" }));
    write("assets/search-index.js", searchIndex(pages));
    files += writeAssets(tmp);
    write(SITE_MARKER, `techspec ${packageVersion()}\n`);

    await options.beforePublish?.();
    publish(tmp, out, options.leftovers);
    options.leftovers?.delete(tmp);
    const all = pages.flatMap((p) => p.diagnostics);
    const errors = all.filter((d) => d.severity === "error").length;
    const linkedPages = [...linked.values()].filter((l) => l.kind === "page" || l.kind === "svg").length;
    return { specs: pages.length, pages: pages.length + 1 + linkedPages, files, unpublished, errors, warnings: all.length - errors, inputErrors };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    options.leftovers?.delete(tmp);
    throw err;
  }
}

/** Lets the event loop run (an interrupt's handler among it) between pages of a long build. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Refuses an output folder that holds anything but an earlier build, so no one's files are replaced. */
function checkOut(out: string, root: string): void {
  if (isInside(out, root)) throw new InputError(`${out}: the site cannot replace the folder that holds the specs; give --out a folder of its own`);
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new InputError(`${out}: exists and is not a folder; give --out a folder`);
  if (readdirSync(out).length > 0 && !existsSync(join(out, SITE_MARKER))) {
    throw new InputError(`${out}: not empty and not a site built by techspec (no ${SITE_MARKER}); give --out an empty or new folder`);
  }
}

/** Swaps the finished build in: the old site is moved aside first and removed only after the new one is in place. */
function publish(tmp: string, out: string, leftovers: Leftovers | undefined): void {
  mkdirSync(dirname(out), { recursive: true });
  const old = join(dirname(out), `.${basename(out)}.old-${process.pid}-${Date.now()}`);
  const hadOld = existsSync(out);
  if (hadOld) renameSync(out, old);
  try {
    renameSync(tmp, out);
  } catch (err) {
    if (hadOld) renameSync(old, out);
    throw new InputError(`${out}: cannot publish the site (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  if (hadOld) {
    leftovers?.add(old, { folder: true });
    rmSync(old, { recursive: true, force: true });
    leftovers?.delete(old);
  }
}

/** The client-side full-text index: MiniSearch over title, Feature ID, author, status and the whole text. */
function searchIndex(pages: readonly SitePage[]): string {
  const search = new MiniSearch<{ slug: string; title: string; id: string; author: string; status: string; text: string }>({
    idField: "slug", fields: [...SEARCH_FIELDS], tokenize: (text, field) => (field === "text" ? cappedTerms(text) : defaultTokenize(text)),
  });
  search.addAll(pages.map((p) => ({
    slug: p.slug, title: p.parsed.spec.title ?? "", id: p.summary.id ?? "", author: p.summary.author ?? "", status: p.summary.status ?? "", text: p.parsed.source.text,
  })));
  // A script, not JSON: browsers refuse fetch() on file:// pages, and the portal must work straight from disk.
  return `window.techspecSearch=${JSON.stringify({ fields: SEARCH_FIELDS, index: search.toJSON() })};\n`;
}

const defaultTokenize = MiniSearch.getDefault("tokenize") as (text: string) => string[];

/**
 * How often one term of a spec's text counts in the index. Relevance has mostly saturated by then (BM25), and an 8 MB JSON
 * example repeats its keys a million times, each one a costly insertion into the index.
 */
const MAX_TERM_OCCURRENCES = 4;

/** The terms of a text as the browser's MiniSearch splits a query, each kept at most MAX_TERM_OCCURRENCES times. */
function cappedTerms(text: string): string[] {
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const term of defaultTokenize(text)) {
    const n = seen.get(term) ?? 0;
    if (n >= MAX_TERM_OCCURRENCES) continue;
    seen.set(term, n + 1);
    out.push(term);
  }
  return out;
}

/** Copies the stylesheet, the browser script, Mermaid and MiniSearch into assets/ and writes the icon; returns how many files. */
function writeAssets(dir: string): number {
  const require = createRequire(import.meta.url);
  const root = packageRoot();
  const assets = join(dir, "assets");
  mkdirSync(assets, { recursive: true });
  copyFileSync(join(root, "browser", "site.css"), join(assets, "site.css"));
  copyFileSync(join(root, "dist", "browser", "site.js"), join(assets, "site.js"));
  copyFileSync(require.resolve("mermaid/dist/mermaid.min.js"), join(assets, "mermaid.min.js"));
  copyFileSync(join(dirname(require.resolve("minisearch")), "..", "umd", "index.js"), join(assets, "minisearch.js"));
  writeFileSync(join(assets, "favicon.svg"), FAVICON_SVG);
  return 5;
}
