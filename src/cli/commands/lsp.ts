import { UsageError } from "../../workspace/errors.js";
import { parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";

const HELP = `Usage: techspec lsp --stdio

Runs the language server for editors (Language Server Protocol over standard input and output):
diagnostics as you type, the same findings as "techspec lint" (rule id, link to its documentation),
quick fixes and a fix-all (source.fixAll.techspec) for what --fix repairs, completion (section
headings, metadata, statuses, approval roles, entity names and types), hover on a finding, go to
the entity of a foreign key or an entity-typed field, and the document outline.

Each spec is linted with the nearest techspec.config.json above it, as lint run in its folder would;
the configuration is read again when it changes.

Options:
  --stdio                  speak the protocol on stdin and stdout (required; nothing else is written there)
  --clientProcessId <pid>  exit when this process is gone (editors pass it)
  -h, --help               show this help

Exit codes: 0 after the client's shutdown and exit, 1 when the client went away without them.
`;

export const lspCommand: Command = async (argv, io) => {
  const { values } = parseCommandArgs("lsp", argv, {
    stdio: { type: "boolean" },
    clientProcessId: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (!values.stdio) throw new UsageError('lsp: give --stdio (the protocol runs over standard input and output; see "techspec lsp --help")');
  let clientProcessId: number | undefined;
  if (values.clientProcessId !== undefined) {
    clientProcessId = Number(values.clientProcessId);
    if (!Number.isInteger(clientProcessId) || clientProcessId <= 0) throw new UsageError(`lsp: --clientProcessId must be a process id (got "${values.clientProcessId}")`);
  }
  const { startLanguageServer } = await import("../../lsp/server.js");
  // The protocol needs the process's own streams (Io carries text only); stdout is the protocol's from here on,
  // so the server logs through the connection, and a dependency's console.log goes to stderr rather than into it.
  const { format } = await import("node:util");
  console.log = console.info = console.debug = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);
  const server = startLanguageServer({ input: process.stdin, output: process.stdout, cwd: io.cwd, now: io.now, ...(clientProcessId ? { clientProcessId } : {}) });
  const code = await server.exited;
  // Stop reading, so that the process ends once the last messages are written.
  process.stdin.destroy();
  return code;
};
