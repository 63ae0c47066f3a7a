// An OpenAPI 3.0/3.1 document read from YAML or JSON text, and its internal `$ref`s resolved, for `verify --openapi`.
// The text comes from outside: every lookup is of own properties (a `__proto__` or `constructor` key is a key like
// any other), every walk is bounded, and a reference outside the document is never fetched.
import { InputError } from "../workspace/errors.js";
import { parseDocument } from "yaml";
import { printable } from "./printable.js";

/** A JSON object of the document (a mapping); its prototype is never consulted. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The document as parsed, with the OpenAPI version it declares. */
export interface OpenApiDocument {
  readonly root: JsonObject;
  /** "3.0" or "3.1": 3.0 writes `nullable: true`, 3.1 `type: [..., "null"]`; both are read either way. */
  readonly version: "3.0" | "3.1";
}

/** The object `x` is, or null for a scalar, an array or nothing. */
export function objectOf(x: unknown): JsonObject | null {
  return x !== null && typeof x === "object" && !Array.isArray(x) ? (x as JsonObject) : null;
}

/** The own property `key` of `x` (never an inherited one such as `__proto__` or `toString`). */
export function own(x: unknown, key: string): unknown {
  const o = objectOf(x);
  return o && Object.hasOwn(o, key) ? o[key] : undefined;
}

/** The own property `key` of `x` when it is a string. */
export function ownString(x: unknown, key: string): string | undefined {
  const v = own(x, key);
  return typeof v === "string" ? v : undefined;
}

/**
 * Reads an OpenAPI 3.0 or 3.1 document from YAML or JSON text; throws an InputError (naming `name`, the line
 * and column where the parser gives one, and what to do) for text that is neither, or a document of another kind.
 */
export function readOpenApi(text: string, name: string): OpenApiDocument {
  const root = objectOf(parseText(text, name));
  if (!root) throw new InputError(`${name}:1:1: not an OpenAPI document: the top level is not a mapping (expected "openapi: 3.1.0", "info" and "paths")`);
  const swagger = own(root, "swagger");
  if (swagger !== undefined) {
    throw new InputError(`${name}:${keyLine(text, "swagger")}:1: a Swagger ${printable(String(swagger), 20)} document; only OpenAPI 3.0 and 3.1 are read (convert it first, e.g. with swagger2openapi)`);
  }
  const version = own(root, "openapi");
  if (version === undefined) throw new InputError(`${name}:1:1: not an OpenAPI document: no "openapi" field (expected "openapi: 3.0.3" or "openapi: 3.1.0" at the top)`);
  // An unquoted `openapi: 3.0` is the YAML number 3.
  const written = typeof version === "number" ? version.toFixed(1) : typeof version === "string" ? version : `(${Array.isArray(version) ? "a list" : typeof version === "object" ? "a mapping" : String(version)})`;
  const m = /^3\.([01])(?:\.\d+)?(?:-[\w.]+)?$/.exec(written);
  if (!m) throw new InputError(`${name}:${keyLine(text, "openapi")}:1: OpenAPI ${printable(written, 20)} is not read; only OpenAPI 3.0 and 3.1 are (write "openapi: 3.0.3" or "openapi: 3.1.0")`);
  return { root, version: m[1] === "0" ? "3.0" : "3.1" };
}

/** JSON first (the fast path, and what most generators write), then YAML, whose parser says where an error is. */
function parseText(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: YAML 1.2 (a superset) reads it or says where it stops.
  }
  let value: unknown;
  try {
    const doc = parseDocument(text, { merge: true });
    const error = doc.errors[0];
    if (error) {
      const at = `${name}:${error.linePos?.[0].line ?? 1}:${error.linePos?.[0].col ?? 1}`;
      if (/call stack/i.test(error.message)) throw new InputError(`${at}: the YAML nests too deeply to be read (flatten it, or write the document as JSON)`);
      throw new InputError(`${at}: not valid YAML or JSON: ${firstLine(error.message)} (fix the text there; the document must be YAML or JSON)`);
    }
    value = doc.toJS(); // aliases expanded up to the library's limit (an alias bomb throws)
  } catch (err) {
    if (err instanceof InputError) throw err;
    // Alias expansion past the limit, or a stack overflow of a nesting the parser itself could not hold.
    throw new InputError(`${name}:1:1: the YAML cannot be read: ${firstLine((err as Error).message)} (expand its aliases or flatten its nesting)`, { cause: err });
  }
  return value;
}

function firstLine(message: string): string {
  return printable(message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""), 160);
}

/** 1-based line of the first top-level `key:` (or `"key":`), for an error about it; 1 when not found. */
function keyLine(text: string, key: string): number {
  const m = new RegExp(`^[ \\t{]*["']?${key}["']?[ \\t]*:`, "m").exec(text); // spaces only: linear in the text
  if (!m) return 1;
  let line = 1;
  for (let i = 0; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** How many `$ref`s one resolution follows (a chain of references to references) before giving up. */
const MAX_REF_HOPS = 32;

/** What a `$ref` leads to: the node, or why it does not resolve. */
export type Resolved =
  | { readonly ok: true; readonly node: unknown; readonly ref: string | null }
  | { readonly ok: false; readonly ref: string; readonly why: "external" | "missing" | "cycle" };

/** Resolves the document's internal references (`#/components/…`); records those it cannot follow. */
export class RefResolver {
  /** References not followed: to another file or URL (never fetched), to nothing, or in a cycle of references. */
  readonly unresolved = new Map<string, "external" | "missing" | "cycle">();

  constructor(private readonly root: JsonObject) {}

  /** `node` itself, or what its `$ref` chain leads to; `ref` is the last reference followed (null for none). */
  resolve(node: unknown): Resolved {
    let current = node;
    let last: string | null = null;
    const seen = new Set<string>();
    for (let hop = 0; hop <= MAX_REF_HOPS; hop++) {
      const ref = ownString(current, "$ref");
      if (ref === undefined) return { ok: true, node: current, ref: last };
      if (seen.has(ref) || hop === MAX_REF_HOPS) return this.fail(ref, "cycle");
      seen.add(ref);
      if (!ref.startsWith("#")) return this.fail(ref, "external");
      const target = this.pointer(ref);
      if (target === undefined) return this.fail(ref, "missing");
      current = target;
      last = ref;
    }
    return this.fail(last ?? "", "cycle");
  }

  /** The node `resolve` leads to, or undefined when it does not resolve. */
  node(node: unknown): unknown {
    const r = this.resolve(node);
    return r.ok ? r.node : undefined;
  }

  private fail(ref: string, why: "external" | "missing" | "cycle"): Resolved {
    if (this.unresolved.size < 1000) this.unresolved.set(ref, why);
    return { ok: false, ref, why };
  }

  /** The value at a JSON Pointer fragment (`#/components/schemas/Refund`), or undefined. */
  private pointer(ref: string): unknown {
    let fragment: string;
    try {
      fragment = decodeURIComponent(ref.slice(1));
    } catch {
      return undefined;
    }
    if (fragment === "") return this.root;
    if (!fragment.startsWith("/")) return undefined;
    let node: unknown = this.root;
    for (const raw of fragment.slice(1).split("/")) {
      const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
      if (Array.isArray(node)) node = /^\d+$/.test(key) ? node[Number(key)] : undefined;
      else node = own(node, key);
      if (node === undefined) return undefined;
    }
    return node;
  }
}

/** The last segment of a `$ref` (`#/components/schemas/Refund` → `Refund`), pointer escapes undone. */
export function refName(ref: string): string {
  let tail = ref.slice(ref.lastIndexOf("/") + 1);
  try {
    tail = decodeURIComponent(tail);
  } catch {
    // kept as written
  }
  return tail.replaceAll("~1", "/").replaceAll("~0", "~");
}
