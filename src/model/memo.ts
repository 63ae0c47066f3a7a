// A bounded memo of a pure function of a string, shared by the specs of one run (type spellings, constraint
// texts, label normalization, snake_case names repeat from spec to spec). See ARCHITECTURE.md, "Deliberate exceptions".

/**
 * A copy of `s` that holds no reference to the text it was cut from. V8 keeps a substring of 13 or more characters
 * as a view of its whole source text, so a memo keyed by such views would keep every spec of a run in memory.
 */
export function detached(s: string): string {
  // Concatenation makes a new string; slicing it flattens that into a fresh copy, which the result views.
  return s.length < 13 ? s : (` ${s}`).slice(1);
}

/** A map from strings to values of a pure function, emptied when it reaches `limit` entries. */
export class StringMemo<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, value: V): V {
    return this.put(detached(key), value);
  }

  /** The memoized value of `compute(key)`, computed from a detached copy of the key so that it holds none of the text either. */
  of(key: string, compute: (key: string) => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const own = detached(key);
    return this.put(own, compute(own));
  }

  private put(own: string, value: V): V {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(own, value);
    return value;
  }
}
