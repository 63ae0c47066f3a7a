import type { DataType } from "./data-type.js";

/**
 * The CHECK constraints techspec accepts: a small SQL subset it can validate against the entity's columns and
 * write for both PostgreSQL and SQLite. Anything outside it is reported rather than pasted into the DDL.
 */
export type CheckNode =
  | { readonly kind: "column"; readonly field: string }
  | { readonly kind: "number"; readonly text: string }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "null" }
  | { readonly kind: "unary"; readonly op: "-" | "NOT"; readonly operand: CheckNode }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: CheckNode; readonly right: CheckNode }
  | { readonly kind: "in"; readonly negated: boolean; readonly operand: CheckNode; readonly items: readonly CheckNode[] }
  | { readonly kind: "between"; readonly negated: boolean; readonly operand: CheckNode; readonly low: CheckNode; readonly high: CheckNode }
  | { readonly kind: "like"; readonly negated: boolean; readonly operand: CheckNode; readonly pattern: string }
  | { readonly kind: "isNull"; readonly negated: boolean; readonly operand: CheckNode }
  | { readonly kind: "call"; readonly fn: CheckFunction; readonly arg: CheckNode };

type BinaryOp = "+" | "-" | "*" | "/" | "%" | "||" | "=" | "<>" | "<" | "<=" | ">" | ">=" | "AND" | "OR";
type CheckFunction = "length" | "lower" | "upper" | "trim" | "abs";

/** What the grammar accepts, for messages and docs. */
export const CHECK_GRAMMAR =
  'a comparison such as "> 0" (the field itself) or "amount <= limit" over the entity\'s fields, with AND, OR, NOT, IN (...), BETWEEN ... AND ..., IS [NOT] NULL, LIKE \'pattern\', + - * / % ||, length, lower, upper, trim, abs, and number, \'string\', TRUE/FALSE literals';

const FUNCTIONS: Readonly<Record<string, CheckFunction>> = { length: "length", char_length: "length", lower: "lower", upper: "upper", trim: "trim", abs: "abs" };
const COMPARISON = new Set(["=", "<>", "<", "<=", ">", ">="]);
const MAX_DEPTH = 32;
/**
 * A chain of operators (`a - b - c …`) is a tree as deep as it is long, which the type check and the SQL writer walk
 * recursively: past this many tokens an expression is refused rather than risk the stack.
 */
const MAX_TOKENS = 1000;

type Token =
  | { readonly t: "num"; readonly v: string }
  | { readonly t: "str"; readonly v: string }
  | { readonly t: "dq"; readonly v: string }
  | { readonly t: "id"; readonly v: string }
  | { readonly t: "op"; readonly v: string };

function tokenize(text: string): Token[] | string {
  const out: Token[] = [];
  const re = /\s+|(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([\p{L}_][\p{L}\p{N}_]*)|(<=|>=|<>|!=|==|\|\||[=<>≤≥≠+\-*/%(),])/uy;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let v = "";
      for (;;) {
        if (j >= text.length) return `the quote opened at character ${i + 1} is not closed`;
        if (text[j] === ch) {
          if (text[j + 1] === ch) {
            v += ch;
            j += 2;
            continue;
          }
          break;
        }
        v += text[j];
        j++;
      }
      out.push({ t: ch === "'" ? "str" : "dq", v });
      i = j + 1;
      continue;
    }
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return `"${ch}" is not part of the accepted grammar`;
    i = re.lastIndex;
    if (m[1] !== undefined) out.push({ t: "num", v: m[1] });
    else if (m[2] !== undefined) out.push({ t: "id", v: m[2] });
    else if (m[3] !== undefined) {
      const v = m[3] === "!=" || m[3] === "≠" ? "<>" : m[3] === "==" ? "=" : m[3] === "≤" ? "<=" : m[3] === "≥" ? ">=" : m[3];
      out.push({ t: "op", v });
    }
  }
  return out;
}

/** Finds the field a name in an expression means (exact, then case-insensitive, then by its SQL name); null when none. */
export type FieldResolver = (name: string) => string | null;

class CheckSyntaxError extends Error {}

/**
 * Reads a CHECK expression. `self` is the field the constraint is written on: an expression that starts with an
 * operator ("> 0", "BETWEEN 1 AND 5", "IN ('a', 'b')", "IS NOT NULL") applies to it.
 */
export function parseCheck(text: string, self: string, resolve: FieldResolver): { node: CheckNode } | { error: string } {
  const tokens = tokenize(text.trim());
  if (typeof tokens === "string") return { error: tokens };
  if (tokens.length === 0) return { error: "the expression is empty" };
  if (tokens.length > MAX_TOKENS) return { error: `the expression has more than ${MAX_TOKENS} terms and operators` };
  let p = 0;
  let depth = 0;
  const peek = (k = 0): Token | undefined => tokens[p + k];
  const isKw = (tok: Token | undefined, kw: string): boolean => tok?.t === "id" && tok.v.toUpperCase() === kw;
  const isOp = (tok: Token | undefined, op: string): boolean => tok?.t === "op" && tok.v === op;
  const fail = (msg: string): never => {
    throw new CheckSyntaxError(msg);
  };
  const describe = (tok: Token | undefined): string => (tok === undefined ? "the end" : tok.t === "str" ? `'${tok.v}'` : tok.t === "dq" ? `"${tok.v}"` : `"${tok.v}"`);
  const expectKw = (kw: string): void => {
    if (!isKw(peek(), kw)) fail(`expected ${kw} but found ${describe(peek())}`);
    p++;
  };
  const nested = <T>(fn: () => T): T => {
    if (++depth > MAX_DEPTH) fail(`the expression is nested more than ${MAX_DEPTH} levels deep`);
    try {
      return fn();
    } finally {
      depth--;
    }
  };
  const startsComparison = (tok: Token | undefined, next: Token | undefined): boolean =>
    (tok?.t === "op" && COMPARISON.has(tok.v)) || isKw(tok, "BETWEEN") || isKw(tok, "IN") || isKw(tok, "LIKE") || isKw(tok, "IS")
    || (isKw(tok, "NOT") && (isKw(next, "IN") || isKw(next, "BETWEEN") || isKw(next, "LIKE")));

  const parseOr = (): CheckNode => nested(() => {
    let left = parseAnd();
    while (isKw(peek(), "OR")) {
      p++;
      left = { kind: "binary", op: "OR", left, right: parseAnd() };
    }
    return left;
  });
  const parseAnd = (): CheckNode => {
    let left = parseNot();
    while (isKw(peek(), "AND")) {
      p++;
      left = { kind: "binary", op: "AND", left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): CheckNode => {
    if (isKw(peek(), "NOT") && !startsComparison(peek(), peek(1))) {
      p++;
      return nested(() => ({ kind: "unary", op: "NOT", operand: parseNot() }));
    }
    return parseComparison();
  };
  const parseComparison = (): CheckNode => {
    // An operand-less comparison applies to the field the constraint is written on: "> 0", "IS NOT NULL".
    const left: CheckNode = startsComparison(peek(), peek(1)) ? { kind: "column", field: self } : parseAdditive();
    const tok = peek();
    if (tok?.t === "op" && COMPARISON.has(tok.v)) {
      p++;
      const node: CheckNode = { kind: "binary", op: tok.v as BinaryOp, left, right: parseAdditive() };
      const after = peek();
      if (after?.t === "op" && COMPARISON.has(after.v)) fail(`comparisons do not chain (write "a < b AND b < c")`);
      return node;
    }
    let negated = false;
    if (isKw(tok, "NOT") && (isKw(peek(1), "IN") || isKw(peek(1), "BETWEEN") || isKw(peek(1), "LIKE"))) {
      negated = true;
      p++;
    }
    if (isKw(peek(), "IN")) {
      p++;
      if (!isOp(peek(), "(")) fail(`expected "(" after IN but found ${describe(peek())}`);
      p++;
      const items: CheckNode[] = [];
      if (isOp(peek(), ")")) fail("IN needs at least one value");
      for (;;) {
        items.push(nested(parseAdditive));
        if (isOp(peek(), ",")) {
          p++;
          continue;
        }
        if (isOp(peek(), ")")) {
          p++;
          break;
        }
        fail(`expected "," or ")" in the IN list but found ${describe(peek())}`);
      }
      return { kind: "in", negated, operand: left, items };
    }
    if (isKw(peek(), "BETWEEN")) {
      p++;
      const low = parseAdditive();
      expectKw("AND");
      return { kind: "between", negated, operand: left, low, high: parseAdditive() };
    }
    if (isKw(peek(), "LIKE")) {
      p++;
      const pat = peek();
      if (pat?.t !== "str" && pat?.t !== "dq") fail(`LIKE takes a quoted pattern such as 'A%' but found ${describe(pat)}`);
      if (/(?:^|[^\\])(?:\\\\)*\\$/.test(pat!.v)) fail("a LIKE pattern cannot end with a lone backslash");
      p++;
      return { kind: "like", negated, operand: left, pattern: pat!.v };
    }
    if (isKw(peek(), "IS")) {
      p++;
      let not = false;
      if (isKw(peek(), "NOT")) {
        not = true;
        p++;
      }
      expectKw("NULL");
      return { kind: "isNull", negated: not, operand: left };
    }
    return left;
  };
  const parseAdditive = (): CheckNode => {
    let left = parseMultiplicative();
    for (let tok = peek(); tok?.t === "op" && (tok.v === "+" || tok.v === "-" || tok.v === "||"); tok = peek()) {
      p++;
      left = { kind: "binary", op: tok.v as BinaryOp, left, right: parseMultiplicative() };
    }
    return left;
  };
  const parseMultiplicative = (): CheckNode => {
    let left = parseUnary();
    for (let tok = peek(); tok?.t === "op" && (tok.v === "*" || tok.v === "/" || tok.v === "%"); tok = peek()) {
      p++;
      left = { kind: "binary", op: tok.v as BinaryOp, left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): CheckNode => {
    if (isOp(peek(), "-")) {
      p++;
      return nested(() => ({ kind: "unary", op: "-", operand: parseUnary() }));
    }
    if (isOp(peek(), "+")) {
      p++;
      return nested(parseUnary);
    }
    return parsePrimary();
  };
  const parsePrimary = (): CheckNode => {
    const tok = peek();
    if (tok === undefined) return fail("the expression ends where a value was expected");
    p++;
    switch (tok.t) {
      case "num": return { kind: "number", text: tok.v };
      case "str": return { kind: "string", value: tok.v };
      case "dq": {
        // "name" is a field when one is called so; authors also write strings in double quotes.
        const field = resolve(tok.v);
        return field !== null ? { kind: "column", field } : { kind: "string", value: tok.v };
      }
      case "op":
        if (tok.v === "(") {
          const inner = parseOr();
          if (!isOp(peek(), ")")) fail(`expected ")" but found ${describe(peek())}`);
          p++;
          return inner;
        }
        return fail(`expected a value but found "${tok.v}"`);
      case "id": {
        const upper = tok.v.toUpperCase();
        if (upper === "TRUE" || upper === "FALSE") return { kind: "boolean", value: upper === "TRUE" };
        if (upper === "NULL") return { kind: "null" };
        if (isOp(peek(), "(")) {
          const fn = FUNCTIONS[tok.v.toLowerCase()];
          if (!fn) return fail(`"${tok.v}" is not a function techspec accepts (length, lower, upper, trim, abs)`);
          p++;
          const arg = nested(parseOr);
          if (!isOp(peek(), ")")) fail(`${tok.v}() takes one argument; expected ")" but found ${describe(peek())}`);
          p++;
          return { kind: "call", fn, arg };
        }
        if (["AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "IS"].includes(upper)) return fail(`expected a value but found ${upper}`);
        const field = resolve(tok.v);
        if (field === null) return fail(`"${tok.v}" is not a field of the entity`);
        return { kind: "column", field };
      }
    }
  };

  try {
    const node = parseOr();
    if (p < tokens.length) return { error: `unexpected ${describe(peek())}` };
    return { node };
  } catch (err) {
    if (err instanceof CheckSyntaxError) return { error: err.message };
    throw err;
  }
}

/** The class of a value in a CHECK expression, as PostgreSQL's operators see it. */
type ValueClass = "int" | "numeric" | "float" | "text" | "boolean" | "date" | "timestamp" | "time" | "uuid" | "json" | "array" | "literal" | "null";

function classOf(t: DataType): ValueClass {
  switch (t.kind) {
    case "integer": return "int";
    case "float": return "float";
    case "decimal": return "numeric";
    case "boolean": return "boolean";
    case "date": return "date";
    case "timestamp": return "timestamp";
    case "time": return "time";
    case "uuid": return "uuid";
    case "json": return "json";
    case "array": return "array";
    case "reference": return "json"; // callers pass resolved types; an unresolved reference is not comparable
    default: return "text";
  }
}

const NAMES: Readonly<Record<ValueClass, string>> = {
  int: "an integer", numeric: "a decimal", float: "a float", text: "text", boolean: "a boolean", date: "a date",
  timestamp: "a timestamp", time: "a time", uuid: "a UUID", json: "JSON", array: "an array", literal: "a 'string'", null: "NULL",
};

const isNumeric = (c: ValueClass): boolean => c === "int" || c === "numeric" || c === "float";

/** Whether a quoted literal is a valid value of a date, timestamp, time or UUID column (PostgreSQL parses it when the table is created). */
function literalFits(value: string, c: ValueClass): boolean {
  switch (c) {
    case "text": return true;
    case "date": return isDate(value);
    case "timestamp": return isTimestamp(value);
    case "time": return isTime(value);
    case "uuid": return UUID.test(value);
    default: return false;
  }
}

/** A UUID literal as PostgreSQL reads one. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** YYYY-MM-DD and a calendar date. */
export function isDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= days[mo - 1]!;
}

/** HH:MM[:SS[.fraction]]. */
export function isTime(v: string): boolean {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?$/.exec(v);
  return !!m && Number(m[1]) <= 23 && Number(m[2]) <= 59 && Number(m[3] ?? 0) <= 59;
}

/** An ISO 8601 date, or date and time with an optional Z or ±HH:MM offset. */
export function isTimestamp(v: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(v);
  return !!m && isDate(m[1]!) && (m[2] === undefined || isTime(m[2]));
}

/**
 * Checks the types of an expression as PostgreSQL would (SQLite accepts any), given each field's resolved type;
 * returns an error message, or null when the expression is a boolean both databases accept.
 */
export function typeCheck(node: CheckNode, typeOf: (field: string) => DataType): string | null {
  try {
    const c = classify(node, typeOf);
    return c === "boolean" ? null : `the expression is ${NAMES[c]}, not a condition`;
  } catch (err) {
    if (err instanceof CheckSyntaxError) return err.message;
    throw err;
  }
}

function classify(node: CheckNode, typeOf: (field: string) => DataType): ValueClass {
  const fail = (msg: string): never => {
    throw new CheckSyntaxError(msg);
  };
  const of = (n: CheckNode): ValueClass => {
    const c = classify(n, typeOf);
    if (c === "null") fail('NULL can only be tested with IS NULL or IS NOT NULL (a comparison with NULL is never true)');
    return c;
  };
  const comparable = (a: CheckNode, b: CheckNode): void => {
    const x = of(a);
    const y = of(b);
    if (x === "json" || x === "array" || y === "json" || y === "array") fail(`${x === "json" || x === "array" ? NAMES[x] : NAMES[y]} field can only be tested with IS [NOT] NULL`);
    if (x === y && x !== "literal") return;
    if (isNumeric(x) && isNumeric(y)) return;
    if ((x === "date" || x === "timestamp") && (y === "date" || y === "timestamp")) return;
    if (x === "literal" && y === "literal") return;
    const [col, lit] = x === "literal" ? [y, a] : y === "literal" ? [x, b] : [null, null];
    if (col !== null && lit !== null && lit.kind === "string") {
      if (literalFits(lit.value, col)) return;
      if (col === "date" || col === "timestamp" || col === "time" || col === "uuid") fail(`'${lit.value}' is not ${NAMES[col]} (expected ${col === "uuid" ? "a UUID" : col === "time" ? "HH:MM:SS" : "YYYY-MM-DD"})`);
    }
    fail(`${NAMES[x]} cannot be compared with ${NAMES[y]}`);
  };
  switch (node.kind) {
    case "column": return classOf(typeOf(node.field));
    case "number":
      if (!Number.isFinite(Number(node.text))) fail(`the number ${node.text.length > 20 ? `${node.text.slice(0, 20)}…` : node.text} is too large (PostgreSQL refuses it)`);
      return /[.eE]/.test(node.text) ? "numeric" : "int";
    case "string": return "literal";
    case "boolean": return "boolean";
    case "null": return "null";
    case "unary": {
      const c = of(node.operand);
      if (node.op === "NOT") {
        if (c !== "boolean") fail(`NOT needs a condition, not ${NAMES[c]}`);
        return "boolean";
      }
      if (!isNumeric(c)) fail(`"-" needs a number, not ${NAMES[c]}`);
      return c;
    }
    case "binary": {
      if (node.op === "AND" || node.op === "OR") {
        for (const side of [node.left, node.right]) {
          const c = of(side);
          if (c !== "boolean") fail(`${node.op} needs conditions on both sides, not ${NAMES[c]}`);
        }
        return "boolean";
      }
      if (COMPARISON.has(node.op)) {
        comparable(node.left, node.right);
        return "boolean";
      }
      const l = of(node.left);
      const r = of(node.right);
      if (node.op === "||") {
        if ((l !== "text" && l !== "literal") || (r !== "text" && r !== "literal")) fail(`"||" joins text, not ${NAMES[l === "text" || l === "literal" ? r : l]}`);
        return "text";
      }
      if (!isNumeric(l) || !isNumeric(r)) fail(`"${node.op}" needs numbers, not ${NAMES[isNumeric(l) ? r : l]}`);
      if (node.op === "%" && (l === "float" || r === "float")) fail('"%" needs integers or decimals (PostgreSQL has no remainder of a float)');
      if (node.op === "/" && node.right.kind === "number" && Number(node.right.text) === 0) fail("the expression divides by zero");
      return l === "float" || r === "float" ? "float" : l === "numeric" || r === "numeric" ? "numeric" : "int";
    }
    case "in":
      for (const item of node.items) comparable(node.operand, item);
      return "boolean";
    case "between":
      comparable(node.operand, node.low);
      comparable(node.operand, node.high);
      return "boolean";
    case "like": {
      const c = of(node.operand);
      if (c !== "text" && c !== "literal") fail(`LIKE matches text, not ${NAMES[c]}`);
      return "boolean";
    }
    case "isNull":
      classify(node.operand, typeOf);
      return "boolean";
    case "call": {
      const c = of(node.arg);
      if (node.fn === "abs") {
        if (!isNumeric(c)) fail(`abs() takes a number, not ${NAMES[c]}`);
        return c;
      }
      if (c !== "text" && c !== "literal") fail(`${node.fn}() takes text, not ${NAMES[c]}`);
      return node.fn === "length" ? "int" : "text";
    }
  }
}

/** Writes an expression for a dialect; `column` gives a field's quoted column name. */
export function renderCheck(node: CheckNode, dialect: "postgres" | "sqlite", column: (field: string) => string): string {
  const atom = (n: CheckNode): boolean => n.kind === "column" || n.kind === "number" || n.kind === "string" || n.kind === "boolean" || n.kind === "null" || n.kind === "call";
  const wrap = (n: CheckNode): string => (atom(n) ? render(n) : `(${render(n)})`);
  const render = (n: CheckNode): string => {
    switch (n.kind) {
      case "column": return column(n.field);
      case "number": return n.text;
      case "string": return sqlString(n.value);
      case "boolean": return dialect === "postgres" ? (n.value ? "TRUE" : "FALSE") : n.value ? "1" : "0";
      case "null": return "NULL";
      case "unary": return n.op === "NOT" ? `NOT ${wrap(n.operand)}` : `-${wrap(n.operand)}`;
      case "binary": return `${wrap(n.left)} ${n.op} ${wrap(n.right)}`;
      case "in": return `${wrap(n.operand)} ${n.negated ? "NOT IN" : "IN"} (${n.items.map(wrap).join(", ")})`;
      case "between": return `${wrap(n.operand)} ${n.negated ? "NOT BETWEEN" : "BETWEEN"} ${wrap(n.low)} AND ${wrap(n.high)}`;
      case "like":
        // SQLite's LIKE ignores case; GLOB with the same pattern matches as PostgreSQL's LIKE does.
        return dialect === "postgres"
          ? `${wrap(n.operand)} ${n.negated ? "NOT LIKE" : "LIKE"} ${sqlString(n.pattern)}`
          : `${wrap(n.operand)} ${n.negated ? "NOT GLOB" : "GLOB"} ${sqlString(likeToGlob(n.pattern))}`;
      case "isNull": return `${wrap(n.operand)} ${n.negated ? "IS NOT NULL" : "IS NULL"}`;
      case "call": return `${n.fn === "length" ? (dialect === "postgres" ? "char_length" : "length") : n.fn}(${render(n.arg)})`;
    }
  };
  return render(node);
}

/** A LIKE pattern (%, _, backslash escapes) as the equivalent case-sensitive GLOB pattern. */
export function likeToGlob(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\" && i + 1 < pattern.length) {
      const next = pattern[++i]!;
      out += next === "*" || next === "?" || next === "[" ? `[${next}]` : next;
    } else if (ch === "%") out += "*";
    else if (ch === "_") out += "?";
    else if (ch === "*" || ch === "?" || ch === "[") out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
