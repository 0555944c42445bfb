import type { PgInsertValue, PgSession, PgTable } from "drizzle-orm/pg-core";
import type { DsqlDatabase } from "../driver/database.js";
import { DsqlCommitUnknownError, DsqlError } from "../driver/errors.js";
import type { RetryOptions } from "../driver/retry.js";
import { DSQL_LIMITS } from "../twin/limits.js";
import { type Batch, cutBatches, rowSizer, statementChunks } from "./batches.js";
import { type ColumnNamer, InsertStatementBuilder } from "./insert-statement.js";
import { DsqlBatchError, type RowRange } from "./report.js";

/** Counts a bulk load reports, as it goes and at the end. */
export interface BatchInsertResult {
  /** Rows committed. */
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
}

type Row<T extends PgTable> = PgInsertValue<T>;

/** The db's SQL dialect (for Drizzle's column casing). */
function dialectOf(db: object): { casing: ColumnNamer } | undefined {
  return (db as { dialect?: { casing: ColumnNamer } }).dialect;
}

/** A transaction's session: statements prepared on it pass drizzle-dsql's gate like any other. */
function sessionOf(tx: object): PgSession {
  return (tx as { session: PgSession }).session;
}

function positiveInteger(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new DsqlError(
      `batchInsert: ${name} must be an integer from 1 to ${max}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Inserts many rows with multi-row INSERTs, each transaction within DSQL's
 * 3,000-row and 10 MiB limits, several transactions at once, each retried on
 * OCC conflicts. Accepts an array or an (async) iterable, read lazily. A
 * tenant-scoped `db` scopes every row. On failure or abort it throws
 * {@link DsqlBatchError}, which says exactly which rows were committed.
 *
 * With an array, every row is measured first: a row too large for any
 * transaction is refused before anything is written.
 *
 * @example
 * ```ts
 * const r = await batchInsert(db, orders, rows, {
 *   concurrency: 8,
 *   onProgress: (p) => console.log(`${p.inserted} rows`),
 * });
 * // r: { inserted, transactions, retries }
 * ```
 */
export async function batchInsert<T extends PgTable>(
  db: DsqlDatabase<Record<string, unknown>> | DsqlDatabase<never> | object,
  table: T,
  rows: Iterable<Row<T>> | AsyncIterable<Row<T>>,
  options: BatchInsertOptions = {},
): Promise<BatchInsertResult> {
  const concurrency = positiveInteger("concurrency", options.concurrency ?? 8, 1024);
  const limits = {
    maxRows: positiveInteger(
      "maxRowsPerTransaction",
      options.maxRowsPerTransaction ?? DSQL_LIMITS.maxRows,
      DSQL_LIMITS.maxRows,
    ),
    maxBytes: positiveInteger(
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
  let sizeOf = rowSizer(table);
  if (Array.isArray(rows)) {
    // Measure everything first, so an oversize row stops the load before any write.
    const sizes = rows.map((row, index) => sizeOf(row as Record<string, unknown>, index));
    const index = sizes.findIndex((bytes) => bytes > limits.maxBytes);
    if (index >= 0) {
      throw new DsqlError(
        `batchInsert: row ${index} is about ${sizes[index]} bytes, over the ${limits.maxBytes}-byte budget of one DSQL transaction; nothing was written`,
      );
    }
    sizeOf = (_row, i) => sizes[i] ?? 0;
  }
  const batches = cutBatches(rows as Iterable<Record<string, unknown>>, sizeOf, limits);
  const result: BatchInsertResult = { inserted: 0, transactions: 0, retries: 0 };
  const committed: RowRange[] = [];
  const inDoubt: RowRange[] = [];
  let rowsRead = 0;
  let failure: unknown;
  const stopped = () => failure !== undefined || options.signal?.aborted === true;

  const userOnRetry = options.retry === false ? undefined : options.retry?.onRetry;
  const statements = new InsertStatementBuilder(table, dialectOf(target)?.casing);
  const insertBatch = async (batch: Batch<Record<string, unknown>>) => {
    await target.transaction(
      async (tx) => {
        for (const chunk of statementChunks(batch.rows, statements.width)) {
          const statement = statements.build(chunk);
          // Rows holding sql`...` values go through Drizzle's builder.
          if (!statement) await tx.insert(table).values(chunk as Row<T>[]);
          else await sessionOf(tx).prepareQuery(statement, undefined, undefined, false).execute();
        }
      },
      {
        retry:
          options.retry === false
            ? false
            : {
                ...options.retry,
                onRetry: (error, attempt) => {
                  result.retries++;
                  userOnRetry?.(error, attempt);
                },
              },
      },
    );
  };

  const worker = async () => {
    while (!stopped()) {
      let next: IteratorResult<Batch<Record<string, unknown>>>;
      try {
        next = await batches.next();
      } catch (error) {
        failure ??= error;
        return;
      }
      if (next.done) return;
      const batch = next.value;
      rowsRead = Math.max(rowsRead, batch.from + batch.rows.length);
      if (options.signal?.aborted) return;
      try {
        await insertBatch(batch);
      } catch (error) {
        if (error instanceof DsqlCommitUnknownError)
          inDoubt.push({ from: batch.from, to: batch.from + batch.rows.length });
        failure ??= error;
        return;
      }
      committed.push({ from: batch.from, to: batch.from + batch.rows.length });
      result.inserted += batch.rows.length;
      result.transactions++;
      options.onProgress?.({ ...result, rowsRead });
    }
  };

  await Promise.all(Array.from({ length: concurrency }, worker));
  if (failure !== undefined || options.signal?.aborted) {
    const aborted = failure === undefined;
    const cause = aborted ? options.signal?.reason : failure;
    const why = aborted
      ? "aborted"
      : `failed: ${cause instanceof Error ? cause.message : String(cause)}`;
    const doubt = inDoubt.length > 0 ? ", some in doubt" : "";
    throw new DsqlBatchError(`batchInsert ${why} (${result.inserted} rows committed${doubt})`, {
      committed,
      inDoubt,
      rowsRead,
      aborted,
      cause,
    });
  }
  return result;
}
