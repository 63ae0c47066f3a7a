#!/usr/bin/env node
// The only module that prints and exits. It stays import-free so `techspec --version` costs little more than node.
import type { Command, Io } from "./io.js";

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  init: { summary: "create techspec.config.json and a specs/ folder", load: async () => (await import("./commands/init.js")).init },
  new: { summary: "create a spec folder from the templates with the next free Feature ID", load: async () => (await import("./commands/new.js")).newCommand },
  lint: { summary: "check specs and report problems (text, json, sarif, junit, github)", load: async () => (await import("./commands/lint.js")).lint },
  show: { summary: "print one spec's model, by path or Feature ID", load: async () => (await import("./commands/show.js")).show },
  list: { summary: "list the workspace's specs with status, approvals and completeness", load: async () => (await import("./commands/list.js")).list },
  export: { summary: "compile specs into OpenAPI, JSON Schema, SQL, TypeScript types or Mermaid diagrams", load: async () => (await import("./commands/export.js")).exportCommand },
  site: { summary: "build a static portal: status board, search, rendered specs, diagrams, downloads", load: async () => (await import("./commands/site.js")).siteCommand },
  status: { summary: "move a spec along its lifecycle (Draft → In Review → Approved → Implemented → Archived)", load: async () => (await import("./commands/status.js")).statusCommand },
  approve: { summary: "record an approval or rejection, pinned to the content's digest", load: async () => (await import("./commands/approve.js")).approveCommand },
  supersede: { summary: "mark a spec superseded by another, with links both ways", load: async () => (await import("./commands/supersede.js")).supersedeCommand },
  log: { summary: "a spec's history from git: status changes and approvals with author, date and commit", load: async () => (await import("./commands/log.js")).logCommand },
  diff: { summary: "what changed between two versions of a spec, breaking or not (text, json, markdown)", load: async () => (await import("./commands/diff.js")).diffCommand },
  mock: { summary: "serve a spec's APIs from its examples, validating requests, before the service exists", load: async () => (await import("./commands/mock.js")).mockCommand },
  verify: { summary: "check a running service, a database or an OpenAPI document against a spec", load: async () => (await import("./commands/verify.js")).verifyCommand },
  serve: { summary: "run the review server: accounts, comments, approvals, edits with live lint, audit log", load: async () => (await import("./commands/serve.js")).serveCommand },
  users: { summary: "add and list the review server's accounts", load: async () => (await import("./commands/users.js")).usersCommand },
  tokens: { summary: "create and revoke the review server's API tokens", load: async () => (await import("./commands/tokens.js")).tokensCommand },
  rules: { summary: "list the lint rules", load: async () => (await import("./commands/rules.js")).rulesCommand },
  lsp: { summary: "a language server for editors (diagnostics, fixes, completion, hover, definitions, symbols)", load: async () => (await import("./commands/lsp.js")).lspCommand },
};

const HELP = `Usage: techspec <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(11)}${c.summary}`).join("\n")}

Options:
  -h, --help     show help (also "techspec <command> --help")
  -v, --version  print the version
  --debug        print stack traces of internal errors

Environment:
  TECHSPEC_NOW   the date (or date-time) to use as today, e.g. 2026-11-24, for reproducible runs
  NO_COLOR       plain output on a terminal

Exit codes: 0 clean, 1 lint findings (or a refused lifecycle step, a breaking diff with --fail-on,
drift found by verify), 2 usage, configuration or input error (or a service verify cannot reach).
`;

/** How many times a command whose spec changed under it (a RaceError) is run before the race is reported. */
const RACE_ATTEMPTS = 5;

async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  const args = argv.filter((a) => a !== "--debug");
  const first = args[0];
  if (first === "--version" || first === "-v") {
    const { readFileSync } = await import("node:fs");
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    process.stdout.write(HELP);
    return first === undefined ? 2 : 0;
  }
  const entry = COMMANDS[first];
  if (!entry) {
    process.stderr.write(`techspec: unknown command "${first}" (commands: ${Object.keys(COMMANDS).join(", ")})\n`);
    return 2;
  }
  const fixed = process.env["TECHSPEC_NOW"];
  const clock = fixed === undefined || fixed === "" ? null : fixedClock(fixed);
  if (clock === undefined) {
    const shown = JSON.stringify(fixed!.length > 40 ? `${fixed!.slice(0, 40)}…` : fixed);
    process.stderr.write(`techspec: TECHSPEC_NOW=${shown} is not an ISO date or date-time (expected e.g. 2026-11-24 or 2026-11-24T09:30:00Z; unset it to use the system clock)\n`);
    return 2;
  }
  let printed = false;
  try {
    const command = await entry.load();
    const { Leftovers } = await import("../workspace/leftovers.js");
    // Signal handlers exist only once something is registered: until then Ctrl-C stops the process at once, as usual.
    const leftovers = new Leftovers(() => {
      const onSignal = (signal: NodeJS.Signals): void => {
        leftovers.removeAll();
        process.stderr.write(`techspec: interrupted (${signal}); unfinished files removed, nothing half-written\n`);
        // Die of the signal itself, so a calling shell or script sees it.
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        process.kill(process.pid, signal);
        setImmediate(() => process.exit(signal === "SIGINT" ? 130 : 143));
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      // A signal that came during a write is handled once the write is done; one more turn of the event loop before
      // exiting lets it be, instead of the process ending as if it had not come.
      process.once("beforeExit", () => setImmediate(() => {}));
    });
    const io: Io = {
      cwd: process.cwd(),
      env: process.env,
      stdout: (t) => {
        printed = true;
        process.stdout.write(t);
      },
      stderr: (t) => void process.stderr.write(t),
      stdoutIsTTY: !!process.stdout.isTTY,
      stderrIsTTY: !!process.stderr.isTTY,
      timer: () => performance.now(),
      now: clock ?? (() => new Date()),
      leftovers,
      stdin: async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString("utf8");
      },
      stopped: () => new Promise((resolve) => {
        const stop = (signal: NodeJS.Signals): void => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve(signal);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      }),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await command(args.slice(1), io);
      } catch (err) {
        // A spec changed between reading and writing (another run wrote it at the same moment) and nothing was
        // written: the command runs again from what is there now, a few times, before saying so.
        if ((err as { code?: string }).code !== "RACE" || printed || attempt >= RACE_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 50 * attempt)));
      }
    }
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code === "REFUSED") {
      process.stderr.write(`techspec: ${e.message}\n`);
      return 1;
    }
    if (e.code === "USAGE" || e.code === "CONFIG" || e.code === "INPUT" || e.code === "RACE") {
      process.stderr.write(`techspec: ${e.message}\n`);
    } else {
      process.stderr.write(`techspec: internal error: ${e.message}${debug ? "" : " (run again with --debug for details)"}\n`);
    }
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    return 2;
  }
}

/**
 * The clock TECHSPEC_NOW sets, for reproducible runs and tests: an ISO date (that day, 00:00 local time)
 * or date-time (`2026-11-24T09:30`, local; with `Z` or `+01:00`, that instant). Undefined when invalid.
 */
function fixedClock(value: string): (() => Date) | undefined {
  const m = /^([1-9]\d{3})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))?)?$/.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number) as [number, number, number, number, number, number];
  const monthDays = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[7] && m[7] !== "Z" && (Number(m[8]) > 23 || Number(m[9]) > 59)) return undefined;
  // Date.parse reads a date-time without an offset as local time; a bare date it would read as UTC, so build that one.
  const ms = m[4] === undefined ? new Date(year, month - 1, day).getTime() : Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  return () => new Date(ms);
}

// A closed pipe (`techspec list | head -1`) is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`techspec: internal error: ${(err as Error).message}\n`);
    process.exitCode = 2;
  },
);
