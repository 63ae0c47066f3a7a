// Reading files as specs: what is binary, what is text with a few bad bytes, and where each bad byte is.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { scanLines } from "../src/parse/scan-lines.js";
import type { Fix } from "../src/model/diagnostic.js";
import { applyEdits } from "../src/workflow/edit.js";
import { editBytes } from "../src/workspace/byte-edit.js";
import { decodeSpecBytes, MAX_LISTED_REPLACEMENTS, type Replacement, type SpecFile } from "../src/workspace/read-spec.js";

// A fixed seed keeps CI reproducible; FC_SEED=random explores new cases (a failure prints its seed to replay).
if (process.env["FC_SEED"] !== "random") fc.configureGlobal({ seed: Number(process.env["FC_SEED"] ?? 20261201) });

const bytes = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

function text(b: Buffer): SpecFile {
  const r = decodeSpecBytes(b);
  assert.ok(r.ok, `read as text: ${r.ok ? "" : r.reason}`);
  return r.file;
}

function refused(b: Buffer): string {
  const r = decodeSpecBytes(b);
  assert.ok(!r.ok, "refused");
  return r.reason;
}

/** The character at a replacement's line and column, found as the parser finds lines. */
function charAt(t: string, r: Replacement): string {
  const { lineStarts } = scanLines(t);
  return t.charAt(lineStarts[r.line - 1]! + r.column - 1);
}

describe("binary or text", () => {
  test("known file signatures are binary, with what they are", () => {
    const cases: [number[], RegExp][] = [
      [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], /PNG/],
      [[0xff, 0xd8, 0xff, 0xe0, 0, 0x10], /JPEG/],
      [[...Buffer.from("GIF89a"), 1, 0, 1, 0], /GIF/],
      [[...Buffer.from("%PDF-1.7\n%"), 0xe2, 0xe3, 0xcf, 0xd3, 0x0a], /PDF/],
      [[0x50, 0x4b, 0x03, 0x04, 0x14, 0], /ZIP/],
      [[0x1f, 0x8b, 0x08, 0], /gzip/],
      [[0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], /ELF/],
      [[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0], /WebAssembly/],
      [[...Buffer.from("SQLite format 3\0"), 0x10, 0], /SQLite/],
    ];
    for (const [b, what] of cases) {
      const reason = refused(Buffer.from(b));
      assert.match(reason, /^binary file, not Markdown text \(/);
      assert.match(reason, what);
    }
    const tar = Buffer.alloc(1024, 0x20);
    tar.write("ustar\0", 257, "latin1");
    assert.match(refused(tar), /tar archive/);
  });

  test("many control bytes near the start are binary; one NUL or one Latin-1 byte in text is not", () => {
    assert.equal(refused(bytes("# T", [0, 1, 2, 0xff, 0, 10])), "binary file, not Markdown text");
    const doc = "# Technical Specification: Caf".padEnd(2000, "x");
    assert.equal(text(bytes(doc, [0], "\n")).replacementCount, 1);
    assert.equal(text(bytes(doc, [0xe9], "\n")).replacementCount, 1);
    // Valid UTF-8 without a NUL is text, whatever else it holds (ANSI colours, form feeds).
    assert.equal(text(bytes("a\x1b[31mred\x1b[0m\f\x01\n")).replacementCount, 0);
  });

  test("empty, white space only, and UTF-32 are refused with their reason", () => {
    assert.match(refused(Buffer.alloc(0)), /^empty file/);
    assert.match(refused(bytes(" \n\t\r\n")), /^empty file/);
    assert.match(refused(bytes([0xef, 0xbb, 0xbf], "\n")), /^empty file/);
    assert.match(refused(bytes([0xff, 0xfe], " \0\n\0")), /^empty file/);
    assert.match(refused(Buffer.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0])), /^UTF-32 text/);
    assert.match(refused(Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x41])), /^UTF-32 text/);
  });
});

describe("positions of what did not decode", () => {
  test("line and column in UTF-16 code units, as the parser counts them (LF and CRLF lines, a BOM skipped)", () => {
    const f = text(bytes([0xef, 0xbb, 0xbf], "ab", [0xe9], "\r\n😀x", [0], "\nlast ", [0xc3]));
    assert.deepEqual(f.replacements.map((r) => [r.line, r.column, r.kind, r.bytes]), [
      [1, 3, "invalid-utf8", "0xE9"],
      [2, 4, "nul", "0x00"],
      [3, 6, "invalid-utf8", "0xC3"],
    ]);
    for (const r of f.replacements) assert.equal(charAt(f.text, r), "\uFFFD");
    assert.ok(f.text.startsWith("\uFEFF"), "the BOM stays in the text, so that a rewrite keeps it");
    assert.equal(f.encoding, "utf-8");
  });

  test("each maximal invalid subsequence is one U+FFFD, as the Encoding Standard says; a U+FFFD in the file is not reported", () => {
    const b = bytes("a", [0xe2, 0x82], "b", [0xf0, 0x9f, 0x98], "\n", [0xed, 0xa0, 0x80], "\uFFFD", [0xc0, 0xaf]);
    const f = text(b);
    assert.equal(f.text, new TextDecoder("utf-8", { ignoreBOM: true }).decode(b));
    assert.deepEqual(f.replacements.map((r) => r.bytes), ["0xE2 0x82", "0xF0 0x9F 0x98", "0xED", "0xA0", "0x80", "0xC0", "0xAF"]);
  });

  test(`a file in another encoding lists the first ${MAX_LISTED_REPLACEMENTS} and counts the rest`, () => {
    const latin1 = Buffer.from(`# Technical Specification: ${"café ".repeat(300)}\n`, "latin1");
    const f = text(latin1);
    assert.equal(f.replacementCount, 300);
    assert.equal(f.replacements.length, MAX_LISTED_REPLACEMENTS);
    for (const r of f.replacements) assert.equal(charAt(f.text, r), "\uFFFD");
  });

  test("any bytes: the text is what a browser decodes (NUL as U+FFFD), and every listed position holds a U+FFFD", () => {
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 8 }),
      fc.string({ unit: "grapheme", maxLength: 8 }).map((s) => new Uint8Array(Buffer.from(s))),
      fc.constantFrom(new Uint8Array([10]), new Uint8Array([13, 10]), new Uint8Array([0]), new Uint8Array([0xef, 0xbf, 0xbd])),
    );
    fc.assert(fc.property(fc.array(chunk, { maxLength: 40 }), (chunks) => {
      // Text around the bytes, so that the sample reads as text rather than as a binary.
      const b = Buffer.concat([Buffer.from("# Technical Specification: x\n".repeat(4)), ...chunks, Buffer.from("\nend\n".repeat(20))]);
      const r = decodeSpecBytes(b);
      if (!r.ok) {
        assert.match(r.reason, /^binary file/);
        return;
      }
      const expected = new TextDecoder("utf-8", { ignoreBOM: true }).decode(b).replace(/\0/g, "\uFFFD");
      assert.equal(r.file.text, expected);
      let genuine = 0;
      for (let i = b.indexOf("\uFFFD"); i >= 0; i = b.indexOf("\uFFFD", i + 3)) genuine++;
      assert.equal(r.file.replacementCount, (expected.match(/\uFFFD/g)?.length ?? 0) - genuine);
      for (const rep of r.file.replacements) assert.equal(charAt(r.file.text, rep), "\uFFFD");
    }), { numRuns: 300 });
  });
});

describe("UTF-16", () => {
  const doc = "# Technical Specification: Café\n\n**Status**: Draft\n";

  test("with a byte order mark, little- or big-endian, is decoded", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc, "utf16le")]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [b, encoding] of [[le, "utf-16le"], [be, "utf-16be"]] as const) {
      const f = text(b);
      assert.equal(f.text, doc);
      assert.equal(f.encoding, encoding);
      assert.equal(f.replacementCount, 0);
    }
  });

  test("unpaired surrogates, NULs and an odd last byte are U+FFFD at their positions", () => {
    const b = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("ab\n", "utf16le"), Buffer.from([0x00, 0xd8]), Buffer.from("c\0", "utf16le"), Buffer.from([0x41])]);
    const f = text(b);
    assert.deepEqual(f.replacements.map((r) => [r.line, r.column, r.kind]), [[2, 1, "surrogate"], [2, 3, "nul"], [2, 4, "odd-byte"]]);
    for (const r of f.replacements) assert.equal(charAt(f.text, r), "\uFFFD");
  });
});

describe("editing the bytes", () => {
  /** Non-overlapping ranges of `t` on code point boundaries, each with a new text, from random numbers. */
  function editsOf(t: string, picks: readonly { at: number; len: number; text: string }[]): Fix[] {
    const bound = (o: number): number => (o > 0 && o < t.length && t.charCodeAt(o) >= 0xdc00 && t.charCodeAt(o) <= 0xdfff ? o - 1 : o);
    const first = t.charCodeAt(0) === 0xfeff ? 1 : 0;
    const out: Fix[] = [];
    let from = first;
    for (const p of [...picks].sort((a, b) => a.at - b.at)) {
      const start = bound(Math.max(from, first + Math.floor(p.at * (t.length - first + 1))));
      const end = bound(Math.min(t.length, start + p.len));
      if (start < from || end < start) continue;
      out.push({ range: [start, end], text: p.text });
      from = end;
    }
    return out;
  }

  test("any edits of any text: the new bytes decode to the edited text, and every byte outside the edits is kept", () => {
    const part = fc.oneof(
      fc.constantFrom("# Spec\n", "**Status**: Draft  \r\n", "é", "😀", "\r\n", "\n", "  ", "\uFFFD", "\r"),
      fc.uint8Array({ minLength: 1, maxLength: 3 }).map((a) => Buffer.from(a).toString("latin1")),
    );
    const source = fc.tuple(fc.boolean(), fc.array(fc.oneof(part.map((p) => Buffer.from(p, "utf8")), fc.uint8Array({ maxLength: 4 }).map((a) => Buffer.from(a))), { maxLength: 30 }))
      .map(([bom, parts]) => Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from("# T\n"), ...parts]));
    const pick = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.nat({ max: 12 }), text: fc.constantFrom("", "In Review", "\n**X**: y", "é😀", " ") });
    fc.assert(fc.property(source, fc.array(pick, { maxLength: 4 }), (b, picks) => {
      const r = decodeSpecBytes(b);
      fc.pre(r.ok);
      if (!r.ok) return;
      const edits = editsOf(r.file.text, picks);
      const out = editBytes(r.file, edits, "a.md");
      const again = decodeSpecBytes(out);
      fc.pre(again.ok); // not when the edits left only blank text
      if (!again.ok) return;
      assert.equal(again.file.text, applyEdits(r.file.text, edits));
      // Byte for byte: the file's own bytes between the edits, found independently of editBytes (by decoding prefixes
      // with the platform's WHATWG decoder: the last prefix that decodes to the text before the offset).
      const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
      const byteAt = (o: number): number => {
        const want = r.file.text.slice(0, o);
        let k = -1;
        for (let n = 0; n <= b.length; n++) if (decoder.decode(b.subarray(0, n)).replace(/\0/g, "\uFFFD") === want) k = n;
        assert.ok(k >= 0, `offset ${o} maps to bytes`);
        return k;
      };
      const expected: Buffer[] = [];
      let at = 0;
      for (const e of edits) {
        expected.push(b.subarray(at, byteAt(e.range[0])), Buffer.from(e.text, "utf8"));
        at = byteAt(e.range[1]);
      }
      expected.push(b.subarray(at));
      assert.deepEqual(out, Buffer.concat(expected));
      return undefined;
    }));
  });

  test("an invalid byte, a NUL, a lone CRLF, a BOM and a missing final newline outside the edit stay byte for byte", () => {
    const b = bytes([0xef, 0xbb, 0xbf], "# Caf", [0xe9], "\n**Status**: Draft  \r\nx", [0x00], "y \n**Owner**: ", [0xc3, 0x28], "\nend");
    const f = text(b);
    const at = f.text.indexOf("Draft");
    const out = editBytes(f, [{ range: [at, at + 5], text: "In Review" }], "a.md");
    assert.deepEqual(out, bytes([0xef, 0xbb, 0xbf], "# Caf", [0xe9], "\n**Status**: In Review  \r\nx", [0x00], "y \n**Owner**: ", [0xc3, 0x28], "\nend"));
  });

  test("UTF-16 files are edited in UTF-16, an unpaired surrogate and an odd last byte kept", () => {
    const b = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("# T\r\n**Status**: Draft\n", "utf16le"), Buffer.from([0x00, 0xd8]), Buffer.from("z", "utf16le"), Buffer.from([0x41])]);
    const f = text(b);
    const at = f.text.indexOf("Draft");
    const out = editBytes(f, [{ range: [at, at + 5], text: "Approved" }], "a.md");
    assert.deepEqual(out, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("# T\r\n**Status**: Approved\n", "utf16le"), Buffer.from([0x00, 0xd8]), Buffer.from("z", "utf16le"), Buffer.from([0x41])]));
    const be = Buffer.from(b.subarray(0, b.length - 1)).swap16();
    const g = text(be);
    assert.equal(g.encoding, "utf-16be");
    const out2 = editBytes(g, [{ range: [at, at + 5], text: "Approved" }], "a.md");
    assert.deepEqual(out2, Buffer.from(out.subarray(0, out.length - 1)).swap16());
  });

  test("an edit only rewrites what it changes; one that would write U+FFFD over bytes that were not text is refused", () => {
    const b = bytes("# T\n| Security Lead ", [0xe9], " | Olga | Pending |\n");
    const f = text(b);
    const line = f.text.indexOf("| Security");
    const end = f.text.indexOf("\n", line);
    // The row rewritten whole (as a table approval is), its first cell copied: the copied byte stays as it was.
    const row = `| Security Lead \uFFFD | Olga | Approved 2027-01-15 |`;
    assert.deepEqual(editBytes(f, [{ range: [line, end], text: row }], "a.md"), bytes("# T\n| Security Lead ", [0xe9], " | Olga | Approved 2027-01-15 |\n"));
    assert.throws(() => editBytes(f, [{ range: [line, end], text: "| Lead \uFFFD | X | Y |" }], "a.md"),
      /^InputError: a\.md:2:3: the edit would write U\+FFFD over byte 0xE9 \(not valid UTF-8\); correct those bytes by hand/);
  });
});
