// API paths as templates (`/refunds/{refundId}`): what the lint rules, the diff and the OpenAPI export read of them.
// Each is one pass; the regexes they replace retry the rest of the text from every `{` or `/` of a long run.

/** The names between braces, as `[...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])` lists them. */
export function pathParameters(path: string): string[] {
  const names: string[] = [];
  let close = -1; // the first `}` after the current `{`
  for (let open = path.indexOf("{"); open >= 0; open = path.indexOf("{", open + 1)) {
    if (close <= open) close = path.indexOf("}", open + 1);
    if (close < 0) break; // no `}` after this `{`, nor after any later one
    if (close === open + 1) continue; // `{}` names nothing; the next `{` may start a name
    names.push(path.slice(open + 1, close));
    open = close;
  }
  return names;
}

/**
 * The parameters a path names, `{name}` (no `/` inside) or `/:name`, as
 * `[...path.matchAll(/\{([^}/]+)\}|\/:([A-Za-z_]\w*)/g)].map((m) => m[1] ?? m[2])` lists them.
 */
export function namedParameters(path: string): string[] {
  const names: string[] = [];
  let stop = -1; // the first `}` or `/` after the current `{`
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 123 /* { */) {
      if (stop <= i) {
        stop = i + 1;
        while (stop < path.length && path[stop] !== "}" && path[stop] !== "/") stop++;
      }
      if (stop < path.length && path[stop] === "}" && stop > i + 1) {
        names.push(path.slice(i + 1, stop));
        i = stop;
      }
    } else if (c === 47 /* / */ && path[i + 1] === ":" && /[A-Za-z_]/.test(path[i + 2] ?? "")) {
      let j = i + 3;
      while (j < path.length && /\w/.test(path[j]!)) j++;
      names.push(path.slice(i + 2, j));
      i = j - 1;
    }
  }
  return names;
}

/** The path with every `{…}` (braces included, names removed) written `{}`, as `path.replace(/\{[^}]*\}/g, "{}")`. */
export function unnamedParameters(path: string): string {
  let out = "";
  let from = 0;
  for (let open = path.indexOf("{"); open >= 0; open = path.indexOf("{", from)) {
    const close = path.indexOf("}", open + 1);
    if (close < 0) break;
    out += `${path.slice(from, open)}{}`;
    from = close + 1;
  }
  return from === 0 ? path : out + path.slice(from);
}

/** The length of `s` without its trailing run of `/`. */
export function trailingSlashesStart(s: string): number {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 47 /* / */) end--;
  return end;
}
