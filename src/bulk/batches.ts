import { getTableColumns, is, SQL, type Table } from "drizzle-orm";
import { DsqlLimitError } from "../driver/errors.js";

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
export async function* cutBatches<Row extends Record<string, unknown>>(
  rows: Iterable<Row> | AsyncIterable<Row>,
  sizeOf: Encoder,
  limits: BatchLimits,
): AsyncGenerator<Batch<Row>> {
  let current: Batch<Row> = { from: 0, rows: [], bytes: 0 };
  let index = 0;
  for await (const row of rows as AsyncIterable<Row>) {
    const bytes = sizeOf(row, index);
    if (bytes > limits.maxBytes) {
      throw new DsqlLimitError(
        `Row ${index} is about ${bytes} bytes, over the ${limits.maxBytes}-byte budget of one DSQL transaction; it cannot be written`,
        { rule: "transaction-size-limit", code: "54000" },
      );
    }
    if (current.rows.length >= limits.maxRows || current.bytes + bytes > limits.maxBytes) {
      yield current;
      current = { from: index, rows: [], bytes: 0 };
    }
    current.rows.push(row);
    current.bytes += bytes;
    index++;
  }
  if (current.rows.length > 0) yield current;
}

/**
 * Splits a batch's rows into statements within PostgreSQL's 65,535 bind
 * parameters. A remainder over 64 rows is cut into power-of-two sizes, so a
 * long-running service sees a handful of distinct statement texts per table
 * (each cached by the gate), not one per remainder.
 */
export function statementChunks<Row>(rows: Row[], columnCount: number): Row[][] {
  const perStatement = Math.max(1, Math.floor(65_535 / Math.max(1, columnCount)));
  const chunks: Row[][] = [];
  let at = 0;
  const take = (n: number) => {
    chunks.push(rows.slice(at, at + n));
    at += n;
  };
  while (rows.length - at >= perStatement) take(perStatement);
  while (rows.length - at > 64) take(2 ** Math.floor(Math.log2(rows.length - at)));
  if (rows.length - at > 0) take(rows.length - at);
  return chunks;
}
