// A file a page links to, checked on disk before anything of it is published: where it is (inside the workspace,
// not hidden, not the configuration, also once symbolic links are followed), then what it holds (publish-policy.ts).
import { readFileSync, realpathSync, statSync } from "node:fs";
import { basename } from "node:path";
import { isInside, posixRelative } from "../workspace/paths.js";
import { classifyLinkedFile, isConfigName, isHiddenPath } from "./publish-policy.js";

/** Where linked files may come from. */
export interface PublishScope {
  /** The workspace folder, as the links are resolved against it. */
  readonly root: string;
  /** The same folder with symbolic links resolved. */
  readonly realRoot: string;
  /** The real path of the configuration file the run used, or null. */
  readonly realConfig: string | null;
  /** The largest SVG image shown inline (it is written into every page that shows it). */
  readonly maxInlineBytes: number;
}

/** A linked file that may be published, with the bytes that were checked (and are the ones to publish). */
export type InspectedFile =
  | { readonly kind: "page" | "copy" | "svg"; readonly bytes: Buffer }
  | { readonly kind: "refused"; readonly reason: string };

const OUTSIDE = "is outside the workspace and is not published";
const HIDDEN = "is a dotfile or lies in a dot-folder, which is never published";
const CONFIG = "is the techspec configuration file, which is never published";

/** Checks the file at `abs` (a lexically resolved absolute path) and reads it once if it may be published. */
export function inspectLinkedFile(abs: string, scope: PublishScope): InspectedFile {
  if (!isInside(scope.root, abs)) return refused(OUTSIDE);
  if (isHiddenPath(posixRelative(scope.root, abs))) return refused(HIDDEN);
  if (isConfigName(basename(abs))) return refused(CONFIG);
  let real: string;
  try {
    if (!statSync(abs).isFile()) return refused("is not a file");
    real = realpathSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return refused(code === "ENOENT" || code === "ENOTDIR" ? "does not exist" : `cannot be read (${code ?? (err as Error).message})`);
  }
  // A symbolic link must not publish what lies outside the workspace, a hidden file or the configuration either.
  if (!isInside(scope.realRoot, real)) return refused(OUTSIDE);
  if (isHiddenPath(posixRelative(scope.realRoot, real))) return refused("leads to a dotfile or into a dot-folder, which is never published");
  if (real === scope.realConfig || isConfigName(basename(real))) return refused(CONFIG);
  let bytes: Buffer;
  try {
    bytes = readFileSync(real);
  } catch (err) {
    return refused(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const publication = classifyLinkedFile(basename(abs), bytes);
  if (publication.kind === "refused") return publication;
  if (publication.kind === "svg" && bytes.length > scope.maxInlineBytes) {
    return refused(`is an SVG image of ${bytes.length} bytes, more than maxFileSize (${scope.maxInlineBytes}) to show inline, and is not published`);
  }
  return { kind: publication.kind, bytes };
}

function refused(reason: string): InspectedFile {
  return { kind: "refused", reason };
}
