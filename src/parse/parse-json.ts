import { parse as parseTolerant, printParseErrorCode, type ParseError } from "jsonc-parser";
import type { CodeBlock } from "../model/source.js";
import type { JsonValue } from "../model/spec.js";

/** Result of reading a JSON example: the value, or where and why it failed (0-based line, column). */
export type JsonResult =
  | { ok: true; value: JsonValue }
  | { ok: false; message: string; line: number; column: number };

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

/** Parses strict JSON; on failure locates the first error with a tolerant scanner. */
export function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch {
    const errors: ParseError[] = [];
    parseTolerant(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
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
    let line = 0;
    let lineStart = 0;
    for (let i = 0; i < offset && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return { ok: false, message, line, column: offset - lineStart };
  }
}

/** Where a code block's JSON error is in the source: 1-based line and column, and a one-character end. */
export function locateJsonError(error: { line: number; column: number }, block: CodeBlock, lines: readonly string[]): { line: number; column: number; endColumn: number } {
  const line = block.contentLine + error.line;
  const column = error.column + 1;
  return { line, column, endColumn: Math.max(column, Math.min(column + 1, (lines[line - 1] ?? "").length + 1)) };
}
