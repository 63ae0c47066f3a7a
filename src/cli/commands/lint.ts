import { formatters, type FormatName } from "../../format/index.js";
import { sortDiagnostics, type Diagnostic } from "../../model/diagnostic.js";
import { resolveConfig, type Config } from "../../workspace/config.js";
import { UsageError } from "../../workspace/errors.js";
import type { Listings } from "../../workspace/discover.js";
import type { CacheStrategy, KeptReport, LintCache } from "../../workspace/lint-cache.js";
import type { FileResult, LintJob } from "../../workspace/lint-file.js";
import { lintFiles } from "../../workspace/lint-files.js";
import { packageVersion, ruleDocsUrl } from "../../workspace/package-files.js";
import { rootLintSettings, workspaceFindings } from "../../workspace/spec-roots.js";
import { displayPath } from "../../workspace/paths.js";
import { parseCommandArgs } from "../args.js";
import { useColor, writeOptions, type Command } from "../io.js";

const HELP = `Usage: techspec lint [paths|globs ...] [options]

Checks specs. With no paths, lints the files matched by "specs" in techspec.config.json
(default **/technical-specification.md). A folder contributes the spec files under it.

Options:
  -f, --format <name>      text (default), json, sarif, junit or github
  --json                   the same as --format json
  --max-warnings <n>       exit 1 when there are more than n warnings
  --fix                    rewrite what is safe (status/decision casing, Last Updated date format);
                           only those characters change, every other byte of the file stays
  --cache                  lint only the files that changed since the last --cache run: the others'
                           findings come from the cache, and the report is the same as without it
  --cache-location <path>  the cache file, or a folder to keep it in (default: .techspec-cache);
                           the last report is kept beside it (<file>.report), and printed again
                           while the files, their findings and the options are the same
  --cache-strategy <name>  how a file is known unchanged: metadata (default; size and modification
                           time, then its content when they differ) or content (always its content)
  -q, --quiet              report errors only
  -c, --config <file>      use this configuration file
  -o, --output <file>      write the report to a file instead of stdout
  -h, --help               show this help

A file that cannot be read as a spec (binary, empty, too large, unreadable, missing, not a spec) is
in the report as an unreadable-file error; the others are linted as usual.

Exit codes: 0 clean, 1 errors (or too many warnings), 2 a file could not be read (the report is
complete) or --fix could not write one (a link out of the workspace, a change under it), or a
usage or configuration error.
`;

const FORMATS = Object.keys(formatters) as FormatName[];

export const lint: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("lint", argv, {
    format: { type: "string", short: "f" },
    json: { type: "boolean" },
    "max-warnings": { type: "string" },
    fix: { type: "boolean" },
    cache: { type: "boolean" },
    "cache-location": { type: "string" },
    "cache-strategy": { type: "string" },
    quiet: { type: "boolean", short: "q" },
    config: { type: "string", short: "c" },
    output: { type: "string", short: "o" },
    threads: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (values.json && values.format !== undefined && values.format !== "json") throw new UsageError(`lint: --json and --format ${values.format} disagree; give one`);
  const format = (values.json ? "json" : values.format ?? "text") as FormatName;
  if (!FORMATS.includes(format)) throw new UsageError(`lint: unknown format "${values.format}" (expected ${FORMATS.join(", ")})`);
  let maxWarnings = -1;
  if (values["max-warnings"] !== undefined) {
    maxWarnings = Number(values["max-warnings"]);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) {
      throw new UsageError(`lint: --max-warnings must be a whole number of 0 or more (got "${values["max-warnings"]}")`);
    }
  }
  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = Number(values.threads);
    if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`lint: --threads must be a whole number of 1 or more (got "${values.threads}")`);
  }
  const strategy = values["cache-strategy"];
  if (strategy !== undefined && strategy !== "metadata" && strategy !== "content") {
    throw new UsageError(`lint: unknown --cache-strategy "${strategy}" (expected metadata or content)`);
  }
  if (values["cache-location"] === "") throw new UsageError("lint: --cache-location needs a path");
  if (!values.cache && (values["cache-location"] !== undefined || strategy !== undefined)) {
    throw new UsageError(`lint: --${values["cache-location"] !== undefined ? "cache-location" : "cache-strategy"} needs --cache`);
  }
  const config = await resolveConfig(io.cwd, values.config);
  // Folders and globs may hold many specs: let the workers boot while they are searched.
  const many = positionals.length === 0 || positionals.some((p) => !/\.(md|markdown)$/i.test(p) || /[*?[\]{}]/.test(p));

  const started = io.timer();
  let progressShown = false;
  const onProgress = (done: number, total: number): void => {
    if (!io.stderrIsTTY || io.env["CI"] || io.timer() - started < 1000) return;
    progressShown = true;
    io.stderr(`\rLinting ${done}/${total} files…`);
  };
  const job = { settings: config.settings, rules: config.rules, overrides: config.overrides, maxFileSize: config.maxFileSize, fix: !!values.fix, root: config.root, ...rootLintSettings(config) };
  const cache = values.cache ? await openCache(io.cwd, values["cache-location"], job, strategy) : undefined;
  // With a cache, the files found last time when the folders searched are unchanged (and the search is not even loaded).
  let files: readonly (readonly [string, string])[] | (() => readonly (readonly [string, string])[]) = cache?.cachedFiles(positionals, config, io.cwd) ?? [];
  if (!cache?.foundInCache) {
    const { discoverSpecs } = await import("../../workspace/discover.js");
    const find = (listed?: Listings): (readonly [string, string])[] => discoverSpecs(positionals, config, io.cwd, listed).map((t) => [t.path, displayPath(t.path, io.cwd)] as const);
    const found = cache ? () => cache.search(positionals, config, io.cwd, find) : find;
    files = many ? found : found();
  }
  const results = await lintFiles(files, job,
    { onProgress, ...(threads === undefined ? {} : { threads }), ...(values.fix ? writeOptions(io, config) : {}), ...(cache ? { cache } : {}) });
  if (progressShown) io.stderr("\r\x1b[K");
  let saveProblem: string | null = null;
  try {
    cache?.save();
  } catch (err) {
    saveProblem = (err as Error).message.split("\n")[0]!;
  }
  // A file that cannot be read as a spec is in the report as its unreadable-file finding, so the report names every file.
  const inputErrors = results.filter((r) => r.inputError !== null);
  const color = format === "text" && !values.output && useColor(io);
  // Results that are exactly the cache's entries make the report made from them last time, for the same options.
  const reportKey = cache && !values.fix ? cache.reportKey(results, { format, color, quiet: !!values.quiet, cwd: io.cwd, docs: ruleDocsUrl("") }) : null;
  const kept = reportKey === null ? null : cache!.keptReport(reportKey);
  let made = kept ?? await report(results, config, format, color, !!values.quiet, io.cwd);
  if (cache) {
    // A report to keep is encoded once, for the file beside the cache and for the output.
    if (!kept && reportKey !== null && typeof made.output === "string") made = { ...made, output: Buffer.from(made.output) };
    const keptNow = !kept && reportKey !== null && cache.keepReport(reportKey, made);
    if (io.env["TECHSPEC_DEBUG_CACHE"] === "1") {
      const how = kept ? "given again" : keptNow ? "made and kept" : "made";
      io.stderr(`techspec: cache: ${cache.hits} hits, ${cache.misses} misses, files ${cache.foundInCache ? "listed from the cache" : "searched for"}, report ${how} (${cache.file})\n`);
    }
    // The report does not depend on the cache: a cache that cannot be written is a warning, not a failure.
    if (saveProblem !== null) io.stderr(`techspec: warning: the lint cache was not saved: ${saveProblem}\n`);
  }
  const { output, errors, warnings } = made;
  if (values.output) {
    const { writeAtomic } = await import("../../workspace/atomic-write.js");
    const { resolve } = await import("node:path");
    writeAtomic(resolve(io.cwd, values.output), output);
  } else {
    io.stdout(output);
  }
  const fixed = results.reduce((n, r) => n + r.fixed, 0);
  if (fixed > 0) io.stderr(`techspec: fixed ${fixed} problem${fixed === 1 ? "" : "s"} in ${results.filter((r) => r.fixed > 0).length} file(s)\n`);
  for (const r of results) if (r.fixRefused !== null) io.stderr(`techspec: ${r.fixRefused}\n`);
  for (const r of inputErrors) io.stderr(`techspec: ${r.inputError}\n`);
  if (inputErrors.length > 0 || results.some((r) => r.fixRefused !== null)) return 2;
  if (errors > 0) return 1;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr(`techspec: ${warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
};

/** The report of a run in `format`, with the counts of errors and warnings it has (infos count for neither). */
async function report(results: readonly FileResult[], config: Config, format: FormatName, color: boolean, quiet: boolean, cwd: string): Promise<KeptReport> {
  // The rules' descriptions go with the report; a report given again from the cache does not load them.
  const { inputRules, rules, workspaceRules } = await import("../../rules/index.js");
  const linted = results.filter((r) => r.inputError === null);
  let diagnostics: Diagnostic[] = results.flatMap((r) => r.diagnostics);
  diagnostics.push(...workspaceFindings(config, linted));
  // Every finding links to its rule's documentation, which ships with the package.
  const urls = new Map<string, string>();
  const urlOf = (rule: string): string => urls.get(rule) ?? urls.set(rule, ruleDocsUrl(rule)).get(rule)!;
  diagnostics = sortDiagnostics(diagnostics);
  // Each finding is this run's own object (made by a rule or read from the cache file): its URL is set in place.
  for (const d of diagnostics) (d as { url?: string }).url = urlOf(d.rule);
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  // An info never fails the run, nor counts against --max-warnings.
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const shown = quiet ? diagnostics.filter((d) => d.severity === "error") : diagnostics;
  const output = formatters[format]({
    files: results.map((r) => r.display),
    diagnostics: shown,
    rules: [...inputRules, ...rules, ...workspaceRules].map((r) => ({ id: r.id, description: r.description, defaultSeverity: r.defaultSeverity, helpUri: urlOf(r.id) })),
    toolVersion: packageVersion(),
    cwd,
    notes: unverifiedNote(config, results),
  }, { color });
  return { output, errors, warnings };
}

/** The lint cache at `location` (a file, or a folder to keep it in), loaded only when --cache asks for it. */
async function openCache(cwd: string, location: string | undefined, job: LintJob, strategy: CacheStrategy | undefined): Promise<LintCache> {
  const { LintCache, cacheFileFor, DEFAULT_CACHE_LOCATION } = await import("../../workspace/lint-cache.js");
  return LintCache.open(cacheFileFor(location ?? DEFAULT_CACHE_LOCATION, cwd), job, strategy ? { strategy } : {});
}

/**
 * Once per run, when decisions are recorded but signatures are not required: who approved rests on git's author
 * field (or on nothing outside git), which anyone can write.
 */
function unverifiedNote(config: Config, results: readonly FileResult[]): string[] {
  if (config.settings.signatures?.required || !results.some((r) => r.decided)) return [];
  return ["approver identities are not verified: without \"signatures\" in the configuration, an approval line proves only what git's author field says, which anyone can set (require signed approvals: see docs/signatures.md)"];
}
