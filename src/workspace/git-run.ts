import { execFileSync } from "node:child_process";

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
