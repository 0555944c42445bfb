import { type Column, getTableColumns, type SQL, sql } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import { type BatchResume, DsqlError, type Key, type KeyRange } from "../errors.js";

/** The table's primary-key columns, in key order; a table without one is refused. */
export function primaryKeyColumns(table: PgTable, helper: string): Column[] {
  const config = getTableConfig(table);
  const single = config.columns.filter((column) => column.primary);
  const composite = config.primaryKeys[0]?.columns ?? [];
  const columns = single.length > 0 ? single : composite;
  if (columns.length === 0) {
    throw new DsqlError(
      `${helper}: table "${config.name}" has no primary key in its Drizzle definition; batches page by primary key`,
    );
  }
  return columns;
}

/** Every column of the table, for measuring rows. */
export function allColumns(table: PgTable): Column[] {
  return Object.values(getTableColumns(table));
}

const tuple = (columns: readonly Column[]): SQL =>
  columns.length === 1
    ? sql`${columns[0]}`
    : sql`(${sql.join(
        columns.map((c) => sql`${c}`),
        sql`, `,
      )})`;

const values = (key: Key): SQL =>
  key.length === 1
    ? sql`${key[0]}`
    : sql`(${sql.join(
        key.map((v) => sql`${v}`),
        sql`, `,
      )})`;

/** `key > after`, or nothing for the start. */
export function afterKey(columns: readonly Column[], after: Key | null): SQL | undefined {
  return after === null ? undefined : sql`${tuple(columns)} > ${values(after)}`;
}

/** `after < key <= through`. */
export function inRange(columns: readonly Column[], range: KeyRange): SQL {
  const upper = sql`${tuple(columns)} <= ${values(range.through)}`;
  const lower = afterKey(columns, range.after);
  return lower ? sql`(${lower} and ${upper})` : upper;
}

/** `not (key in range)`, for each range already done. */
export function outsideRanges(columns: readonly Column[], ranges: readonly KeyRange[]): SQL[] {
  return ranges.map((range) => sql`not ${inRange(columns, range)}`);
}

/** Checks a `resume` option's shape (it usually comes from a saved `DsqlBatchError.resume`). */
export function checkResume(resume: unknown, width: number, helper: string): BatchResume {
  const isKey = (key: unknown) => Array.isArray(key) && key.length === width;
  const state = resume as BatchResume | null;
  const ok =
    typeof state === "object" &&
    state !== null &&
    (state.after === null || isKey(state.after)) &&
    Array.isArray(state.done) &&
    state.done.every(
      (r) =>
        typeof r === "object" &&
        r !== null &&
        (r.after === null || isKey(r.after)) &&
        isKey(r.through),
    );
  if (!ok) {
    throw new DsqlError(
      `${helper}: resume must be a DsqlBatchError's .resume ({ after, done }) for a ${width}-column primary key`,
    );
  }
  return state as BatchResume;
}

/**
 * Joins finished ranges that touch (one's `through` is the very key object
 * another starts `after`) into as few ranges as possible.
 */
export function joinRanges(ranges: readonly KeyRange[]): KeyRange[] {
  const byAfter = new Map<Key | null, KeyRange>();
  const throughs = new Set<Key>();
  for (const range of ranges) {
    byAfter.set(range.after, range);
    throughs.add(range.through);
  }
  const out: KeyRange[] = [];
  for (const range of ranges) {
    if (range.after !== null && throughs.has(range.after)) continue;
    let through = range.through;
    for (let next = byAfter.get(through); next; next = byAfter.get(through)) through = next.through;
    out.push({ after: range.after, through });
  }
  return out;
}

/** `(after, through]` for messages, keys as JSON. */
export function describeRange(range: KeyRange): string {
  const show = (key: Key) => (key.length === 1 ? JSON.stringify(key[0]) : JSON.stringify(key));
  return range.after === null
    ? `keys <= ${show(range.through)}`
    : `keys in (${show(range.after)}, ${show(range.through)}]`;
}

/** Key ranges in a message: the first few, then how many more. */
export function describeRanges(ranges: readonly KeyRange[]): string {
  if (ranges.length === 0) return "none";
  const shown = ranges.slice(0, 3).map(describeRange).join(", ");
  return ranges.length > 3 ? `${shown} and ${ranges.length - 3} more` : shown;
}
