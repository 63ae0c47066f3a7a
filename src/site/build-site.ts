// `techspec site`: lint and compile every spec, render one page each plus an index with a search index, and
// publish the folder in one step (built beside the target, then renamed into place).
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, extname, join, resolve } from "node:path";
import MiniSearch from "minisearch";
import type { Diagnostic } from "../model/diagnostic.js";
import { exporters, type ExportOptions } from "../export/exporter.js";
import { specIdentity } from "../export/spec-identity.js";
import { parseSpec } from "../parse/parse-spec.js";
import { sortDiagnostics } from "../model/diagnostic.js";
import { UniqueNames } from "../model/unique-names.js";
import { lintWorkspace } from "../rules/lint-spec.js";
import type { Config } from "../workspace/config.js";
import { InputError } from "../workspace/errors.js";
import { lintFiles } from "../workspace/lint-files.js";
import { packageRoot, packageVersion } from "../workspace/package-files.js";
import { isInside, posixRelative } from "../workspace/paths.js";
import { readSpecFile } from "../workspace/read-spec.js";
import { summarize } from "../workspace/summary.js";
import { FAVICON_SVG, page, relUrl } from "./html.js";
import { renderIndex, SEARCH_FIELDS, type IndexEntry } from "./index-page.js";
import { renderMarkdown, type LinkResolver } from "./markdown.js";
import { renderDocPage, renderSpecPage, type Download, type SitePage } from "./spec-page.js";

/** File that marks a folder as a built site, so rebuilding never replaces a folder it did not make. */
export const SITE_MARKER = ".techspec-site";

export interface SiteOptions {
  /** Absolute folder to publish to. */
  readonly out: string;
  readonly title: string;
  readonly threads?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SiteResult {
  readonly specs: number;
  readonly pages: number;
  readonly files: number;
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

/** Builds the portal for the given spec files into `options.out`. */
export async function buildSite(config: Config, targets: readonly (readonly [string, string])[], options: SiteOptions): Promise<SiteResult> {
  const out = options.out;
  checkOut(out, config.root);
  const results = await lintFiles(targets, { settings: config.settings, rules: config.rules, overrides: config.overrides, maxFileSize: config.maxFileSize, fix: false, root: config.root },
    { ...(options.threads !== undefined ? { threads: options.threads } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const inputErrors = results.filter((r) => r.inputError !== null).map((r) => r.inputError!);
  const linted = results.filter((r) => r.inputError === null);
  const workspaceFindings = lintWorkspace(linted.map((r) => ({ file: r.display, featureId: r.featureId, featureIdAt: r.featureIdAt })), config.rules);
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of workspaceFindings) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);

  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  try {
    const pages: SitePage[] = [];
    const slugs = new UniqueNames([], (s) => s.toLowerCase());
    for (const r of linted) {
      let text: string;
      try {
        text = readSpecFile(r.path, r.display, config.maxFileSize).text;
      } catch (err) {
        if (err instanceof InputError) {
          inputErrors.push(err.message);
          continue;
        }
        throw err;
      }
      const parsed = parseSpec(text, r.display);
      const base = (parsed.spec.metadata.featureId ?? basename(dirname(r.path))).replace(/[^\w.-]+/g, "-").replace(/^[.-]+/, "") || "spec";
      const slug = slugs.take(base, (i) => `${base}-${i}`);
      const workspacePath = posixRelative(config.root, r.path);
      pages.push({
        slug, path: r.path, display: r.display, parsed,
        diagnostics: sortDiagnostics([...r.diagnostics, ...(byFile.get(r.display) ?? [])]),
        summary: summarize(parsed, config, r.display, workspacePath),
      });
    }
    const realRoot = realpathSync(config.root);
    const specPages = new Map(pages.map((p) => [p.path, `specs/${p.slug}.html`]));
    const linked = new Map<string, string>(); // absolute file → site path
    const queue: string[] = [];
    const resolverFor = (file: string, sitePath: string): LinkResolver => (href) => {
      const hashAt = href.indexOf("#");
      const target = hashAt < 0 ? href : href.slice(0, hashAt);
      const hash = hashAt < 0 ? "" : `#${encodeURIComponent(href.slice(hashAt + 1))}`;
      if (target === "") return { href: hash || "#" };
      const abs = target.startsWith("/") ? join(config.root, target) : resolve(dirname(file), target);
      const specPage = specPages.get(abs);
      if (specPage) return { href: relUrl(sitePath, specPage) + hash };
      if (!isInside(config.root, abs)) return { missing: `${target} is outside the workspace and is not published` };
      if (!existsSync(abs)) return { missing: `${target} does not exist` };
      if (!statSync(abs).isFile()) return { missing: `${target} is not a file` };
      // A symbolic link must not publish what lies outside the workspace either.
      if (!isInside(realRoot, realpathSync(abs))) return { missing: `${target} is outside the workspace and is not published` };
      let site = linked.get(abs);
      if (!site) {
        site = `files/${posixRelative(config.root, abs)}${/\.(md|markdown)$/i.test(abs) ? ".html" : ""}`;
        linked.set(abs, site);
        queue.push(abs);
      }
      return { href: relUrl(sitePath, site) + hash };
    };

    let files = 0;
    const write = (sitePath: string, content: string | Buffer): void => {
      const abs = join(tmp, ...sitePath.split("/"));
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      files++;
    };
    const mermaid = "assets/mermaid.min.js";
    for (const p of pages) {
      const sitePath = `specs/${p.slug}.html`;
      const downloads: Download[] = [];
      // Named as `techspec export` names it: a missing Feature ID or title comes from the spec's folder.
      const identity = specIdentity(p.parsed.spec, basename(dirname(p.path)));
      for (const d of DOWNLOADS) {
        if (!d.when(p)) continue;
        const exporter = exporters.find((e) => e.id === d.target)!;
        const file = `specs/${p.slug}/${d.file}`;
        try {
          write(file, exporter.run(p.parsed.spec, { ...d.options, naming: config.sqlNaming, identity }));
          downloads.push({ label: d.label, path: file, name: `${p.slug}.${d.file}` });
        } catch (err) {
          downloads.push({ label: d.label, path: null, name: `${p.slug}.${d.file}`, error: (err as Error).message });
        }
      }
      write(`specs/${p.slug}/spec.md`, p.parsed.source.text);
      downloads.push({ label: "Markdown source", path: `specs/${p.slug}/spec.md`, name: `${p.slug}.md` });
      const body = renderSpecPage(p, sitePath, downloads, resolverFor(p.path, sitePath));
      write(sitePath, page({ path: sitePath, title: `${p.summary.id ? `${p.summary.id} · ` : ""}${p.parsed.spec.title ?? p.display} · ${options.title}`, siteTitle: options.title,
        body: body.html, scripts: body.diagrams ? [mermaid] : [], bodyClass: "spec" }));
    }
    for (let abs = queue.shift(); abs !== undefined; abs = queue.shift()) {
      const sitePath = linked.get(abs)!;
      if (!sitePath.endsWith(".html")) {
        const abs2 = join(tmp, ...sitePath.split("/"));
        mkdirSync(dirname(abs2), { recursive: true });
        copyFileSync(abs, abs2);
        files++;
        continue;
      }
      const text = readFileSync(abs, "utf8");
      const display = posixRelative(config.root, abs);
      const { html, headings, diagrams } = renderDocPage(display, renderMarkdown(text, resolverFor(abs, sitePath)));
      write(sitePath, page({ path: sitePath, title: `${headings[0]?.text ?? basename(abs, extname(abs))} · ${options.title}`, siteTitle: options.title, body: html,
        scripts: diagrams ? [mermaid] : [], bodyClass: "doc" }));
    }

    const entries: IndexEntry[] = pages.map((p) => ({
      slug: p.slug, url: `specs/${p.slug}.html`, summary: p.summary,
      errors: p.diagnostics.filter((d) => d.severity === "error").length,
      warnings: p.diagnostics.filter((d) => d.severity === "warning").length,
      introduction: p.parsed.spec.introduction,
    }));
    write("index.html", page({ path: "index.html", title: options.title, siteTitle: options.title,
      body: renderIndex(entries, options.title, inputErrors), scripts: ["assets/search-index.js", "assets/minisearch.js"], bodyClass: "index" }));
    write("assets/search-index.js", searchIndex(pages));
    files += writeAssets(tmp);
    write(SITE_MARKER, `techspec ${packageVersion()}\n`);

    publish(tmp, out);
    const all = pages.flatMap((p) => p.diagnostics);
    const errors = all.filter((d) => d.severity === "error").length;
    return { specs: pages.length, pages: pages.length + 1 + [...linked.values()].filter((s) => s.endsWith(".html")).length, files, errors, warnings: all.length - errors, inputErrors };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
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
function publish(tmp: string, out: string): void {
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
  if (hadOld) rmSync(old, { recursive: true, force: true });
}

/** The client-side full-text index: MiniSearch over title, Feature ID, author, status and the whole text. */
function searchIndex(pages: readonly SitePage[]): string {
  const search = new MiniSearch<{ slug: string; title: string; id: string; author: string; status: string; text: string }>({ idField: "slug", fields: [...SEARCH_FIELDS] });
  search.addAll(pages.map((p) => ({
    slug: p.slug, title: p.parsed.spec.title ?? "", id: p.summary.id ?? "", author: p.summary.author ?? "", status: p.summary.status ?? "", text: p.parsed.source.text,
  })));
  // A script, not JSON: browsers refuse fetch() on file:// pages, and the portal must work straight from disk.
  return `window.techspecSearch=${JSON.stringify({ fields: SEARCH_FIELDS, index: search.toJSON() })};\n`;
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
