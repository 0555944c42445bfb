/** Sizes of every benchmark; `BENCH_QUICK=1` shrinks them to validate the harness. */
export interface BenchConfig {
  quick: boolean;
  /** Per-query latency: rounds, sequential ops per round, warmup ops. */
  queryRounds: number;
  latencyOps: number;
  warmupOps: number;
  /** Per-query throughput: ops per round with `throughputConcurrency` in flight. */
  throughputOps: number;
  throughputConcurrency: number;
  /** PGlite is slower; its op counts are scaled by this. */
  pgliteScale: number;
  /** Bulk load. */
  bulkRows: number;
  bulkRounds: number;
  /** Rows for the seed's pattern through the latency proxy (the slow row). */
  seedProxyRows: number;
  /** Rows the seed's one-statement-per-row delete/update changes per run (extrapolated to bulkRows). */
  seedChangeRows: number;
  /** Latency added by the proxy in each direction, ms. */
  proxyDelayMs: number;
  /** Gate micro-benchmarks: distinct texts (miss) and repeats (hit) per round. */
  gateMissOps: number;
  gateHitOps: number;
  gateRounds: number;
  /** Memory: rows in the generator load. */
  memoryRows: number;
  /** Start-up: rounds of cold / warm / bare starts and of test databases. */
  startupRounds: number;
}

const quick = process.env.BENCH_QUICK === "1";

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

export const config: BenchConfig = {
  quick,
  queryRounds: quick ? 2 : 10,
  latencyOps: quick ? 60 : 300,
  warmupOps: quick ? 50 : 300,
  throughputOps: quick ? 200 : 1000,
  throughputConcurrency: 8,
  pgliteScale: 0.4,
  bulkRows: envInt("BENCH_ROWS", quick ? 5000 : 50_000),
  bulkRounds: quick ? 1 : 5,
  seedProxyRows: envInt("BENCH_SEED_PROXY_ROWS", quick ? 5000 : 50_000),
  seedChangeRows: envInt("BENCH_SEED_CHANGE_ROWS", quick ? 1000 : 5000),
  proxyDelayMs: 1,
  gateMissOps: quick ? 100 : 1000,
  gateHitOps: quick ? 20_000 : 200_000,
  gateRounds: quick ? 2 : 5,
  memoryRows: envInt("BENCH_MEMORY_ROWS", quick ? 20_000 : 200_000),
  startupRounds: envInt("BENCH_STARTUP_ROUNDS", quick ? 2 : 5),
};
