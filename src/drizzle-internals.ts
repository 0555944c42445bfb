/**
 * Every place drizzle-dsql reaches into drizzle-orm past its typed, public
 * surface. Pinned to the drizzle-orm 0.45.x peer range (package.json): when
 * that range moves, this file is the one to check against the new drizzle-orm
 * (its node-postgres driver uses the same internals). A leaf: it imports only
 * drizzle-orm.
 */
import type { Column } from "drizzle-orm";
import type { PgDialect, SelectedFieldsOrdered } from "drizzle-orm/pg-core";
import * as drizzleUtils from "drizzle-orm/utils";

/**
 * Drizzle's row mapper (`drizzle-orm/utils`, exported at run time but left out
 * of its `.d.ts`): turns one array-mode row into the selected object shape,
 * as drizzle's own node-postgres prepared query does.
 */
export const mapResultRow = (
  drizzleUtils as unknown as {
    mapResultRow: (fields: SelectedFieldsOrdered, row: unknown[], joins: unknown) => unknown;
  }
).mapResultRow;

/** The `config` a `customType` column was declared with (`column.config.fieldConfig`), when it has one. */
export function customTypeConfig(column: Column): Record<string, unknown> | undefined {
  return (column as unknown as { config?: { fieldConfig?: Record<string, unknown> } }).config
    ?.fieldConfig;
}

/** Whether drizzle leaves the column out of an INSERT (generated and identity-always columns). */
export function insertDisabled(column: Column): boolean {
  return (column as unknown as { shouldDisableInsert(): boolean }).shouldDisableInsert();
}

/** How a db's dialect names a column in SQL (drizzle's `casing` option). */
export interface DialectCasing {
  getColumnCasing(column: Column): string;
}

/** The SQL dialect of a drizzle db or transaction (a field drizzle keeps out of its types), for its column casing. */
export function dialectOf(db: object): { casing: DialectCasing } | undefined {
  return (db as { dialect?: { casing: DialectCasing } }).dialect;
}

/** A drizzle database or transaction's dialect (`@internal` in drizzle-orm, so not on its `.d.ts`). */
export function pgDialectOf(db: object): PgDialect {
  return (db as { dialect: PgDialect }).dialect;
}
