import { execFile, execFileSync, spawnSync } from "node:child_process";

/** How `git` and `gitStream` run git: text for its stdin, and variables added to the environment. */
export interface GitRunOptions {
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs git in `cwd`; stdout, or null when git fails or is missing. */
export function git(cwd: string, args: readonly string[], options: GitRunOptions = {}): string | null {
  try {
    return execFileSync("git", args, {
      cwd, encoding: "utf8", maxBuffer: 1 << 28,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "ignore"],
      ...(options.input === undefined ? {} : { input: options.input }),
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
    });
  } catch {
    return null;
  }
}

/** Runs git in `cwd`; stdout and stderr, or null when git fails or is missing. */
export function gitWithStderr(cwd: string, args: readonly string[], options: GitRunOptions = {}): { readonly stdout: string; readonly stderr: string } | null {
  const r = spawnSync("git", args, {
    cwd, encoding: "utf8", maxBuffer: 1 << 28,
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  return r.error || r.status !== 0 ? null : { stdout: r.stdout, stderr: r.stderr };
}

/** Runs git in `cwd` without blocking the event loop (for the review server); stdout, or null when git fails. */
export function gitAsync(cwd: string, args: readonly string[]): Promise<string | null> {
  return new Promise((resolvePromise) => {
    execFile("git", args, { cwd, encoding: "utf8", maxBuffer: 1 << 28 }, (err, stdout) => resolvePromise(err ? null : stdout));
  });
}
