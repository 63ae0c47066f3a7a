import { parse as parseTolerant, printParseErrorCode, type ParseError } from "jsonc-parser";
import type { CodeBlock } from "../model/source.js";
import type { JsonValue } from "../model/spec.js";

/** Result of reading a JSON example: the value, or where and why it failed (0-based line, column). */
export type JsonResult =
  | { ok: true; value: JsonValue }
  /** `tooDeep`: the text nests more than MAX_JSON_DEPTH levels (the position is the first bracket past the limit). */
  | { ok: false; message: string; line: number; column: number; tooDeep?: true };

/**
 * How many levels of objects and arrays a JSON example may nest. Deeper examples are reported, not read, so that
 * nothing downstream (the rules, the diff, every exporter and YAML writer) recurses deeper than this.
 */
export const MAX_JSON_DEPTH = 100;

const MESSAGES: Record<string, string> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "invalid number",
  PropertyNameExpected: "expected a double-quoted property name",
  ValueExpected: "expected a value",
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: "unexpected text after the JSON value",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "unterminated comment",
  UnexpectedEndOfString: "unterminated string",
  UnexpectedEndOfNumber: "unterminated number",
  InvalidUnicode: "invalid unicode escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "invalid character in string",
};

/**
 * Parses strict JSON; on failure locates the first error with a tolerant scanner. Text nesting more than
 * MAX_JSON_DEPTH levels is refused before anything recursive reads it, unless a syntax error comes first.
 */
export function parseJson(text: string): JsonResult {
  // A text of 2 × MAX_JSON_DEPTH characters or fewer cannot nest deeper than the limit: most examples are that short.
  const deep = text.length > 2 * MAX_JSON_DEPTH ? tooDeepAt(text) : -1;
  if (deep < 0) {
    try {
      return { ok: true, value: JSON.parse(text) as JsonValue };
    } catch {
      // located below
    }
  }
  // The tolerant parser recurses once per level: past the limit it reads only the text before the limit.
  const errors: ParseError[] = [];
  parseTolerant(deep < 0 ? text : text.slice(0, deep), errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = deep < 0 ? errors[0] : errors.find((e) => e.offset < deep);
  if (deep >= 0 && !first) {
    const { line, column } = lineColumn(text, deep);
    return { ok: false, message: `nested more than ${MAX_JSON_DEPTH} levels deep`, line, column, tooDeep: true };
  }
  {
    let offset = first ? first.offset : text.length;
    const code = first ? printParseErrorCode(first.error) : "ValueExpected";
    let message = MESSAGES[code] ?? code;
    if (text.trim() === "") message = "empty JSON block";
    else if (code === "PropertyNameExpected" || code === "ValueExpected") {
      // A trailing comma is the usual cause; say so.
      const before = text.slice(0, offset).trimEnd();
      if (before.endsWith(",")) {
        message = "trailing comma is not allowed in JSON";
        offset = before.length - 1; // point at the comma, not at what follows it
      }
    }
    return { ok: false, message, ...lineColumn(text, offset) };
  }
}

/** Whether a JSON value nests more than `max` levels of objects and arrays; safe to ask of a value of any depth. */
export function nestsDeeper(value: JsonValue, max: number = MAX_JSON_DEPTH): boolean {
  // Recursive, but never more than `max` + 1 calls deep, whatever the value.
  if (value === null || typeof value !== "object") return false;
  if (max <= 0) return true;
  if (Array.isArray(value)) {
    for (const x of value) if (nestsDeeper(x, max - 1)) return true;
  } else {
    for (const k in value) if (nestsDeeper(value[k]!, max - 1)) return true;
  }
  return false;
}

/** 0-based line and column of an offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart };
}

/**
 * Offset of the first `{` or `[` that opens a level past MAX_JSON_DEPTH, or -1; one pass, brackets inside strings
 * skipped (a string that does not close ends at its line's end, as the tolerant scanner ends it).
 */
function tooDeepAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (depth > 0) depth--;
    } else if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 34 || d === 10 || d === 13) break;
        if (d === 92 /* \ */) i++;
      }
    }
  }
  return -1;
}

/** Where a code block's JSON error is in the source: 1-based line and column, and a one-character end. */
export function locateJsonError(error: { line: number; column: number }, block: CodeBlock, lines: readonly string[]): { line: number; column: number; endColumn: number } {
  const line = block.contentLine + error.line;
  const column = error.column + 1;
  return { line, column, endColumn: Math.max(column, Math.min(column + 1, (lines[line - 1] ?? "").length + 1)) };
}
