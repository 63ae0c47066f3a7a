// What `serve`, `users` and `tokens` share: the workspace folder and the database it uses.
import { resolve } from "node:path";
import { openStore } from "../../store/open-store.js";
import type { Store } from "../../store/store.js";
import { resolveConfig, type Config } from "../../workspace/config.js";
import { InputError } from "../../workspace/errors.js";
import type { Io } from "../io.js";

export const SERVER_OPTIONS = {
  db: { type: "string" },
  config: { type: "string", short: "c" },
  help: { type: "boolean", short: "h" },
} as const;

export const DB_HELP = `  --db <url>           the database: postgres://user:pass@host/db, or a SQLite file (default
                       <workspace>/.techspec/techspec.db; DATABASE_URL is used when set)
  -c, --config <file>  use this configuration file`;

/** The workspace's configuration and its database, opened (and migrated). */
export async function openWorkspaceStore(io: Io, dir: string | undefined, values: { db?: string | undefined; config?: string | undefined }): Promise<{ config: Config; store: Store }> {
  const config = await resolveConfig(resolve(io.cwd, dir ?? "."), values.config);
  const db = values.db ?? (io.env["DATABASE_URL"] || undefined);
  let store: Store;
  try {
    store = await openStore({ db, workspace: config.root });
  } catch (err) {
    throw new InputError((err as Error).message.split("\n")[0]!, { cause: err });
  }
  return { config, store };
}
