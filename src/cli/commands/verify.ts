import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { DATABASE_CHECKS, HTTP_CHECKS, OPENAPI_CHECKS } from "../../contract/checks.js";
import type { ContractCheck } from "../../contract/finding.js";
import { formatters, type FormatName } from "../../format/index.js";
import { sortDiagnostics, type Diagnostic } from "../../model/diagnostic.js";
import { InputError, UsageError } from "../../workspace/errors.js";
import { findSpec } from "../../workspace/find-spec.js";
import { packageVersion, ruleDocsUrl } from "../../workspace/package-files.js";
import { printable } from "../../workspace/paths.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import { useColor, type Command } from "../io.js";
import { specForContract } from "./contract-spec.js";

const HELP = `Usage: techspec verify <spec|featureId> --base-url URL [--param name=value]... [--header "Name: value"]...
       techspec verify <spec|featureId> --database-url postgres://…|sqlite:path [--naming snake_case|preserve]
       techspec verify <spec|featureId> --openapi FILE

Checks what was built against the spec, and reports drift as findings at the spec's lines, in every
lint format. Several of --base-url, --database-url and --openapi may be given in one run.

--base-url: sends each API's documented example request (path parameters from the examples or
--param) and runs the checks ${HTTP_CHECKS.map((c) => c.id).join(", ")}.
Only GET and HEAD are sent unless --allow-writes. Redirects to another origin are not followed.
Each finding carries the request as a curl line (credential headers shown as <redacted>).

--database-url: introspects the live schema and compares it with the Data Model: tables, columns,
types, nullability, defaults, primary keys, unique, foreign keys, indexes; each finding gives the DDL
that would fix the database. A rename shows as a drop plus an add, and says so.

--openapi: compares an OpenAPI 3.0 or 3.1 document (YAML or JSON) with the spec through the semantic
diff: what either side lacks, breaking (an error) or not (a warning).

Options:
  --base-url <url>          the running service
  --param <name=value>      a path, query or header parameter's value (repeatable)
  --header <"Name: value">  a header for every request, e.g. credentials (repeatable)
  --allow-writes            also send POST, PUT, PATCH and DELETE (a test instance only)
  --timeout <ms>            how long one request may take (default 10000)
  --concurrency <n>         requests in flight at once (default 4)
  --database-url <url>      postgres://user@host/db or sqlite:path/to/file.db
  --naming <style>          table and column names: snake_case (default, or "sqlNaming" of the
                            configuration) or preserve, as with "techspec export sql"
  --ignore-tables <globs>   tables the spec does not own, e.g. a migration tool's
                            (comma-separated globs: --ignore-tables "kysely_migration*,_prisma_migrations")
  --openapi <file>          an OpenAPI 3.0/3.1 document, YAML or JSON
  --checks <ids>            run only these checks (comma-separated)
  --exclude-checks <ids>    skip these checks (comma-separated)
  -f, --format <name>       text (default), json, sarif, junit or github
  --json                    the same as --format json
  -o, --output <file>       write the report to a file instead of stdout
  -c, --config <file>       use this configuration file
  -h, --help                show this help

Checks: ${[...HTTP_CHECKS, ...DATABASE_CHECKS, ...OPENAPI_CHECKS].map((c) => c.id).join(", ")}.

Exit codes: 0 no drift, 1 drift found, 2 usage or input error, or the service or database cannot be
reached.
`;

const FORMATS = Object.keys(formatters) as FormatName[];

export const verifyCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("verify", argv, {
    "base-url": { type: "string" }, param: { type: "string", multiple: true }, header: { type: "string", multiple: true },
    "allow-writes": { type: "boolean" }, timeout: { type: "string" }, concurrency: { type: "string" },
    "database-url": { type: "string" }, naming: { type: "string" }, "ignore-tables": { type: "string" }, openapi: { type: "string" },
    checks: { type: "string" }, "exclude-checks": { type: "string" },
    format: { type: "string", short: "f" }, json: { type: "boolean" }, output: { type: "string", short: "o" }, ...COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("verify: give one spec path or Feature ID, e.g. techspec verify FEAT-0001 --base-url http://127.0.0.1:8080");
  const baseUrl = values["base-url"];
  const databaseUrl = values["database-url"];
  const openapi = values.openapi;
  if (baseUrl === undefined && databaseUrl === undefined && openapi === undefined) {
    throw new UsageError("verify: say what to verify: --base-url URL (a running service), --database-url URL (a database) or --openapi FILE");
  }
  if (values.json && values.format !== undefined && values.format !== "json") throw new UsageError(`verify: --json and --format ${values.format} disagree; give one`);
  const format = (values.json ? "json" : values.format ?? "text") as FormatName;
  if (!FORMATS.includes(format)) throw new UsageError(`verify: unknown format "${values.format}" (expected ${FORMATS.join(", ")})`);
  const used: ContractCheck[] = [...(baseUrl !== undefined ? HTTP_CHECKS : []), ...(databaseUrl !== undefined ? DATABASE_CHECKS : []), ...(openapi !== undefined ? OPENAPI_CHECKS : [])];
  const checks = selectChecks(used, values.checks, values["exclude-checks"]);
  const params = parseParams(values.param ?? []);
  const headers = parseHeaders(values.header ?? []);
  const timeoutMs = positiveInt("--timeout", values.timeout, 10_000);
  const concurrency = positiveInt("--concurrency", values.concurrency, 4);
  if (baseUrl === undefined && (values.param || values.header || values["allow-writes"] || values.timeout || values.concurrency)) {
    throw new UsageError("verify: --param, --header, --allow-writes, --timeout and --concurrency apply to --base-url");
  }
  if (databaseUrl === undefined && (values.naming !== undefined || values["ignore-tables"] !== undefined)) throw new UsageError("verify: --naming and --ignore-tables apply to --database-url");
  const ignoreTables = (values["ignore-tables"] ?? "").split(",").map((t) => t.trim()).filter(Boolean);

  const found = await findSpec(io.cwd, positionals[0]!, values.config);
  const parsed = specForContract(found.spec, "verify");
  const diagnostics: Diagnostic[] = [];
  const notes: string[] = [];
  if (openapi !== undefined) {
    const text = readDocument(resolve(io.cwd, openapi), openapi);
    const { verifyOpenApi } = await import("../../contract/verify-openapi.js");
    const result = verifyOpenApi(parsed, text, openapi, { checks });
    diagnostics.push(...result.diagnostics);
    notes.push(...result.notes);
  }
  if (databaseUrl !== undefined) {
    const naming = values.naming ?? found.ws.config.sqlNaming;
    if (naming !== "snake_case" && naming !== "preserve") throw new UsageError(`verify: unknown --naming "${naming}" (expected snake_case or preserve)`);
    // Each verifier is loaded only when used: the database drivers and the HTTP client stay out of the other runs.
    const { verifyDatabase } = await import("../../contract/verify-database.js");
    diagnostics.push(...(await verifyDatabase(parsed, databaseUrl, { naming, checks, ignoreTables })).diagnostics);
  }
  if (baseUrl !== undefined) {
    if (parsed.spec.apis.length === 0) throw new InputError(`${found.spec.display}: the spec documents no APIs to verify against ${printable(baseUrl)}`);
    const { verifyHttp } = await import("../../contract/verify-http.js");
    const { Contract } = await import("../../contract/contract.js");
    const result = await verifyHttp(new Contract(parsed), { baseUrl, params, headers, checks, allowWrites: !!values["allow-writes"], timeoutMs, concurrency });
    diagnostics.push(...result.diagnostics);
    notes.push(...result.notes);
  }
  const report = {
    files: [found.spec.display],
    diagnostics: sortDiagnostics(diagnostics).map((d) => ({ ...d, url: ruleDocsUrl(d.rule, "verify.md") })),
    rules: used.map((c) => ({ id: c.id, description: c.description, defaultSeverity: c.defaultSeverity, helpUri: ruleDocsUrl(c.id, "verify.md") })),
    toolVersion: packageVersion(),
    cwd: io.cwd,
    notes,
  };
  const output = formatters[format](report, { color: format === "text" && !values.output && useColor(io) });
  if (values.output) {
    const { writeAtomic } = await import("../../workspace/atomic-write.js");
    writeAtomic(resolve(io.cwd, values.output), output);
  } else {
    io.stdout(output);
  }
  return diagnostics.length > 0 ? 1 : 0;
};

/** The checks to run: all of the modes given, or those --checks names, minus --exclude-checks; unknown ids refused. */
function selectChecks(used: readonly ContractCheck[], only: string | undefined, exclude: string | undefined): Set<string> {
  const known = new Set(used.map((c) => c.id));
  const list = (option: string, raw: string | undefined): string[] | undefined => {
    if (raw === undefined) return undefined;
    const ids = raw.split(",").map((s) => s.trim()).filter(Boolean);
    if (ids.length === 0) throw new UsageError(`verify: ${option} needs check ids, e.g. ${option} ${used[0]?.id ?? "status-documented"}`);
    for (const id of ids) if (!known.has(id)) throw new UsageError(`verify: ${option}: unknown check "${printable(id)}" for what is verified (checks: ${[...known].join(", ")})`);
    return ids;
  };
  const selected = new Set(list("--checks", only) ?? known);
  for (const id of list("--exclude-checks", exclude) ?? []) selected.delete(id);
  return selected;
}

function parseParams(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of raw) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new UsageError(`verify: --param "${printable(p)}" is not name=value (e.g. --param refundId=7f3c…)`);
    out[p.slice(0, eq).trim().replace(/^\{|\}$/g, "")] = p.slice(eq + 1);
  }
  return out;
}

function parseHeaders(raw: readonly string[]): [string, string][] {
  return raw.map((h) => {
    const colon = h.indexOf(":");
    const name = colon > 0 ? h.slice(0, colon).trim() : "";
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UsageError(`verify: --header "${printable(h.replace(/:.*/s, ": …"))}" is not "Name: value" (e.g. --header "Authorization: Bearer …")`);
    const value = h.slice(colon + 1).trim();
    if (/[\r\n\0]/.test(value)) throw new UsageError(`verify: --header ${name} holds a line break`);
    return [name, value];
  });
}

function positiveInt(option: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`verify: ${option} must be a whole number of 1 or more (got "${printable(raw)}")`);
  return n;
}

/** Largest OpenAPI document read: 64 MiB, well past any real one, so a wrong file does not fill memory. */
const MAX_DOCUMENT = 64 * 1024 * 1024;

function readDocument(abs: string, shown: string): string {
  try {
    const size = statSync(abs).size;
    if (statSync(abs).isFile() && size > MAX_DOCUMENT) throw new InputError(`${shown}: ${(size / 1024 / 1024).toFixed(0)} MiB is more than an OpenAPI document of 64 MiB (is it the right file?)`);
    return readFileSync(abs, "utf8");
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${shown}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not an OpenAPI document" : `cannot be read (${code ?? (err as Error).message})`}`);
  }
}
