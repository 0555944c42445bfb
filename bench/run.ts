/**
 * `npm run bench`: side-by-side benchmarks of raw pg, stock drizzle and
 * drizzle-dsql, written to bench/RESULTS.md. `BENCH_QUICK=1` for small counts;
 * `BENCH_ONLY=queries,bulk,changes,gate,memory,startup` to run some sections only
 * (startup alone rewrites only its own section of RESULTS.md).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { runBulk } from "./bulk.js";
import { runBulkChanges } from "./bulk-changes.js";
import { makeClients } from "./clients.js";
import { config } from "./config.js";
import { runGate } from "./gate.js";
import { machineInfo } from "./machine.js";
import { runMemory } from "./memory.js";
import { type QueryCase, queryCases } from "./queries.js";
import { runQueryCases, type VariantResult } from "./query-runner.js";
import { type BenchResults, renderReport, targets } from "./report.js";
import { openPglite, openPostgres } from "./servers.js";
import { renderStartup, runStartup, spliceStartup } from "./startup.js";
import { nowMs } from "./stats.js";

const only = new Set(
  (process.env.BENCH_ONLY ?? "queries,bulk,changes,gate,memory,startup").split(","),
);
const log = (line: string) => process.stderr.write(`${line}\n`);

function rowsOf(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  const rows = (result as { rows?: unknown[] } | undefined)?.rows;
  return Array.isArray(rows) ? rows.length : -1;
}

/** Every variant of a select must return the same rows count as raw pg (tenant scoping included). */
async function verify(cases: QueryCase[]): Promise<void> {
  for (const c of cases.filter((x) => x.name.includes("select") || x.name.includes("join"))) {
    const counts = new Map<string, number>();
    for (const v of c.variants) counts.set(v.name, rowsOf(await v.run(0)));
    const distinct = new Set(counts.values());
    if (distinct.size !== 1 || [...distinct][0] === 0)
      throw new Error(`${c.name}: variants disagree on rows: ${JSON.stringify([...counts])}`);
  }
}

async function queriesOn(backend: string, pool: pg.Pool, scale: number): Promise<VariantResult[]> {
  const cases = queryCases(makeClients(pool));
  await verify(cases);
  const n = (x: number) => Math.max(20, Math.round(x * scale));
  return runQueryCases(cases, {
    backend,
    rounds: config.queryRounds,
    latencyOps: n(config.latencyOps),
    warmupOps: n(config.warmupOps),
    throughputOps: n(config.throughputOps),
    concurrency: config.throughputConcurrency,
    log,
  });
}

async function main(): Promise<void> {
  const started = nowMs();
  const machine = machineInfo();
  log(`bench: ${config.quick ? "QUICK" : "full"} run, ${machine.cpu} x${machine.cores}`);
  const server = await openPostgres();
  const results: BenchResults = {
    machine,
    quick: config.quick,
    pgVersion: server.version,
    settings: [
      `query rounds ${config.queryRounds} x (${config.latencyOps} interleaved ops per variant + ${config.throughputOps} ops with 8 in flight), warmup ${config.warmupOps}; PGlite x${config.pgliteScale}`,
      `bulk ${config.bulkRows} rows x ${config.bulkRounds} rounds (seed pattern through the proxy: ${config.seedProxyRows} rows)`,
      `bulk changes ${config.bulkRows} rows x ${Math.min(3, config.bulkRounds)} rounds (seed pattern: ${config.seedChangeRows} rows)`,
      `gate ${config.gateRounds} rounds x ${config.gateMissOps} misses / ${config.gateHitOps} hits`,
      `memory ${config.memoryRows} rows`,
    ],
    queries: [],
    bulk: undefined,
    changes: undefined,
    gate: undefined,
    memory: undefined,
    loadAtEnd: [],
    totalSeconds: 0,
  };
  let startup: string | undefined;
  try {
    if (only.has("gate")) {
      log("gate: StatementGate.plan() miss / hit");
      results.gate = await runGate({
        rounds: config.gateRounds,
        missOps: config.gateMissOps,
        hitOps: config.gateHitOps,
      });
    }
    if (only.has("queries")) {
      log("queries: PostgreSQL");
      const pool = new pg.Pool({ connectionString: server.url, max: 8 });
      try {
        results.queries.push(...(await queriesOn("PostgreSQL", pool, 1)));
      } finally {
        await pool.end();
      }
      log("queries: PGlite");
      const lite = await openPglite();
      try {
        results.queries.push(...(await queriesOn("PGlite", lite.pool, config.pgliteScale)));
      } finally {
        await lite.close();
      }
    }
    if (only.has("bulk")) {
      log("bulk: loopback and latency proxy");
      results.bulk = await runBulk(server, {
        rows: config.bulkRows,
        seedProxyRows: config.seedProxyRows,
        rounds: config.bulkRounds,
        proxyDelayMs: config.proxyDelayMs,
        log,
      });
    }
    if (only.has("changes")) {
      log("changes: deleteInBatches / updateInBatches, loopback and latency proxy");
      results.changes = await runBulkChanges(server, {
        rows: config.bulkRows,
        seedRows: config.seedChangeRows,
        rounds: Math.min(3, config.bulkRounds),
        proxyDelayMs: config.proxyDelayMs,
        log,
      });
    }
    if (only.has("memory")) {
      log("memory: child processes");
      results.memory = await runMemory(server.url, config.memoryRows);
    }
    if (only.has("startup")) {
      log("startup: fresh processes, then createTestDatabase");
      startup = renderStartup(await runStartup(config.startupRounds, server.url, log));
    }
  } finally {
    await server.stop();
  }
  results.loadAtEnd = loadavg();
  results.totalSeconds = (nowMs() - started) / 1000;
  const out = join(dirname(fileURLToPath(import.meta.url)), "RESULTS.md");
  const previous = existsSync(out) ? readFileSync(out, "utf8") : "";
  const othersRan = [...only].some((section) => section !== "startup");
  writeFileSync(
    out,
    spliceStartup(othersRan ? renderReport(results) : previous, previous, startup),
  );
  for (const t of targets(results))
    log(`${t.met === undefined ? "n/a" : t.met ? "MET" : "NOT MET"}  ${t.target}: ${t.measured}`);
  log(`bench: wrote ${out} in ${results.totalSeconds.toFixed(0)} s`);
  if (process.env.BENCH_DEBUG) log(JSON.stringify(process.getActiveResourcesInfo()));
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
