import { resolve } from "node:path";
import { buildSite } from "../../site/build-site.js";
import { resolveConfig } from "../../workspace/config.js";
import { discoverSpecs } from "../../workspace/discover.js";
import { UsageError } from "../../workspace/errors.js";
import { displayPath } from "../../workspace/paths.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import { testPause, type Command } from "../io.js";

const HELP = `Usage: techspec site [paths|globs ...] [--out DIR] [--title TEXT]

Builds a static portal of the workspace's specs: an index with a status board, filters by status,
author and approval, full-text search, completeness and lint counts; a page per spec with the
rendered Markdown, ER and component diagrams, its APIs, downloadable OpenAPI, JSON Schema, SQL and
TypeScript, its problems by line, and its related documents. Everything the pages use is in the
folder: open index.html from disk or serve the folder from any static host.

The folder is built beside --out and then swapped in, so a failed build leaves the previous site as
it was. --out must be new, empty, or a site built earlier by techspec.

Options:
  -o, --out <dir>      where to write the site (default: site)
  --title <text>       the portal's title (default: Technical specifications)
  --threads <n>        worker threads for linting (default: number of cores)
  --json               print the result as JSON
  -c, --config <file>  use this configuration file
  -h, --help           show this help

Exit codes: 0 built, 2 usage, configuration or input error (the site is still built from the
specs that could be read; the others are listed on stderr and on the index page).
`;

export const siteCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("site", argv, {
    out: { type: "string", short: "o" },
    title: { type: "string" },
    threads: { type: "string" },
    json: { type: "boolean" },
    ...COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = Number(values.threads);
    if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`site: --threads must be a whole number of 1 or more (got "${values.threads}")`);
  }
  const title = (values.title ?? "Technical specifications").trim();
  if (title === "") throw new UsageError("site: --title must not be empty");
  if (values.out !== undefined && values.out.trim() === "") throw new UsageError("site: --out must name a folder");
  const config = await resolveConfig(io.cwd, values.config);
  const targets = discoverSpecs(positionals, config, io.cwd).map((t) => [t.path, displayPath(t.path, io.cwd)] as const);
  const out = resolve(io.cwd, values.out ?? "site");
  const started = io.timer();
  const pause = testPause(io);
  const result = await buildSite(config, targets, {
    out, title, leftovers: io.leftovers, ...(threads !== undefined ? { threads } : {}),
    ...(pause > 0 ? { beforePublish: () => new Promise<void>((resolve) => setTimeout(resolve, pause)) } : {}),
  });
  for (const e of result.inputErrors) io.stderr(`techspec: ${e}\n`);
  const shown = (path: string): string => (displayPath(path, io.cwd).startsWith("../") ? path : displayPath(path, io.cwd));
  const seconds = ((io.timer() - started) / 1000).toFixed(1);
  if (values.json) {
    io.stdout(`${JSON.stringify({ out: shown(out), seconds: Number(seconds), ...result }, null, 2)}\n`);
    return result.inputErrors.length > 0 ? 2 : 0;
  }
  io.stdout(`Built ${shown(out)}/ in ${seconds} s: ${result.specs} spec${result.specs === 1 ? "" : "s"}, ${result.pages} pages, ${result.files} files `
    + `(${result.errors} error${result.errors === 1 ? "" : "s"}, ${result.warnings} warning${result.warnings === 1 ? "" : "s"} shown on the pages). Open ${shown(resolve(out, "index.html"))}\n`);
  return result.inputErrors.length > 0 ? 2 : 0;
};
