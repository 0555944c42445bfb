import { drizzle as stockDrizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { drizzle, withTenant } from "../src/index.js";
import {
  dsqlBatchInsert,
  type EntityRow,
  entityRows,
  handTuned,
  oneTransaction,
  prerenderedLoad,
  seedPattern,
} from "./loaders.js";
import { openProxiedPools } from "./proxied-pools.js";
import { schema } from "./schema.js";
import type { BenchPostgres } from "./servers.js";
import { median, nowMs, rotate } from "./stats.js";

export const LOADERS = {
  seed: "seed pattern (raw pg, 1 INSERT/row, 500 rows/tx, 8 workers)",
  handTuned: "hand-tuned stock drizzle (3,000-row multi-row tx, 8 workers)",
  oneTx: "stock drizzle, all rows in one transaction (5,000-row INSERTs)",
  batchInsert: "drizzle-dsql batchInsert (concurrency 8)",
  batchInsertTenant: "drizzle-dsql batchInsert through withTenant (one tenant's rows)",
  prototype:
    "prototype, not the API: batchInsert's transactions with the INSERT text rendered directly (no query builder)",
} as const;

export type LoaderKey = keyof typeof LOADERS;

export interface BulkResult {
  network: "loopback" | "proxy";
  loader: LoaderKey;
  rows: number;
  /** Seconds per round. */
  seconds: number[];
}

/** What drizzle-dsql's twin says to the one-transaction load. */
export interface TwinRefusal {
  network: "loopback" | "proxy";
  rows: number;
  error: string;
  message: string;
  seconds: number;
  rowsLeft: number;
}

export interface BulkReport {
  results: BulkResult[];
  refusals: TwinRefusal[];
  /** Measured extra round-trip time the proxy adds, ms (median of `SELECT 1`). */
  proxyAddedRttMs: number;
  proxyDelayMs: number;
}

export interface BulkOptions {
  rows: number;
  seedProxyRows: number;
  rounds: number;
  proxyDelayMs: number;
  log: (line: string) => void;
}

async function selectOneRtt(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    const samples: number[] = [];
    for (let i = 0; i < 200; i++) {
      const start = nowMs();
      await client.query("SELECT 1");
      samples.push(nowMs() - start);
    }
    return median(samples);
  } finally {
    client.release();
  }
}

async function countRows(pool: pg.Pool): Promise<number> {
  const r = await pool.query("SELECT count(*)::int AS n FROM bench_entities");
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Loads `rows` rows with each loader on loopback and through the latency
 * proxy, emptying the table before each load and checking the count after.
 */
export async function runBulk(server: BenchPostgres, options: BulkOptions): Promise<BulkReport> {
  const pools = await openProxiedPools(server, options.proxyDelayMs);
  const all = entityRows(Math.max(options.rows, options.seedProxyRows));
  const results: BulkResult[] = [];
  const refusals: TwinRefusal[] = [];
  try {
    const proxyAddedRttMs =
      (await selectOneRtt(pools.proxy)) - (await selectOneRtt(pools.loopback));
    for (const network of ["loopback", "proxy"] as const) {
      const pool = pools[network];
      const stock = stockDrizzle({ client: pool, schema });
      const twin = drizzle({ client: pool, schema });
      const tenant = withTenant(
        drizzle({ client: pool, schema, tenant: { column: "tenant_id" } }),
        "tenant-1",
      );
      const loaders: Record<LoaderKey, (rows: EntityRow[]) => Promise<void>> = {
        seed: (rows) => seedPattern(pool, rows),
        handTuned: (rows) => handTuned(stock, rows),
        oneTx: (rows) => oneTransaction(stock, rows),
        batchInsert: (rows) => dsqlBatchInsert(twin, rows),
        batchInsertTenant: (rows) =>
          dsqlBatchInsert(
            tenant,
            rows.map((row) => ({ ...row, tenantId: "tenant-1" })),
          ),
        prototype: (rows) => prerenderedLoad(twin, rows),
      };
      const keys = Object.keys(loaders) as LoaderKey[];
      for (const key of keys) {
        const rows = key === "seed" && network === "proxy" ? options.seedProxyRows : options.rows;
        results.push({ network, loader: key, rows, seconds: [] });
      }
      for (let round = 0; round < options.rounds; round++) {
        for (const key of rotate(keys, round)) {
          const result = results.find(
            (r) => r.network === network && r.loader === key,
          ) as BulkResult;
          const rows = all.slice(0, result.rows);
          await pool.query("TRUNCATE bench_entities");
          const start = nowMs();
          await loaders[key](rows);
          const seconds = (nowMs() - start) / 1000;
          const loaded = await countRows(pool);
          if (loaded !== rows.length)
            throw new Error(`${key} on ${network} loaded ${loaded} of ${rows.length} rows`);
          result.seconds.push(seconds);
          options.log(`  bulk ${network} ${key}: ${rows.length} rows in ${seconds.toFixed(2)} s`);
        }
      }
      // The same one-transaction load through drizzle-dsql's twin: DSQL's limit, enforced locally.
      await pool.query("TRUNCATE bench_entities");
      const start = nowMs();
      let refusal: TwinRefusal | undefined;
      try {
        await oneTransaction(twin, all.slice(0, options.rows));
      } catch (error) {
        const e = error as Error;
        refusal = {
          network,
          rows: options.rows,
          error: e.constructor.name,
          message: e.message,
          seconds: (nowMs() - start) / 1000,
          rowsLeft: await countRows(pool),
        };
      }
      refusals.push(
        refusal ?? {
          network,
          rows: options.rows,
          error: "none",
          message: "the twin accepted it",
          seconds: (nowMs() - start) / 1000,
          rowsLeft: await countRows(pool),
        },
      );
    }
    await pools.loopback.query("TRUNCATE bench_entities");
    return { results, refusals, proxyAddedRttMs, proxyDelayMs: options.proxyDelayMs };
  } finally {
    await pools.close();
  }
}
