import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { batchInsert, type DsqlDatabase } from "../src/index.js";
import type { Schema } from "./clients.js";
import { entities } from "./schema.js";

/** One bulk-load row, shaped like the seed's `entities`. */
export interface EntityRow {
  tenantId: string;
  name: string;
  metadata: string;
}

export function entityRow(i: number): EntityRow {
  return {
    tenantId: `tenant-${i % 10}`,
    name: `entity ${i}`,
    metadata: JSON.stringify({ source: "bench", index: i, tags: ["a", "b"] }),
  };
}

export function entityRows(count: number): EntityRow[] {
  return Array.from({ length: count }, (_, i) => entityRow(i));
}

/** The seed's concurrentBatchInsert, verbatim in shape: one INSERT per row, 500 per transaction, 8 workers. */
export async function seedPattern(pool: pg.Pool, items: EntityRow[]): Promise<void> {
  const BATCH_SIZE = 500;
  const NUM_WORKERS = 8;
  const batches: EntityRow[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE));
  const processBatches = async (startIdx: number, step: number) => {
    for (let i = startIdx; i < batches.length; i += step) {
      const batch = batches[i] as EntityRow[];
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        for (const item of batch) {
          await client.query(
            "INSERT INTO bench_entities (tenant_id, name, metadata) VALUES ($1, $2, $3)",
            [item.tenantId, item.name, item.metadata],
          );
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < NUM_WORKERS && i < batches.length; i++)
    workers.push(processBatches(i, NUM_WORKERS));
  await Promise.all(workers);
}

/** What a careful user writes with stock drizzle: 3,000-row multi-row INSERT transactions, 8 workers. */
export async function handTuned(db: NodePgDatabase<Schema>, items: EntityRow[]): Promise<void> {
  const PER_TX = 3000;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const batch = items.slice(next, next + PER_TX);
      next += PER_TX;
      await db.transaction(async (tx) => {
        await tx.insert(entities).values(batch);
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Every row in one transaction, multi-row INSERTs of 5,000 rows: fine on PostgreSQL, over DSQL's 3,000-row limit. */
export async function oneTransaction(
  db: NodePgDatabase<Schema> | DsqlDatabase<Schema>,
  items: EntityRow[],
): Promise<void> {
  const PER_STATEMENT = 5000;
  await (db as NodePgDatabase<Schema>).transaction(async (tx) => {
    for (let i = 0; i < items.length; i += PER_STATEMENT) {
      await tx.insert(entities).values(items.slice(i, i + PER_STATEMENT));
    }
  });
}

/** drizzle-dsql's batchInsert, 8 transactions in flight. */
export async function dsqlBatchInsert(
  db: DsqlDatabase<Schema>,
  items: Iterable<EntityRow>,
): Promise<void> {
  await batchInsert(db, entities, items, { concurrency: 8 });
}

/** The slice of a drizzle-dsql session the prototype loader uses (internal, not public API). */
interface PreparingSession {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: undefined,
    name: undefined,
    arrayMode: boolean,
  ): { execute(): Promise<unknown> };
}

const renderedTexts = new Map<number, string>();

/** The INSERT drizzle renders for `rows` entity rows, built once per row count. */
function entityInsertText(rows: number): string {
  let text = renderedTexts.get(rows);
  if (!text) {
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) {
      const p = r * 3;
      tuples.push(`(default, $${p + 1}, $${p + 2}, $${p + 3})`);
    }
    text = `insert into "bench_entities" ("id", "tenant_id", "name", "metadata") values ${tuples.join(", ")}`;
    renderedTexts.set(rows, text);
  }
  return text;
}

/**
 * A prototype, not drizzle-dsql's API: batchInsert's transactions (3,000 rows,
 * 8 in flight, through the same session gate and twin) but with the INSERT
 * text rendered directly and the parameters passed as one flat array,
 * skipping drizzle's query builder. Shows what batchInsert could reach.
 */
export async function prerenderedLoad(db: DsqlDatabase<Schema>, items: EntityRow[]): Promise<void> {
  const PER_TX = 3000;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const batch = items.slice(next, next + PER_TX);
      next += PER_TX;
      await db.transaction(async (tx) => {
        const params: unknown[] = [];
        for (const row of batch) params.push(row.tenantId, row.name, row.metadata);
        const session = (tx as unknown as { session: PreparingSession }).session;
        await session
          .prepareQuery(
            { sql: entityInsertText(batch.length), params },
            undefined,
            undefined,
            false,
          )
          .execute();
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}
