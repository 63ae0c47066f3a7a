import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { redactUrl } from "../store/postgres.js";
import { InputError } from "../workspace/errors.js";

/** The database a `--database-url` names. */
export type DatabaseTarget =
  | { readonly engine: "postgres"; readonly url: string; readonly location: string }
  | { readonly engine: "sqlite"; readonly file: string; readonly location: string };

/** The forms `--database-url` accepts, for messages. */
export const DATABASE_URL_FORMS = "postgres://user@host:port/database, postgresql://…, sqlite:<path>, sqlite://<path> or file:<path>";

/**
 * Reads a database URL: `postgres://…` / `postgresql://…`, or a SQLite file as `sqlite:path`, `sqlite://path`,
 * `sqlite:/abs/path`, `file:path` or `file:///abs/path` (relative paths against `cwd`). Throws a
 * `InputError` naming the accepted forms, never showing a password.
 */
export function parseDatabaseUrl(url: string, cwd: string): DatabaseTarget {
  const value = url.trim();
  if (/^postgres(?:ql)?:\/\//i.test(value)) return { engine: "postgres", url: value, location: redactUrl(value) };
  let file: string;
  if (/^file:\/\//i.test(value)) {
    try {
      file = fileURLToPath(value);
    } catch (error) {
      throw new InputError(`Cannot read the database URL "${redactUrl(value)}": ${(error as Error).message}; use ${DATABASE_URL_FORMS}`, { cause: error });
    }
  } else if (/^sqlite:\/\//i.test(value)) {
    file = value.slice("sqlite://".length);
  } else if (/^(?:sqlite|file):/i.test(value)) {
    file = value.replace(/^(?:sqlite|file):/i, "");
  } else {
    throw new InputError(`Unsupported database URL "${redactUrl(value)}": use ${DATABASE_URL_FORMS}`);
  }
  if (file === "") throw new InputError(`The database URL "${value}" names no file: use ${DATABASE_URL_FORMS}`);
  const absolute = resolve(cwd, file);
  return { engine: "sqlite", file: absolute, location: absolute };
}


/** The password a URL carries, if any (so that a driver's message can be scrubbed of it). */
export function passwordOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    const p = parsed.password !== "" ? decodeURIComponent(parsed.password) : parsed.searchParams.get("password");
    return p === null || p === "" ? null : p;
  } catch {
    return /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]*)@/i.exec(url)?.[1] ?? null;
  }
}
