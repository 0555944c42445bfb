import { getTableColumns, is, type SQL } from "drizzle-orm";
import { PgTable, type PgUpdateSetSource } from "drizzle-orm/pg-core";
import { DsqlError } from "../errors.js";
import { rowSizer } from "./batches.js";
import {
  type ChangeInBatchesOptions,
  type ChangeInBatchesResult,
  changeInBatches,
} from "./change-in-batches.js";
import { primaryKeyColumns } from "./key-ranges.js";
import { rowCount } from "./row-count.js";

const HELPER = "updateInBatches";

/** Refuses a `set` that is not an object of the table's columns, or that changes the primary key. */
function checkSet(table: PgTable, set: unknown): Record<string, unknown> {
  if (!is(table, PgTable)) throw new DsqlError(`${HELPER}: table must be a Drizzle pgTable`);
  if (set === null || typeof set !== "object" || Array.isArray(set)) {
    throw new DsqlError(`${HELPER}: set must be an object of column values`);
  }
  const columns = getTableColumns(table);
  const keys = Object.keys(set).filter(
    (key) => (set as Record<string, unknown>)[key] !== undefined,
  );
  if (keys.length === 0) throw new DsqlError(`${HELPER}: set has no column to change`);
  const unknown = keys.filter((key) => !(key in columns));
  if (unknown.length > 0) {
    throw new DsqlError(
      `${HELPER}: set names columns the table does not have: ${unknown.join(", ")}`,
    );
  }
  const primary = new Set(primaryKeyColumns(table, HELPER));
  const moved = keys.filter((key) => primary.has(columns[key] as never));
  if (moved.length > 0) {
    throw new DsqlError(
      `${HELPER}: set changes the primary key (${moved.join(", ")}); batches page by primary key, so a changed key could be visited twice`,
    );
  }
  return set as Record<string, unknown>;
}

/**
 * Updates every row of `table` matching `where` (every row when `where` is
 * undefined) with `set`, as Drizzle's `db.update(table).set(set)` would, each
 * transaction within DSQL's 3,000-row and 10 MiB limits. The matching
 * primary keys are read in key order (keyset pagination, composite keys too,
 * never OFFSET), each row's stored size is counted against the byte budget
 * (an UPDATE writes the whole row again, plus index entries), and each range
 * of keys is updated in a transaction of its own, `concurrency` at once, each
 * retried on OCC conflicts. A tenant-scoped `db` updates only its tenant's
 * rows. `set` may not change the primary key.
 *
 * On failure or abort it throws {@link DsqlBatchError}: `.doneKeys` are the
 * key ranges updated, and `{ resume: error.resume }` finishes the job without
 * updating a done row again.
 *
 * @example
 * ```ts
 * const r = await updateInBatches(db, orders, { status: "archived" }, eq(orders.status, "done"), {
 *   concurrency: 8,
 * });
 * // r: { changed, transactions, retries }
 * ```
 */
export function updateInBatches<T extends PgTable>(
  db: object,
  table: T,
  set: PgUpdateSetSource<T>,
  where: SQL | undefined,
  options: ChangeInBatchesOptions = {},
): Promise<ChangeInBatchesResult> {
  return Promise.resolve().then(() => {
    const values = checkSet(table, set);
    return changeInBatches({
      helper: HELPER,
      db,
      table,
      where,
      options,
      extraRowBytes: rowSizer(table)(values, 0),
      measureRows: true,
      run: async (tx, filter) =>
        rowCount(
          await tx
            .update(table as PgTable)
            .set(values)
            .where(filter),
        ),
    });
  });
}
