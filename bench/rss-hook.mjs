// Preloaded into benchmarked node processes: reports their peak RSS (all threads) when they exit.
import { appendFileSync } from "node:fs";
const out = process.env.BENCH_RSS_FILE;
if (out) process.on("exit", () => appendFileSync(out, `${process.resourceUsage().maxRSS}\n`));
