import { getTableColumns, is, SQL, type Table } from "drizzle-orm";
import { DsqlLimitError } from "../errors.js";
import { valueBytes } from "../twin/limits.js";
import type { InsertStatementBuilder } from "./insert-statement.js";

/**
 * A run of consecutive input rows that goes into one transaction, encoded
 * once as it was read.
 */
export interface InsertBatch {
  /** Index of the first row in the input. */
  from: number;
  rows: Record<string, unknown>[];
  /** The rows' driver values, `width` per row (undefined: the database default). */
  values: unknown[];
  /** Estimated bytes the rows write. */
  bytes: number;
  /** A row holds a `sql` expression: Drizzle's builder renders the batch from `rows`. */
  expressions: boolean;
}

/** How big one transaction may get. */
export interface BatchLimits {
  maxRows: number;
  maxBytes: number;
}

type Encoder = (row: Record<string, unknown>, index: number) => number;

/**
 * Measures a row as the driver will send it: each value through its
 * column's encoder (so `jsonText` rows are sized as their JSON text), plus a
 * per-row overhead for tuple headers and index entries.
 */
export function rowSizer(table: Table): Encoder {
  const columns = Object.entries(getTableColumns(table));
  return (row) => {
    let bytes = 24;
    for (const [key, column] of columns) {
      const value = row[key];
      if (value === undefined) continue;
      if (value !== null && typeof value === "object" && is(value, SQL)) {
        bytes += 64; // an expression the server evaluates; its size is unknown here
        continue;
      }
      const encoded =
        value === null || typeof value !== "object" || value instanceof Date
          ? value
          : column.mapToDriverValue(value);
      if (encoded === null) bytes += 1;
      else bytes += valueBytes(encoded instanceof Date ? encoded.toISOString() : encoded);
    }
    return bytes;
  };
}

const emptyBatch = (from: number): InsertBatch => ({
  from,
  rows: [],
  values: [],
  bytes: 0,
  expressions: false,
});

/**
 * Cuts an (async) iterable of rows into batches within `limits`, encoding
 * each row once, straight into its batch's value array, and reading lazily so
 * a generator is never held in memory whole. `extraBytes` is added to every
 * row (an upsert's updated values). A single row larger than the byte budget
 * is refused with an error naming its index.
 */
export async function* cutInsertBatches(
  rows: Iterable<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>,
  statements: InsertStatementBuilder,
  limits: BatchLimits,
  extraBytes = 0,
): AsyncGenerator<InsertBatch> {
  let current = emptyBatch(0);
  let index = 0;
  /** Adds a row; returns the batch it closed, if any. */
  const add = (row: Record<string, unknown>): InsertBatch | undefined => {
    let full: InsertBatch | undefined;
    if (current.rows.length >= limits.maxRows) {
      full = current;
      current = emptyBatch(index);
    }
    const start = current.values.length;
    const encoded = statements.encodeInto(row, current.values);
    const bytes = Math.abs(encoded) + extraBytes;
    if (bytes > limits.maxBytes) {
      throw new DsqlLimitError(
        `Row ${index} is about ${bytes} bytes, over the ${limits.maxBytes}-byte budget of one DSQL transaction; it cannot be written`,
        { rule: "transaction-size-limit", code: "54000" },
      );
    }
    if (current.bytes + bytes > limits.maxBytes) {
      // The row opens the next batch: move its values there.
      full = current;
      current = emptyBatch(index);
      current.values = full.values.splice(start);
    }
    if (encoded < 0) current.expressions = true;
    current.rows.push(row);
    current.bytes += bytes;
    index++;
    return full;
  };
  if (Symbol.asyncIterator in rows) {
    for await (const row of rows) {
      const full = add(row);
      if (full) yield full;
    }
  } else {
    // A sync iterable (an array) is read without an await per row.
    for (const row of rows) {
      const full = add(row);
      if (full) yield full;
    }
  }
  if (current.rows.length > 0) yield current;
}

/**
 * Splits `count` rows into statement sizes within PostgreSQL's 65,535 bind
 * parameters. A batch of `fullRows` rows (the usual, full batch) goes in as
 * few statements as that allows: one text per table, one round trip. Any
 * other remainder over 64 rows is cut into power-of-two sizes, so a
 * long-running service sees a handful of distinct statement texts per table
 * (each cached by the gate), not one per remainder.
 */
export function chunkSizes(count: number, columnCount: number, fullRows = 0): number[] {
  const perStatement = Math.max(1, Math.floor(65_535 / Math.max(1, columnCount)));
  const sizes: number[] = [];
  let left = count;
  while (left >= perStatement) {
    sizes.push(perStatement);
    left -= perStatement;
  }
  if (count !== fullRows) {
    while (left > 64) {
      const size = 2 ** Math.floor(Math.log2(left));
      sizes.push(size);
      left -= size;
    }
  }
  if (left > 0) sizes.push(left);
  return sizes;
}
