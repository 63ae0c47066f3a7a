import { hashPassword, normalizeEmail, passwordProblem } from "../../server/auth.js";
import { StoreConflict } from "../../store/store.js";
import { InputError, UsageError } from "../../workspace/errors.js";
import { parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";
import { DB_HELP, openWorkspaceStore, SERVER_OPTIONS } from "./server-args.js";

const HELP = `Usage: techspec users add EMAIL --name NAME [--password-stdin] [dir] [--db URL]
       techspec users passwd EMAIL --password-stdin [dir] [--db URL]
       techspec users list [dir] [--db URL] [--json]

Manages the review server's accounts (techspec serve) in the database the server uses.
Passwords are read from standard input (never from the command line) and stored as argon2id hashes.
An account without a password signs in with an API token (techspec tokens create EMAIL).
Who may approve for a role comes from "roles" in techspec.config.json, matched by e-mail address.

Options:
  --name <name>        the person's name, as approval lines write it
  --password-stdin     read the password from standard input (at least 10 characters)
  --json               print the accounts as JSON
${DB_HELP}
  -h, --help           show this help

Exit codes: 0 done, 2 usage, configuration or database error.
`;

export const usersCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("users", argv, {
    ...SERVER_OPTIONS, name: { type: "string" }, "password-stdin": { type: "boolean" }, json: { type: "boolean" },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const [action, ...rest] = positionals;
  if (action !== "add" && action !== "list" && action !== "passwd") throw new UsageError('users: give add, passwd or list, e.g. techspec users add ann@example.com --name "Ann Example"');
  const email = action === "list" ? null : rest.shift();
  if (action !== "list" && !email) throw new UsageError(`users: ${action} needs an e-mail address`);
  if (rest.length > 1) throw new UsageError(`users: unexpected argument "${rest[1]}"`);
  const address = email === null || email === undefined ? null : normalizeEmail(email);
  if (email && !address) throw new UsageError(`users: "${email}" is not an e-mail address`);
  if (action === "add" && !values.name?.trim()) throw new UsageError('users: add needs --name "Full Name" (what approval lines write)');
  if (action === "passwd" && !values["password-stdin"]) throw new UsageError("users: passwd reads the new password with --password-stdin");
  let passwordHash: string | null = null;
  if (values["password-stdin"]) {
    if (!io.stdin) throw new UsageError("users: no standard input to read the password from");
    const password = (await io.stdin()).replace(/\r?\n$/, "");
    const problem = passwordProblem(password);
    if (problem) throw new UsageError(`users: ${problem}`);
    passwordHash = await hashPassword(password);
  }
  const { store } = await openWorkspaceStore(io, rest[0], values);
  try {
    if (action === "list") {
      const users = await store.listUsers();
      if (values.json) io.stdout(`${JSON.stringify(users.map((u) => ({ email: u.email, name: u.name, password: u.passwordHash !== null, createdAt: u.createdAt })), null, 2)}\n`);
      else if (users.length === 0) io.stdout('no accounts yet: techspec users add you@example.com --name "Your Name" --password-stdin\n');
      else for (const u of users) io.stdout(`${u.email}\t${u.name}\t${u.passwordHash ? "password" : "no password"}\t${u.createdAt}\n`);
      return 0;
    }
    if (action === "passwd") {
      const user = await store.userByEmail(address!);
      if (!user) throw new InputError(`users: no account ${address} (add it with techspec users add)`);
      await store.setPassword(user.id, passwordHash!);
      await store.appendAudit({ at: io.now().toISOString(), actorId: user.id, actor: user.email, action: "password-set", specId: null, revision: null, address: null, detail: JSON.stringify({ via: "cli" }) });
      io.stdout(`${address}: password set\n`);
      return 0;
    }
    try {
      const user = await store.addUser({ email: address!, name: values.name!.replace(/\s+/g, " ").trim(), passwordHash, now: io.now().toISOString() });
      await store.appendAudit({ at: io.now().toISOString(), actorId: user.id, actor: user.email, action: "user-add", specId: null, revision: null, address: null, detail: JSON.stringify({ via: "cli", name: user.name }) });
      io.stdout(`added ${user.name} <${user.email}>${passwordHash ? "" : " without a password (sign in with a token: techspec tokens create " + user.email + ")"}\n`);
    } catch (err) {
      if (err instanceof StoreConflict) throw new InputError(`users: ${address} already has an account`);
      throw err;
    }
    return 0;
  } finally {
    await store.close();
  }
};
