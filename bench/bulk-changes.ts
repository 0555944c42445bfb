import { eq, inArray, sql } from "drizzle-orm";
import { drizzle as stockDrizzle } from "drizzle-orm/node-postgres";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import type pg from "pg";
import { deleteInBatches, drizzle, updateInBatches } from "../src/index.js";
import { openProxiedPools } from "./proxied-pools.js";
import type { BenchPostgres } from "./servers.js";
import { nowMs, rotate } from "./stats.js";

/** The table the bulk changes work on: every row matches, so every row is changed. */
export const changes = pgTable("bench_changes", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  status: text("status").notNull(),
  priceCents: integer("price_cents").notNull(),
});
const schema = { changes };

export const CHANGERS = {
  seed: "seed pattern (raw pg, 1 statement per row, 500 rows/tx, 8 workers)",
  hand: "careful hand loop (stock drizzle: keys read first, 3,000-key slices, 1 tx each, 8 workers)",
  helper: "drizzle-dsql deleteInBatches / updateInBatches (concurrency 8)",
} as const;

export type ChangerKey = keyof typeof CHANGERS;
export type ChangeOp = "delete" | "update";

export interface ChangeResult {
  network: "loopback" | "proxy";
  op: ChangeOp;
  changer: ChangerKey;
  /** Rows changed per run (the seed pattern is capped, see `seedRows`). */
  rows: number;
  seconds: number[];
}

export interface ChangesReport {
  results: ChangeResult[];
  /** Rows in the table. */
  tableRows: number;
  proxyDelayMs: number;
}

export interface ChangesOptions {
  rows: number;
  /** Rows the seed's one-statement-per-row pattern changes per run (it is slow; its rate is extrapolated). */
  seedRows: number;
  rounds: number;
  proxyDelayMs: number;
  log: (line: string) => void;
}

const WHERE = eq(changes.status, "old");
const SET = { status: "archived", priceCents: sql`${changes.priceCents} + 1` };

async function matchingIds(pool: pg.Pool, limit: number): Promise<number[]> {
  const r = await pool.query(
    "SELECT id FROM bench_changes WHERE status = 'old' ORDER BY id LIMIT $1",
    [limit],
  );
  return r.rows.map((row: { id: number }) => row.id);
}

/** What the seed document does: one statement per row, 500 rows per transaction, 8 workers. */
async function seedPattern(pool: pg.Pool, op: ChangeOp, rows: number): Promise<void> {
  const ids = await matchingIds(pool, rows);
  const text =
    op === "delete"
      ? "DELETE FROM bench_changes WHERE id = $1"
      : "UPDATE bench_changes SET status = 'archived', price_cents = price_cents + 1 WHERE id = $1";
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const batch = ids.slice(next, next + 500);
      next += 500;
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        for (const id of batch) await client.query(text, [id]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** What a careful user writes today with stock drizzle: read the keys, then 3,000-key slices, 8 transactions at once. */
async function handLoop(pool: pg.Pool, op: ChangeOp): Promise<void> {
  const db = stockDrizzle({ client: pool, schema });
  const ids = (await db.select({ id: changes.id }).from(changes).where(WHERE)).map((r) => r.id);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const slice = ids.slice(next, next + 3000);
      next += 3000;
      await db.transaction(async (tx) => {
        if (op === "delete") await tx.delete(changes).where(inArray(changes.id, slice));
        else await tx.update(changes).set(SET).where(inArray(changes.id, slice));
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function reset(pool: pg.Pool, rows: number): Promise<void> {
  await pool.query("TRUNCATE bench_changes");
  await pool.query(
    `INSERT INTO bench_changes SELECT i, 'tenant-' || (i % 10), 'old', i % 1000 FROM generate_series(1, ${rows}) AS i`,
  );
  await pool.query("ANALYZE bench_changes");
}

async function changedRows(pool: pg.Pool, rows: number): Promise<number> {
  const r = await pool.query("SELECT count(*)::int AS n FROM bench_changes WHERE status = 'old'");
  return rows - Number(r.rows[0]?.n ?? 0);
}

/**
 * Deletes and updates every row of a `rows`-row table with each changer, on
 * loopback and through the latency proxy, refilling the table before each
 * run and checking how many rows changed after it.
 */
export async function runBulkChanges(
  server: BenchPostgres,
  options: ChangesOptions,
): Promise<ChangesReport> {
  const pools = await openProxiedPools(server, options.proxyDelayMs);
  const results: ChangeResult[] = [];
  try {
    await pools.loopback.query("DROP TABLE IF EXISTS bench_changes");
    await pools.loopback.query(`CREATE TABLE bench_changes (id integer PRIMARY KEY,
      tenant_id text NOT NULL, status text NOT NULL, price_cents integer NOT NULL)`);
    for (const network of ["loopback", "proxy"] as const) {
      const pool = pools[network];
      const twin = drizzle({ client: pool, schema });
      const run: Record<ChangerKey, (op: ChangeOp) => Promise<void>> = {
        seed: (op) => seedPattern(pool, op, options.seedRows),
        hand: (op) => handLoop(pool, op),
        helper: async (op) => {
          if (op === "delete") await deleteInBatches(twin, changes, WHERE, { concurrency: 8 });
          else await updateInBatches(twin, changes, SET, WHERE, { concurrency: 8 });
        },
      };
      const keys = Object.keys(CHANGERS) as ChangerKey[];
      for (const op of ["delete", "update"] as const) {
        for (const changer of keys) {
          const rows = changer === "seed" ? Math.min(options.seedRows, options.rows) : options.rows;
          results.push({ network, op, changer, rows, seconds: [] });
        }
        for (let round = 0; round < options.rounds; round++) {
          for (const changer of rotate(keys, round)) {
            const result = results.find(
              (r) => r.network === network && r.op === op && r.changer === changer,
            ) as ChangeResult;
            await reset(pools.loopback, options.rows);
            const start = nowMs();
            await run[changer](op);
            const seconds = (nowMs() - start) / 1000;
            const changed =
              op === "delete"
                ? options.rows -
                  Number(
                    (await pools.loopback.query("SELECT count(*)::int AS n FROM bench_changes"))
                      .rows[0]?.n,
                  )
                : await changedRows(pools.loopback, options.rows);
            if (changed !== result.rows)
              throw new Error(
                `${changer} ${op} on ${network} changed ${changed} of ${result.rows}`,
              );
            result.seconds.push(seconds);
            options.log(
              `  changes ${network} ${op} ${changer}: ${changed} rows in ${seconds.toFixed(2)} s`,
            );
          }
        }
      }
    }
    await pools.loopback.query("DROP TABLE bench_changes");
    return { results, tableRows: options.rows, proxyDelayMs: options.proxyDelayMs };
  } finally {
    await pools.close();
  }
}
