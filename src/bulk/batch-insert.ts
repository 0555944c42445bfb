import { getTableConfig, type PgInsertValue, type PgTable } from "drizzle-orm/pg-core";
import type { DsqlDatabase } from "../driver/database.js";
import type { RetryOptions } from "../driver/retry.js";
import { sessionOf } from "../driver/session-of.js";
import { dialectOf } from "../drizzle-internals.js";
import {
  DsqlBatchError,
  DsqlCommitUnknownError,
  DsqlError,
  failureReason,
  type RowRange,
} from "../errors.js";
import { DSQL_LIMITS } from "../twin/limits.js";
import { chunkSizes, cutInsertBatches, type InsertBatch, rowSizer } from "./batches.js";
import { positiveInteger } from "./bulk-options.js";
import { insertStatementBuilder } from "./insert-statement.js";
import { checkOnConflict, doNothingClause, type OnConflict, upsertChunk } from "./on-conflict.js";
import { countingRetry } from "./retry-option.js";
import { rowCount } from "./row-count.js";
import { runWorkers } from "./worker-pool.js";

/** Counts a bulk load reports, as it goes and at the end. */
export interface BatchInsertResult {
  /** Rows written and committed (an upsert's: inserted or updated; rows it skipped are not counted). */
  inserted: number;
  /** Transactions committed. */
  transactions: number;
  /** Transaction attempts that met an OCC conflict and were run again. */
  retries: number;
}

/** Progress after each committed transaction. */
export interface BatchProgress extends BatchInsertResult {
  /** Input rows read so far. */
  rowsRead: number;
}

/** Options of {@link batchInsert}. */
export interface BatchInsertOptions {
  /** Transactions in flight at once, each on its own connection. Default 8. */
  concurrency?: number;
  /** Called after each committed transaction. */
  onProgress?: (progress: BatchProgress) => void;
  /** Stops the load: in-flight transactions finish, no new one starts. */
  signal?: AbortSignal;
  /** Rows per transaction, at most DSQL's 3,000. Default 3,000. */
  maxRowsPerTransaction?: number;
  /**
   * Estimated bytes per transaction. Default 8 MiB: DSQL's limit is 10 MiB
   * including index writes, which the estimate cannot see.
   */
  maxBytesPerTransaction?: number;
  /** OCC retry per transaction; defaults to the db's. */
  retry?: RetryOptions | false;
  /**
   * Upsert: `{ doNothing: true }` (optionally with `target`) skips rows whose
   * key exists; `{ target, set }` updates them, as Drizzle's
   * `onConflictDoNothing` / `onConflictDoUpdate`. Each row counts once
   * against the 3,000-row limit, inserted or updated; updated rows' new
   * values count for bytes too.
   */
  onConflict?: OnConflict;
}

type Row<T extends PgTable> = PgInsertValue<T>;

const HELPER = "batchInsert";

/**
 * Inserts many rows with multi-row INSERTs, each transaction within DSQL's
 * 3,000-row and 10 MiB limits, several transactions at once, each retried on
 * OCC conflicts. Accepts an array or an (async) iterable, read lazily. A
 * tenant-scoped `db` scopes every row. On failure or abort it throws
 * {@link DsqlBatchError}, which says exactly which rows were committed.
 *
 * With an array, every row is measured first: a row too large for any
 * transaction is refused before anything is written. `onConflict` makes it
 * an upsert; `inserted` then counts rows written, inserted or updated.
 *
 * @example
 * ```ts
 * const r = await batchInsert(db, orders, rows, {
 *   concurrency: 8,
 *   onProgress: (p) => console.log(`${p.inserted} rows`),
 * });
 * // r: { inserted, transactions, retries }
 * await batchInsert(db, orders, rows, {
 *   onConflict: { target: orders.id, set: { status: sql`excluded.status` } },
 * });
 * ```
 */
export async function batchInsert<T extends PgTable>(
  db: DsqlDatabase<Record<string, unknown>> | DsqlDatabase<never> | object,
  table: T,
  rows: Iterable<Row<T>> | AsyncIterable<Row<T>>,
  options: BatchInsertOptions = {},
): Promise<BatchInsertResult> {
  const concurrency = positiveInteger(HELPER, "concurrency", options.concurrency ?? 8, 1024);
  const limits = {
    maxRows: positiveInteger(
      HELPER,
      "maxRowsPerTransaction",
      options.maxRowsPerTransaction ?? DSQL_LIMITS.maxRows,
      DSQL_LIMITS.maxRows,
    ),
    maxBytes: positiveInteger(
      HELPER,
      "maxBytesPerTransaction",
      options.maxBytesPerTransaction ?? 8 * 1024 * 1024,
      DSQL_LIMITS.maxBytes,
    ),
  };
  const target = db as DsqlDatabase<Record<string, unknown>>;
  if (typeof target.transaction !== "function")
    throw new DsqlError("batchInsert: the first argument must be a drizzle-dsql db");
  if (
    rows === null ||
    typeof rows !== "object" ||
    !(Symbol.iterator in rows || Symbol.asyncIterator in rows)
  ) {
    throw new DsqlError("batchInsert: rows must be an array or an (async) iterable of row objects");
  }
  const onConflict = checkOnConflict(table, options.onConflict);
  const result: BatchInsertResult = { inserted: 0, transactions: 0, retries: 0 };
  const retry = countingRetry(HELPER, options.retry, () => result.retries++);
  const casing = dialectOf(target)?.casing;
  const tail = onConflict && !onConflict.set ? doNothingClause(onConflict, casing) : "";
  const statements = insertStatementBuilder(table, casing, tail);
  // An updated row is written again with the new values: count them too.
  const updateBytes = onConflict?.set ? rowSizer(table)(onConflict.set, 0) : 0;
  if (Array.isArray(rows)) {
    // Check everything first, so an oversize row stops the load before any
    // write; only rows whose cheap bound is over the budget are encoded here.
    const sizeOf = (row: Record<string, unknown>) =>
      Math.abs(statements.encodeInto(row, [])) + updateBytes;
    const index = (rows as Record<string, unknown>[]).findIndex(
      (row) =>
        statements.upperBound(row) + updateBytes > limits.maxBytes && sizeOf(row) > limits.maxBytes,
    );
    if (index >= 0) {
      throw new DsqlError(
        `batchInsert: row ${index} is about ${sizeOf(rows[index] as Record<string, unknown>)} bytes, over the ${limits.maxBytes}-byte budget of one DSQL transaction; nothing was written`,
      );
    }
  }
  // Rows are encoded as batches are cut, while earlier batches are in flight.
  const batches = cutInsertBatches(
    rows as Iterable<Record<string, unknown>>,
    statements,
    limits,
    updateBytes,
  );
  const committed: RowRange[] = [];
  const inDoubt: RowRange[] = [];
  let rowsRead = 0;
  let failedRows: RowRange | undefined;

  /** Inserts one batch in a transaction; returns the rows written (an upsert's skipped rows are not). */
  const insertBatch = (batch: InsertBatch) =>
    target.transaction(
      async (tx) => {
        let written = 0;
        let at = 0;
        for (const size of chunkSizes(batch.rows.length, statements.width, limits.maxRows)) {
          // Upserts that update, and rows holding sql`...` values, go through Drizzle's builder.
          const done =
            onConflict?.set || batch.expressions
              ? await upsertChunk(tx as never, table, batch.rows.slice(at, at + size), onConflict)
              : await sessionOf(tx)
                  .prepareQuery(
                    statements.build(batch.values, at, size),
                    undefined,
                    undefined,
                    false,
                  )
                  .execute();
          written += rowCount(done);
          at += size;
        }
        return written;
      },
      { retry },
    );

  const { failed, failure } = await runWorkers(
    batches,
    { concurrency, signal: options.signal },
    async (batch) => {
      const rows = { from: batch.from, to: batch.from + batch.rows.length };
      rowsRead = Math.max(rowsRead, rows.to);
      if (options.signal?.aborted) return;
      let written: number;
      try {
        written = await insertBatch(batch);
      } catch (error) {
        failedRows ??= rows;
        if (error instanceof DsqlCommitUnknownError) inDoubt.push(rows);
        throw error;
      }
      committed.push(rows);
      result.inserted += written;
      result.transactions++;
      options.onProgress?.({ ...result, rowsRead });
    },
  );
  if (failed || options.signal?.aborted) {
    const aborted = !failed;
    const cause = aborted ? options.signal?.reason : failure;
    const tableName = getTableConfig(table).name;
    const at = failedRows ? ` at rows ${failedRows.from}-${failedRows.to - 1}` : "";
    const why = aborted ? "aborted" : `failed${at}: ${failureReason(cause)}`;
    const doubt =
      inDoubt.length > 0
        ? `, ${inDoubt.reduce((n, r) => n + r.to - r.from, 0)} in doubt (see .inDoubt)`
        : "";
    throw new DsqlBatchError(
      `${HELPER} into "${tableName}" ${why}; ${result.inserted} rows committed in ${result.transactions} transactions (see .committed)${doubt}`,
      { committed, inDoubt, rowsRead, aborted, cause, helper: HELPER, table: tableName },
    );
  }
  return result;
}
