// Default expressions compared as the databases show them: PostgreSQL rewrites `DEFAULT 'x'` as `'x'::text` and
// `-1` as `'-1'::integer`; SQLite keeps the text but drops outer parentheses. Both sides are reduced to the same
// token string; what text cannot settle (a timestamp literal PostgreSQL reformats) is left to the engine.

type Token = { readonly kind: "string" | "quoted" | "number" | "word" | "punct"; readonly text: string };

// matchAll copies the expression, so this constant keeps no state between calls.
const TOKEN = /\s+|('(?:[^']|'')*')|("(?:[^"]|"")*")|((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_$]*)|(::|\|\||[<>!=]=|<>|[^])/g;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (m[1] !== undefined) out.push({ kind: "string", text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: "quoted", text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: "number", text: m[3] });
    else if (m[4] !== undefined) out.push({ kind: "word", text: m[4].toLowerCase() });
    else if (m[5] !== undefined) out.push({ kind: "punct", text: m[5] });
  }
  return out;
}

/** The index after a type name that follows `::` at `i`: words, a quoted name, `(n, m)` and `[]`s. */
function skipType(tokens: readonly Token[], i: number): number {
  let k = i;
  while (tokens[k]?.kind === "word" || tokens[k]?.kind === "quoted" || (tokens[k]?.text === "." && tokens[k + 1]?.kind === "word")) k++;
  if (tokens[k]?.text === "(") {
    const close = tokens.findIndex((t, j) => j > k && t.text === ")");
    if (close > 0) k = close + 1;
  }
  while (tokens[k]?.text === "[" && tokens[k + 1]?.text === "]") k += 2;
  return k;
}

function stripCasts(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.text === "::" && tokens[i]!.kind === "punct") i = skipType(tokens, i + 1) - 1;
    else out.push(tokens[i]!);
  }
  return out;
}

/** Drops parentheses around a single token (`(1.5)`) unless they are a call's, and around the whole expression. */
function dropParentheses(tokens: readonly Token[]): Token[] {
  let out = [...tokens];
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i + 2 < out.length; i++) {
      if (out[i]!.text === "(" && out[i + 2]!.text === ")" && out[i + 1]!.kind !== "punct" && out[i - 1]?.kind !== "word") {
        out = [...out.slice(0, i), out[i + 1]!, ...out.slice(i + 3)];
        changed = true;
      }
    }
    if (out[0]?.text === "(" && closing(out, 0) === out.length - 1) {
      out = out.slice(1, -1);
      changed = true;
    }
  }
  return out;
}

function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.kind !== "punct") continue;
    if (tokens[i]!.text === "(") depth++;
    else if (tokens[i]!.text === ")" && --depth === 0) return i;
  }
  return -1;
}

const NUMERIC_STRING = /^'[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?'$/;

/** `'-1'` (PostgreSQL's spelling of a negative constant) and `- 1` both become the number `-1`. */
function mergeNumbers(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = out[out.length - 1];
    const signPosition = prev === undefined || (prev.kind === "punct" && prev.text !== ")" && prev.text !== "]");
    if (t.kind === "string" && NUMERIC_STRING.test(t.text)) out.push({ kind: "number", text: t.text.slice(1, -1).replace(/^\+/, "") });
    else if ((t.text === "-" || t.text === "+") && t.kind === "punct" && tokens[i + 1]?.kind === "number" && signPosition) {
      out.push({ kind: "number", text: `${t.text === "-" ? "-" : ""}${tokens[i + 1]!.text}` });
      i++;
    } else out.push(t);
  }
  return out;
}

/** PostgreSQL before version 10 showed CURRENT_TIMESTAMP as now(). */
const SYNONYMS: ReadonlyMap<string, string> = new Map([
  ["now ( )", "current_timestamp"],
  ["transaction_timestamp ( )", "current_timestamp"],
]);

/**
 * A default expression reduced for comparison: keywords lower-cased, whitespace, casts (PostgreSQL) and redundant
 * parentheses dropped, numeric strings read as numbers; null for no default and for DEFAULT NULL.
 */
export function normalizeDefault(text: string | null, engine: "postgres" | "sqlite"): string | null {
  if (text === null) return null;
  let tokens = tokenize(text);
  if (engine === "postgres") tokens = mergeNumbers(stripCasts(tokens));
  tokens = dropParentheses(tokens);
  const out = tokens.map((t) => t.text).join(" ");
  if (out === "" || out === "null") return null;
  return SYNONYMS.get(out) ?? out;
}

const CONSTANT_WORDS = new Set(["array", "true", "false", "null"]);
// Casts only to built-in types: a domain's CHECK could call a function.
const BUILT_IN_TYPE_WORDS = new Set([
  "text", "character", "varying", "varchar", "char", "bpchar", "integer", "int", "int2", "int4", "int8", "smallint", "bigint", "numeric",
  "decimal", "real", "double", "precision", "float4", "float8", "boolean", "bool", "date", "time", "timestamp", "timestamptz", "with",
  "without", "zone", "json", "jsonb", "uuid", "interval",
]);

/** Whether the type after `::` at `from` (up to `to`) is made of built-in type words, lengths and `[]` only. */
function builtInType(tokens: readonly Token[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    if (t.kind === "word" ? !BUILT_IN_TYPE_WORDS.has(t.text) : t.kind !== "number" && !["(", ")", ",", "[", "]"].includes(t.text)) return false;
  }
  return to > from;
}

/**
 * Whether a PostgreSQL expression is made of literals only (strings, numbers, booleans, ARRAY[…], casts to built-in
 * types): such an expression can be evaluated without calling any function, so without any effect on the database.
 */
export function isConstantExpression(text: string): boolean {
  const tokens = tokenize(text);
  const allowed = new Set(["(", ")", "[", "]", ",", "-", "+"]);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === "punct" && t.text === "::") {
      const next = skipType(tokens, i + 1);
      if (!builtInType(tokens, i + 1, next)) return false;
      i = next - 1;
    } else if (t.kind === "word") {
      if (!CONSTANT_WORDS.has(t.text)) return false;
      if (t.text === "array" && tokens[i + 1]?.text !== "[") return false; // ARRAY(subquery)
    } else if (t.kind === "punct" && !allowed.has(t.text)) return false;
    else if (t.kind === "quoted") return false;
  }
  return tokens.length > 0;
}
