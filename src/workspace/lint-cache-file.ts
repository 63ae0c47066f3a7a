// The lint cache's file, in columns rather than an object per spec, so that reading back the findings of 10,000
// specs allocates little: their numbers in one array, each distinct string (a message, a rule id) once, and every
// diagnostic as a few small integers until it is asked for. JSON, and ASCII only, so that it reads without decoding.
import type { Diagnostic } from "../model/diagnostic.js";
import type { Dependencies, Proof, ProofRef } from "./lint-dependencies.js";

/** The format of the cache file; a file of another format is ignored. */
export const FORMAT = 1;

/** Numbers per file: size, mtimeMs, its folder's mtimeMs (-1: none), size and inode, dependencies (an index), the
 * Feature ID's line (-1: none), column, end line and end column, decided (1), where its diagnostics start in `values`
 * and how many there are. */
const STRIDE = 13;
/** Characters of a file's digest (SHA-256 in base64), and of a folder listing's digest. */
export const DIGEST_LENGTH = 44;
export const LISTING_LENGTH = 16;
const NO_LISTING = "-".repeat(LISTING_LENGTH);

/** Dependencies as written: proofs as an index into `proofs`, -2 for the file's folder, -1 for none. */
export interface StoredDeps {
  readonly e?: readonly (readonly [string, boolean, number])[];
  readonly a?: readonly (readonly [string, string | null, number])[];
  readonly f?: readonly (readonly [string, string | null, number])[];
  readonly g?: readonly [string | null, string];
}

/** The last search for spec files: its key, the links and the folders it depended on (those not given with a file's folder), what it found. */
export interface StoredFound {
  readonly key: string;
  readonly links: readonly Proof[];
  /** Path, mtimeMs, size, inode and listing digest of each folder, flat. */
  readonly folders: readonly (string | number)[];
  /** Each file found: the index of its entry (most), or its path and display. */
  readonly files: readonly (number | readonly [string, string])[];
}

/** The cache file. */
export interface CacheFile {
  readonly techspecLintCache: number;
  readonly key: string;
  readonly proofs: readonly Proof[];
  readonly deps: readonly StoredDeps[];
  /** Every string value of the diagnostics, once. */
  readonly strings: readonly string[];
  /**
   * The key orders of the diagnostics and how each value is kept: `s` a string (its index in `strings`), `n` a
   * number, `d` the file's display (written as 0), `j` any other value (its JSON, in `strings`), `u` undefined.
   */
  readonly shapes: readonly (readonly [keys: readonly string[], kinds: string])[];
  readonly paths: readonly string[];
  readonly displays: readonly string[];
  readonly featureIds: readonly (string | null)[];
  readonly inputErrors: readonly (string | null)[];
  readonly numbers: readonly number[];
  readonly digests: string;
  /** For each file, the digest of its folder's listing when the last search depended on that folder (same proof), else dashes. */
  readonly listings: string;
  /** The diagnostics: each its shape's index, then one value per key. */
  readonly values: readonly number[];
  readonly found?: StoredFound;
  /** Names this set of entries: kept while a write only copies them (new metadata, another search), new otherwise. */
  readonly generation?: string;
}

/** What a lint cache keeps of one linted file, to write it. */
export interface NewEntry {
  readonly path: string;
  readonly display: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly digest: string;
  /** Its folder's proof (mtimeMs, size, inode), or null when there was none. */
  readonly folder: readonly [number, number, number] | null;
  readonly deps: number;
  readonly featureId: string | null;
  readonly featureIdAt: { readonly line: number; readonly column: number; readonly endLine: number; readonly endColumn: number } | null;
  readonly decided: boolean;
  readonly inputError: string | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** A cache file as read, checked to be of this format and key; values are read by the entry's index. */
export class CacheFileReader {
  readonly count: number;
  /** The dependencies of the entries, by index. */
  readonly deps: readonly Dependencies[];
  private readonly templates: readonly Readonly<Record<string, unknown>>[];

  private constructor(readonly data: CacheFile) {
    this.count = data.paths.length;
    this.deps = data.deps.map((s) => decodeDeps(s, data.proofs));
    this.templates = data.shapes.map(([keys]) => Object.fromEntries(keys.map((k) => [k, undefined])));
  }

  /** The file read from its text, when it is a cache of this format and key; null for anything else. */
  static parse(text: string, key: string): CacheFileReader | null {
    let data: CacheFile;
    try {
      data = JSON.parse(text) as CacheFile;
    } catch {
      return null;
    }
    if (!data || typeof data !== "object" || data.techspecLintCache !== FORMAT || data.key !== key) return null;
    const n = Array.isArray(data.paths) ? data.paths.length : -1;
    const ok = n >= 0 && [data.displays, data.featureIds, data.inputErrors].every((a) => Array.isArray(a) && a.length === n)
      && Array.isArray(data.numbers) && data.numbers.length === n * STRIDE && data.numbers.every((x) => typeof x === "number")
      && typeof data.digests === "string" && data.digests.length === n * DIGEST_LENGTH
      && typeof data.listings === "string" && data.listings.length === n * LISTING_LENGTH
      && data.paths.every((p) => typeof p === "string") && data.displays.every((p) => typeof p === "string")
      && Array.isArray(data.values) && data.values.every((x) => typeof x === "number")
      && Array.isArray(data.strings) && data.strings.every((x) => typeof x === "string")
      && Array.isArray(data.shapes) && data.shapes.every((s) => Array.isArray(s) && Array.isArray(s[0]) && typeof s[1] === "string"
        && s[1].length === s[0].length && /^[sndju]*$/.test(s[1]) && s[0].every((k) => typeof k === "string"))
      && Array.isArray(data.proofs) && data.proofs.every((p) => Array.isArray(p) && typeof p[0] === "string" && (p.length === 1 || p.length === 4))
      && Array.isArray(data.deps);
    if (!ok) return null;
    try {
      return new CacheFileReader(data);
    } catch {
      return null;
    }
  }

  /** The generation of the entries (see `CacheFile.generation`), null when the file has none. */
  get generation(): string | null {
    const g = this.data.generation;
    return typeof g === "string" && g !== "" ? g : null;
  }

  path(i: number): string {
    return this.data.paths[i]!;
  }

  display(i: number): string {
    return this.data.displays[i]!;
  }

  /** The i-th entry's number `k` (see STRIDE). */
  number(i: number, k: number): number {
    return this.data.numbers[i * STRIDE + k]!;
  }

  size(i: number): number {
    return this.number(i, 0);
  }

  mtimeMs(i: number): number {
    return this.number(i, 1);
  }

  /** The proof of the entry's folder. */
  folder(i: number, dir: string): Proof {
    const m = this.number(i, 2);
    return m === -1 ? [dir] : [dir, m, this.number(i, 3), this.number(i, 4)];
  }

  depsOf(i: number): Dependencies | undefined {
    return this.deps[this.number(i, 5)];
  }

  digest(i: number): string {
    return this.data.digests.slice(i * DIGEST_LENGTH, (i + 1) * DIGEST_LENGTH);
  }

  /** Whether the entry gives a folder of the last search (see `listing`). */
  hasListing(i: number): boolean {
    // Base64 has no "-".
    return this.data.listings.charCodeAt(i * LISTING_LENGTH) !== 45;
  }

  /** The digest of the entry's folder's listing, when the last search depended on the folder with this entry's proof of it. */
  listing(i: number): string | null {
    const l = this.data.listings.slice(i * LISTING_LENGTH, (i + 1) * LISTING_LENGTH);
    return l === NO_LISTING ? null : l;
  }

  featureId(i: number): string | null {
    return this.data.featureIds[i] ?? null;
  }

  featureIdAt(i: number): { line: number; column: number; endLine: number; endColumn: number } | null {
    const line = this.number(i, 6);
    return line === -1 ? null : { line, column: this.number(i, 7), endLine: this.number(i, 8), endColumn: this.number(i, 9) };
  }

  decided(i: number): boolean {
    return this.number(i, 10) === 1;
  }

  inputError(i: number): string | null {
    return this.data.inputErrors[i] ?? null;
  }

  /** The entry's diagnostics, made anew (the caller may keep them); throws on values of the wrong shape. */
  diagnostics(i: number): Diagnostic[] {
    const { values, strings, shapes } = this.data;
    const display = this.display(i);
    const out: Diagnostic[] = [];
    let at = this.number(i, 11);
    const count = this.number(i, 12);
    for (let n = 0; n < count; n++) {
      const shape = shapes[values[at]!];
      const template = this.templates[values[at]!];
      if (!shape || !template) throw new Error("not a diagnostic");
      at++;
      const [keys, kinds] = shape;
      // A copy of the shape's template keeps the key order, and fills in place.
      const d: Record<string, unknown> = { ...template };
      for (let k = 0; k < keys.length; k++, at++) {
        const v = values[at]!;
        switch (kinds[k]) {
          case "n": d[keys[k]!] = v; break;
          case "d": d[keys[k]!] = display; break;
          case "u": break;
          case "s": d[keys[k]!] = stringAt(strings, v); break;
          default: d[keys[k]!] = JSON.parse(stringAt(strings, v)) as unknown;
        }
      }
      out.push(d as unknown as Diagnostic);
    }
    if (at > values.length) throw new Error("diagnostics out of range");
    return out;
  }
}

/** Builds the next cache file from entries kept as they were read and entries linted in this run. */
export class CacheFileWriter {
  private readonly strings: string[];
  private readonly stringIndex = new Map<string, number>();
  private readonly shapes: (readonly [readonly string[], string])[];
  private readonly shapeIndex = new Map<string, number>();
  private readonly paths: string[] = [];
  private readonly displays: string[] = [];
  private readonly featureIds: (string | null)[] = [];
  private readonly inputErrors: (string | null)[] = [];
  private readonly numbers: number[] = [];
  private readonly digests: string[] = [];
  private readonly listings: string[] = [];
  private readonly values: number[] = [];

  /** With `from`, its strings and shapes are kept in place, so that its entries' values can be copied as they are. */
  constructor(private readonly from: CacheFileReader | null) {
    this.strings = from ? [...from.data.strings] : [];
    this.shapes = from ? [...from.data.shapes] : [];
    this.strings.forEach((s, i) => this.stringIndex.set(s, i));
    this.shapes.forEach(([keys, kinds], i) => this.shapeIndex.set(`${keys.join("\0")}\0${kinds}`, i));
  }

  /** How many entries are written so far; the next one's index. */
  get count(): number {
    return this.paths.length;
  }

  /** Copies entry `i` of the file read, with its size and mtime as now seen and its dependencies' new index. */
  copy(i: number, size: number, mtimeMs: number, deps: number, listing: string | null): void {
    const r = this.from!;
    const d = r.data;
    this.paths.push(r.path(i));
    this.displays.push(r.display(i));
    this.featureIds.push(r.featureId(i));
    this.inputErrors.push(r.inputError(i));
    this.digests.push(r.digest(i));
    this.listings.push(listing ?? NO_LISTING);
    const base = i * STRIDE;
    const start = d.numbers[base + 11]!;
    const end = this.valuesEnd(i, start);
    this.numbers.push(size, mtimeMs, d.numbers[base + 2]!, d.numbers[base + 3]!, d.numbers[base + 4]!, deps, d.numbers[base + 6]!, d.numbers[base + 7]!,
      d.numbers[base + 8]!, d.numbers[base + 9]!, d.numbers[base + 10]!, this.values.length, d.numbers[base + 12]!);
    for (let k = start; k < end; k++) this.values.push(d.values[k]!);
  }

  /** Adds an entry linted in this run. */
  add(e: NewEntry, listing: string | null): void {
    this.paths.push(e.path);
    this.displays.push(e.display);
    this.featureIds.push(e.featureId);
    this.inputErrors.push(e.inputError);
    this.digests.push(e.digest);
    this.listings.push(listing ?? NO_LISTING);
    const at = e.featureIdAt;
    this.numbers.push(e.size, e.mtimeMs, e.folder?.[0] ?? -1, e.folder?.[1] ?? 0, e.folder?.[2] ?? 0, e.deps, at?.line ?? -1, at?.column ?? -1,
      at?.endLine ?? -1, at?.endColumn ?? -1, e.decided ? 1 : 0, this.values.length, e.diagnostics.length);
    for (const d of e.diagnostics) this.encode(d, e.display);
  }

  /** The file, with the key, the dependencies and the last search given. */
  build(key: string, proofs: readonly Proof[], deps: readonly StoredDeps[], found: StoredFound | null, generation: string): CacheFile {
    return {
      techspecLintCache: FORMAT, key, proofs, deps, strings: this.strings, shapes: this.shapes, paths: this.paths, displays: this.displays,
      featureIds: this.featureIds, inputErrors: this.inputErrors, numbers: this.numbers, digests: this.digests.join(""),
      listings: this.listings.join(""), values: this.values, ...(found ? { found } : {}), generation,
    };
  }

  /** Where the values of entry `i` of the file read end. */
  private valuesEnd(i: number, start: number): number {
    const { values, shapes } = this.from!.data;
    let at = start;
    for (let n = 0; n < this.from!.number(i, 12); n++) at += 1 + shapes[values[at]!]![0].length;
    return at;
  }

  private encode(d: Diagnostic, display: string): void {
    const record = d as unknown as Record<string, unknown>;
    const keys = Object.keys(record);
    let kinds = "";
    for (const k of keys) {
      const v = record[k];
      kinds += k === "file" && v === display ? "d" : typeof v === "string" ? "s" : typeof v === "number" && Number.isFinite(v) ? "n" : v === undefined ? "u" : "j";
    }
    const id = `${keys.join("\0")}\0${kinds}`;
    let shape = this.shapeIndex.get(id);
    if (shape === undefined) {
      shape = this.shapes.push([keys, kinds]) - 1;
      this.shapeIndex.set(id, shape);
    }
    this.values.push(shape);
    keys.forEach((k, i) => {
      const v = record[k];
      switch (kinds[i]) {
        case "n": this.values.push(v as number); break;
        case "s": this.values.push(this.string(v as string)); break;
        case "j": this.values.push(this.string(JSON.stringify(v))); break;
        default: this.values.push(0);
      }
    });
  }

  private string(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.push(s) - 1;
      this.stringIndex.set(s, i);
    }
    return i;
  }
}

function stringAt(strings: readonly string[], i: number): string {
  const s = strings[i];
  if (s === undefined) throw new Error("no such string");
  return s;
}

function decodeDeps(s: StoredDeps, proofs: readonly Proof[]): Dependencies {
  const proof = (i: number): ProofRef => {
    if (i === -1) return null;
    if (i === -2) return "folder";
    const p = proofs[i];
    if (!p) throw new Error("no such proof");
    return p;
  };
  return {
    exists: (s.e ?? []).map(([rel, answer, i]: readonly [string, boolean, number]) => [rel, answer, proof(i)] as const),
    anchors: (s.a ?? []).map(([rel, digest, i]: readonly [string, string | null, number]) => [rel, digest, proof(i)] as const),
    files: (s.f ?? []).map(([path, digest, i]: readonly [string, string | null, number]) => [path, digest, proof(i)] as const),
    git: s.g ? { root: s.g[0], token: s.g[1] } : null,
  };
}
