import { DsqlError } from "../driver/errors.js";

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

/**
 * A bulk load that stopped part-way (an error, or its `signal` aborted). It
 * says exactly which input rows were committed: rows in `committed` are in
 * the database; rows in `notCommitted` and every row from `rowsRead` on are
 * not; rows in `inDoubt` belong to a transaction whose COMMIT reply was lost
 * (`DsqlCommitUnknownError`): check for them before loading them again. The
 * first failure is on `.cause`.
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

  constructor(
    message: string,
    report: {
      committed: RowRange[];
      inDoubt?: RowRange[];
      rowsRead: number;
      aborted: boolean;
      cause?: unknown;
    },
  ) {
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
  }
}
