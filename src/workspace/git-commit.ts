// Commits made by the review server: one file, the person who acted as author, the server as committer, and a
// trailer naming the authenticated account. Git runs asynchronously, so a slow repository never blocks requests.
import { execFile } from "node:child_process";
import { dirname } from "node:path";
import { posixRelative } from "./paths.js";

export interface CommitRequest {
  readonly author: { readonly name: string; readonly email: string };
  readonly committer: { readonly name: string; readonly email: string };
  readonly message: string;
  /** Trailer lines, e.g. ["Techspec-Account: ann@example.com"]. */
  readonly trailers: readonly string[];
  /** An SSH private key (its path) to sign the commit with (gpg.format=ssh); unsigned without it. */
  readonly signingKey?: string | undefined;
}

function run(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile("git", args, { cwd, env: { ...process.env, ...env }, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      resolvePromise({ ok: !err, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The top folder of the git repository holding `dir`, or null. */
export async function repositoryOf(dir: string): Promise<string | null> {
  const r = await run(dir, ["rev-parse", "--show-toplevel"]);
  return r.ok ? r.stdout.trim() : null;
}

/** A commit made (or found: the file as it is was already committed), or why there is none. */
export type CommitOutcome = { readonly commit: string } | { readonly skipped: string };

/**
 * Commits exactly `file` (whatever else is staged stays staged and uncommitted). Returns the new commit, or why
 * there is none: not in a repository, or git refused (the reason is git's first line).
 */
export async function commitFile(file: string, request: CommitRequest): Promise<CommitOutcome> {
  const root = await repositoryOf(dirname(file));
  if (!root) return { skipped: "the workspace is not a git repository" };
  const rel = posixRelative(root, file);
  const added = await run(root, ["add", "--", rel]);
  if (!added.ok) return { skipped: `git add failed: ${added.stderr.trim().split("\n")[0] ?? ""}` };
  // Already committed as it is (a write finished after a restart): the commit that holds it.
  if ((await run(root, ["diff", "--quiet", "HEAD", "--", rel])).ok && (await run(root, ["ls-files", "--error-unmatch", "--", rel])).ok) {
    const last = await run(root, ["log", "-1", "--format=%H", "--", rel]);
    if (last.ok && last.stdout.trim()) return { commit: last.stdout.trim() };
  }
  const message = `${request.message}\n\n${request.trailers.join("\n")}\n`;
  const env = {
    GIT_AUTHOR_NAME: request.author.name, GIT_AUTHOR_EMAIL: request.author.email,
    GIT_COMMITTER_NAME: request.committer.name, GIT_COMMITTER_EMAIL: request.committer.email,
  };
  const signing = request.signingKey ? ["-c", "gpg.format=ssh", "-c", `user.signingkey=${request.signingKey}`, "commit", "-S"] : ["-c", "commit.gpgsign=false", "commit"];
  const done = await run(root, [...signing, "--no-verify", "--only", "-q", "-m", message, "--", rel], env);
  if (!done.ok) return { skipped: `git commit failed: ${(done.stderr.trim() || done.stdout.trim()).split("\n")[0] ?? ""}` };
  const head = await run(root, ["rev-parse", "HEAD"]);
  return head.ok ? { commit: head.stdout.trim() } : { skipped: "git rev-parse HEAD failed after the commit" };
}
