// Reading files as specs: what is binary, what is text with a few bad bytes, and where each bad byte is.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { scanLines } from "../src/parse/scan-lines.js";
import { decodeSpecBytes, MAX_LISTED_REPLACEMENTS, rewriteRefusal, type Replacement, type SpecFile } from "../src/workspace/read-spec.js";

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

describe("rewriting", () => {
  test("a file that decoded exactly may be rewritten; otherwise one line names the first position, or the encoding", () => {
    assert.equal(rewriteRefusal(text(bytes("# T\n")), "a.md"), null);
    assert.equal(rewriteRefusal(text(bytes("# T\nx", [0xe9], "y", [0xe9])), "a.md"),
      "a.md:2:2: byte 0xE9 (not valid UTF-8) was read as U+FFFD (and 1 more), so the file is not rewritten (save the file as UTF-8, then run again)");
    assert.equal(rewriteRefusal(text(bytes("# Technical Specification", [0], "\n")), "a.md"),
      "a.md:1:26: a NUL character was read as U+FFFD, so the file is not rewritten (remove it, then run again)");
    assert.match(rewriteRefusal(text(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("# T\n", "utf16le")])), "a.md")!,
      /^a\.md: UTF-16LE text, so the file is not rewritten \(techspec writes UTF-8 only/);
  });
});
