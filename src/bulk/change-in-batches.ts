import { and, is, SQL } from "drizzle-orm";
import { getTableConfig, PgTable, type PgTransaction } from "drizzle-orm/pg-core";
import { DsqlDatabase } from "../driver/database.js";
import type { RetryOptions } from "../driver/retry.js";
import {
  type BatchResume,
  DsqlBatchError,
  DsqlCommitUnknownError,
  DsqlError,
  failureReason,
  type KeyRange,
  sqlStateOf,
} from "../errors.js";
import { DSQL_LIMITS } from "../twin/limits.js";
import { positiveInteger } from "./bulk-options.js";
import {
  allColumns,
  checkResume,
  describeRanges,
  inRange,
  joinRanges,
  outsideRanges,
  primaryKeyColumns,
} from "./key-ranges.js";
import { type KeyWindow, scanKeyWindows, splitWindow } from "./key-scan.js";
import { countingRetry } from "./retry-option.js";
import { INDEX_ENTRY_BYTES, rowsPerBatch, tableCosts } from "./table-costs.js";
import { runWorkers } from "./worker-pool.js";

/** What {@link deleteInBatches} and {@link updateInBatches} return. */
export interface ChangeInBatchesResult {
  /** Rows changed (deleted or updated) and committed. */
  changed: number;
  /** Transactions committed. */
  transactions: number;
  /** Transaction attempts that met an OCC conflict and were run again. */
  retries: number;
}

/** Progress after each committed transaction. */
export interface ChangeInBatchesProgress extends ChangeInBatchesResult {
  /** Matching rows found so far by the key scan. */
  scanned: number;
}

/** Options of {@link deleteInBatches} and {@link updateInBatches}. */
export interface ChangeInBatchesOptions {
  /** Transactions in flight at once, each on its own connection. Default 8. */
  concurrency?: number;
  /** Called after each committed transaction. */
  onProgress?: (progress: ChangeInBatchesProgress) => void;
  /** Stops the work: in-flight transactions finish, no new one starts; then `DsqlBatchError`. */
  signal?: AbortSignal;
  /** Rows per transaction, at most DSQL's 3,000 (shared with rows that cascades modify). Default 3,000. */
  maxRowsPerTransaction?: number;
  /** Estimated bytes per transaction, index writes included. Default 8 MiB (DSQL: 10 MiB). */
  maxBytesPerTransaction?: number;
  /** OCC retry per transaction; defaults to the db's. */
  retry?: RetryOptions | false;
  /** Continue a call that stopped: `DsqlBatchError.resume`. Done key ranges are skipped. */
  resume?: BatchResume;
}

/** The statement one helper runs on a key range, and what it costs per row. */
export interface ChangeJob {
  helper: "deleteInBatches" | "updateInBatches";
  db: unknown;
  table: unknown;
  where: unknown;
  options: ChangeInBatchesOptions;
  /** Bytes each changed row adds beyond its index entries (UPDATE: the new values). */
  extraRowBytes: number;
  /** UPDATE rewrites the row: measure each row's stored size. */
  measureRows: boolean;
  /** Runs the change for the rows matching `filter` in `tx`; returns the rows changed. */
  run(tx: PgTransaction<never, never, never>, filter: SQL): Promise<number>;
}

type AnyDb = DsqlDatabase<Record<string, unknown>>;

function checkJob(job: ChangeJob): { db: AnyDb; table: PgTable; where: SQL | undefined } {
  const { helper } = job;
  const db = job.db as AnyDb;
  if (typeof db?.transaction !== "function" || typeof db.execute !== "function") {
    throw new DsqlError(`${helper}: the first argument must be a drizzle-dsql db`);
  }
  if (!is(db, DsqlDatabase)) {
    throw new DsqlError(
      `${helper}: takes a db, not a transaction: each batch runs in a transaction of its own`,
    );
  }
  if (!is(job.table, PgTable)) throw new DsqlError(`${helper}: table must be a Drizzle pgTable`);
  if (job.where !== undefined && !is(job.where, SQL)) {
    throw new DsqlError(
      `${helper}: where must be a Drizzle condition (eq(), lt(), and(), sql\`...\`) or undefined for every row`,
    );
  }
  const { onProgress, signal } = job.options;
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw new DsqlError(`${helper}: option onProgress must be a function`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new DsqlError(`${helper}: option signal must be an AbortSignal`);
  }
  return { db, table: job.table, where: job.where as SQL | undefined };
}

/**
 * Runs a DELETE or UPDATE over every row matching `where`, one key window per
 * transaction: the matching primary keys are read in key order (keyset
 * pagination), cut into windows within the row and byte budgets, and each
 * window's statement runs in its own transaction, `concurrency` at once, with
 * OCC retry. A window DSQL refuses as too large (54000) is split in two and
 * run again.
 */
export async function changeInBatches(job: ChangeJob): Promise<ChangeInBatchesResult> {
  const { helper, options } = job;
  const { db, table, where } = checkJob(job);
  const concurrency = positiveInteger(helper, "concurrency", options.concurrency ?? 8, 1024);
  const maxRows = positiveInteger(
    helper,
    "maxRowsPerTransaction",
    options.maxRowsPerTransaction ?? DSQL_LIMITS.maxRows,
    DSQL_LIMITS.maxRows,
  );
  const maxBytes = positiveInteger(
    helper,
    "maxBytesPerTransaction",
    options.maxBytesPerTransaction ?? 8 * 1024 * 1024,
    DSQL_LIMITS.maxBytes,
  );
  const keyColumns = primaryKeyColumns(table, helper);
  const resume =
    options.resume === undefined
      ? { after: null, done: [] }
      : checkResume(options.resume, keyColumns.length, helper);
  const result: ChangeInBatchesResult = { changed: 0, transactions: 0, retries: 0 };
  const retry = countingRetry(helper, options.retry, () => result.retries++);

  const costs = await tableCosts(db, table);
  const perRowIndexes = (1 + costs.indexes) * INDEX_ENTRY_BYTES;
  const windows = scanKeyWindows({
    db,
    table,
    keyColumns,
    where,
    start: resume.after,
    exclude: resume.done,
    batchRows: rowsPerBatch(maxRows, costs, job.helper === "deleteInBatches"),
    maxBytes,
    rowBytes: (measured) => measured + job.extraRowBytes + perRowIndexes,
    measureColumns: job.measureRows ? allColumns(table) : undefined,
  });
  const skipDone = outsideRanges(keyColumns, resume.done);
  const done: KeyRange[] = [];
  const inDoubt: KeyRange[] = [];
  let scanned = 0;

  const runWindow = async (first: KeyWindow, stopped: () => boolean) => {
    scanned += first.keys.length;
    const pending = [first];
    for (let window = pending.shift(); window; window = pending.shift()) {
      if (stopped()) return;
      const filter = and(where, inRange(keyColumns, window.range), ...skipDone) as SQL;
      try {
        const changed = await db.transaction((tx) => job.run(tx as never, filter), { retry });
        done.push(window.range);
        result.changed += changed;
        result.transactions++;
        options.onProgress?.({ ...result, scanned });
      } catch (error) {
        // Too much for one DSQL transaction (a cascade, big rows): halve and go on.
        if (sqlStateOf(error) === "54000" && window.keys.length > 1) {
          pending.unshift(...splitWindow(window));
          continue;
        }
        // The reply to COMMIT was lost: the window may have committed or not.
        if (error instanceof DsqlCommitUnknownError) inDoubt.push(window.range);
        throw error;
      }
    }
  };

  const { failed, failure } = await runWorkers(
    windows,
    { concurrency, signal: options.signal },
    runWindow,
  );
  if (!failed && !options.signal?.aborted) return result;

  // Resuming skips in-doubt windows too: re-running one could change its rows twice.
  const next = resumeAfter(resume, [...done, ...inDoubt]);
  const finished = resumeAfter(resume, done);
  const doneKeys = [
    ...(finished.after === null ? [] : [{ after: null, through: finished.after }]),
    ...finished.done,
  ];
  const inDoubtKeys = joinRanges(inDoubt);
  const aborted = !failed;
  const cause = aborted ? options.signal?.reason : failure;
  const tableName = getTableConfig(table).name;
  const why = aborted ? "aborted" : `failed: ${failureReason(cause)}`;
  const doubt =
    inDoubtKeys.length > 0
      ? `; in doubt (COMMIT reply lost, check before changing again): ${describeRanges(inDoubtKeys)}`
      : "";
  throw new DsqlBatchError(
    `${helper} on "${tableName}" ${why}; ${result.changed} rows changed in ${result.transactions} transactions; done: ${describeRanges(doneKeys)}${doubt}; pass the error's .resume as the resume option to continue`,
    {
      committed: [],
      rowsRead: 0,
      aborted,
      cause,
      helper,
      table: tableName,
      changed: result.changed,
      doneKeys,
      inDoubtKeys,
      resume: next,
    },
  );
}

/** The resume state after `resume`'s work plus the key ranges `finished` now. */
function resumeAfter(resume: BatchResume, finished: readonly KeyRange[]): BatchResume {
  const chains = joinRanges(finished);
  const prefix = chains.find((range) => range.after === resume.after);
  return {
    after: prefix ? prefix.through : resume.after,
    done: [...resume.done, ...chains.filter((range) => range !== prefix)],
  };
}
