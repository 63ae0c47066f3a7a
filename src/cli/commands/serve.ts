import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { exportOpenApi } from "../../export/openapi.js";
import { parseSpec } from "../../parse/parse-spec.js";
import { buildServer } from "../../server/app.js";
import { OidcClient } from "../../server/oidc.js";
import { UsageError } from "../../workspace/errors.js";
import { packageRoot } from "../../workspace/package-files.js";
import { parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";
import { DB_HELP, openWorkspaceStore, SERVER_OPTIONS } from "./server-args.js";

const HELP = `Usage: techspec serve [dir] [--port 4173] [--host 127.0.0.1] [--db URL] [--public-read]

Runs the review server on the workspace in dir (default: the current folder): the specs with
their lint and approvals, review comments, approvals and edits by signed-in accounts (written to
the Markdown files and committed to git), search, and an audit log. The files stay the source of
truth: changes made outside the server appear without a restart.

The database (SQLite by default, PostgreSQL with --db postgres://…) is created and migrated at
start. Create accounts with "techspec users add" and tokens with "techspec tokens create".

Options:
  --port <n>           the port (default 4173; 0 picks a free one)
  --host <address>     the address to listen on (default 127.0.0.1)
  --public-read        let signed-out visitors read (writes always need an account)
  --json               print the address and the database as one JSON line when listening
  --oidc-issuer <url>  offer single sign-on through this OpenID Connect provider (with
                       --oidc-client-id, and the secret in TECHSPEC_OIDC_CLIENT_SECRET); the
                       provider's verified e-mail address signs in the account that has it
  --oidc-client-id <id>
  --signing-key <file> an SSH private key the server signs its commits with; where signatures are
                       required, list its principal in the allowed signers and in
                       "signatures.servers" so that its commits vouch for the signed-in account
  --trust-proxy <ips>  behind a reverse proxy that terminates TLS: trust X-Forwarded-For and
                       X-Forwarded-Proto from these addresses (comma-separated, or "all")
  --public-url <url>   the server's address as browsers see it (default http://host:port), for
                       the provider's redirect to <public-url>/auth/oidc/callback
${DB_HELP}
  -h, --help           show this help

Exit codes: 0 stopped, 2 usage, configuration or database error.
`;

/** The server's own API description: a techspec spec shipped in docs/, compiled by techspec's OpenAPI exporter. */
export function serverApiSpecPath(): string {
  return join(packageRoot(), "docs", "api", "technical-specification.md");
}

export const serveCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("serve", argv, {
    ...SERVER_OPTIONS, port: { type: "string" }, host: { type: "string" }, "public-read": { type: "boolean" }, json: { type: "boolean" },
    "oidc-issuer": { type: "string" }, "signing-key": { type: "string" }, "trust-proxy": { type: "string" }, "oidc-client-id": { type: "string" }, "public-url": { type: "string" },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`serve: give one workspace folder (got ${positionals.length})`);
  const port = values.port === undefined ? 4173 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`serve: --port must be a whole number from 0 to 65535 (got "${values.port}")`);
  const host = values.host ?? "127.0.0.1";
  const issuer = values["oidc-issuer"] ?? (io.env["TECHSPEC_OIDC_ISSUER"] || undefined);
  const clientId = values["oidc-client-id"] ?? (io.env["TECHSPEC_OIDC_CLIENT_ID"] || undefined);
  const clientSecret = io.env["TECHSPEC_OIDC_CLIENT_SECRET"] ?? "";
  if ((issuer === undefined) !== (clientId === undefined)) throw new UsageError("serve: single sign-on needs both --oidc-issuer and --oidc-client-id");
  let publicUrl = values["public-url"] ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  try {
    publicUrl = new URL(publicUrl).origin;
  } catch {
    throw new UsageError(`serve: --public-url must be a URL such as https://specs.example.com (got "${values["public-url"]}")`);
  }
  let oidc: OidcClient | undefined;
  if (issuer && clientId) {
    if (port === 0 && values["public-url"] === undefined) throw new UsageError("serve: with single sign-on, give --public-url (the provider must know where to send browsers back)");
    try {
      oidc = await OidcClient.connect({ issuer, clientId, clientSecret, redirectUri: `${publicUrl}/auth/oidc/callback` });
    } catch (err) {
      throw new UsageError(`serve: cannot use the OIDC issuer ${issuer}: ${(err as Error).message.split("\n")[0]}`);
    }
  }
  const signingKey = values["signing-key"] === undefined ? undefined : resolve(io.cwd, values["signing-key"]);
  if (signingKey && !existsSync(signingKey)) throw new UsageError(`serve: --signing-key ${values["signing-key"]} does not exist`);
  const { config, store } = await openWorkspaceStore(io, positionals[0], values);
  let openapi: unknown = null;
  const server = await buildServer({
    config, store, now: io.now, publicRead: !!values["public-read"], crashAfter: io.env["TECHSPEC_TEST_CRASH_AFTER"], ...(oidc ? { oidc } : {}),
    ...(signingKey ? { signingKey } : {}),
    ...(values["trust-proxy"] ? { trustProxy: values["trust-proxy"] === "all" ? true : values["trust-proxy"] } : {}),
    openapi: () => (openapi ??= exportOpenApi(parseSpec(readFileSync(serverApiSpecPath(), "utf8"), "docs/api/technical-specification.md").spec)),
  });
  try {
    await server.app.listen({ port, host });
  } catch (err) {
    await server.close();
    await store.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === "EADDRINUSE" ? `serve: port ${port} on ${host} is in use (pick another with --port)` : `serve: cannot listen on ${host}:${port} (${code ?? (err as Error).message})`);
  }
  const address = server.app.server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const specs = server.index.all().length;
  const url = `http://${shownHost}:${actual}/`;
  const accounts = (await store.listUsers()).length;
  if (values.json) {
    io.stdout(`${JSON.stringify({ url, specs, engine: store.engine, database: store.location, accounts })}\n`);
  } else {
    io.stdout(`techspec serve: ${url} (${specs} spec${specs === 1 ? "" : "s"}; ${store.engine === "sqlite" ? "SQLite" : "PostgreSQL"} ${store.location})\n`);
    if (config.settings.signatures?.required && !signingKey) {
      io.stdout("note: this workspace requires signed approvals; decisions made here count only once committed signed (start with --signing-key and list the key in signatures.servers)\n");
    }
    if (accounts === 0) {
      io.stdout(`no accounts yet: create the first with  techspec users add you@example.com --name "Your Name" --password-stdin${positionals[0] ? ` ${positionals[0]}` : ""}\n`);
    }
  }
  const signal = io.stopped ? await io.stopped() : await new Promise<string>(() => {});
  io.stderr(`techspec serve: stopping (${signal})\n`);
  await server.close();
  await store.close();
  return 0;
};
