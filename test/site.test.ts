// `techspec site`: the folder it writes, its refusals, and the portal end to end in headless Chromium.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { after, afterEach, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { exportComponentFlowchart, exportErDiagram } from "../src/export/mermaid.js";
import { parseSpec } from "../src/parse/parse-spec.js";
import { launchChromium } from "../test-support/browser.js";
import { exampleAndGeneratedSpecs } from "../test-support/specs.js";

const root = resolve(".");
const cli = join(root, "dist", "src", "cli", "main.js");
let work = "";
let out = "";

function run(args: string[], cwd = work): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => statSync(join(dir, f)).isFile());
}

/** A word of the spec's introduction that appears in no other spec of the workspace. */
function uniqueIntroWord(specDir: string): string {
  const specs = readdirSync(join(work, "specs")).map((d) => ({ d, text: readFileSync(join(work, "specs", d, "technical-specification.md"), "utf8").toLowerCase() }));
  const intro = parseSpec(readFileSync(join(work, "specs", specDir, "technical-specification.md"), "utf8")).spec.introduction ?? "";
  const word = intro.toLowerCase().match(/[a-z]{7,}/g)?.find((w) => specs.every((s) => s.d === specDir || !s.text.includes(w)));
  assert.ok(word, `${specDir} has a word of its introduction no other spec uses`);
  return word;
}

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" };

/** A plain static host for the built site ("/" is index.html), as any web server would serve it; logs what it answers. */
function staticHost(dir: string, log: { path: string; status: number }[]): Server {
  return createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://host").pathname);
    const file = normalize(join(dir, path === "/" ? "index.html" : path));
    let body: Buffer | null = null;
    if (file.startsWith(dir + sep)) {
      try {
        body = readFileSync(file);
      } catch {
        body = null;
      }
    }
    log.push({ path, status: body ? 200 : 404 });
    res.writeHead(body ? 200 : 404, { "content-type": body ? TYPES[extname(file)] ?? "application/octet-stream" : "text/plain" });
    res.end(body ?? "not found");
  });
}

before(() => {
  work = mkdtempSync(join(tmpdir(), "techspec-site-"));
  cpSync(join(root, "examples"), work, { recursive: true });
  cpSync(join(root, "test", "fixtures", "site", "FEAT-0666-hostile-input"), join(work, "specs", "FEAT-0666-hostile-input"), { recursive: true });
  out = join(work, "portal");
  const r = run(["site", "--out", "portal", "--title", "Acme specs"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Built portal\/ in [\d.]+ s: 4 specs, \d+ pages, \d+ files \(\d+ errors?, \d+ warnings? shown on the pages\)\. Open portal\/index\.html\n$/);
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("the site folder", () => {
  test("holds an index, a page and downloads per spec, rendered related documents and the bundled assets", () => {
    const files = filesUnder(out);
    for (const f of ["index.html", ".techspec-site", "assets/site.css", "assets/site.js", "assets/mermaid.min.js", "assets/minisearch.js", "assets/search-index.js", "assets/favicon.svg",
      "specs/FEAT-0001.html", "specs/FEAT-0002.html", "specs/FEAT-0003.html", "specs/FEAT-0666.html",
      "specs/FEAT-0001/openapi.yaml", "specs/FEAT-0001/openapi.json", "specs/FEAT-0001/schema.json", "specs/FEAT-0001/postgres.sql", "specs/FEAT-0001/sqlite.sql",
      "specs/FEAT-0001/types.ts", "specs/FEAT-0001/diagrams.mmd", "specs/FEAT-0001/spec.md", "files/specs/FEAT-0001-refund-processing/PRD.md.html"]) {
      assert.ok(files.includes(f), `${f} is in the site`);
    }
    // No leftovers of the build beside the folder.
    assert.deepEqual(readdirSync(work).filter((f) => f.includes("portal")), ["portal"]);
  });

  test("downloads are exactly what techspec export writes", () => {
    const spec = "specs/FEAT-0001-refund-processing/technical-specification.md";
    const cases: [string, string[]][] = [["openapi.yaml", ["openapi"]], ["openapi.json", ["openapi", "--format", "json"]], ["schema.json", ["jsonschema"]],
      ["postgres.sql", ["sql"]], ["sqlite.sql", ["sql", "--dialect", "sqlite"]], ["types.ts", ["types"]], ["diagrams.mmd", ["mermaid"]]];
    for (const [file, args] of cases) {
      const r = run(["export", args[0]!, spec, ...args.slice(1)]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(readFileSync(join(out, "specs", "FEAT-0001", file), "utf8"), r.stdout, file);
    }
    assert.equal(readFileSync(join(out, "specs", "FEAT-0001", "spec.md"), "utf8"), readFileSync(join(work, spec), "utf8"));
  });

  test("the approvals panel shows where each required role stands", () => {
    // The examples configure no roles, so a hand-written Approved line counts (test/approvals.test.ts covers every standing).
    const approved = readFileSync(join(out, "specs", "FEAT-0001.html"), "utf8");
    assert.equal(approved.match(/class="badge standing-approved"/g)?.length, 3);
    const review = readFileSync(join(out, "specs", "FEAT-0002.html"), "utf8");
    assert.match(review, /<span class="role">Engineering Lead<\/span> Sofia Lindqvist\n<span class="badge standing-approved"/);
    assert.equal(review.match(/class="badge standing-pending"/g)?.length, 2);
  });

  test("pages load scripts and styles from the site only, under a policy that allows nothing else", () => {
    for (const f of filesUnder(out).filter((x) => x.endsWith(".html"))) {
      const text = readFileSync(join(out, f), "utf8");
      assert.match(text, /<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self';/, f);
      // The site's own icon, so no browser asks the host for /favicon.ico.
      assert.match(text, /<link rel="icon" type="image\/svg\+xml" href="(?:\.\.\/)*assets\/favicon\.svg">/, f);
      for (const m of text.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="([^"]*)"/g)) {
        assert.ok(!/^[a-z]+:|^\/\//i.test(m[1]!), `${f}: ${m[0]} points outside the site`);
      }
    }
  });

  test("the hostile spec renders as text: no script, event handler or javascript: URL of its own survives", () => {
    const text = readFileSync(join(out, "specs", "FEAT-0666.html"), "utf8");
    const scripts = [...text.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
    assert.deepEqual(scripts, ['<script src="../assets/mermaid.min.js">', '<script src="../assets/site.js">']);
    // Every attribute of every tag, read as a browser tokenizes them (quoted values may hold any text).
    for (const tag of text.matchAll(/<([a-z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/gi)) {
      for (const attr of tag[2]!.matchAll(/\s([^\s=>/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?/g)) {
        assert.doesNotMatch(attr[1]!, /^on/i, `an event handler attribute in ${tag[0].slice(0, 120)}`);
      }
    }
    assert.doesNotMatch(text, /<(?:a|img|iframe)\b[^>]*(?:href|src)\s*=\s*"?\s*(?:javascript|data|vbscript):/i);
    assert.doesNotMatch(text, /<(?:iframe|svg|object|embed)\b/i);
    assert.match(text, /&lt;script&gt;window.__xss = &#39;script&#39;;&lt;\/script&gt;/, "the raw HTML is shown as text");
    // A link to another spec lands on that spec's page, at the heading.
    assert.match(text, /<a href="FEAT-0001.html#data-model">/);
    // A link outside the workspace is neither followed nor published.
    assert.match(text, /<span class="missing" title="..\/..\/..\/..\/..\/etc\/passwd is outside the workspace and is not published">/);
    assert.ok(!existsSync(join(out, "files", "etc")));
    // The page lists the links it does not publish, each with its line and why.
    const panel = /<section class="panel" id="unpublished">([\s\S]*?)<\/section>/.exec(text)?.[1] ?? "";
    assert.match(panel, /<li><a class="loc" href="#L\d+">\d+<\/a> ..\/..\/..\/..\/..\/etc\/passwd is outside the workspace and is not published<\/li>/);
    assert.match(panel, /<li><a class="loc" href="#L\d+">\d+<\/a> .\/does-not-exist.md does not exist<\/li>/);
  });

  test("rebuilding replaces the previous site as a whole", () => {
    const again = join(work, "again");
    assert.equal(run(["site", "-o", "again"]).status, 0);
    writeFileSync(join(again, "stale.html"), "left from an earlier build");
    const r = run(["site", "-o", "again"]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!existsSync(join(again, "stale.html")));
    assert.ok(existsSync(join(again, "index.html")));
    assert.deepEqual(readdirSync(work).filter((f) => f.includes("again")), ["again"]);
  });

  test("refuses a folder it did not build, a file, and the workspace itself, and leaves them untouched", () => {
    const mine = join(work, "mine");
    mkdirSync(mine);
    writeFileSync(join(mine, "notes.txt"), "keep me");
    let r = run(["site", "--out", "mine"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^techspec: .*mine: not empty and not a site built by techspec \(no \.techspec-site\); give --out an empty or new folder\n$/);
    assert.deepEqual(readdirSync(mine), ["notes.txt"]);
    writeFileSync(join(work, "a-file"), "x");
    r = run(["site", "--out", "a-file"]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /a-file: exists and is not a folder/);
    r = run(["site", "--out", "."]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /the site cannot replace the folder that holds the specs/);
    assert.ok(existsSync(join(work, "specs", "FEAT-0001-refund-processing", "technical-specification.md")));
  });

  test("a file that is not a spec is reported and listed on the index; the others are published (exit 2)", () => {
    const ws = mkdtempSync(join(tmpdir(), "techspec-site-bad-"));
    try {
      cpSync(join(root, "examples", "specs", "FEAT-0002-notification-preferences"), join(ws, "a"), { recursive: true });
      mkdirSync(join(ws, "b"));
      writeFileSync(join(ws, "b", "technical-specification.md"), "just a note\n");
      const r = run(["site", "-o", "out"], ws);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^techspec: b\/technical-specification\.md: .+\n$/);
      assert.match(r.stdout, /1 spec, /);
      const index = readFileSync(join(ws, "out", "index.html"), "utf8");
      assert.match(index, /1 file\(s\) could not be published/);
      assert.match(index, /FEAT-0002/);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });

  test("a symbolic link that leads outside the workspace is not published", () => {
    const ws = mkdtempSync(join(tmpdir(), "techspec-site-link-"));
    const outside = mkdtempSync(join(tmpdir(), "techspec-site-secret-"));
    try {
      cpSync(join(root, "examples", "specs", "FEAT-0002-notification-preferences"), join(ws, "a"), { recursive: true });
      writeFileSync(join(outside, "secret.md"), "# Secret\n\nnot for the portal\n");
      symlinkSync(join(outside, "secret.md"), join(ws, "a", "leak.md"));
      const spec = join(ws, "a", "technical-specification.md");
      writeFileSync(spec, readFileSync(spec, "utf8").replace("## Approval", "See [the notes](./leak.md).\n\n## Approval"));
      const r = run(["site", "-o", "out"], ws);
      assert.equal(r.status, 0, r.stderr);
      const files = filesUnder(join(ws, "out"));
      assert.ok(!files.some((f) => f.includes("leak")), files.filter((f) => f.includes("leak")).join());
      assert.match(readFileSync(join(ws, "out", "specs", "FEAT-0002.html"), "utf8"), /<span class="missing" title=".\/leak.md is outside the workspace and is not published">the notes<\/span>/);
    } finally {
      rmSync(ws, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test("usage errors exit 2 with one line", () => {
    for (const [args, message] of [[["--threads", "0"], /--threads must be a whole number/], [["--title", " "], /--title must not be empty/], [["--nope"], /unknown option '--nope'/]] as const) {
      const r = run(["site", ...args]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1);
    }
    const help = run(["site", "--help"]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: techspec site/);
  });
});

describe("the portal in headless Chromium", () => {
  let browser: Browser;
  let server: Server;
  let host = "";
  /** Every request the static host answered: path and status. */
  const served: { path: string; status: number }[] = [];
  before(async () => {
    browser = await launchChromium();
    server = staticHost(out, served);
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    host = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(async () => {
    await browser?.close();
    await new Promise((done) => server?.close(done));
  });

  interface Opened { path: string; page: Page; problems: string[]; offsite: string[]; loaded: string[] }
  /** Pages the running test opened; every one of them fails the test if anything went wrong on it. */
  let opened: Opened[] = [];
  afterEach(async () => {
    const pages = opened;
    opened = [];
    const problems = pages.flatMap((p) => p.problems.map((x) => `${p.path}: ${x}`));
    await Promise.all(pages.map((p) => p.page.close().catch(() => undefined)));
    assert.deepEqual(problems, [], "console errors or warnings, uncaught exceptions, dialogs or failed requests on the pages this test opened");
  });

  /**
   * Opens a page of the site from disk (file://) or from the static host, recording console errors and warnings,
   * uncaught exceptions, dialogs, failed requests and HTTP errors (any of which fails the test), every request
   * that leaves the site, and every response.
   */
  async function open(path: string, width = 1280, via: "file" | "http" = "file"): Promise<Opened> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const site = via === "file" ? pathToFileURL(`${out}/`).href : host;
    const o: Opened = { path: `${via === "http" ? "http " : ""}${path}`, page, problems: [], offsite: [], loaded: [] };
    opened.push(o);
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") o.problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => o.problems.push(`uncaught: ${e.message}`));
    page.on("dialog", (d) => {
      o.problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on("request", (r) => {
      if (!r.url().startsWith(site)) o.offsite.push(r.url());
    });
    // A request the test's own navigation cancels (net::ERR_ABORTED) is not a failure; anything else is.
    page.on("requestfailed", (r) => {
      if (r.failure()?.errorText !== "net::ERR_ABORTED") o.problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
    });
    page.on("response", (r) => {
      if (r.status() >= 400) o.problems.push(`HTTP ${r.status()}: ${r.url()}`);
      o.loaded.push(r.url().slice(site.length));
    });
    await page.goto(site + path);
    return o;
  }

  /** Polls an expression in the page (from outside: the pages' policy forbids evaluating strings inside them). */
  async function waitFor(page: Page, expression: string, timeout = 10_000): Promise<void> {
    const until = Date.now() + timeout;
    while (!(await page.evaluate(expression))) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const visibleSlugs = (page: Page): Promise<string[]> => page.$$eval("#specs tbody tr:not([hidden])", (rows) => rows.map((r) => r.getAttribute("data-slug") ?? ""));

  test("the index loads with no console error and no request outside the site", async () => {
    const { page, problems, offsite } = await open("index.html");
    await page.waitForSelector("body[data-ready]");
    assert.deepEqual(problems, []);
    assert.deepEqual(offsite, []);
    assert.equal(await page.textContent("#count"), "4 of 4 specs");
    assert.deepEqual((await page.$$eval(".board .column h3 button", (bs) => bs.map((b) => b.textContent?.replace(/\s+/g, " ").trim()))).slice(0, 3), ["Draft 2", "In Review 1", "Approved 1"]);
    await page.close();
  });

  test("every kind of page, from disk and from a static host: no console error or failed request, the site's own icon, nothing from outside", async () => {
    const pages = ["index.html", "specs/FEAT-0001.html", "specs/FEAT-0666.html", "files/specs/FEAT-0001-refund-processing/PRD.md.html"];
    for (const via of ["file", "http"] as const) {
      for (const path of pages) {
        const { page, offsite, loaded } = await open(path, 1280, via);
        if (path === "index.html") await page.waitForSelector("body[data-ready]");
        if (path.startsWith("specs/")) await page.waitForSelector("body[data-diagrams]", { timeout: 30_000 });
        const icon = await page.evaluate(`document.querySelector('link[rel="icon"]')?.getAttribute("href") ?? null`);
        assert.equal(icon, `${"../".repeat(path.split("/").length - 1)}assets/favicon.svg`, `${via} ${path}: icon link`);
        const until = Date.now() + 10_000;
        while (!loaded.includes("assets/favicon.svg") && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        assert.ok(loaded.includes("assets/favicon.svg"), `${via} ${path}: the icon loaded (${loaded.join(", ")})`);
        assert.deepEqual(offsite, [], `${via} ${path}`);
      }
    }
    // The host was never asked for anything it does not have, /favicon.ico included.
    assert.deepEqual(served.filter((r) => r.status !== 200), []);
    assert.ok(!served.some((r) => r.path === "/favicon.ico"));
    assert.ok(served.some((r) => r.path === "/assets/favicon.svg"));
  });

  test("the header's search box filters the index as you type, in step with the form's box", async () => {
    const word = uniqueIntroWord("FEAT-0003-warehouse-stock-reservation");
    const { page } = await open("index.html");
    await page.waitForSelector("body[data-ready]");
    await page.fill("header .search input", word);
    await waitFor(page, `document.querySelector("#count").textContent.includes(${JSON.stringify(word)})`);
    assert.deepEqual(await visibleSlugs(page), ["FEAT-0003"]);
    assert.equal(await page.inputValue("#q"), word);
    assert.match(page.url(), new RegExp(`\\?q=${word}$`));
    // While the next word is being typed, a trailing space stays in the box.
    await page.fill("header .search input", "quokka ");
    await waitFor(page, `document.querySelector("#count").textContent.includes("quokka")`);
    assert.deepEqual(await visibleSlugs(page), ["FEAT-0666"]);
    assert.equal(await page.inputValue("header .search input"), "quokka ");
    // Typing in the form's box shows in the header's, and Clear empties both.
    await page.fill("#q", word);
    await waitFor(page, `document.querySelector("#count").textContent.includes(${JSON.stringify(word)})`);
    assert.equal(await page.inputValue("header .search input"), word);
    await page.click("#reset");
    await waitFor(page, `document.querySelector("#count").textContent === "4 of 4 specs"`);
    assert.equal(await page.inputValue("header .search input"), "");
  });

  test("search finds a spec by a word of its introduction, from the index and from a spec page's header", async () => {
    const word = uniqueIntroWord("FEAT-0003-warehouse-stock-reservation");
    const { page, problems } = await open("index.html");
    await page.waitForSelector("body[data-ready]");
    await page.fill("#q", word);
    await waitFor(page, `document.querySelector("#count").textContent.includes(${JSON.stringify(word)})`);
    assert.deepEqual(await visibleSlugs(page), ["FEAT-0003"]);
    assert.equal(await page.textContent("#count"), `1 of 4 specs matching “${word}”`);
    // A prefix of a word finds it too, and the query is kept in the address for sharing.
    await page.fill("#q", "quokka");
    await waitFor(page, `document.querySelector("#count").textContent.includes("quokka")`);
    assert.deepEqual(await visibleSlugs(page), ["FEAT-0666"]);
    assert.match(page.url(), /\?q=quokka$/);
    // A typo finds nothing exactly, so the search falls back to approximate matches.
    await page.fill("#q", "quokkaz");
    await waitFor(page, `document.querySelector("#count").textContent.includes("quokkaz")`);
    assert.deepEqual(await visibleSlugs(page), ["FEAT-0666"]);
    assert.equal(await page.textContent("#count"), "1 of 4 specs approximately matching “quokkaz”");
    await page.close();

    const spec = await open("specs/FEAT-0001.html");
    await spec.page.fill("header .search input", word);
    await Promise.all([spec.page.waitForURL(/index\.html\?q=/), spec.page.press("header .search input", "Enter")]);
    await spec.page.waitForSelector("body[data-ready]");
    assert.deepEqual(await visibleSlugs(spec.page), ["FEAT-0003"]);
    assert.deepEqual([...problems, ...spec.problems], []);
    await spec.page.close();
  });

  test("filters by status, author and approval, and the board's columns filter by status", async () => {
    const { page, problems } = await open("index.html");
    await page.waitForSelector("body[data-ready]");
    await page.selectOption("#status", "Draft");
    assert.deepEqual(await visibleSlugs(page), ["FEAT-0003", "FEAT-0666"]);
    await page.selectOption("#author", "Kenji Watanabe");
    assert.deepEqual(await visibleSlugs(page), ["FEAT-0003"]);
    await page.click("#reset");
    await waitFor(page, `document.querySelector("#count").textContent === "4 of 4 specs"`);
    await page.selectOption("#approval", "approved");
    assert.deepEqual(await visibleSlugs(page), ["FEAT-0001"]);
    await page.selectOption("#approval", "");
    await page.click('.board button.filter-status[data-status="In Review"]');
    assert.deepEqual(await visibleSlugs(page), ["FEAT-0002"]);
    assert.equal(await page.inputValue("#status"), "In Review");
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("a spec page renders its ER and component diagrams as SVG", async () => {
    const { page, problems, offsite } = await open("specs/FEAT-0001.html");
    await page.waitForSelector("body[data-diagrams]", { timeout: 30_000 });
    assert.equal(await page.getAttribute("body", "data-diagrams"), "done");
    const kinds = await page.$$eval("#diagrams svg[aria-roledescription]", (svgs) => svgs.map((s) => s.getAttribute("aria-roledescription")));
    assert.deepEqual(kinds, ["er", "flowchart-v2"]);
    // The rendered entities are the spec's.
    const er = await page.textContent("#diagrams details:first-of-type svg");
    for (const name of ["Payment", "Refund", "RefundEvent", "refundedAmount"]) assert.ok(er?.includes(name), `${name} in the ER diagram`);
    assert.deepEqual(problems, []);
    assert.deepEqual(offsite, []);
    await page.close();
  });

  test("a diagnostic's line number opens the source at that line", async () => {
    const { page } = await open("specs/FEAT-0666.html");
    const first = page.locator("#problems .diagnostics a.loc").first();
    const line = (await first.textContent())!.split(":")[0]!;
    assert.equal(await page.getAttribute("#source", "open"), null);
    await first.click();
    await waitFor(page, "document.getElementById('source').open === true");
    assert.ok(await page.isVisible(`#L${line}`));
    await page.close();
  });

  test("the hostile spec runs nothing: not on load, not on hover or click, not in its diagrams", async () => {
    for (const path of ["specs/FEAT-0666.html", "index.html"]) {
      const { page, problems, offsite } = await open(path);
      if (path.startsWith("specs")) await page.waitForSelector("body[data-diagrams]", { timeout: 30_000 });
      // Hover and click everything that is neither a navigation link nor holds one.
      await page.evaluate("document.querySelectorAll('main *').forEach((el) => { if (!el.closest('a[href], summary') && !el.querySelector('a[href]')) el.setAttribute('data-poke', ''); })");
      await page.evaluate(`document.querySelectorAll("[data-poke]").forEach((el) => {
        for (const type of ["mouseover", "mouseenter", "mousedown", "mouseup", "click", "dblclick", "focus"]) el.dispatchEvent(new MouseEvent(type, { bubbles: true }));
      })`);
      // And real clicks on the diagrams' nodes, where Mermaid would bind click callbacks.
      for (const node of await page.$$("svg .node")) await node.click({ timeout: 2000, noWaitAfter: true }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(page.url().endsWith(path), `${path}: still on the page, not ${page.url()}`);
      assert.equal(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss), undefined, `${path}: window.__xss was set`);
      const handlers = await page.evaluate("[...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => el.tagName + '[' + a.name + ']'))") as string[];
      assert.deepEqual(handlers, [], `${path}: elements with event handlers`);
      const scriptUrls = await page.$$eval("a[href], img[src], iframe", (els) => els.map((e) => e.getAttribute("href") ?? e.getAttribute("src") ?? "iframe").filter((u) => /^\s*(?:javascript|data|vbscript):|^iframe$/i.test(u)));
      assert.deepEqual(scriptUrls, [], `${path}: script URLs`);
      assert.deepEqual(problems, [], `${path}: problems`);
      assert.deepEqual(offsite, []);
      await page.close();
    }
  });

  test("index and spec pages fit a phone-width screen without sideways scrolling", async () => {
    for (const path of ["index.html", "specs/FEAT-0001.html", "specs/FEAT-0666.html", "files/specs/FEAT-0001-refund-processing/PRD.md.html"]) {
      const { page } = await open(path, 375);
      if (path.startsWith("specs")) await page.waitForSelector("body[data-diagrams]", { timeout: 30_000 });
      const width = await page.evaluate("document.documentElement.scrollWidth") as number;
      assert.ok(width <= 375, `${path} is ${width}px wide at a 375px viewport`);
      assert.ok(parseFloat(await page.evaluate("getComputedStyle(document.body).fontSize") as string) >= 16, `${path}: body text is at least 16px`);
      await page.close();
    }
  });

  test("the Mermaid of the examples and 200 generated specs parses, and 20 of them render without an error diagram", async () => {
    const specs = exampleAndGeneratedSpecs(200, 11);
    const sources = specs.flatMap((s) => [
      ...(s.dataModel.entities.length ? [{ path: s.path, kind: "er", text: exportErDiagram(s) }] : []),
      ...(s.architecture.components.length ? [{ path: s.path, kind: "flowchart", text: exportComponentFlowchart(s) }] : []),
    ]);
    assert.ok(sources.length >= 300, `${sources.length} diagrams`);
    const { page, problems } = await open("specs/FEAT-0001.html");
    await page.waitForSelector("body[data-diagrams]", { timeout: 30_000 });
    const failures = await page.evaluate(async (list) => {
      type Mermaid = { parse(t: string): Promise<unknown>; render(id: string, t: string): Promise<{ svg: string }> };
      const mermaid = (globalThis as unknown as { mermaid: Mermaid }).mermaid;
      const bad: string[] = [];
      for (const [i, d] of list.entries()) {
        try {
          await mermaid.parse(d.text);
          if (i < 40) {
            const { svg } = await mermaid.render(`check${i}`, d.text);
            if (!svg.includes(`aria-roledescription="${d.kind === "er" ? "er" : "flowchart-v2"}"`)) bad.push(`${d.path} (${d.kind}): rendered ${svg.slice(0, 120)}`);
          }
        } catch (err) {
          bad.push(`${d.path} (${d.kind}): ${(err as Error).message}`);
        }
      }
      return bad;
    }, sources);
    assert.deepEqual(failures, []);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
