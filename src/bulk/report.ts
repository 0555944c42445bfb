import { DrizzleQueryError } from "drizzle-orm/errors";
import { causeChain } from "../driver/retry.js";
import { DsqlError } from "../errors.js";
import { type BatchResume, describeRange, type KeyRange } from "./key-ranges.js";

/** A half-open range of input row indexes, `[from, to)`. */
export interface RowRange {
  from: number;
  to: number;
}

/** Merges ranges into sorted, non-overlapping, non-adjacent ones. */
export function mergeRanges(ranges: readonly RowRange[]): RowRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const out: RowRange[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && range.from <= last.to) last.to = Math.max(last.to, range.to);
    else out.push({ ...range });
  }
  return out;
}

/** The complement of `committed` within `[0, read)`. */
export function missingRanges(committed: readonly RowRange[], read: number): RowRange[] {
  const out: RowRange[] = [];
  let at = 0;
  for (const range of mergeRanges(committed)) {
    if (range.from > at) out.push({ from: at, to: range.from });
    at = Math.max(at, range.to);
  }
  if (at < read) out.push({ from: at, to: read });
  return out;
}

const MAX_REASON = 300;

/**
 * The failure in a line: the first drizzle-dsql error's message, else the
 * server's (with its SQLSTATE), never Drizzle's "Failed query" wrapper that
 * repeats the whole statement and its parameters.
 */
export function failureReason(error: unknown): string {
  let reason: string | undefined;
  for (const e of causeChain(error)) {
    if (e instanceof DrizzleQueryError) continue;
    const code = (e as { code?: unknown }).code;
    const message = String((e as { message?: unknown }).message ?? e);
    if (e instanceof DsqlError) {
      reason = message;
      break;
    }
    if (typeof code === "string") {
      reason = `${message} (${code})`;
      break;
    }
    reason ??= message;
  }
  reason ??= String(error);
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}...` : reason;
}

/** Key ranges in a message: the first few, then how many more. */
export function describeRanges(ranges: readonly KeyRange[]): string {
  if (ranges.length === 0) return "none";
  const shown = ranges.slice(0, 3).map(describeRange).join(", ");
  return ranges.length > 3 ? `${shown} and ${ranges.length - 3} more` : shown;
}

/** What a bulk helper that stopped part-way knows. */
export interface BatchReport {
  /** Input rows committed (batchInsert; empty for the key-paged helpers). */
  committed: RowRange[];
  /** Input rows whose COMMIT reply was lost (batchInsert; `DsqlCommitUnknownError`). */
  inDoubt?: RowRange[];
  /** Input rows read (batchInsert). */
  rowsRead: number;
  aborted: boolean;
  cause?: unknown;
  /** The helper that stopped, e.g. `deleteInBatches`. */
  helper?: string;
  /** The table it worked on. */
  table?: string;
  /** Rows changed and committed (deleteInBatches / updateInBatches). */
  changed?: number;
  /** Primary-key ranges done (deleteInBatches / updateInBatches). */
  doneKeys?: KeyRange[];
  /** Primary-key ranges whose COMMIT reply was lost (deleteInBatches / updateInBatches). */
  inDoubtKeys?: KeyRange[];
  /** Where to resume (deleteInBatches / updateInBatches). */
  resume?: BatchResume;
}

/**
 * A bulk helper that stopped part-way (an error, or its `signal` aborted).
 * The message is short (helper, table, reason, what is done); details are on
 * properties, the first failure on `.cause`. For `batchInsert` it says
 * exactly which input rows were committed: rows in `committed` are in the
 * database; rows in `notCommitted` and every row from `rowsRead` on are not;
 * rows in `inDoubt` belong to a transaction whose COMMIT reply was lost
 * (`DsqlCommitUnknownError`): check for them before loading them again.
 * For `deleteInBatches` / `updateInBatches`, `doneKeys` lists the
 * primary-key ranges done, `inDoubtKeys` those whose COMMIT reply was lost,
 * and `resume` continues from there (skipping both).
 *
 * @example
 * ```ts
 * try { await deleteInBatches(db, orders, lt(orders.createdAt, cutoff)); }
 * catch (e) {
 *   if (!(e instanceof DsqlBatchError)) throw e;
 *   console.log(e.reason, e.doneKeys);
 *   await deleteInBatches(db, orders, lt(orders.createdAt, cutoff), { resume: e.resume });
 * }
 * ```
 */
export class DsqlBatchError extends DsqlError {
  /** Row ranges committed, by input index. */
  readonly committed: RowRange[];
  /** Row ranges read from the input but not committed. */
  readonly notCommitted: RowRange[];
  /** Row ranges whose transaction may or may not have committed (the reply to COMMIT was lost). */
  readonly inDoubt: RowRange[];
  /** How many input rows were read; rows from this index on were never attempted. */
  readonly rowsRead: number;
  /** Rows committed in all. */
  readonly inserted: number;
  /** Whether the load stopped because its signal aborted. */
  readonly aborted: boolean;
  /** The helper that stopped (`batchInsert`, `deleteInBatches`, `updateInBatches`). */
  readonly helper: string | undefined;
  /** The table it worked on. */
  readonly table: string | undefined;
  /** The first failure in a line (undefined on abort); the full error is on `.cause`. */
  readonly reason: string | undefined;
  /** deleteInBatches / updateInBatches: rows changed and committed. */
  readonly changed: number;
  /** deleteInBatches / updateInBatches: primary-key ranges whose matching rows are all done. */
  readonly doneKeys: KeyRange[];
  /**
   * deleteInBatches / updateInBatches: primary-key ranges whose transaction
   * may or may not have committed (the reply to COMMIT was lost). They are
   * neither in `doneKeys` nor redone by `resume`: check their rows first.
   */
  readonly inDoubtKeys: KeyRange[];
  /**
   * deleteInBatches / updateInBatches: pass as the `resume` option to finish
   * the work; done ranges are skipped, so no row is changed twice.
   */
  readonly resume: BatchResume | undefined;

  constructor(message: string, report: BatchReport) {
    super(message, {
      cause: report.cause,
      code: (report.cause as { code?: string } | undefined)?.code,
    });
    this.committed = mergeRanges(report.committed);
    this.rowsRead = report.rowsRead;
    this.inDoubt = mergeRanges(report.inDoubt ?? []);
    this.notCommitted = missingRanges([...this.committed, ...this.inDoubt], report.rowsRead);
    this.inserted = this.committed.reduce((n, r) => n + r.to - r.from, 0);
    this.aborted = report.aborted;
    this.helper = report.helper;
    this.table = report.table;
    this.reason = report.aborted ? undefined : failureReason(report.cause);
    this.changed = report.changed ?? 0;
    this.doneKeys = report.doneKeys ?? [];
    this.inDoubtKeys = report.inDoubtKeys ?? [];
    this.resume = report.resume;
  }
}
