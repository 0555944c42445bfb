import { and, type Column, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { DsqlDatabase } from "../driver/database.js";
import type { Key, KeyRange } from "../errors.js";
import { afterKey, outsideRanges } from "./key-ranges.js";

/** One transaction's worth of matching rows: a key range and the keys seen in it. */
export interface KeyWindow {
  range: KeyRange;
  /** The matching keys the scan saw in the range, in order (for splitting a refused batch). */
  keys: Key[];
  /** Estimated bytes per key, same order. */
  bytes: number[];
}

/** What to scan and how to cut it. */
export interface KeyScan {
  db: DsqlDatabase<Record<string, unknown>>;
  table: PgTable;
  keyColumns: readonly Column[];
  where: SQL | undefined;
  /** Start after this key (null: from the first). */
  start: Key | null;
  /** Ranges already done: never scanned again. */
  exclude: readonly KeyRange[];
  batchRows: number;
  maxBytes: number;
  /** Bytes one changed row costs; `measured` is its stored size, when `measureColumns` is given. */
  rowBytes: (measured: number) => number;
  /** Columns whose stored size is read with the keys (an UPDATE rewrites the row). */
  measureColumns?: readonly Column[];
}

const PAGE_BATCHES = 4;

/**
 * Reads the matching primary keys in key order, a page at a time (keyset
 * pagination: `key > last` each time, never OFFSET), and cuts them into
 * windows within the row and byte budgets. Each window's range runs from the
 * previous window's last key to its own, so the windows tile the key space.
 */
export async function* scanKeyWindows(scan: KeyScan): AsyncGenerator<KeyWindow> {
  const { keyColumns } = scan;
  const pageRows = Math.min(12_000, scan.batchRows * PAGE_BATCHES);
  const selected = keyColumns.map((column, i) => sql`${column} as ${sql.identifier(`k${i}`)}`);
  if (scan.measureColumns) {
    const sizes = scan.measureColumns.map((c) => sql`coalesce(octet_length(${c}::text), 0)`);
    selected.push(sql`(${sql.join(sizes, sql` + `)}) as "bytes"`);
  }
  const order = sql.join(
    keyColumns.map((c) => sql`${c}`),
    sql`, `,
  );
  let last = scan.start;
  let window: KeyWindow = { range: { after: last, through: [] }, keys: [], bytes: [] };
  let windowBytes = 0;
  for (;;) {
    const filter =
      and(scan.where, afterKey(keyColumns, last), ...outsideRanges(keyColumns, scan.exclude)) ??
      sql`true`;
    const query = sql`select ${sql.join(selected, sql`, `)} from ${scan.table} where ${filter} order by ${order} limit ${pageRows}`;
    // In a transaction of its own: the embedded PGlite server can interleave a
    // lone extended-protocol query with another connection's BEGIN.
    const page = await scan.db.transaction((tx) => tx.execute<Record<string, unknown>>(query));
    for (const row of page.rows) {
      const key = keyColumns.map((_, i) => row[`k${i}`]);
      const bytes = scan.rowBytes(Number(row.bytes ?? 0));
      if (
        window.keys.length > 0 &&
        (window.keys.length >= scan.batchRows || windowBytes + bytes > scan.maxBytes)
      ) {
        yield window;
        window = { range: { after: last, through: [] }, keys: [], bytes: [] };
        windowBytes = 0;
      }
      window.keys.push(key);
      window.bytes.push(bytes);
      window.range.through = key;
      windowBytes += bytes;
      last = key;
    }
    if (page.rows.length < pageRows) break;
  }
  if (window.keys.length > 0) yield window;
}

/** Splits a window in two at its middle key, for a batch DSQL refused as too large. */
export function splitWindow(window: KeyWindow): [KeyWindow, KeyWindow] {
  const mid = Math.ceil(window.keys.length / 2);
  const middle = window.keys[mid - 1] as Key;
  return [
    {
      range: { after: window.range.after, through: middle },
      keys: window.keys.slice(0, mid),
      bytes: window.bytes.slice(0, mid),
    },
    {
      range: { after: middle, through: window.range.through },
      keys: window.keys.slice(mid),
      bytes: window.bytes.slice(mid),
    },
  ];
}
