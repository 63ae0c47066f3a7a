import { newToken, normalizeEmail } from "../../server/auth.js";
import { InputError, UsageError } from "../../workspace/errors.js";
import { parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";
import { DB_HELP, openWorkspaceStore, SERVER_OPTIONS } from "./server-args.js";

const HELP = `Usage: techspec tokens create EMAIL [--name LABEL] [dir] [--db URL]
       techspec tokens revoke ID [dir] [--db URL]
       techspec tokens list [EMAIL] [dir] [--db URL] [--json]

API tokens let scripts and CI call the review server as an account:
  Authorization: Bearer <token>
"create" prints the token once; only its SHA-256 is stored. "revoke" ends it at once.

Options:
  --name <label>       what the token is for (shown by "list")
  --json               print as JSON
${DB_HELP}
  -h, --help           show this help

Exit codes: 0 done, 2 usage, configuration or database error.
`;

export const tokensCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommandArgs("tokens", argv, { ...SERVER_OPTIONS, name: { type: "string" }, json: { type: "boolean" } });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const [action, ...rest] = positionals;
  if (action !== "create" && action !== "revoke" && action !== "list") throw new UsageError("tokens: give create, revoke or list, e.g. techspec tokens create ann@example.com --name ci");
  let email: string | null = null;
  let id: number | null = null;
  if (action === "create" || (action === "list" && rest[0]?.includes("@"))) {
    const given = rest.shift();
    if (!given) throw new UsageError("tokens: create needs the account's e-mail address");
    email = normalizeEmail(given);
    if (!email) throw new UsageError(`tokens: "${given}" is not an e-mail address`);
  } else if (action === "revoke") {
    const given = rest.shift();
    id = Number(given);
    if (!given || !Number.isInteger(id) || id < 1) throw new UsageError(`tokens: revoke needs a token id (see techspec tokens list), got "${given ?? ""}"`);
  }
  if (rest.length > 1) throw new UsageError(`tokens: unexpected argument "${rest[1]}"`);
  const { store } = await openWorkspaceStore(io, rest[0], values);
  try {
    const at = io.now().toISOString();
    if (action === "create") {
      const user = await store.userByEmail(email!);
      if (!user) throw new InputError(`tokens: no account ${email} (add it with techspec users add ${email} --name NAME)`);
      const { secret, secretHash } = newToken();
      const token = await store.addToken({ userId: user.id, name: values.name?.trim() || "token", secretHash, now: at });
      await store.appendAudit({ at, actorId: user.id, actor: user.email, action: "token-create", specId: null, revision: null, address: null, detail: JSON.stringify({ via: "cli", token: token.id, name: token.name }) });
      if (values.json) io.stdout(`${JSON.stringify({ id: token.id, email: user.email, name: token.name, token: secret }, null, 2)}\n`);
      else io.stdout(`${secret}\n`);
      io.stderr(`token ${token.id} for ${user.email}: shown once, store it now (send it as "Authorization: Bearer <token>")\n`);
      return 0;
    }
    if (action === "revoke") {
      if (!(await store.revokeToken(id!, at))) throw new InputError(`tokens: no live token ${id} (see techspec tokens list)`);
      await store.appendAudit({ at, actorId: null, actor: "", action: "token-revoke", specId: null, revision: null, address: null, detail: JSON.stringify({ via: "cli", token: id }) });
      io.stdout(`token ${id} revoked\n`);
      return 0;
    }
    const user = email ? await store.userByEmail(email) : null;
    if (email && !user) throw new InputError(`tokens: no account ${email}`);
    const tokens = await store.listTokens(user?.id);
    const users = new Map((await store.listUsers()).map((u) => [u.id, u.email]));
    const rows = tokens.map((t) => ({ id: t.id, email: users.get(t.userId) ?? null, name: t.name, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt }));
    if (values.json) io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    else for (const r of rows) io.stdout(`${r.id}\t${r.email}\t${r.name}\t${r.revokedAt ? `revoked ${r.revokedAt}` : `last used ${r.lastUsedAt ?? "never"}`}\n`);
    return 0;
  } finally {
    await store.close();
  }
};
