import { isAbsolute, relative, sep } from "node:path";

/** `to` relative to `from`, with "/" separators on every platform (for links, git paths and display). */
export function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join("/");
}

/** Whether `path` is `dir` or lies under it. */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return !rel.startsWith("..") && !isAbsolute(rel);
}
