import { isUtf8 } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { InputError } from "./errors.js";

/** How a spec file's bytes were decoded: UTF-8, or UTF-16 when the file starts with its byte order mark. */
export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be";

/** One character read as U+FFFD because its bytes were not text. Lines and columns are 1-based, columns in UTF-16 code units. */
export interface Replacement {
  readonly line: number;
  readonly column: number;
  /** An invalid UTF-8 sequence, a NUL, an unpaired UTF-16 surrogate, or the odd last byte of a UTF-16 file. */
  readonly kind: "invalid-utf8" | "nul" | "surrogate" | "odd-byte";
  /** The bytes (or, for a surrogate, the code unit) as hex: "0xE9", "0xE2 0x82". */
  readonly bytes: string;
}

/** A spec file read as text, with what did not decode cleanly. */
export interface SpecFile {
  /** The bytes as read: edits are applied to them (see `editBytes`), so what did not decode is kept. */
  readonly bytes: Buffer;
  readonly text: string;
  readonly encoding: TextEncoding;
  /** The first `MAX_LISTED_REPLACEMENTS` characters read as U+FFFD, in order. */
  readonly replacements: readonly Replacement[];
  /** How many characters were read as U+FFFD in all. */
  readonly replacementCount: number;
}

/** The outcome of reading a file as a spec: its text, or the one-line reason it cannot be one. */
export type ReadOutcome = { readonly ok: true; readonly file: SpecFile } | { readonly ok: false; readonly reason: string };

/** Replacements listed per file; a file in another encoding would otherwise give one finding per accented letter. */
export const MAX_LISTED_REPLACEMENTS = 100;

/** Bytes examined for signs of a binary file. */
const PROBE = 8192;
/** Share of control bytes in the probe above which a file is binary rather than text with a few stray bytes. */
const BINARY_SHARE = 0.1;

const EMPTY = 'empty file (start from the template with: techspec new "Title")';

/** File signatures of formats that are never Markdown. */
const MAGIC: readonly { readonly bytes: readonly number[]; readonly at?: number; readonly what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: "a PNG image" },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image" },
  { bytes: [...Buffer.from("GIF87a", "latin1")], what: "a GIF image" },
  { bytes: [...Buffer.from("GIF89a", "latin1")], what: "a GIF image" },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: "a PDF document" }, // %PDF-
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "a ZIP archive (or a document packed as one)" },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: "an empty ZIP archive" },
  { bytes: [0x1f, 0x8b], what: "a gzip archive" },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: "an xz archive" },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: "a Zstandard archive" },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: "a 7-Zip archive" },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: "an ELF executable" },
  { bytes: [0xcf, 0xfa, 0xed, 0xfe], what: "a Mach-O executable" },
  { bytes: [0xce, 0xfa, 0xed, 0xfe], what: "a Mach-O executable" },
  { bytes: [0xca, 0xfe, 0xba, 0xbe], what: "a Mach-O or Java class file" },
  { bytes: [0x00, 0x61, 0x73, 0x6d], what: "a WebAssembly module" },
  { bytes: [...Buffer.from("SQLite format 3\0", "latin1")], what: "an SQLite database" },
  { bytes: [...Buffer.from("ustar\0", "latin1")], at: 257, what: "a tar archive" },
  { bytes: [...Buffer.from("ustar  \0", "latin1")], at: 257, what: "a tar archive" },
];

/** Reads a spec file, or says in one line why it cannot be a spec: too large, binary, empty, unreadable. */
export function readSpec(path: string, maxFileSize: number): ReadOutcome {
  let fd: number;
  try {
    // Non-blocking, so that a FIFO among the files is refused instead of waiting for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    return { ok: false, reason: unreadableReason(err) };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, reason: "cannot read (is a directory)" };
    if (!stat.isFile()) return { ok: false, reason: "cannot read (not a regular file)" };
    const size = stat.size;
    if (size > maxFileSize) {
      return { ok: false, reason: `file is ${mb(size)}, over the ${mb(maxFileSize)} limit for a spec (raise "maxFileSize" in techspec.config.json if it is really one spec)` };
    }
    if (size === 0) return { ok: false, reason: EMPTY };
    const buf = Buffer.allocUnsafe(size);
    let n = 0;
    while (n < size) {
      const r = readSync(fd, buf, n, size - n, n);
      if (r === 0) break;
      n += r;
    }
    return decodeSpecBytes(buf.subarray(0, n));
  } catch (err) {
    return { ok: false, reason: unreadableReason(err) };
  } finally {
    closeSync(fd);
  }
}

/** Reads a spec file like `readSpec`, throwing an InputError "<display>: <reason>" when it cannot be a spec. */
export function readSpecFile(path: string, display: string, maxFileSize: number): SpecFile {
  const read = readSpec(path, maxFileSize);
  if (!read.ok) throw new InputError(`${display}: ${read.reason}`);
  return read.file;
}

/**
 * Decodes a file's bytes as CommonMark reads text: UTF-8 (UTF-16 with its byte order mark), every invalid byte
 * sequence and every NUL read as U+FFFD and listed. Only a real binary (a known file signature, or many control
 * bytes near the start) or a file without text is refused.
 */
export function decodeSpecBytes(bytes: Uint8Array): ReadOutcome {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let decoded: { text: string; encoding: TextEncoding; found: Found[] };
  if (startsWith(b, [0xff, 0xfe, 0x00, 0x00]) || startsWith(b, [0x00, 0x00, 0xfe, 0xff])) {
    return { ok: false, reason: "UTF-32 text, which techspec does not read (save the file as UTF-8)" };
  } else if (startsWith(b, [0xff, 0xfe]) || startsWith(b, [0xfe, 0xff])) {
    decoded = decodeUtf16(b, b[0] === 0xff ? "utf-16le" : "utf-16be");
  } else {
    const magic = MAGIC.find((m) => startsWith(b, m.bytes, m.at ?? 0));
    if (magic) return { ok: false, reason: `binary file, not Markdown text (${magic.what})` };
    if (b.indexOf(0) < 0 && isUtf8(b)) {
      // The common case, checked natively. Valid UTF-8 without a NUL is text, whatever other controls it holds.
      decoded = { text: b.toString("utf8"), encoding: "utf-8", found: [] };
    } else {
      if (controlShare(b.subarray(0, PROBE)) > BINARY_SHARE) return { ok: false, reason: "binary file, not Markdown text" };
      decoded = decodeUtf8(b);
    }
  }
  // A UTF-8 byte order mark stays in the text (the parser skips it), so that fixes and edits keep it.
  const body = decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text;
  if (body.trim() === "") return { ok: false, reason: EMPTY };
  return {
    ok: true,
    file: {
      bytes: b, text: decoded.text, encoding: decoded.encoding, replacementCount: decoded.found.length,
      replacements: positions(decoded.text, decoded.found.slice(0, MAX_LISTED_REPLACEMENTS)),
    },
  };
}

/** What a replacement stands for, for a message: "byte 0xE9 is not valid UTF-8". */
export function describeReplacement(r: Replacement): string {
  switch (r.kind) {
    case "nul": return "a NUL character";
    case "surrogate": return `unpaired UTF-16 surrogate ${r.bytes}`;
    case "odd-byte": return `the odd last byte ${r.bytes} of a UTF-16 file`;
    default: return r.bytes.includes(" ") ? `bytes ${r.bytes} (not valid UTF-8)` : `byte ${r.bytes} (not valid UTF-8)`;
  }
}

/** How to repair a file with a replacement of this kind. */
export function repairHint(r: Replacement): string {
  return r.kind === "nul" ? "remove it" : r.kind === "invalid-utf8" ? "save the file as UTF-8" : "fix the character, or save the file as UTF-8";
}

/** A short reason for a file-system error on a path: "no such file or directory", "cannot read (permission denied)". */
export function unreadableReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT": return "no such file or directory";
    case "ENOTDIR": return "no such file or directory (a part of the path is not a folder)";
    case "ELOOP": return "symbolic link loop";
    case "EACCES":
    case "EPERM": return "cannot read (permission denied)";
    case "EISDIR": return "cannot read (is a directory)";
    default: return `cannot read (${code ?? (err as Error).message})`;
  }
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

/** Bytes text does not hold: NUL and the C0 controls other than tab, LF, VT, FF, CR and ESC, and DEL. */
const CONTROL = /[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]/g;

/** Share of control bytes in `probe`. */
function controlShare(probe: Buffer): number {
  if (probe.length === 0) return 0;
  const n = probe.toString("latin1").match(CONTROL)?.length ?? 0;
  return n / probe.length;
}

/** A replacement by its UTF-16 offset in the decoded text, before lines and columns are known. */
interface Found {
  readonly offset: number;
  readonly kind: Replacement["kind"];
  readonly bytes: string;
}

function hex(bytes: Uint8Array, from: number, to: number): string {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(`0x${bytes[i]!.toString(16).toUpperCase().padStart(2, "0")}`);
  return out.join(" ");
}

/**
 * UTF-8 as the WHATWG Encoding Standard decodes it (what browsers and CommonMark renderers do): each maximal
 * invalid subsequence becomes one U+FFFD; a NUL becomes U+FFFD as CommonMark requires. The valid runs between
 * are decoded by Node, so only the replacements are walked byte by byte.
 */
function decodeUtf8(b: Buffer): { text: string; encoding: TextEncoding; found: Found[] } {
  const parts: string[] = [];
  const found: Found[] = [];
  let length = 0; // UTF-16 length of the text so far
  let runStart = 0;
  const replace = (from: number, to: number, kind: Found["kind"]): void => {
    if (from > runStart) {
      const run = b.toString("utf8", runStart, from);
      parts.push(run);
      length += run.length;
    }
    found.push({ offset: length, kind, bytes: hex(b, from, to) });
    parts.push("\uFFFD");
    length += 1;
    runStart = to;
  };
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      if (c === 0) replace(i, i + 1, "nul");
      i++;
      continue;
    }
    const end = utf8SequenceEnd(b, i);
    if (end < 0) replace(i, -end, "invalid-utf8"); // the lead byte and the continuation bytes that fitted
    i = end < 0 ? -end : end;
  }
  if (runStart < n) parts.push(b.toString("utf8", runStart, n));
  return { text: parts.join(""), encoding: "utf-8", found };
}

/**
 * Where the UTF-8 sequence starting at the non-ASCII byte `b[i]` ends: the index after it when it is valid, or
 * that index negated when it is not, the sequence then being its maximal subpart as the Encoding Standard reads
 * it (one U+FFFD). Shared by the decoder and by `editBytes`, which must map the text back to the same bytes.
 */
export function utf8SequenceEnd(b: Uint8Array, i: number): number {
  const c = b[i]!;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) need = 1;
  else if (c >= 0xe0 && c <= 0xef) {
    need = 2;
    if (c === 0xe0) lo = 0xa0;
    else if (c === 0xed) hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3;
    if (c === 0xf0) lo = 0x90;
    else if (c === 0xf4) hi = 0x8f;
  } else return -(i + 1);
  const n = b.length;
  let j = i + 1;
  let k = 0;
  while (k < need && j < n && b[j]! >= lo && b[j]! <= hi) {
    lo = 0x80;
    hi = 0xbf;
    j++;
    k++;
  }
  return k < need ? -j : j;
}

/** UTF-16 after its byte order mark; unpaired surrogates, NULs and an odd last byte become U+FFFD. */
function decodeUtf16(b: Buffer, encoding: "utf-16le" | "utf-16be"): { text: string; encoding: TextEncoding; found: Found[] } {
  const even = (b.length - 2) & ~1;
  const units = Buffer.from(b.subarray(2, 2 + even));
  if (encoding === "utf-16be") units.swap16();
  const raw = units.toString("utf16le");
  const found: Found[] = [];
  let out = "";
  let runStart = 0;
  const replace = (at: number, kind: Found["kind"], bytes: string): void => {
    out += `${raw.slice(runStart, at)}\uFFFD`;
    found.push({ offset: at, kind, bytes });
    runStart = at + 1;
  };
  for (let i = 0; i < raw.length; i++) {
    const u = raw.charCodeAt(i);
    if (u === 0) replace(i, "nul", "0x0000");
    else if (u >= 0xd800 && u <= 0xdbff) {
      const next = raw.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else replace(i, "surrogate", `0x${u.toString(16).toUpperCase()}`);
    } else if (u >= 0xdc00 && u <= 0xdfff) replace(i, "surrogate", `0x${u.toString(16).toUpperCase()}`);
  }
  out += raw.slice(runStart);
  if (b.length - 2 > even) {
    found.push({ offset: out.length, kind: "odd-byte", bytes: hex(b, b.length - 1, b.length) });
    out += "\uFFFD";
  }
  return { text: out, encoding, found };
}

/** Lines and columns of offsets (ascending) in `text`, counted as the parser counts them (LF ends a line, a BOM is skipped). */
function positions(text: string, found: readonly Found[]): Replacement[] {
  const out: Replacement[] = [];
  let line = 1;
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let scanned = 0;
  for (const f of found) {
    for (let nl = text.indexOf("\n", scanned); nl >= 0 && nl < f.offset; nl = text.indexOf("\n", nl + 1)) {
      line++;
      lineStart = nl + 1;
      scanned = nl + 1;
    }
    out.push({ line, column: f.offset - lineStart + 1, kind: f.kind, bytes: f.bytes });
  }
  return out;
}
