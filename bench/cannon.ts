// autocannon ships no types: the small part of its programmatic API the benches use.
import { createRequire } from "node:module";

export interface Histogram { readonly average: number; readonly p50: number; readonly p99: number; readonly total: number }
export interface CannonResult {
  readonly requests: Histogram;
  readonly latency: Histogram;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly statusCodeStats: Readonly<Record<string, { readonly count: number }>>;
}
export interface CannonOptions {
  readonly url: string;
  readonly connections: number;
  readonly duration: number;
  readonly workers?: number;
  readonly method?: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}
export const autocannon = createRequire(import.meta.url)("autocannon") as (options: CannonOptions) => PromiseLike<CannonResult>;
