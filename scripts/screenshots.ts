// npm run screenshots: builds the portal for examples/ and captures the images the README shows.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
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
} finally {
  await browser.close();
}
