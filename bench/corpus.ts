// The generated corpora the benchmarks share: `.bench/corpus-<count>`, written by ../shared/bench/gen-corpus.mjs.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

export const repo = resolve(import.meta.dirname, "..", "..");
export const work = join(repo, ".bench");
const generator = resolve(repo, "..", "shared", "bench", "gen-corpus.mjs");

/** The corpus of `count` specs (seed 1), generated when it is missing or of another size. */
export function corpus(count: number): string {
  const dir = join(work, `corpus-${count}`);
  const manifest = join(dir, "manifest.json");
  if (!existsSync(manifest) || (JSON.parse(readFileSync(manifest, "utf8")) as unknown[]).length !== count) {
    rmSync(dir, { recursive: true, force: true });
    const r = spawnSync(process.execPath, [generator, dir, String(count), "1"], { stdio: "inherit" });
    if (r.status !== 0) throw new Error(`corpus generator failed (${generator})`);
  }
  return dir;
}
