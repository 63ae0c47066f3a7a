// YAML text of a JSON-like value, as `stringify(value, { aliasDuplicateObjects: false, lineWidth: 0, schema: "yaml-1.1" })`
// of the yaml package writes it, character for character, at a fraction of the cost.
//
// The yaml package builds a node for every value before writing any (a Document), and spends several microseconds a
// node: an OpenAPI document of 10,000 operations, or of one 8 MB example, took seconds. Here the block layout (maps,
// sequences, keys, the indentation of each) is written directly, following the package's stringifyPair and
// stringifyCollection, and every string scalar goes through the package's own `stringifyString` with the context it
// would have had there, so quoting, escaping and block scalars are the package's. Distinct strings repeat (keys,
// enum values), so a scalar's text is kept per context. `test/yaml.test.ts` compares both writers on random values.
import { Document, Scalar } from "yaml";
import { stringifyNumber, stringifyString, type StringifyContext } from "yaml/util";

/** The options techspec writes YAML with (YAML 1.1 quoting: dates and yes/no stay strings for every reader). */
export const YAML_OPTIONS = { aliasDuplicateObjects: false, lineWidth: 0, schema: "yaml-1.1" } as const;

const INDENT_STEP = "  ";
/** Characters written before they are moved into one flat piece (see YamlWriter#flush). */
const CHUNK = 1 << 14;
const MERGE_KEY = "<<";
/** A key longer than this is written as an explicit `? key` (the YAML spec's limit on implicit keys). */
const MAX_IMPLICIT_KEY = 1024;

/** Writes JSON-like values (plain objects, arrays, strings, numbers, booleans, null) as YAML documents. */
export class YamlWriter {
  private readonly doc = new Document(null, YAML_OPTIONS);
  private readonly options: StringifyContext["options"];
  /** Scalar texts of strings whose text does not depend on the indentation, for keys and for values. */
  private readonly keys = new Map<string, string>();
  private readonly values = new Map<string, string>();
  /** The text written so far: appending to one string (V8 keeps it as a rope until read) beats collecting pieces to join. */
  private out = "";
  /** Flat pieces of the text, of about CHUNK characters each. */
  private chunks: string[] = [];
  private keyContext: StringifyContext | undefined;
  private valueContext: StringifyContext | undefined;
  private readonly scalarNode = new Scalar("");

  constructor() {
    // createStringifyContext's defaults, under the schema's and then the caller's options, as Document#toString merges them.
    const defaults = {
      blockQuote: true, commentString: (s: string) => `#${s}`, defaultKeyType: null, defaultStringType: "PLAIN", directives: null,
      doubleQuotedAsJSON: false, doubleQuotedMinMultiLineLength: 40, falseStr: "false", flowCollectionPadding: true, indentSeq: true,
      lineWidth: 80, minContentWidth: 20, nullStr: "null", simpleKeys: false, singleQuote: null, trailingComma: false, trueStr: "true",
      verifyAliasOrder: true,
    };
    this.options = { ...defaults, ...this.doc.schema.toStringOptions, ...YAML_OPTIONS } as StringifyContext["options"];
  }

  /** The YAML document of `value`, ending in a line break. */
  write(value: unknown): string {
    this.out = "";
    this.chunks = [];
    this.node(value, "", "\n");
    this.chunks.push(this.out, "\n");
    const text = this.chunks.join("");
    this.out = "";
    this.chunks = [];
    return text;
  }

  /**
   * Appends a value whose context has indentation `indent` (a collection's lines after the first start with it);
   * `nl` is a line break and `indent`, made once per level.
   */
  private node(value: unknown, indent: string, nl: string): void {
    if (Array.isArray(value)) this.seq(value, indent, nl);
    else if (value !== null && typeof value === "object") this.map(value as Record<string, unknown>, indent, nl);
    else this.out += this.scalar(value, indent, false);
  }

  private map(value: Record<string, unknown>, indent: string, nl: string): void {
    let n = 0;
    const inner = indent + INDENT_STEP;
    const innerNl = nl + INDENT_STEP;
    for (const key in value) {
      const v = value[key];
      if (v === undefined) continue; // the yaml package leaves undefined values out
      if (n++ > 0) this.out += nl;
      this.pair(key, v, indent, inner, innerNl);
      if (this.out.length > CHUNK) this.flush();
    }
    if (n === 0) this.out += "{}";
  }

  private seq(value: readonly unknown[], indent: string, nl: string): void {
    if (value.length === 0) {
      this.out += "[]";
      return;
    }
    const inner = indent + INDENT_STEP;
    const innerNl = nl + INDENT_STEP;
    for (let i = 0; i < value.length; i++) {
      this.out += i > 0 ? `${nl}- ` : "- ";
      // An undefined item becomes null, as the yaml package's createNode makes it.
      this.node(value[i] === undefined ? null : value[i], inner, innerNl);
      if (this.out.length > CHUNK) this.flush();
    }
  }

  /**
   * Appends `key: value` of a map whose lines start with `indent` (stringifyPair): a collection that is not empty
   * starts on the next line, one step in; anything else follows the key after one space.
   */
  private pair(key: string, value: unknown, indent: string, inner: string, innerNl: string): void {
    const str = this.scalar(key, inner, true);
    const explicit = str.length > MAX_IMPLICIT_KEY;
    const empty = value === null || typeof value !== "object" || (Array.isArray(value) ? value.length === 0 : !hasDefined(value as Record<string, unknown>));
    if (explicit) this.out += `? ${str}\n${indent}: `;
    else this.out += str + (empty ? ": " : `:${innerNl}`);
    this.node(value, inner, innerNl);
  }

  private scalar(value: unknown, indent: string, implicitKey: boolean): string {
    if (value === null || value === undefined) return this.options.nullStr;
    if (typeof value === "boolean") return value ? this.options.trueStr : this.options.falseStr;
    if (typeof value === "number" || typeof value === "bigint") return stringifyNumber({ value } as Scalar); // reads format, minFractionDigits, tag, value
    const s = String(value);
    if (s === MERGE_KEY) return s; // YAML 1.1's merge key tag claims this string, key or value, and writes it plain
    // Only a string with a line break, or one that could read as a document marker, depends on where it stands.
    const memo = s.includes("\n") || /^(?:%|---|\.\.\.)/m.test(s) ? undefined : implicitKey ? this.keys : this.values;
    const hit = memo?.get(s);
    if (hit !== undefined) return hit;
    if (memo === undefined) return stringifyString(new Scalar(s), this.context(indent, implicitKey));
    // The text of such a string does not depend on the indentation: one context (and one scalar) serves them all.
    const shared = implicitKey ? (this.keyContext ??= this.context("", true)) : (this.valueContext ??= this.context("", false));
    this.scalarNode.value = s;
    const text = stringifyString(this.scalarNode, shared);
    memo.set(s, text);
    return text;
  }

  /**
   * Moves the text written so far into a flat chunk while its pieces are young: a rope of a whole document's pieces
   * lives until the end, and the garbage collector moved its millions of cells to the old generation (most of the time).
   */
  private flush(): void {
    const s = this.out;
    void (+s); // reading a string as a number flattens it, in V8
    this.chunks.push(s);
    this.out = "";
  }

  private context(indent: string, implicitKey: boolean): StringifyContext {
    return {
      anchors: new Set<string>(), doc: this.doc, flowCollectionPadding: " ", indent, indentStep: INDENT_STEP, inFlow: null,
      options: this.options, implicitKey, actualString: true,
    } as unknown as StringifyContext;
  }
}

/** Whether an object has a value that is not undefined (what the yaml package writes of it). */
function hasDefined(o: Record<string, unknown>): boolean {
  for (const k in o) if (o[k] !== undefined) return true;
  return false;
}

/** `value` as a YAML 1.1 document, the way techspec writes its YAML artefacts. */
export function toYaml(value: unknown): string {
  return new YamlWriter().write(value);
}
