// npm run screenshots: builds the portal for examples/ and captures the images the README shows.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { buildServer } from "../src/server/app.js";
import { hashPassword } from "../src/server/auth.js";
import { openStore } from "../src/store/open-store.js";
import { resolveConfig } from "../src/workspace/config.js";
import { launchChromium } from "../test-support/browser.js";

const repo = resolve(import.meta.dirname, "..", "..");
const out = join(repo, ".bench", "site-examples");
const images = join(repo, "docs", "images");
const built = spawnSync(process.execPath, [join(repo, "dist", "src", "cli", "main.js"), "site", "--out", out, "--title", "Example specs"], { cwd: join(repo, "examples"), stdio: "inherit" });
if (built.status !== 0) process.exit(built.status ?? 1);
mkdirSync(images, { recursive: true });
const browser = await launchChromium();
try {
  const shots: { file: string; page: string; width: number; height: number; wait?: string }[] = [
    { file: "portal-index.png", page: "index.html", width: 1280, height: 860, wait: "body[data-ready]" },
    { file: "portal-spec.png", page: "specs/FEAT-0003.html", width: 1280, height: 860, wait: "body[data-diagrams]" },
    { file: "portal-phone.png", page: "index.html", width: 390, height: 844, wait: "body[data-ready]" },
  ];
  for (const s of shots) {
    const page = await browser.newPage({ viewport: { width: s.width, height: s.height }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(join(out, s.page)).href);
    if (s.wait) await page.waitForSelector(s.wait, { timeout: 30_000 });
    await page.screenshot({ path: join(images, s.file) });
    await page.close();
    console.log(`docs/images/${s.file}`);
  }
  // The review server on a copy of examples/ (in git, so history shows): an account, a comment, a signed-in page.
  const ws = mkdtempSync(join(tmpdir(), "techspec-shots-"));
  cpSync(join(repo, "examples"), ws, { recursive: true });
  const g = (...args: string[]): void => void execFileSync("git", ["-c", "user.name=Priya Raman", "-c", "user.email=priya@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: ws, stdio: "ignore" });
  g("init", "-q", "-b", "main");
  g("add", ".");
  g("commit", "-q", "-m", "Specs");
  const store = await openStore({ workspace: ws });
  await store.addUser({ email: "marcus@example.com", name: "Marcus Lee", passwordHash: await hashPassword("correct horse battery"), now: new Date().toISOString() });
  const server = await buildServer({ config: await resolveConfig(ws), store, now: () => new Date(), pollMs: 0, watch: false });
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  const address = server.app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
    await page.goto(`${base}/login?next=%2F`);
    await page.fill("input[name=email]", "marcus@example.com");
    await page.fill("input[name=password]", "correct horse battery");
    await Promise.all([page.waitForURL(`${base}/`), page.click("form#login button")]);
    await page.screenshot({ path: join(images, "serve-index.png") });
    console.log("docs/images/serve-index.png");
    const spec = server.index.all().find((x) => x.summary?.status === "In Review") ?? server.index.all()[0]!;
    const lines = spec.text.split("\n");
    const line = lines.findIndex((l, i) => i > 10 && l.trim() !== "" && !l.startsWith("#") && !l.startsWith("**")) + 1;
    await page.request.post(`${base}/api/specs/${spec.id}/comments`, {
      headers: { "x-csrf-token": ((await (await page.request.get(`${base}/api/session`)).json()) as { csrf: string }).csrf },
      data: { body: "Which store does this read from at peak load?", anchor: { heading: "Introduction", startLine: line, endLine: line, quote: lines[line - 1]! } },
    });
    await page.goto(`${base}/specs/${spec.id}`);
    await page.waitForSelector("#review .thread");
    await page.screenshot({ path: join(images, "serve-spec.png") });
    console.log("docs/images/serve-spec.png");
    await page.close();
  } finally {
    await server.close();
    await store.close();
    rmSync(ws, { recursive: true, force: true });
  }
} finally {
  await browser.close();
}
