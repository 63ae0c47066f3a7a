/** A span in the source text: 1-based lines and columns; end is exclusive in columns. */
export interface Span {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * Positions of model values, keyed by the value's path in the model with `/` separators,
 * e.g. `metadata/status`, `apis/0/method`, `dataModel/entities/1/fields/2/type`.
 */
export type PositionMap = ReadonlyMap<string, Span>;

/** The span of `path`, falling back to the nearest ancestor path that has one. */
export function spanOf(pos: PositionMap, path: string): Span | undefined {
  let p = path;
  for (;;) {
    const s = pos.get(p);
    if (s) return s;
    const cut = p.lastIndexOf("/");
    if (cut < 0) return undefined;
    p = p.slice(0, cut);
  }
}
