import { type Column, getTableColumns } from "drizzle-orm";
import type { PgColumn, PgInsertValue, PgTable, PgTransaction } from "drizzle-orm/pg-core";
import { DsqlError } from "../errors.js";
import type { ColumnNamer } from "./insert-statement.js";

/** `batchInsert`'s upsert option, mirroring Drizzle's `onConflictDoNothing` / `onConflictDoUpdate`. */
export type OnConflict =
  | { doNothing: true; target?: PgColumn | PgColumn[] }
  | { target: PgColumn | PgColumn[]; set: Record<string, unknown>; doNothing?: never };

/** A checked `onConflict`: the conflict columns (none: any constraint) and, for DO UPDATE, the new values. */
export interface Conflict {
  target: PgColumn[] | undefined;
  set: Record<string, unknown> | undefined;
}

const HELPER = "batchInsert: onConflict";

/** Refuses an `onConflict` that is not one of the two shapes, or names another table's columns. */
export function checkOnConflict(table: PgTable, value: unknown): Conflict | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object") {
    throw new DsqlError(`${HELPER} must be { doNothing: true } or { target, set }`);
  }
  const option = value as { doNothing?: unknown; target?: unknown; set?: unknown };
  const columns = getTableColumns(table);
  const own = new Set<unknown>(Object.values(columns));
  let target: PgColumn[] | undefined;
  if (option.target !== undefined) {
    target = (Array.isArray(option.target) ? option.target : [option.target]) as PgColumn[];
    if (target.length === 0 || !target.every((column) => own.has(column))) {
      throw new DsqlError(`${HELPER}.target must be a column (or columns) of the table`);
    }
  }
  if (option.doNothing !== undefined) {
    if (option.doNothing !== true || option.set !== undefined) {
      throw new DsqlError(`${HELPER}: doNothing must be true, without set`);
    }
    return { target, set: undefined };
  }
  if (!target) throw new DsqlError(`${HELPER}: an update needs target (the conflicting key)`);
  const set = option.set as Record<string, unknown> | undefined;
  if (set === null || typeof set !== "object" || Array.isArray(set)) {
    throw new DsqlError(`${HELPER}.set must be an object of column values`);
  }
  const keys = Object.keys(set).filter((key) => set[key] !== undefined);
  const unknown = keys.filter((key) => !(key in columns));
  if (keys.length === 0 || unknown.length > 0) {
    throw new DsqlError(
      `${HELPER}.set must name columns of the table${unknown.length ? `; unknown: ${unknown.join(", ")}` : ""}`,
    );
  }
  return { target, set };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** ` on conflict [(cols)] do nothing`, for the fast INSERT text. */
export function doNothingClause(conflict: Conflict, namer: ColumnNamer | undefined): string {
  const name = (column: Column) => quote(namer ? namer.getColumnCasing(column) : column.name);
  const target = conflict.target ? ` (${conflict.target.map(name).join(", ")})` : "";
  return ` on conflict${target} do nothing`;
}

/** Inserts `rows` with Drizzle's builder, as an upsert when `conflict` says. */
export async function upsertChunk(
  tx: PgTransaction<never, never, never>,
  table: PgTable,
  rows: Record<string, unknown>[],
  conflict: Conflict | undefined,
): Promise<unknown> {
  const insert = tx.insert(table).values(rows as PgInsertValue<PgTable>[]);
  if (!conflict) return await insert;
  if (!conflict.set) return await insert.onConflictDoNothing({ target: conflict.target });
  return await insert.onConflictDoUpdate({
    target: conflict.target as PgColumn[],
    set: conflict.set,
  });
}
