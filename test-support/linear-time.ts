// How an operation's time grows with its input, measured so that the answer does not depend on the machine's
// speed or load: the exponent k of time ∝ n^k, fitted over four sizes.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// A collection before each timed batch keeps one size's garbage out of the next one's time.
let collect: () => void = () => {};
try {
  setFlagsFromString("--expose-gc");
  collect = runInNewContext("gc") as () => void;
} catch {
  // Timing still works without it, only noisier.
}

/** The sizes measured: n, 2n, 4n, 8n. */
export const SCALES = [1, 2, 4, 8] as const;

/** Milliseconds a batch of one size should last at least, so that fast operations are not timer noise. */
const BATCH_MS = 15;

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Least-squares slope of log(time) over log(size). */
function slope(sizes: readonly number[], times: readonly number[]): number {
  const xs = sizes.map(Math.log);
  const ys = times.map((t) => Math.log(Math.max(t, 1e-4)));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

export interface Growth {
  /** k in time ∝ n^k from 2n to 8n: at most about 1 for linear work, 2 for quadratic. */
  readonly exponent: number;
  /** Median milliseconds of one operation at n, 2n, 4n, 8n. */
  readonly times: readonly number[];
}

/**
 * Times `op` on inputs made by `make` at n, 2n, 4n and 8n. Each size runs in batches of at least BATCH_MS (the
 * repetitions are calibrated on the size itself, which also warms it up), three batches per size, the sizes taking
 * turns so that a burst of load from other processes slows all of them alike; each size's time is its median batch.
 */
export function measureGrowth<T>(make: (n: number) => T, op: (input: T) => unknown, n: number): Growth {
  const inputs = SCALES.map((s) => make(n * s));
  const reps = inputs.map((input) => {
    let r = 1;
    for (;;) {
      const start = performance.now();
      for (let i = 0; i < r; i++) op(input);
      if (performance.now() - start >= BATCH_MS || r >= 1024) return r;
      r *= 2;
    }
  });
  const samples: number[][] = SCALES.map(() => []);
  for (let round = 0; round < 3; round++) {
    inputs.forEach((input, k) => {
      collect();
      const start = performance.now();
      for (let i = 0; i < reps[k]!; i++) op(input);
      samples[k]!.push((performance.now() - start) / reps[k]!);
    });
  }
  const times = samples.map(median);
  // The fit leaves n out: there the work common to every size (the rest of the spec) weighs most, and flattens the
  // curve of quadratic work as much as of linear work. n still calibrates and warms up.
  return { exponent: slope(SCALES.slice(1).map((s) => n * s), times.slice(1)), times };
}

/**
 * The growth exponent a test accepts. Linear work fits at most about 1.0 (less while the rest of the spec still
 * costs something; a little more where the garbage collector or caches cost more for bigger inputs); quadratic work
 * fits up to 2.0, time(8n) being 16 × time(2n) rather than 4 ×. 1.5 is halfway in log terms: time(8n)/time(2n) below
 * 8 passes. A fit over three sizes is steadier than one ratio, and each size is the median of three batches; the
 * inputs are sized so that quadratic work would dominate at 2n (the earlier versions' quadratic paths fit 1.6 to 2.0).
 */
export const MAX_EXPONENT = 1.5;

/**
 * The growth of `op`, measured again (three times at most) while it is over MAX_EXPONENT: load on a shared machine
 * comes in bursts, and a burst does not repeat, while quadratic work fails every time.
 */
export function linearGrowth<T>(make: (n: number) => T, op: (input: T) => unknown, n: number): Growth {
  let g = measureGrowth(make, op, n);
  for (let retry = 0; retry < 3 && g.exponent >= MAX_EXPONENT; retry++) {
    const again = measureGrowth(make, op, n);
    if (again.exponent < g.exponent) g = again;
  }
  return g;
}
