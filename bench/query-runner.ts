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
  /** This process's CPU time per op in the throughput blocks, µs, one value per round. */
  cpuPerOpUs: number[];
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

async function concurrent(
  variant: Variant,
  from: number,
  ops: number,
  concurrency: number,
): Promise<{ opsPerSecond: number; cpuPerOpUs: number }> {
  let next = 0;
  const worker = async () => {
    while (next < ops) {
      const k = next++;
      await variant.run(from + k);
    }
  };
  const cpu = process.cpuUsage();
  const start = nowMs();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (nowMs() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { opsPerSecond: ops / seconds, cpuPerOpUs: (used.user + used.system) / ops };
}

/** One op of each variant in turn, `ops` times (order rotating): drift and noise hit all alike. */
async function interleaved(variants: Variant[], from: number, ops: number): Promise<number[][]> {
  const out = variants.map(() => [] as number[]);
  for (let k = 0; k < ops; k++) {
    for (let j = 0; j < variants.length; j++) {
      const index = (j + k) % variants.length;
      const start = nowMs();
      await (variants[index] as Variant).run(from + k);
      (out[index] as number[]).push(nowMs() - start);
    }
  }
  return out;
}

/**
 * Runs every variant of every case: warmup, then `rounds` rounds. In a round
 * the variants of a case take turns op by op (latency, one op in flight),
 * then each runs a block with `concurrency` in flight (throughput), in an
 * order that rotates each round.
 */
export async function runQueryCases(
  cases: QueryCase[],
  options: QueryRunOptions,
): Promise<VariantResult[]> {
  const results = new Map<string, VariantResult>();
  const key = (c: QueryCase, v: Variant) => `${c.name}\u0000${v.name}`;
  let counter = 1;
  for (const c of cases) {
    await interleaved(c.variants, counter, options.warmupOps);
    counter += options.warmupOps;
    for (const v of c.variants) {
      await concurrent(v, counter, options.warmupOps, options.concurrency);
      counter += options.warmupOps;
      results.set(key(c, v), {
        backend: options.backend,
        query: c.name,
        variant: v.name,
        latencies: [],
        roundMedians: [],
        throughput: [],
        cpuPerOpUs: [],
      });
    }
  }
  for (let round = 0; round < options.rounds; round++) {
    const start = nowMs();
    for (const c of cases) {
      const samples = await interleaved(c.variants, counter, options.latencyOps);
      counter += options.latencyOps;
      c.variants.forEach((v, j) => {
        const result = results.get(key(c, v)) as VariantResult;
        const mine = samples[j] as number[];
        result.latencies.push(...mine);
        result.roundMedians.push(median(mine));
      });
      for (const v of rotate(c.variants, round)) {
        const result = results.get(key(c, v)) as VariantResult;
        const block = await concurrent(v, counter, options.throughputOps, options.concurrency);
        result.throughput.push(block.opsPerSecond);
        result.cpuPerOpUs.push(block.cpuPerOpUs);
        counter += options.throughputOps;
      }
    }
    options.log(
      `  ${options.backend} queries: round ${round + 1}/${options.rounds} in ${((nowMs() - start) / 1000).toFixed(1)} s`,
    );
  }
  return [...results.values()];
}
