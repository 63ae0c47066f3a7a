import type { GitFacts } from "../rules/rule.js";

/**
 * What git knows of a spec, for an editor's text that differs from the saved file: the facts git gives of the
 * file on disk, read as they will be once the text is saved. A line of the text that is a line of the file (in
 * the unchanged lines before and after the edited region) has that line's author and signature; an edited line
 * has none yet (as `git blame` says of an uncommitted line). The version before is HEAD's, as for any file with
 * uncommitted changes.
 */
export function bufferGitFacts(facts: GitFacts, diskText: string, text: string, headText: () => string | null): GitFacts {
  const map = lineMap(diskText, text);
  const out: GitFacts = {
    lineAuthor: (line) => {
      const at = map(line);
      return at === null ? null : facts.lineAuthor(at);
    },
    previousText: headText,
    lastContentCommit: (digestOf) => facts.lastContentCommit(digestOf),
  };
  const signature = facts.lineSignature?.bind(facts);
  const trust = facts.trust?.bind(facts);
  return {
    ...out,
    ...(signature ? { lineSignature: (line: number) => { const at = map(line); return at === null ? null : signature(at); } } : {}),
    ...(trust ? { trust } : {}),
  };
}

/**
 * Maps a 1-based line of `text` to the line of `before` it is unchanged from, by the common lines at the start and
 * at the end (an edit is one region while typing); lines in between map to null.
 */
export function lineMap(before: string, text: string): (line: number) => number | null {
  const a = splitLines(before);
  const b = splitLines(text);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return (line) => {
    if (line < 1 || line > b.length) return null;
    if (line <= prefix) return line;
    if (line > b.length - suffix) return line - b.length + a.length;
    return null;
  };
}

function splitLines(text: string): string[] {
  // A byte order mark is not part of line 1 (the parser skips it, and an editor does not show it).
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}
