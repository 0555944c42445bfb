import type { SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import {
  type ChangeInBatchesOptions,
  type ChangeInBatchesResult,
  changeInBatches,
} from "./change-in-batches.js";
import { rowCount } from "./row-count.js";

/**
 * Deletes every row of `table` matching `where` (every row when `where` is
 * undefined: DSQL has no TRUNCATE), each transaction within DSQL's 3,000-row
 * and 10 MiB limits. The matching primary keys are read in key order
 * (keyset pagination, composite keys too, never OFFSET) and each range of
 * keys is deleted in a transaction of its own, `concurrency` at once, each
 * retried on OCC conflicts. Rows that ON DELETE CASCADE foreign keys remove
 * share the budget; a transaction DSQL still refuses as too large (54000) is
 * split and run again. A tenant-scoped `db` deletes only its tenant's rows.
 *
 * On failure or abort it throws {@link DsqlBatchError}: `.doneKeys` are the
 * key ranges deleted, and `{ resume: error.resume }` finishes the job.
 *
 * @example
 * ```ts
 * const r = await deleteInBatches(db, orders, lt(orders.createdAt, cutoff), {
 *   concurrency: 8,
 *   onProgress: (p) => console.log(`${p.changed} rows deleted`),
 * });
 * // r: { changed, transactions, retries }
 * ```
 */
export function deleteInBatches<T extends PgTable>(
  db: object,
  table: T,
  where: SQL | undefined,
  options: ChangeInBatchesOptions = {},
): Promise<ChangeInBatchesResult> {
  return changeInBatches({
    helper: "deleteInBatches",
    db,
    table,
    where,
    options,
    extraRowBytes: 0,
    measureRows: false,
    run: async (tx, filter) => rowCount(await tx.delete(table as PgTable).where(filter)),
  });
}
