// `techspec site`: the folder it writes, its refusals, and the portal end to end in headless Chromium.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, test } from "node:test";
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
    for (const f of ["index.html", ".techspec-site", "assets/site.css", "assets/site.js", "assets/mermaid.min.js", "assets/minisearch.js", "assets/search-index.js",
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
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  /** A page that records console errors, uncaught exceptions, dialogs and every request that leaves file://. */
  async function open(path: string, width = 1280): Promise<{ page: Page; problems: string[]; offsite: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const problems: string[] = [];
    const offsite: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
    page.on("dialog", (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) offsite.push(r.url());
    });
    await page.goto(pathToFileURL(join(out, path)).href);
    return { page, problems, offsite };
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
