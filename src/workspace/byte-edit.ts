// Text edits applied to a file's bytes. The text a spec was parsed from is its bytes decoded, with U+FFFD for
// what was not text; writing that text back would replace those bytes for good. Edits are therefore mapped back
// to byte ranges and only those ranges are rewritten: every other byte (an invalid UTF-8 sequence, a NUL, a lone
// CRLF, trailing spaces, a byte order mark, a missing final newline) is copied as it was.
import type { Fix } from "../model/diagnostic.js";
import { InputError } from "./errors.js";
import { describeReplacement, utf8SequenceEnd, type SpecFile } from "./read-spec.js";

/** The bytes of `file` with `edits` (non-overlapping ranges of `file.text`) applied, in the file's own encoding. */
export function editBytes(file: SpecFile, edits: readonly Fix[], display: string): Buffer {
  const sorted = edits.map((e) => trimmed(file.text, e)).filter((e) => e !== null).sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.start < sorted[i - 1]!.end) throw new Error(`${display}: overlapping edits at offset ${sorted[i]!.start}`);
  }
  const offsets = byteOffsets(file, sorted.flatMap((e) => [e.start, e.end]));
  const parts: Buffer[] = [];
  let at = 0;
  sorted.forEach((e, i) => {
    const from = offsets[2 * i]!;
    const to = offsets[2 * i + 1]!;
    const replaced = file.bytes.subarray(from, to);
    if (e.text.includes("\uFFFD") && !encode(file.text.slice(e.start, e.end), file.encoding).equals(replaced)) {
      // The new text most likely copies a U+FFFD that stands for bytes that were not text: writing it would lose them.
      const first = file.replacements.find((r) => offsetOf(file.text, r.line, r.column) >= e.start);
      const what = first ? describeReplacement(first) : "bytes that are not text";
      throw new InputError(`${display}:${lineColumn(file.text, e.start)}: the edit would write U+FFFD over ${what}; correct those bytes by hand (save the file as UTF-8), then run again`);
    }
    parts.push(file.bytes.subarray(at, from), encode(e.text, file.encoding));
    at = to;
  });
  parts.push(file.bytes.subarray(at));
  return Buffer.concat(parts);
}

/** An edit narrowed to the characters it really changes (a line rewritten with most of it kept touches only the rest). */
function trimmed(text: string, edit: Fix): { start: number; end: number; text: string } | null {
  let [start, end] = edit.range as [number, number];
  let value = edit.text;
  const old = text.slice(start, end);
  let p = 0;
  const max = Math.min(old.length, value.length);
  while (p < max && old.charCodeAt(p) === value.charCodeAt(p)) p++;
  if (p > 0 && isHighSurrogate(old.charCodeAt(p - 1))) p--; // never split a surrogate pair
  let s = 0;
  while (s < max - p && old.charCodeAt(old.length - 1 - s) === value.charCodeAt(value.length - 1 - s)) s++;
  if (s > 0 && isLowSurrogate(old.charCodeAt(old.length - s))) s--;
  if (p === old.length && p === value.length) return null;
  value = value.slice(p, value.length - s);
  start += p;
  end -= s;
  return { start, end, text: value };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** `text` in a spec's encoding. */
function encode(text: string, encoding: SpecFile["encoding"]): Buffer {
  if (encoding === "utf-8") return Buffer.from(text, "utf8");
  const b = Buffer.from(text, "utf16le");
  return encoding === "utf-16be" ? b.swap16() : b;
}

/**
 * The byte offset of each text offset (ascending), found by walking the text and the bytes together as the decoder
 * read them: a U+FFFD that is not the bytes EF BF BD stands for a NUL or for one maximal invalid UTF-8 subsequence.
 */
function byteOffsets(file: SpecFile, offsets: readonly number[]): number[] {
  const { bytes, text } = file;
  if (file.encoding !== "utf-8") {
    // Two bytes per code unit after the byte order mark; an odd last byte is the text's last U+FFFD.
    const units = (bytes.length - 2) >> 1;
    return offsets.map((o) => (o <= units ? 2 + 2 * o : bytes.length));
  }
  const out: number[] = [];
  let t = 0;
  let b = 0;
  for (const o of offsets) {
    while (t < o) {
      const c = text.charCodeAt(t);
      if (c < 0x80) b += 1;
      else if (c < 0x800) b += 2;
      else if (isHighSurrogate(c) && t + 1 < text.length && isLowSurrogate(text.charCodeAt(t + 1))) {
        b += 4;
        t++;
      } else if (c === 0xfffd && !(bytes[b] === 0xef && bytes[b + 1] === 0xbf && bytes[b + 2] === 0xbd)) {
        b = bytes[b] === 0 ? b + 1 : -utf8SequenceEnd(bytes, b);
      } else b += 3;
      t++;
    }
    out.push(b);
  }
  return out;
}

/** The text offset of a 1-based line and column, lines ending at LF and a byte order mark skipped, as the parser counts. */
function offsetOf(text: string, line: number, column: number): number {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let l = 1; l < line; l++) start = text.indexOf("\n", start) + 1;
  return start + column - 1;
}

/** "line:column" (1-based) of a text offset, as the parser counts. */
function lineColumn(text: string, offset: number): string {
  let line = 1;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let nl = text.indexOf("\n", start); nl >= 0 && nl < offset; nl = text.indexOf("\n", nl + 1)) {
    line++;
    start = nl + 1;
  }
  return `${line}:${offset - start + 1}`;
}
