import { getTableColumns, is, SQL, type Table } from "drizzle-orm";
import { DsqlLimitError } from "../errors.js";

/** A run of consecutive input rows that goes into one transaction. */
export interface Batch<Row> {
  /** Index of the first row in the input. */
  from: number;
  rows: Row[];
  /** Estimated bytes the rows write. */
  bytes: number;
}

/** How big one transaction may get. */
export interface BatchLimits {
  maxRows: number;
  maxBytes: number;
}

type Encoder = (row: Record<string, unknown>, index: number) => number;
type Sizer<Row> = (row: Row, index: number) => number;

function valueBytes(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === "string") return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === "object") return Buffer.byteLength(JSON.stringify(value) ?? "");
  return 8;
}

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
      bytes += valueBytes(encoded instanceof Date ? encoded.toISOString() : encoded);
    }
    return bytes;
  };
}

/**
 * Cuts an (async) iterable of rows into batches within `limits`, reading
 * lazily so a generator is never held in memory whole. A single row larger
 * than the byte budget is refused with an error naming its index.
 */
export async function* cutBatches<Row>(
  rows: Iterable<Row> | AsyncIterable<Row>,
  sizeOf: Sizer<Row>,
  limits: BatchLimits,
): AsyncGenerator<Batch<Row>> {
  let current: Batch<Row> = { from: 0, rows: [], bytes: 0 };
  let index = 0;
  /** Adds a row; returns the batch it closed, if any. */
  const add = (row: Row): Batch<Row> | undefined => {
    const bytes = sizeOf(row, index);
    if (bytes > limits.maxBytes) {
      throw new DsqlLimitError(
        `Row ${index} is about ${bytes} bytes, over the ${limits.maxBytes}-byte budget of one DSQL transaction; it cannot be written`,
        { rule: "transaction-size-limit", code: "54000" },
      );
    }
    let full: Batch<Row> | undefined;
    if (current.rows.length >= limits.maxRows || current.bytes + bytes > limits.maxBytes) {
      full = current;
      current = { from: index, rows: [], bytes: 0 };
    }
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

/** Maps rows to `encode(row)` as they are read, keeping a sync input sync. */
export function encodeLazily<Row, Out>(
  rows: Iterable<Row> | AsyncIterable<Row>,
  encode: (row: Row) => Out,
): Iterable<Out> | AsyncIterable<Out> {
  if (Symbol.asyncIterator in rows) {
    return (async function* () {
      for await (const row of rows) yield encode(row);
    })();
  }
  return (function* () {
    for (const row of rows) yield encode(row);
  })();
}

/**
 * Splits a batch's rows into statements within PostgreSQL's 65,535 bind
 * parameters. A batch of `fullRows` rows (the usual, full batch) goes in as
 * few statements as that allows: one text per table, one round trip. Any
 * other remainder over 64 rows is cut into power-of-two sizes, so a
 * long-running service sees a handful of distinct statement texts per table
 * (each cached by the gate), not one per remainder.
 */
export function statementChunks<Row>(rows: Row[], columnCount: number, fullRows = 0): Row[][] {
  const perStatement = Math.max(1, Math.floor(65_535 / Math.max(1, columnCount)));
  const chunks: Row[][] = [];
  let at = 0;
  const take = (n: number) => {
    chunks.push(rows.slice(at, at + n));
    at += n;
  };
  while (rows.length - at >= perStatement) take(perStatement);
  if (rows.length !== fullRows) {
    while (rows.length - at > 64) take(2 ** Math.floor(Math.log2(rows.length - at)));
  }
  if (rows.length - at > 0) take(rows.length - at);
  return chunks;
}
