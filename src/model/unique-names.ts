// Names made unique with a counter (operation ids, type names, SQL constraint names, output files, portal slugs).

/**
 * A set of taken names that hands out free ones: `base` itself, else `variant(2)`, `variant(3)`, … the first one not
 * taken. Where the count stopped for each base is remembered (names only ever get taken, so the ones below it stay
 * taken), so n repeats of one base cost about n checks rather than n²/2; the names are those the plain loop picks.
 */
export class UniqueNames {
  private readonly taken = new Set<string>();
  /** Per base: the next counter to try (every name before it is taken). */
  private readonly counters = new Map<string, number>();

  /** `key` maps a name to what must be unique (`toLowerCase` where case does not tell names apart). */
  constructor(names: Iterable<string> = [], private readonly key: (name: string) => string = (n) => n) {
    for (const n of names) this.taken.add(key(n));
  }

  has(name: string): boolean {
    return this.taken.has(this.key(name));
  }

  add(name: string): void {
    this.taken.add(this.key(name));
  }

  /** The first free name of `base`, now taken; `variant(i)` must depend on `base` and `i` only. */
  take(base: string, variant: (i: number) => string): string {
    let i = this.counters.get(base) ?? 1; // 1 is `base` itself
    let name = i === 1 ? base : variant(i);
    while (this.taken.has(this.key(name))) name = variant(++i);
    this.counters.set(base, i + 1);
    this.taken.add(this.key(name));
    return name;
  }
}
