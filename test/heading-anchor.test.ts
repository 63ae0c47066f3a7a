// GitHub's heading anchors (src/parse/heading-anchor.ts): known GitHub results, agreement with a CommonMark
// renderer on random headings, the portal's heading ids, and the link rule on a spec that links to them.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { slug } from "github-slugger";
import MarkdownIt from "markdown-it";
import { HeadingAnchors, headingAnchor, headingAnchorsOf, headingText } from "../src/parse/heading-anchor.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import { scanLines } from "../src/parse/scan-lines.js";
import { lintSpec } from "../src/rules/lint-spec.js";
import { renderMarkdown } from "../src/site/markdown.js";
import { FileHost } from "../src/workspace/host.js";

if (process.env["FC_SEED"] !== "random") fc.configureGlobal({ seed: Number(process.env["FC_SEED"] ?? 20261124) });

describe("headingAnchor", () => {
  // What GitHub itself produces for these headings (its documentation's example, and results GitHub users and
  // staff have reported for emoji shortcodes, images, raw HTML and ampersands).
  const github: [string, string][] = [
    ["Open Questions about [RFC 9110](https://www.rfc-editor.org/rfc/rfc9110)", "open-questions-about-rfc-9110"],
    ["This'll be a _Helpful_ Section About the Greek Letter Θ!", "thisll-be-a-helpful-section-about-the-greek-letter-θ"],
    [":desert_island: Installation", "desert_island-installation"],
    ["Modules 📦", "modules-"],
    ["🎯 Features", "-features"],
    ["hello ![logo](logo.png)", "hello-"],
    ["electricityMap [![Slack](https://s.example/b.svg)](https://s.example) [![CI](c.svg)](https://c.example) [![Follow](f.svg)](https://f.example)", "electricitymap---"],
    ["<my-package>-tests.ts", "-teststs"],
    ["a & b", "a--b"],
    ["Söme/title-header_", "sömetitle-header_"],
    ["Привет non-latin 你好", "привет-non-latin-你好"],
  ];
  for (const [heading, anchor] of github) {
    test(`${heading} → #${anchor}`, () => assert.equal(headingAnchor(heading), anchor));
  }

  test("the rendered text: link text without the URL, code without backticks, no emphasis markers, entities decoded", () => {
    const cases: [string, string][] = [
      ["The `foo_bar` field", "The foo_bar field"],
      ["`` a`b ``", "a`b"],
      ["__init__ and **bold** and *em*", "init and bold and em"],
      ["snake_case_name and _unclosed", "snake_case_name and _unclosed"],
      ["Q&amp;A, caf&eacute;, &#35;1, &#x263A;, &bogus;", "Q&A, café, #1, ☺, &bogus;"],
      ["Escaped \\_under\\_ and \\[brackets\\]", "Escaped _under_ and [brackets]"],
      ["Ask <mailto:ops@example.com> or <ops@example.com>", "Ask mailto:ops@example.com or ops@example.com"],
      ["Tags <b>bold</b><br/> and <!-- a comment --> gone", "Tags bold and  gone"],
      ["[not a link] and [x](<a b> \"title\")", "[not a link] and x"],
      ["a < b > c", "a < b > c"],
      ["Two\nlines  \n  here", "Two\nlines\nhere"],
    ];
    for (const [source, text] of cases) assert.equal(headingText(source), text, source);
  });

  test("reference links read as links when the document defines the label", () => {
    assert.equal(headingAnchor("See [RFC 9110][rfc]", ["RFC"]), "see-rfc-9110");
    assert.equal(headingAnchor("See [RFC 9110][rfc]"), "see-rfc-9110rfc");
    // A shortcut link matches its label however it is spaced, and its text keeps the spaces as written.
    assert.equal(headingAnchor("See [Rfc  9110]", ["rfc 9110"]), "see-rfc--9110");
  });

  test("a document's repeated headings are numbered as GitHub numbers them", () => {
    const anchors = new HeadingAnchors();
    assert.deepEqual(["Notes", "Notes", "*Notes*", "Notes 1", "Notes-1"].map((h) => anchors.next(h)), ["notes", "notes-1", "notes-2", "notes-1-1", "notes-1-2"]);
    assert.deepEqual([...headingAnchorsOf(["A", "a", "A"])], ["a", "a-1", "a-2"]);
  });

  test("a hostile heading takes linear time", () => {
    const n = 50_000;
    const nested = ["![".repeat(n) + "](x)".repeat(n), "[".repeat(n) + "[a](x)".repeat(n), "[![".repeat(n) + "](x)](y)".repeat(n), "*_".repeat(n) + "a" + "_*".repeat(n)];
    for (const unit of ["<a b='", "[a](", "`", "``x`", "<!--", "*_", "[![", "&amp", "<a:", "\\", "[a](x \"", "[a]((((", "~~_", "~_*", ...nested]) {
      const text = unit.length > 100 ? unit : unit.repeat(Math.ceil(200_000 / unit.length));
      const started = performance.now();
      headingAnchor(text);
      assert.ok(performance.now() - started < 2_000, `${JSON.stringify(unit.slice(0, 20))}… (${text.length} characters)`);
    }
  });

  // markdown-it is an independent CommonMark implementation; rendering a heading with it and taking the text
  // (what GitHub slugs) must give the same anchor on any mix of the constructs that decide the text. Two
  // deliberate differences stay out of the mix: markdown-it follows CommonMark 0.31, where a symbol such as an
  // emoji next to "_" or "*" counts as punctuation, while GitHub's cmark-gfm counts it as a letter; and after an
  // inline link that fails, markdown-it looks for a reference label where the failed link stopped rather than
  // right after the "]", so references and "(" are mixed in separate runs. (Strikethrough markers are dropped by
  // the slug anyway, but a strikethrough pair decides which "_" pairs up, as it does on GitHub.)
  const md = new MarkdownIt({ html: true, linkify: false });
  const rendered = (source: string, references: readonly string[]): string => {
    const env = { references: Object.fromEntries(references.map((r) => [md.utils.normalizeReference(r), { href: "/r", title: "" }])) };
    let out = "";
    for (const t of md.parseInline(source, env)[0]?.children ?? []) {
      if (t.type === "text" || t.type === "code_inline") out += t.content;
      else if (t.type === "softbreak" || t.type === "hardbreak") out += "\n";
    }
    return out;
  };
  const common = ["foo", "Bar", "a1", "Θ", "é", " ", " ", "  ", "*", "**", "***", "_", "__", "`", "``", "[", "]", "![", "<", ">", "&amp;", "&copy;",
    "&#35;", "&bogus;", "\\", "\\*", "\\_", "\\[", "<b>", "</b>", "<br/>", "<!-- c -->", "<https://x.example/p>", "<a@b.example>", "\"", "'", ":", "-",
    ".", "~~", "!", "&", "\n"];
  const agree = (pieces: readonly string[], references: readonly string[], runs: number): void => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
      const source = parts.join("").trim();
      // GFM strikethrough is "~" or "~~" on GitHub and "~~" in markdown-it: runs of other lengths differ.
      fc.pre(!/~~~|(?<!~)~(?!~)/.test(source));
      assert.equal(headingAnchor(source, references), slug(rendered(source, references)), `heading ${JSON.stringify(source)}`);
    }), { numRuns: runs });
  };

  test("agrees with markdown-it's rendering on random headings: links, code, emphasis, HTML, entities", () => {
    agree([...common, "(", ")", "](x)", "](<a b>)", "](x \"t\")", "](x 't')", "]()", "](x (t))", "\t"], [], 3000);
  });

  test("agrees with markdown-it's rendering on random headings: reference links", () => {
    agree([...common, "][ref]", "][]", "[ref]", "[Other  ref]", "][other ref]", "][nope]"], ["ref", "Other Ref"], 2000);
  });
});

describe("one anchor function for the portal and the link rule", () => {
  const fixture = resolve("test/fixtures/anchors/technical-specification.md");
  const text = readFileSync(fixture, "utf8");

  test("every heading id the portal renders is the function's anchor", () => {
    const { html, headings } = renderMarkdown(text, ({ path }) => ({ href: path }));
    const ids = [...html.matchAll(/<h[1-6] id="([^"]*)">/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));
    const scan = scanLines(text);
    const definitions = scan.lines.flatMap((l) => /^ {0,3}\[([^\]]+)\]:/.exec(l)?.[1] ?? []);
    const expected = [...headingAnchorsOf(scan.headings.map((h) => h.text), definitions)];
    assert.equal(ids.length, scan.headings.length, "one id per heading");
    assert.deepEqual(ids, expected);
    assert.deepEqual(headings.map((h) => h.id), expected);
    for (const anchor of ["open-questions-about-rfc-9110", "the-refund_id-field", "qa--notes", "init-and-bold", "tada-release", "-launch", "logo-", "café-über",
      "notes", "notes-1", "see-rfc-9110"]) {
      assert.ok(ids.includes(anchor), `#${anchor} among ${ids.join(", ")}`);
    }
  });

  test("the link rule accepts links to those anchors in the spec and in a linked file, and still rejects wrong ones", () => {
    const host = new FileHost(undefined, { git: false }).forSpec(fixture);
    const findings = lintSpec(parseSpec(text, "technical-specification.md"), { host }).filter((d) => d.rule === "related-document-link");
    assert.deepEqual(findings.map((d) => `${d.line}: ${d.message}`), [
      `${lineOf(text, "](#open-questions-about-rfc9110)")}: Anchor "#open-questions-about-rfc9110" does not match any heading of this spec`,
      `${lineOf(text, "](./PRD.md#no-such-heading)")}: Anchor "#no-such-heading" does not match any heading of "./PRD.md"`,
    ]);
  });

  test("a linked file's anchors come from the same function, duplicates and reference links included", () => {
    const dir = mkdtempSync(join(tmpdir(), "techspec-anchors-"));
    try {
      writeFileSync(join(dir, "doc.md"), "# Doc\n\n## Scope & `limits`\n\n## Scope & `limits`\n\n## See [the RFC][rfc]\n\n[rfc]: https://example.com\n\n```md\n## Not a heading\n```\n");
      const anchors = new FileHost(dir, { git: false }).forSpec(join(dir, "spec.md")).anchorsOf!("doc.md");
      assert.deepEqual([...anchors!], ["doc", "scope--limits", "scope--limits-1", "see-the-rfc"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function lineOf(text: string, needle: string): number {
  return text.split("\n").findIndex((l) => l.includes(needle)) + 1;
}
