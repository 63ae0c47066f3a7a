import { Contract } from "../../contract/contract.js";
import { createMock } from "../../contract/mock.js";
import { InputError, UsageError } from "../../workspace/errors.js";
import { findSpec } from "../../workspace/find-spec.js";
import { COMMON_OPTIONS, parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";
import { specForContract } from "./contract-spec.js";

const HELP = `Usage: techspec mock <spec|featureId> [--port 4010] [--host 127.0.0.1] [--json] [--quiet]

Serves every API of a spec from the spec's own examples, before the service exists: routed by method
and path template, answering the lowest documented 2xx (201 for a creating POST) with its example.
Requests are validated against the schemas "techspec export openapi" infers: an invalid one gets the
spec's own 400 or 422 when documented, else 422 application/problem+json with
errors: [{ location, message }].

  Prefer: code=404        answer with that documented status (its example, or a problem body)
  Prefer: example=NAME    pick an example by name ("default" for the success, or a status code)

An undocumented code asked for is a 400 that lists the documented ones. Unknown routes get 404 naming
the closest documented route; a documented path with another method gets 405 with Allow. CORS is
open (preflight answered). One log line per request names the API and its spec line. Stateless.

Options:
  --port <n>           the port (default 4010; 0 picks a free one)
  --host <address>     the address to listen on (default 127.0.0.1)
  --json               print the address as one JSON line when listening
  --quiet              no request log
  -c, --config <file>  use this configuration file
  -h, --help           show this help

Exit codes: 0 stopped, 2 usage or input error (no such spec, no APIs, port in use).
`;

export const mockCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("mock", argv, {
    port: { type: "string" }, host: { type: "string" }, json: { type: "boolean" }, quiet: { type: "boolean" }, ...COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError("mock: give one spec path or Feature ID, e.g. techspec mock FEAT-0001");
  const port = values.port === undefined ? 4010 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`mock: --port must be a whole number from 0 to 65535 (got "${values.port}")`);
  const host = values.host ?? "127.0.0.1";
  const found = await findSpec(io.cwd, positionals[0]!, values.config);
  const contract = new Contract(specForContract(found.spec, "mock"));
  if (contract.operations.length === 0) {
    throw new InputError(`${found.spec.display}: none of its ${found.spec.parsed.spec.apis.length} APIs has an HTTP method and an endpoint starting with "/" (techspec lint says what each lacks)`);
  }
  const app = createMock(contract, { timer: io.timer, ...(values.quiet ? {} : { log: (line: string) => io.stderr(`${line}\n`) }) });
  try {
    await app.listen({ port, host });
  } catch (err) {
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === "EADDRINUSE" ? `mock: port ${port} on ${host} is in use (pick another with --port)` : `mock: cannot listen on ${host}:${port} (${code ?? (err as Error).message})`);
  }
  const address = app.server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${actual}`;
  const apis = contract.operations.length;
  if (values.json) io.stdout(`${JSON.stringify({ url, spec: found.spec.display, apis })}\n`);
  else {
    io.stdout(`techspec mock: ${url} (${apis} API${apis === 1 ? "" : "s"} of ${found.spec.display})\n`);
    for (const o of contract.operations) io.stdout(`  ${o.label.padEnd(48)} ${found.spec.display}:${contract.parsed.pos.get(`apis/${o.apiIndex}`)?.line ?? 1}\n`);
  }
  const signal = io.stopped ? await io.stopped() : await new Promise<string>(() => {});
  io.stderr(`techspec mock: stopping (${signal})\n`);
  await app.close();
  return 0;
};
