// The review server in headless Chromium: sign in, search, comment on a line, approve, edit with a live lint error,
// a stale save answered with 409 and the text kept, and hostile spec content that stays inert. The server runs on a
// real socket; every page must load without a console error or a failed request.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { buildServer, type Server } from "../src/server/app.js";
import { hashPassword } from "../src/server/auth.js";
import { openSqlite } from "../src/store/sqlite.js";
import type { Store } from "../src/store/store.js";
import { resolveConfig } from "../src/workspace/config.js";
import { launchChromium } from "../test-support/browser.js";

const HOSTILE = `<script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> [click](javascript:window.pwned=3)

<svg onload="window.pwned = 4"></svg> <iframe srcdoc="<script>parent.pwned = 5</script>"></iframe>
[data](data:text/html,<script>window.pwned=6</script>) ![img](javascript:window.pwned=7)

| Field | Type | Description |
|-------|------|-------------|
| <b onmouseover="window.pwned=8">x</b> | String | </td><script>window.pwned=9</script> |

\`\`\`
</code></pre><script>window.pwned = 10</script>
\`\`\`

### <img src=x onerror="window.pwned = 11"> Heading`;

const SPEC = (id: string, title: string, status: string, intro: string): string => `# Technical Specification: ${title}

## Overview

**Feature ID**: ${id}
**Author**: Ann Example, Engineer
**Created Date**: 2026-01-05
**Last Updated**: 2026-01-06
**Status**: ${status}

## Introduction

${intro}

## Architecture

### Components

#### Component 1: Ledger Writer

- **Purpose**: Writes refunds to the ledger
- **Responsibilities**: Records every refund
- **Interfaces**: REST
- **Dependencies**: None

## Approval

**Engineering Lead**: Pending
`;

describe("review server in Chromium", () => {
  let dir: string;
  let store: Store;
  let server: Server;
  let browser: Browser;
  let base: string;
  let file: string;
  const problems: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "techspec-serve-ui-"));
    for (const [id, title, intro] of [
      ["FEAT-0001", "Refund Processing", "Refunds are written to the ledger before the processor is called."],
      ["FEAT-0002", "Hostile Content", `This spec tries to run code: ${HOSTILE}`],
    ] as const) {
      mkdirSync(join(dir, "specs", id), { recursive: true });
      writeFileSync(join(dir, "specs", id, "technical-specification.md"), SPEC(id, title, "In Review", intro));
    }
    file = join(dir, "specs", "FEAT-0001", "technical-specification.md");
    writeFileSync(join(dir, "techspec.config.json"), JSON.stringify({
      specs: ["specs/**/technical-specification.md"], approvalRoles: ["Engineering Lead"], roles: { "Engineering Lead": ["Ann Example <ann@example.com>"] },
    }));
    const g = (...args: string[]): void => void execFileSync("git", ["-c", "user.name=Setup", "-c", "user.email=setup@example.com", ...args], { cwd: dir, stdio: "ignore" });
    g("init", "-q", "-b", "main");
    g("add", ".");
    g("commit", "-q", "-m", "start");
    store = await openSqlite(join(dir, ".techspec", "techspec.db"));
    await store.addUser({ email: "ann@example.com", name: "Ann Example", passwordHash: await hashPassword("correct horse battery"), now: "2026-03-02T10:00:00.000Z" });
    server = await buildServer({ config: await resolveConfig(dir), store, now: () => new Date("2026-03-02T10:00:00Z"), pollMs: 0 });
    await server.app.listen({ port: 0, host: "127.0.0.1" });
    const address = server.app.server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const watched = async (): Promise<Page> => {
    const page = await browser.newPage();
    page.on("console", (m) => {
      // The browser logs the 401 and 409 answers the tests ask for; any other console error is a problem.
      if (m.type() === "error" && !/status of (401|409)/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    page.on("response", (r) => {
      // 409 and 401 are answers the tests ask for; anything else that fails is a problem.
      if (r.status() >= 400 && ![401, 409].includes(r.status())) problems.push(`${r.status()} ${r.url()}`);
    });
    return page;
  };

  let page: Page;
  test("signing in from a page that needs it comes back to that page", async () => {
    page = await watched();
    await page.goto(`${base}/specs/FEAT-0001`);
    assert.match(page.url(), /\/login\?next=%2Fspecs%2FFEAT-0001$/);
    await page.fill("input[name=email]", "ann@example.com");
    await page.fill("input[name=password]", "wrong password here");
    await page.click("form#login button");
    await page.waitForSelector("form#login .message.bad");
    assert.match(await page.textContent("form#login .message") ?? "", /wrong e-mail address or password/);
    await page.fill("input[name=password]", "correct horse battery");
    await Promise.all([page.waitForURL(`${base}/specs/FEAT-0001`), page.click("form#login button")]);
    assert.equal(await page.textContent("h1"), "Refund Processing");
  });

  test("the index shows what waits on me, and search finds by title", async () => {
    await page.goto(`${base}/`);
    assert.match(await page.textContent(".waiting-summary") ?? "", /2 specs wait on you/);
    await page.fill("header input[name=q]", "refund");
    await Promise.all([page.waitForURL(/\?q=refund/), page.press("header input[name=q]", "Enter")]);
    const first = await page.textContent("#results li a");
    assert.match(first ?? "", /FEAT-0001 Refund Processing/);
  });

  test("a comment on a clicked line is saved with its quote and shown", async () => {
    await page.goto(`${base}/specs/FEAT-0001`);
    const lines = readFileSync(file, "utf8").split("\n");
    const n = lines.findIndex((l) => l.startsWith("Refunds are written")) + 1;
    await page.click("#source summary");
    await page.click(`#L${n}`);
    assert.equal(await page.inputValue("#new-comment input[name=start]"), String(n));
    await page.fill("#new-comment textarea", "Which ledger, the general one?");
    await Promise.all([page.waitForLoadState("load"), page.waitForSelector(".thread", { state: "attached" }), page.click("#new-comment button")]);
    await page.waitForSelector(".thread blockquote");
    assert.match(await page.textContent(".thread blockquote") ?? "", /Refunds are written to the ledger/);
    assert.match(await page.textContent(".thread .anchor") ?? "", /Introduction · lines/);
  });

  test("approving from the page writes the line and the standing turns approved", async () => {
    await page.goto(`${base}/specs/FEAT-0001`);
    await Promise.all([page.waitForEvent("load"), page.click("#decide button[value=Approved]")]);
    await page.waitForSelector("#approvals .standing-approved");
    assert.match(readFileSync(file, "utf8"), /\*\*Engineering Lead\*\*: Ann Example - Approved 2026-03-02 \(sha256:[0-9a-f]{64}\)/);
  });

  test("the index filters by approval state and author", async () => {
    await page.goto(`${base}/`);
    await page.selectOption("#filters select[name=approval]", "approved");
    const visible = async (): Promise<string[]> => page.$$eval("#specs tbody tr:not([hidden]) td:first-child", (tds) => tds.map((td) => td.textContent?.trim() ?? ""));
    assert.deepEqual(await visible(), ["FEAT-0001"]);
    await page.selectOption("#filters select[name=approval]", "");
    await page.selectOption("#filters select[name=author]", "Ann Example");
    assert.deepEqual(await visible(), ["FEAT-0001", "FEAT-0002"]);
  });

  test("the editor lints as you type, and a stale save gets 409 with the text kept", async () => {
    await page.goto(`${base}/specs/FEAT-0001/edit`);
    await page.waitForSelector("body[data-lint]");
    const textarea = page.locator("#editor textarea");
    const original = await textarea.inputValue();
    await textarea.fill(original.replace("**Feature ID**: FEAT-0001\n", ""));
    await page.locator("#live-lint li.error", { hasText: /Feature ID/i }).first().waitFor();
    await textarea.fill(`${original}\nA line added in the browser.\n`);
    // Meanwhile someone else changes the file.
    writeFileSync(file, `${readFileSync(file, "utf8")}\nChanged elsewhere.\n`);
    await page.click("#editor button[type=submit]");
    await page.waitForSelector("#editor .message.bad");
    assert.match(await page.textContent("#editor .message") ?? "", /changed this spec since you began/);
    assert.match(await textarea.inputValue(), /A line added in the browser/);
    assert.doesNotMatch(readFileSync(file, "utf8"), /A line added in the browser/);
    await page.click("#editor .message button");
    assert.match(await textarea.inputValue(), /Changed elsewhere/);
    await textarea.fill(`${await textarea.inputValue()}\nSaved after reloading.\n`);
    await page.click("#editor button[type=submit]");
    await page.locator("#editor .message", { hasText: /^Saved\.$/ }).waitFor();
    assert.match(readFileSync(file, "utf8"), /Changed elsewhere\.\n\nSaved after reloading/);
  });

  test("hostile spec content stays inert", async () => {
    await page.goto(`${base}/specs/FEAT-0002`);
    await page.waitForSelector("article.markdown");
    assert.equal(await page.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined);
    assert.equal(await page.locator("article.markdown script").count(), 0);
    assert.equal(await page.locator("article.markdown img[onerror]").count(), 0);
    assert.equal(await page.locator('article.markdown a[href^="javascript:"], article.markdown a[href^="data:"]').count(), 0);
    assert.equal(await page.locator("article.markdown iframe, article.markdown svg[onload], article.markdown [onmouseover], article.markdown [onerror]").count(), 0);
    // The page gives every script its chance: hover and wait a moment.
    await page.hover("article.markdown");
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined);
    const csp = (await page.request.get(`${base}/specs/FEAT-0002`)).headers()["content-security-policy"] ?? "";
    assert.match(csp, /script-src 'self'/);
  });

  test("the audit page lists the writes", async () => {
    await page.goto(`${base}/audit`);
    const text = await page.textContent("table.audit") ?? "";
    for (const action of ["sign-in", "comment", "approve", "edit"]) assert.match(text, new RegExp(action));
  });

  test("no page had a console error or a failed request", () => {
    assert.deepEqual(problems, []);
  });
});
