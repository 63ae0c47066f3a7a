// What `techspec site` publishes of the files specs link to: never a secret (dotfiles, the configuration, anything
// outside the workspace, however the link is spelled), never a file a browser would run as HTML or SVG on the portal's
// origin (by name or by content), and nothing a linked file holds runs in Chromium, from disk or from a static host.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { deflateSync } from "node:zlib";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { classifyLinkedFile, isHiddenPath, linkPath, svgActiveContent } from "../src/site/publish-policy.js";
import { launchChromium } from "../test-support/browser.js";

const cli = resolve("dist", "src", "cli", "main.js");
const SPEC_DIR = "specs/FEAT-0100-portal-safety";

/** A valid PNG of one colour, encoded here (zlib for the pixels, CRC-32 for the chunks). */
function png(width: number, height: number, rgb: readonly [number, number, number]): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const byte of b) c = table[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter, no interlace
  const row = Buffer.from([0, ...Array.from({ length: width }, () => rgb).flat()]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))), chunk("IEND", Buffer.alloc(0))]);
}

describe("the publishing policy, from the name and the bytes", () => {
  const text = (s: string): Buffer => Buffer.from(s, "utf8");
  const kind = (name: string, bytes: Uint8Array): string => classifyLinkedFile(name, bytes).kind;

  test("images and PDFs are copied only when their bytes carry the signature their extension names, in any case", () => {
    const image = png(2, 2, [0, 128, 255]);
    for (const name of ["a.png", "A.PNG", "a.Png"]) assert.equal(kind(name, image), "copy", name);
    assert.equal(kind("a.jpg", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16])), "copy");
    assert.equal(kind("a.JPEG", Buffer.from([0xff, 0xd8, 0xff, 0xdb])), "copy");
    assert.equal(kind("a.gif", text("GIF89a\x01\x00\x01\x00")), "copy");
    assert.equal(kind("a.webp", Buffer.concat([text("RIFF"), Buffer.from([4, 0, 0, 0]), text("WEBPVP8 ")])), "copy");
    assert.equal(kind("a.pdf", text("%PDF-1.7\n")), "copy");
    // A PNG that is a JPEG, an image that is HTML, a PDF that is a script: refused, and the reason says what it starts like.
    assert.equal(kind("a.png", Buffer.from([0xff, 0xd8, 0xff, 0xe0])), "refused");
    for (const [name, body] of [["a.png", "<html><script>x()</script>"], ["a.gif", "  <!doctype html>"], ["a.jpg", "<svg onload=x()>"], ["a.pdf", "<script>x()</script>%PDF-"], ["a.webp", "\uFEFF<iframe>"]]) {
      const p = classifyLinkedFile(name!, text(body!));
      assert.equal(p.kind, "refused", name);
      assert.match((p as { reason: string }).reason, /^is not an? .+ \(its bytes do not start with the \w+ signature; they start like markup\) and is not published$/, name);
    }
    assert.equal(kind("empty.png", new Uint8Array()), "refused");
  });

  test("plain text is copied when it is UTF-8 with nothing a browser could take for markup", () => {
    for (const name of ["notes.txt", "NOTES.TXT", "data.csv", "data.tsv", "run.log", "read.text"]) assert.equal(kind(name, text("a < b, x > y, <module> in a traceback\r\n\tcafé\n")), "copy", name);
    for (const body of ["<script>x()</script>", "hello\n<SCRIPT src=x>", "  <!DOCTYPE html>", "<html>", "a\n<svg/onload=x()>", "<?xml version='1.0'?>", "<!-- c -->", "x <iframe src=y>", "<img src=x onerror=y>", "<a href=x>", "</title><body>"]) {
      const p = classifyLinkedFile("notes.txt", text(body));
      assert.equal(p.kind, "refused", body);
      assert.match((p as { reason: string }).reason, /^holds markup \(<.+\) a browser could render as HTML, and is not published$/, body);
    }
    assert.equal(kind("bin.txt", Buffer.from([0x61, 0x00, 0x62])), "refused", "a NUL");
    assert.equal(kind("latin1.txt", Buffer.from([0x63, 0x61, 0x66, 0xe9])), "refused", "not UTF-8");
    assert.equal(kind("utf16.txt", Buffer.from([0xff, 0xfe, 0x3c, 0x00, 0x68, 0x00])), "refused", "UTF-16, where a UTF-8 scan would not see the markup");
  });

  test("HTML, XHTML, XML and unknown types are never published, whatever they hold; Markdown is rendered", () => {
    for (const name of ["a.html", "A.HTM", "a.xhtml", "a.XHT", "a.shtml", "a.xml", "a.xsl", "a.svgz", "a.mhtml"]) {
      const p = classifyLinkedFile(name, text("just words"));
      assert.equal(p.kind, "refused", name);
      assert.match((p as { reason: string }).reason, /^is [\w ]+, which is not published: a browser would run its scripts on the portal$/, name);
    }
    for (const name of ["a.bin", "a.js", "a.json", "a.exe", "Makefile", "a.", "a.svg.bak"]) {
      const p = classifyLinkedFile(name, text("just words"));
      assert.equal(p.kind, "refused", name);
      assert.match((p as { reason: string }).reason, /and is not published; published are Markdown, PNG, JPEG, GIF, WebP and SVG images, PDF, and plain text/, name);
    }
    assert.equal(kind("a.md", text("<script>x()</script>")), "page");
    assert.equal(kind("A.MARKDOWN", text("# x")), "page");
  });

  test("an SVG image is shown only when it holds no active content, however it is spelled", () => {
    const svg = (inner: string, attrs = ""): string => `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"${attrs}>${inner}</svg>`;
    const clean = `<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n${svg(
      '<defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/><use href="#g"/><a xlink:href="#g"><text>once = twice</text></a><image href="data:image/png;base64,iVBORw0KGgo="/><animate attributeName="x" to="3"/>')}`;
    assert.equal(svgActiveContent(clean), null);
    assert.equal(kind("clean.SVG", text(clean)), "svg");
    const cases: [string, RegExp][] = [
      [svg("<script>x()</script>"), /a <script> element/],
      [svg('<svg:script xmlns:svg="http://www.w3.org/2000/svg">x()</svg:script>'), /a <script> element/],
      [svg("", ' onload="x()"'), /an onload event handler/],
      [svg('<rect/onclick="x()"/>'), /an onclick event handler/],
      [svg("<foreignObject><div>html</div></foreignObject>"), /a <foreignObject> element/i],
      [svg('<a href="javascript:x()"><text>t</text></a>'), /a script: URL|a link outside the image/],
      [svg('<a xlink:href="&#106;avascript:x()">t</a>'), /a script: URL|a link outside the image/],
      [svg('<a xlink:href="&#x6A;&#x61;vascript&#58;x()">t</a>'), /a script: URL|a link outside the image/],
      [svg('<a href="https://elsewhere.example/">t</a>'), /a link outside the image/],
      [svg('<image href="other.png"/>'), /a link outside the image/],
      [svg('<rect style="fill: url(https://elsewhere.example/x)"/>'), /a url\(\) outside the image/],
      [svg("<style>@import 'x.css';</style>"), /@import/],
      [svg('<set attributeName="href" to="javascript:x()"/>'), /an animation of a link|a script: URL/],
      [svg('<image href="data:text/html;base64,PHNjcmlwdD4="/>'), /a link outside the image|a data: URL/],
      [`<?xml-stylesheet href="x.xsl" type="text/xsl"?>${svg("")}`, /its root element is not <svg>|a processing instruction/],
      [`<!DOCTYPE svg [<!ENTITY x "y">]>${svg("&x;")}`, /its root element is not <svg>|an entity or DTD declaration/],
      ["<html><svg></svg></html>", /its root element is not <svg>/],
    ];
    for (const [body, what] of cases) {
      const p = classifyLinkedFile("x.svg", text(body));
      assert.equal(p.kind, "refused", body);
      assert.match((p as { reason: string }).reason, /^is an SVG image with active content \(.+\) and is not published$/, body);
      assert.match((p as { reason: string }).reason, what, body);
    }
  });

  test("link paths: backslashes read as slashes, control characters and double encoding refused; dot segments are hidden", () => {
    assert.deepEqual(linkPath("..\\..\\etc\\passwd"), { path: "../../etc/passwd" });
    assert.deepEqual(linkPath("docs/a b.md"), { path: "docs/a b.md" });
    assert.match((linkPath("a\u0000.md") as { reason: string }).reason, /control characters/);
    assert.match((linkPath("a\nb.md") as { reason: string }).reason, /control characters/);
    for (const p of ["%2e%2e/x", "%2E./x", "a%2fb", "..%5C..%5Cx"]) assert.match((linkPath(p) as { reason: string }).reason, /percent-encoded twice/, p);
    for (const p of [".env", ".git/config", "a/.hidden/b.png", "docs/.ssh/id_rsa"]) assert.ok(isHiddenPath(p), p);
    for (const p of ["a/b.png", "docs/v1.2/notes.txt", "a..b/c"]) assert.ok(!isHiddenPath(p), p);
  });
});

/** Every file under `dir`, as "/"-separated paths, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => statSync(join(dir, f)).isFile()).map((f) => f.split(sep).join("/")).sort();
}

/** A link of the spec that must not be published, and the reason its page must give. */
interface Hostile { readonly label: string; readonly href: string; readonly image?: boolean; readonly reason: string }

describe("the configuration the run used", () => {
  test("is not published under another name given with -c, nor through a symbolic link to it", () => {
    const ws = mkdtempSync(join(tmpdir(), "techspec-safety-config-"));
    try {
      mkdirSync(join(ws, "a"));
      writeFileSync(join(ws, "portal-settings.json"), `${JSON.stringify({ specs: ["a/technical-specification.md"], ignore: ["FAKE-TOKEN-named-9e2d/**"] })}\n`);
      symlinkSync("../portal-settings.json", join(ws, "a", "settings.txt"));
      writeFileSync(join(ws, "a", "technical-specification.md"), "# Technical Specification: Config\n\n**Feature ID**: FEAT-0200\n**Status**: Draft\n\n## Introduction\n\n[L-named](../portal-settings.json) and [L-alias](settings.txt).\n");
      const r = spawnSync(process.execPath, [cli, "site", "-c", "portal-settings.json", "--out", "../out-" + ws.split(sep).pop()], { cwd: ws, encoding: "utf8" });
      assert.equal(r.status, 0, r.stderr);
      const out = join(ws, "..", `out-${ws.split(sep).pop()}`);
      try {
        const html = readFileSync(join(out, "specs", "FEAT-0200.html"), "utf8");
        assert.ok(html.includes('<span class="missing" title="../portal-settings.json is the techspec configuration file, which is never published">L-named</span>'));
        assert.ok(html.includes('<span class="missing" title="settings.txt is the techspec configuration file, which is never published">L-alias</span>'));
        assert.deepEqual(filesUnder(out).filter((f) => f.startsWith("files/")), []);
        for (const f of filesUnder(out)) assert.ok(!readFileSync(join(out, f), "latin1").includes("FAKE-TOKEN"), f);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
});

describe("a workspace whose spec links secrets and active files", () => {
  let base = "";
  let ws = "";
  let out = "";
  /** Requests to /pwned/ that a hostile file's script made, and every request the test's hosts answered. */
  const beacons: string[] = [];
  let recorder: Server;
  let beacon = "";
  let json: { unpublished: number; files: number; pages: number } = { unpublished: -1, files: -1, pages: -1 };

  const pngBytes = png(4, 3, [200, 40, 40]);
  const chartBytes = png(3, 3, [40, 160, 40]);
  const cleanSvg = '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20" viewBox="0 0 30 20"><rect width="30" height="20" fill="#0a58ca"/></svg>\n';
  const outside = "../../../outside.txt";

  const HOSTILE: readonly Hostile[] = [
    { label: "L-git-config", href: "/.git/config", reason: "/.git/config is a dotfile or lies in a dot-folder, which is never published" },
    { label: "L-git-config-relative", href: "../../.git/config", reason: "../../.git/config is a dotfile or lies in a dot-folder, which is never published" },
    { label: "L-env", href: "../../.env", reason: "../../.env is a dotfile or lies in a dot-folder, which is never published" },
    { label: "L-env-query", href: "./../../.env?download=1#top", reason: "./../../.env is a dotfile or lies in a dot-folder, which is never published" },
    { label: "L-npmrc", href: "../../.npmrc", reason: "../../.npmrc is a dotfile or lies in a dot-folder, which is never published" },
    { label: "L-ssh-key", href: "../../.ssh/id_rsa", reason: "../../.ssh/id_rsa is a dotfile or lies in a dot-folder, which is never published" },
    { label: "I-hidden-png", href: "../../docs/.hidden/b.png", image: true, reason: "../../docs/.hidden/b.png is a dotfile or lies in a dot-folder, which is never published" },
    { label: "L-config", href: "../../techspec.config.json", reason: "../../techspec.config.json is the techspec configuration file, which is never published" },
    { label: "L-outside", href: outside, reason: `${outside} is outside the workspace and is not published` },
    { label: "L-outside-encoded", href: "%2e%2e/%2e%2e/%2e%2e/outside.txt", reason: `${outside} is outside the workspace and is not published` },
    { label: "L-outside-slashes", href: "..%2F..%2F..%2Foutside.txt", reason: `${outside} is outside the workspace and is not published` },
    { label: "L-outside-backslashes", href: "..\\\\..\\\\..\\\\outside.txt", reason: "..\\..\\..\\outside.txt is outside the workspace and is not published" },
    { label: "L-outside-double", href: "%252e%252e/%252e%252e/%252e%252e/outside.txt", reason: "%2e%2e/%2e%2e/%2e%2e/outside.txt is percent-encoded twice and is not published" },
    { label: "L-outside-query", href: `${outside}?raw=1`, reason: `${outside} is outside the workspace and is not published` },
    { label: "L-symlink", href: "leak.txt", reason: "leak.txt is outside the workspace and is not published" },
    { label: "L-symlink-folder", href: "linked-folder/outside.txt", reason: "linked-folder/outside.txt is outside the workspace and is not published" },
    { label: "L-symlink-to-env", href: "env-link.txt", reason: "env-link.txt leads to a dotfile or into a dot-folder, which is never published" },
    { label: "L-html", href: "evil.html", reason: "evil.html is HTML, which is not published: a browser would run its scripts on the portal" },
    { label: "L-htm", href: "EVIL.HTM", reason: "EVIL.HTM is HTML, which is not published: a browser would run its scripts on the portal" },
    { label: "L-xhtml", href: "x.xhtml", reason: "x.xhtml is XHTML, which is not published: a browser would run its scripts on the portal" },
    { label: "L-xml", href: "x.xml", reason: "x.xml is XML, which is not published: a browser would run its scripts on the portal" },
    { label: "L-svg", href: "x.svg", reason: "x.svg is an SVG image with active content (a <script> element) and is not published" },
    { label: "I-svg", href: "x.svg", image: true, reason: "x.svg is an SVG image with active content (a <script> element) and is not published" },
    { label: "L-fake-png", href: "fake.png", reason: "fake.png is not a PNG image (its bytes do not start with the PNG signature; they start like markup) and is not published" },
    { label: "I-fake-png", href: "fake.png", image: true, reason: "fake.png is not a PNG image (its bytes do not start with the PNG signature; they start like markup) and is not published" },
    { label: "L-text-markup", href: "evil-notes.txt", reason: "evil-notes.txt holds markup (<script) a browser could render as HTML, and is not published" },
    { label: "L-bin", href: "blob.bin", reason: "blob.bin has a type the portal does not publish (.bin) and is not published; published are Markdown, PNG, JPEG, GIF, WebP and SVG images, PDF, and plain text (.txt, .text, .csv, .tsv, .log)" },
  ];
  /** Where each hostile file would land if it were published as it is. */
  const WOULD_BE = [".git/config", ".env", ".npmrc", ".ssh/id_rsa", "docs/.hidden/b.png", "techspec.config.json", `${SPEC_DIR}/leak.txt`, `${SPEC_DIR}/linked-folder/outside.txt`,
    `${SPEC_DIR}/env-link.txt`, `${SPEC_DIR}/evil.html`, `${SPEC_DIR}/EVIL.HTM`, `${SPEC_DIR}/x.xhtml`, `${SPEC_DIR}/x.xml`, `${SPEC_DIR}/x.svg`, `${SPEC_DIR}/x.svg.html`,
    `${SPEC_DIR}/fake.png`, `${SPEC_DIR}/evil-notes.txt`, `${SPEC_DIR}/blob.bin`].map((p) => `files/${p}`);
  /** The published copies: exactly these, byte for byte. */
  const PUBLISHED = ["diagram.png", "chart.PNG", "doc.pdf", "notes.txt"];

  /** What a hostile file's script does when it runs: mark the page, retitle it, and call the recorder. */
  const payload = (name: string): string =>
    `window.__pwned=${JSON.stringify(name)};document.title="PWNED ${name}";new Image().src=${JSON.stringify(`${beacon}/pwned/${name}`)};fetch(${JSON.stringify(`${beacon}/pwned/${name}`)}).catch(()=>{});`;

  before(async () => {
    recorder = createServer((req, res) => {
      beacons.push(req.url ?? "");
      res.writeHead(204, { "access-control-allow-origin": "*" });
      res.end();
    });
    await new Promise<void>((done) => recorder.listen(0, "127.0.0.1", done));
    beacon = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;

    base = mkdtempSync(join(tmpdir(), "techspec-safety-"));
    ws = join(base, "ws");
    const dir = join(ws, ...SPEC_DIR.split("/"));
    mkdirSync(dir, { recursive: true });
    execFileSync("git", ["init", "-q"], { cwd: ws });
    execFileSync("git", ["config", "remote.origin.url", "https://ci-bot:FAKE-TOKEN-git-7d41@example.invalid/acme/specs.git"], { cwd: ws });
    writeFileSync(join(ws, ".env"), "API_KEY=FAKE-TOKEN-env-19c2\n");
    writeFileSync(join(ws, ".npmrc"), "//registry.example.invalid/:_authToken=FAKE-TOKEN-npmrc-5be0\n");
    mkdirSync(join(ws, ".ssh"));
    writeFileSync(join(ws, ".ssh", "id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\nFAKE-TOKEN-ssh-a0f3\n-----END OPENSSH PRIVATE KEY-----\n");
    mkdirSync(join(ws, "docs", ".hidden"), { recursive: true });
    writeFileSync(join(ws, "docs", ".hidden", "b.png"), Buffer.concat([pngBytes, Buffer.from("FAKE-TOKEN-hidden-2e6d")]));
    writeFileSync(join(ws, "techspec.config.json"), `${JSON.stringify({ specs: ["specs/**/technical-specification.md"], ignore: ["FAKE-TOKEN-config-c8b1/**"] }, null, 2)}\n`);
    writeFileSync(join(base, "outside.txt"), "FAKE-TOKEN-outside-3a77\n");
    mkdirSync(join(base, "elsewhere"));
    writeFileSync(join(base, "elsewhere", "outside.txt"), "FAKE-TOKEN-folder-6c10\n");
    symlinkSync(join(base, "outside.txt"), join(dir, "leak.txt"));
    symlinkSync(join(base, "elsewhere"), join(dir, "linked-folder"));
    symlinkSync("../../.env", join(dir, "env-link.txt"));

    writeFileSync(join(dir, "evil.html"), `<!doctype html><title>evil</title><script>${payload("evil.html")}</script>`);
    writeFileSync(join(dir, "EVIL.HTM"), `<html><body onload='${payload("EVIL.HTM").replace(/'/g, "&#39;")}'>hi</body></html>`);
    writeFileSync(join(dir, "x.xhtml"), `<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body><script>${payload("x.xhtml")}</script></body></html>`);
    writeFileSync(join(dir, "x.xml"), `<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body><script>${payload("x.xml")}</script></body></html>`);
    writeFileSync(join(dir, "x.svg"), `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>${payload("x.svg")}</script><rect width="10" height="10"/></svg>`);
    writeFileSync(join(dir, "fake.png"), `<html><script>${payload("fake.png")}</script></html>`);
    writeFileSync(join(dir, "evil-notes.txt"), `<script>${payload("evil-notes.txt")}</script>\nJust notes.\n`);
    writeFileSync(join(dir, "blob.bin"), Buffer.from(`<script>${payload("blob.bin")}</script>`));

    writeFileSync(join(dir, "diagram.png"), pngBytes);
    writeFileSync(join(dir, "chart.PNG"), chartBytes);
    writeFileSync(join(dir, "doc.pdf"), "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    writeFileSync(join(dir, "notes.txt"), "Plain notes: a < b and c > d.\n");
    writeFileSync(join(dir, "clean.svg"), cleanSvg);
    writeFileSync(join(dir, "other.md"), "# Other document\n\nBack to [the spec](technical-specification.md), and [L-other-env](../../.env) from here too.\n");

    const link = (h: Hostile): string => `- ${h.image ? "!" : ""}[${h.label}](${h.href})`;
    writeFileSync(join(dir, "technical-specification.md"), `# Technical Specification: Portal Safety

## Overview

**Feature ID**: FEAT-0100
**Author**: Test Author, Engineer
**Created Date**: 2026-11-01
**Last Updated**: 2026-11-02
**Status**: Draft

## Introduction

Every link below names a file beside this spec, or one that must never reach the portal.

### Links that must not be published

${HOSTILE.map(link).join("\n")}
- [L-absolute](${join(base, "outside.txt")})

### Links that are published

- ![I-diagram](diagram.png) and [L-diagram](diagram.png)
- ![I-chart](chart.PNG)
- [L-pdf](doc.pdf)
- [L-notes](notes.txt) and [L-notes-query](notes.txt?v=2#top)
- ![I-clean](clean.svg) and [L-clean](clean.svg)
- [L-other](other.md)

## Related Documents

- [L-related-env](../../.env)
- [L-related-other](other.md)
`);
    const r = spawnSync(process.execPath, [cli, "site", "--out", "../portal", "--json"], { cwd: ws, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    json = JSON.parse(r.stdout) as typeof json;
    out = join(base, "portal");
  });

  after(async () => {
    await new Promise((done) => recorder?.close(done));
    rmSync(base, { recursive: true, force: true });
  });

  const specPage = (): string => readFileSync(join(out, "specs", "FEAT-0100.html"), "utf8");

  test("the site holds exactly the frame, the spec's page and source, and the inert linked files", () => {
    const files = `files/${SPEC_DIR}`;
    assert.deepEqual(filesUnder(out), [
      ".techspec-site", "assets/favicon.svg", "assets/mermaid.min.js", "assets/minisearch.js", "assets/search-index.js", "assets/site.css", "assets/site.js",
      `${files}/chart.PNG`, `${files}/clean.svg.html`, `${files}/diagram.png`, `${files}/doc.pdf`, `${files}/notes.txt`, `${files}/other.md.html`,
      "index.html", "specs/FEAT-0100.html", "specs/FEAT-0100/spec.md",
    ].sort());
    for (const name of PUBLISHED) assert.deepEqual(readFileSync(join(out, files, name)), readFileSync(join(ws, SPEC_DIR, name)), `${name} is copied byte for byte`);
    for (const p of WOULD_BE) assert.ok(!filesUnder(out).includes(p), p);
    // No SVG file at all: the clean image lives only inside the pages that show it.
    assert.deepEqual(filesUnder(out).filter((f) => /\.svg$/i.test(f) && f !== "assets/favicon.svg"), []);
    assert.equal(json.pages, 4, "index, spec, other.md, clean.svg");
  });

  test("no secret and no hostile script reaches any file of the site", () => {
    for (const f of filesUnder(out)) {
      const bytes = readFileSync(join(out, f)).toString("latin1");
      assert.ok(!bytes.includes("FAKE-TOKEN"), `${f} holds a secret: ${bytes.slice(Math.max(0, bytes.indexOf("FAKE-TOKEN") - 40), bytes.indexOf("FAKE-TOKEN") + 40)}`);
      assert.ok(!bytes.includes("__pwned") && !bytes.includes("PWNED"), `${f} holds a hostile file's script`);
    }
  });

  test("each hostile link is plain text with its reason, and the page lists every one of them with its line", () => {
    const html = specPage();
    const source = readFileSync(join(ws, SPEC_DIR, "technical-specification.md"), "utf8").split("\n");
    const panel = /<section class="panel" id="unpublished">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? "";
    assert.match(panel, /<h2>Links not published<\/h2>/);
    const escape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
    for (const h of [...HOSTILE, { label: "L-absolute", href: join(base, "outside.txt"), reason: `${join(base, "outside.txt")} does not exist` }]) {
      const text = h.image ? `[${h.label}]` : h.label;
      assert.ok(html.includes(`<span class="missing" title="${escape(h.reason)}">${text}</span>`), `${h.label} is a span titled "${h.reason}"`);
      assert.doesNotMatch(html, new RegExp(`<a [^>]*>${text.replace(/[[\]]/g, "\\$&")}</a>`), `${h.label} is not a link`);
      const line = source.findIndex((l) => l.includes(`[${h.label}]`)) + 1;
      assert.ok(panel.includes(`<li><a class="loc" href="#L${line}">${line}</a> ${escape(h.reason)}</li>`), `the panel lists ${h.label} at line ${line}: ${h.reason}`);
    }
    // The related documents panel refuses the same way, and a linked Markdown page lists its own refusals.
    assert.match(html, /<li><span class="missing" title="..\/..\/.env is a dotfile or lies in a dot-folder, which is never published">L-related-env<\/span><\/li>/);
    const other = readFileSync(join(out, "files", ...SPEC_DIR.split("/"), "other.md.html"), "utf8");
    assert.match(other, /<span class="missing" title="..\/..\/.env is a dotfile or lies in a dot-folder, which is never published">L-other-env<\/span>/);
    assert.match(other, /<section class="panel" id="unpublished">\n<h2>Links not published<\/h2>\n<ol class="diagnostics unpublished"><li><span class="loc">3<\/span> ..\/..\/.env is a dotfile/);
    assert.match(other, /<a href="..\/..\/..\/specs\/FEAT-0100.html">the spec<\/a>/);
    // The JSON result counts them: the hostile links and the absolute one of the spec's text, its related document's, and other.md's.
    assert.equal(json.unpublished, HOSTILE.length + 3);
  });

  test("legitimate links point at the published copies; SVG images are shown only through <img>", () => {
    const html = specPage();
    const files = `../files/${SPEC_DIR}`;
    assert.ok(html.includes(`<img src="${files}/diagram.png" alt="I-diagram">`));
    assert.ok(html.includes(`<a href="${files}/diagram.png">L-diagram</a>`));
    assert.ok(html.includes(`<img src="${files}/chart.PNG" alt="I-chart">`));
    assert.ok(html.includes(`<a href="${files}/doc.pdf">L-pdf</a>`));
    assert.ok(html.includes(`<a href="${files}/notes.txt">L-notes</a>`));
    assert.ok(html.includes(`<a href="${files}/notes.txt#top">L-notes-query</a>`), "the query is dropped, the fragment kept");
    assert.ok(html.includes(`<a href="${files}/other.md.html">L-other</a>`));
    assert.ok(html.includes(`<img src="data:image/svg+xml;base64,${Buffer.from(cleanSvg).toString("base64")}" alt="I-clean">`));
    assert.ok(html.includes(`<a href="${files}/clean.svg.html">L-clean</a>`));
    const viewer = readFileSync(join(out, "files", ...SPEC_DIR.split("/"), "clean.svg.html"), "utf8");
    assert.ok(viewer.includes(`<img src="data:image/svg+xml;base64,${Buffer.from(cleanSvg).toString("base64")}" alt="${SPEC_DIR}/clean.svg">`));
    assert.match(viewer, /<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self';/);
    // No page links or shows anything as a page but the site's own generated pages; copies are inert types only.
    const generated = /^(?:\.\.\/)*(?:index\.html|(?:specs\/)?[\w-]+\.html|files\/.+\.(?:md|svg)\.html)$/;
    const inert = /^(?:\.\.\/)*(?:files\/.+\.(?:png|jpe?g|gif|webp|pdf|txt|text|csv|tsv|log)|assets\/[\w.-]+\.(?:css|js|svg)|(?:specs\/)?[\w-]+\/spec\.md)$/i;
    const seen: string[] = [];
    for (const f of filesUnder(out).filter((x) => x.endsWith(".html"))) {
      const text = readFileSync(join(out, f), "utf8");
      for (const m of text.matchAll(/<(a|img|link|script)\b[^>]*\b(?:href|src)="([^"]*)"/g)) {
        const target = m[2]!.split("#")[0]!;
        seen.push(target);
        if (target === "" || target === ".") continue;
        if (target.startsWith("data:")) {
          assert.ok(m[1] === "img" && target.startsWith("data:image/svg+xml;base64,"), `${f}: ${m[0].slice(0, 80)}`);
          continue;
        }
        assert.ok(generated.test(target) || inert.test(target), `${f}: ${m[0]}`);
      }
    }
    assert.ok(seen.some((t) => t.endsWith("clean.svg.html")) && seen.some((t) => t.endsWith("notes.txt")), "the check saw the linked files");
  });

  describe("in headless Chromium", () => {
    let browser: Browser;
    const hosts: Server[] = [];
    /** Static hosts: one that types files by extension, as most do, and one that sends no type at all, so the browser sniffs. */
    let typed = "";
    let untyped = "";
    let untypedWorkspace = "";
    const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8", ".md": "text/markdown" };

    function host(dir: string, withTypes: boolean): Promise<string> {
      const server = createServer((req, res) => {
        const path = decodeURIComponent(new URL(req.url ?? "/", "http://host").pathname);
        const file = normalize(join(dir, path === "/" ? "index.html" : path));
        let body: Buffer | null = null;
        try {
          body = file.startsWith(dir + sep) ? readFileSync(file) : null;
        } catch {
          body = null;
        }
        const headers: Record<string, string> = {};
        if (withTypes || !body) headers["content-type"] = body ? TYPES[extname(file).toLowerCase()] ?? "application/octet-stream" : "text/plain";
        res.writeHead(body ? 200 : 404, headers);
        res.end(body ?? "not found");
      });
      hosts.push(server);
      return new Promise((done) => server.listen(0, "127.0.0.1", () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)));
    }

    before(async () => {
      browser = await launchChromium();
      typed = await host(out, true);
      untyped = await host(out, false);
      untypedWorkspace = await host(join(ws, ...SPEC_DIR.split("/")), false);
    });
    after(async () => {
      await browser?.close();
      await Promise.all(hosts.map((s) => new Promise((done) => s.close(done))));
    });

    /** Opens a URL in `page`, gives any script its turn, and tells whether a hostile script ran there (and what answered). */
    async function visit(page: Page, url: string): Promise<{ ran: string | null; status: number | null; error: string | null }> {
      const start = beacons.length;
      let status: number | null = null;
      let error: string | null = null;
      try {
        status = (await page.goto(url, { timeout: 10_000 }))?.status() ?? null;
      } catch (err) {
        error = (err as Error).message.split("\n")[0]!;
      }
      await new Promise((r) => setTimeout(r, 150));
      const marked = await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned ?? null).catch(() => null);
      const title = await page.title().catch(() => "");
      const called = beacons.slice(start).find((b) => b.startsWith("/pwned/")) ?? null;
      return { ran: marked ?? (title.startsWith("PWNED") ? title : called), status, error };
    }

    test("the fixtures are hostile: opened from the workspace itself, their scripts run", async () => {
      const page = await browser.newPage();
      const dir = pathToFileURL(join(ws, ...SPEC_DIR.split("/"))).href;
      for (const name of ["evil.html", "EVIL.HTM", "x.xhtml", "x.xml", "x.svg"]) {
        const { ran } = await visit(page, `${dir}/${name}`);
        assert.ok(ran?.includes(name), `${name} ran its script when opened directly (${ran})`);
      }
      // A host that types nothing lets the browser sniff: the fake image and the text file become pages.
      for (const name of ["fake.png", "evil-notes.txt"]) {
        const { ran } = await visit(page, `${untypedWorkspace}${name}`);
        assert.ok(ran?.includes(name), `${name} ran its script from an untyped host (${ran})`);
      }
      await page.close();
    });

    for (const via of ["file", "http", "http without types"] as const) {
      test(`from the portal (${via}): the hostile links open nothing, the published files run nothing, and the images show`, async () => {
        const site = via === "file" ? pathToFileURL(`${out}/`).href : via === "http" ? typed : untyped;
        const page = await browser.newPage();
        const start = beacons.length;
        assert.equal((await visit(page, `${site}specs/FEAT-0100.html`)).ran, null);
        // Click each hostile link's text: it is a span, and the page stays where it is.
        for (const h of HOSTILE) {
          if (h.image) continue;
          const el = page.locator(".markdown span.missing", { hasText: new RegExp(`^${h.label}$`) });
          assert.equal(await el.count(), 1, `${h.label} is shown once, as text`);
          await el.click();
          assert.equal(page.url(), `${site}specs/FEAT-0100.html`, `${h.label}: no navigation`);
        }
        const linkTexts = await page.$$eval("main a", (as) => as.map((a) => a.textContent ?? ""));
        assert.deepEqual(linkTexts.filter((t) => HOSTILE.some((h) => t.includes(h.label)) || t === "L-absolute"), [], "no hostile label is a link");
        assert.ok(linkTexts.includes("L-related-other") && linkTexts.includes("L-pdf"), linkTexts.join(", "));
        // The images load: the PNGs from their copies, the clean SVG from its data: URL.
        const images = await page.$$eval(".markdown img", (imgs) => imgs.map((i) => {
          const img = i as unknown as { complete: boolean; naturalWidth: number };
          return [i.getAttribute("alt"), img.complete && img.naturalWidth];
        }));
        assert.deepEqual(images, [["I-diagram", 4], ["I-chart", 3], ["I-clean", 30]]);
        // Every link of the page that stays in the site, opened: nothing runs on any of them.
        const hrefs = await page.$$eval(".markdown a[href]", (as) => as.map((a) => (a as unknown as { href: string }).href));
        const inSite = [...new Set(hrefs.map((h) => h.split("#")[0]!))].filter((h) => h.startsWith(site));
        assert.deepEqual(inSite.map((u) => u.slice(site.length)).sort(), ["diagram.png", "doc.pdf", "notes.txt", "clean.svg.html", "other.md.html"].map((f) => `files/${SPEC_DIR}/${f}`).sort());
        const other = await browser.newPage();
        for (const url of inSite) {
          const opened = await visit(other, url);
          assert.equal(opened.ran, null, `${url}: ${opened.ran}`);
        }
        // And where each hostile file would be had it been published: nothing there, nothing runs.
        for (const p of WOULD_BE) {
          const opened = await visit(other, site + p.split("/").map(encodeURIComponent).join("/"));
          assert.equal(opened.ran, null, `${p}: ${opened.ran}`);
          if (via === "file") assert.match(opened.error ?? "", /ERR_FILE_NOT_FOUND/, p);
          else assert.equal(opened.status, 404, p);
        }
        await other.close();
        // The spec page itself still runs nothing after all that clicking.
        assert.equal(await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned ?? null), null);
        assert.doesNotMatch(await page.title(), /PWNED/);
        await page.close();
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(beacons.slice(start), [], "no hostile script called the recorder");
      });
    }
  });
});
