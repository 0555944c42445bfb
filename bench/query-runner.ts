import type { QueryCase, Variant } from "./queries.js";
import { median, nowMs, rotate } from "./stats.js";

/** Latency samples and throughput of one variant of one query on one backend. */
export interface VariantResult {
  backend: string;
  query: string;
  variant: string;
  /** Every sequential op's latency, ms. */
  latencies: number[];
  /** Median latency of each round, ms (for paired ratios). */
  roundMedians: number[];
  /** Ops per second with `concurrency` in flight, one value per round. */
  throughput: number[];
}

export interface QueryRunOptions {
  backend: string;
  rounds: number;
  latencyOps: number;
  warmupOps: number;
  throughputOps: number;
  concurrency: number;
  log: (line: string) => void;
}

async function sequential(variant: Variant, from: number, ops: number): Promise<number[]> {
  const out: number[] = new Array(ops);
  for (let k = 0; k < ops; k++) {
    const start = nowMs();
    await variant.run(from + k);
    out[k] = nowMs() - start;
  }
  return out;
}

async function concurrent(
  variant: Variant,
  from: number,
  ops: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < ops) {
      const k = next++;
      await variant.run(from + k);
    }
  };
  const start = nowMs();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ops / ((nowMs() - start) / 1000);
}

/**
 * Runs every variant of every case: warmup, then `rounds` rounds in which each
 * variant does a block of sequential ops (latency) and a block of concurrent
 * ops (throughput). The variant order rotates each round so that background
 * noise falls on all of them alike.
 */
export async function runQueryCases(
  cases: QueryCase[],
  options: QueryRunOptions,
): Promise<VariantResult[]> {
  const results = new Map<string, VariantResult>();
  let counter = 1;
  for (const c of cases) {
    for (const v of c.variants) {
      await sequential(v, counter, options.warmupOps);
      await concurrent(v, counter, options.warmupOps, options.concurrency);
      counter += options.warmupOps;
      results.set(`${c.name}\u0000${v.name}`, {
        backend: options.backend,
        query: c.name,
        variant: v.name,
        latencies: [],
        roundMedians: [],
        throughput: [],
      });
    }
  }
  for (let round = 0; round < options.rounds; round++) {
    const start = nowMs();
    for (const c of cases) {
      for (const v of rotate(c.variants, round)) {
        const result = results.get(`${c.name}\u0000${v.name}`) as VariantResult;
        const samples = await sequential(v, counter, options.latencyOps);
        counter += options.latencyOps;
        result.latencies.push(...samples);
        result.roundMedians.push(median(samples));
        result.throughput.push(
          await concurrent(v, counter, options.throughputOps, options.concurrency),
        );
        counter += options.throughputOps;
      }
    }
    options.log(
      `  ${options.backend} queries: round ${round + 1}/${options.rounds} in ${((nowMs() - start) / 1000).toFixed(1)} s`,
    );
  }
  return [...results.values()];
}
