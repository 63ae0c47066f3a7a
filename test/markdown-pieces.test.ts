// The portal renders a long document in pieces cut before headings (site/markdown.ts): the HTML, the headings and
// the unpublished links must be those of the document rendered whole, whatever the document holds.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { escapeHtml } from "../src/site/html.js";
import { renderMarkdown, type LinkResolver } from "../src/site/markdown.js";

// Lines that open, continue or close every kind of block, and headings that are (or only look like) cut points.
const LINES = [
  "# Title", "## Section", "### Sub [link](a.md)", "###### Six", "#NoSpace", "  # Indented heading", "    # code, not a heading",
  "#", "# ", "##\tTab", "text", "more text with [a link](doc.md#part) and ![img](pic.png)", "", "", "   ",
  "```", "```json", "````", "~~~", "~~~~ info", "``` a`b", "  ```", "    ```", " ```", "   ~~~", "  ````", "\t```", "  ``` x", "   ```   ",
  "  - ```", "> - ```", "1.  ```", "     ```", "  text in an item", "\ttabbed",
  "- item", "  - nested", "1. first", "   continued", "* star",
  "> quote", "> # quoted heading", "> ```", ">", "| a | b |", "|---|---|", "| 1 | 2 |",
  "---", "===", "***", "Setext", "a <b>html</b> & \"quotes\"", "https://example.com/x", "`code` **bold** _em_",
];

const resolve: LinkResolver = (link) => (link.path.endsWith(".md") ? { missing: `${link.path} is not published` } : { href: link.path });

test("a document rendered in pieces is the document rendered whole", () => {
  fc.assert(fc.property(fc.array(fc.constantFrom(...LINES), { maxLength: 80 }), fc.constantFrom("\n", "\r\n"), (lines, nl) => {
    const text = lines.join(nl);
    const whole = renderMarkdown(text, resolve, Number.MAX_SAFE_INTEGER);
    // A piece of one character: the text is cut before every heading that may be a cut point.
    assert.deepEqual(renderMarkdown(text, resolve, 1), whole);
  }), { numRuns: 2000 });
});

test("a document that defines a link reference is rendered whole (a reference may be used before it is defined)", () => {
  const text = "# A\n\nSee [the doc][d].\n\n# B\n\n[d]: other.md\n";
  const html = renderMarkdown(text, resolve, 1).html;
  assert.match(html, /class="missing"[^>]*>the doc</);
  assert.deepEqual(renderMarkdown(text, resolve, 1), renderMarkdown(text, resolve, Number.MAX_SAFE_INTEGER));
});

test("escapeHtml of a long text, through its bytes, is escapeHtml of a short one, piece by piece", () => {
  fc.assert(fc.property(fc.array(fc.constantFrom("a", "&", "<", ">", '"', "'", "é", "\u{1F600}", "\n", "\uFFFD", "\ud800"), { minLength: 1, maxLength: 40 }), (parts) => {
    const unit = parts.join("");
    const long = unit.repeat(Math.ceil(20_000 / unit.length));
    assert.equal(escapeHtml(long), escapeHtml(unit).repeat(Math.ceil(20_000 / unit.length)));
  }), { numRuns: 300 });
});
