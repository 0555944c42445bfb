import { sql } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import type { DsqlDatabase } from "../driver/database.js";
import { withoutTenant } from "../driver/scope.js";

/** What one changed row costs a DSQL transaction beyond the row itself, read from the catalog. */
export interface TableCosts {
  /** Indexes on the table (primary key and unique ones included): each changed row writes an entry in each. */
  indexes: number;
  /**
   * Foreign keys of other tables that reference this one with ON DELETE
   * CASCADE / SET NULL / SET DEFAULT: deleting a row modifies rows there too.
   */
  cascades: number;
}

/** Bytes assumed per index entry a changed row writes. */
export const INDEX_ENTRY_BYTES = 64;

/** Reads the table's index and cascading foreign-key counts (unscoped: the catalog has no tenants). */
export async function tableCosts(
  db: DsqlDatabase<Record<string, unknown>>,
  table: PgTable,
): Promise<TableCosts> {
  const config = getTableConfig(table);
  const result = await withoutTenant(db).execute<{ indexes: number; cascades: number }>(sql`
    select
      (select count(*)::int from pg_index i where i.indrelid = c.oid) as indexes,
      (select count(*)::int from pg_constraint f
        where f.confrelid = c.oid and f.contype = 'f' and f.confdeltype in ('c', 'n', 'd')) as cascades
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relname = ${config.name} and n.nspname = coalesce(${config.schema ?? null}::text, current_schema())`);
  const row = result.rows[0];
  return { indexes: row?.indexes ?? 1, cascades: row?.cascades ?? 0 };
}

/**
 * Rows per transaction: DSQL counts the rows a cascade modifies too, so the
 * budget is shared with one child row per cascading foreign key (more
 * children than that are caught by the 54000 refusal, and the batch is
 * split and run again).
 */
export function rowsPerBatch(maxRows: number, costs: TableCosts, deleting: boolean): number {
  return Math.max(1, Math.floor(maxRows / (1 + (deleting ? costs.cascades : 0))));
}
