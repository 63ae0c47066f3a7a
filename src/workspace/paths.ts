import { isAbsolute, relative, sep } from "node:path";

/** `to` relative to `from`, with "/" separators on every platform (for links, git paths and display). */
export function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join("/");
}

/** Whether `path` is `dir` or lies under it. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  // "..notes.md" is a name inside `dir`; only ".." itself, or a path through it, leads out.
  return rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** A path safe to print on one line: control characters (a newline in a file name) shown as escapes. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** How paths are shown: relative to `cwd` with `/` separators. */
export function displayPath(path: string, cwd: string): string {
  return posixRelative(cwd, path) || path;
}
