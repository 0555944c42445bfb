import type { Node, RangeVar, ResTarget, UpdateStmt } from "@pgsql/types";
import { sql } from "drizzle-orm";
import { relationSql } from "../lint/transform/ast.js";
import { deparse } from "../sql/parser.js";
import { quoteIdent } from "../sql/sql-text.js";
import type { Runner } from "./runner.js";
import type { MigrationStatement } from "./statements.js";

/** A backfill `UPDATE t SET c = d WHERE c IS NULL`, as transformSql writes them. */
export interface Backfill {
  relation: RangeVar;
  column: string;
  /** `UPDATE t SET c = d` (no WHERE). */
  head: string;
}

/** Recognises the backfill shape; anything else is not batched. */
export function asBackfill(stmt: MigrationStatement): Backfill | undefined {
  const update = (stmt.parsed.node as { UpdateStmt?: UpdateStmt }).UpdateStmt;
  if (!update?.relation || update.relation.alias || update.fromClause?.length) return undefined;
  if (update.returningClause || update.withClause) return undefined;
  const test = (
    update.whereClause as { NullTest?: { arg?: Node; nulltesttype?: string } } | undefined
  )?.NullTest;
  const fields = (test?.arg as { ColumnRef?: { fields?: Node[] } } | undefined)?.ColumnRef?.fields;
  const column =
    fields?.length === 1 ? (fields[0] as { String?: { sval?: string } }).String?.sval : undefined;
  if (!column || test?.nulltesttype !== "IS_NULL") return undefined;
  const targets = (update.targetList ?? []).map(
    (t) => (t as { ResTarget: ResTarget }).ResTarget.name,
  );
  if (!targets.includes(column)) return undefined;
  const head = deparse({ UpdateStmt: { ...update, whereClause: undefined } } as Node);
  return { relation: update.relation, column, head };
}

async function primaryKey(runner: Runner, rel: RangeVar): Promise<string[]> {
  const schema = rel.schemaname ? sql`${rel.schemaname}` : sql`current_schema()`;
  const { rows } = await runner.run(
    sql`SELECT kcu.column_name FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.constraint_schema = tc.constraint_schema AND kcu.table_name = tc.table_name WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = ${schema} AND tc.table_name = ${rel.relname ?? ""} ORDER BY kcu.ordinal_position`,
  );
  return rows.map((r) => String(r.column_name));
}

/**
 * Runs a backfill in batches of `batchSize` rows, one transaction each (OCC
 * retried), so no transaction passes DSQL's 3,000-row limit:
 * `UPDATE t SET c = d WHERE c IS NULL AND (pk) IN (SELECT pk FROM t WHERE c IS NULL LIMIT n)`
 * until no row is left. A batch whose rows all stay NULL (a default that
 * evaluates to NULL) ends the loop, as PostgreSQL would leave them NULL.
 * Tables without a primary key run the statement once, as written.
 *
 * Returns the number of rows updated.
 */
export async function runBackfill(
  runner: Runner,
  fill: Backfill,
  sqlText: string,
  batchSize: number,
  onBatch?: (rows: number) => void,
): Promise<number> {
  const keys = await primaryKey(runner, fill.relation);
  if (keys.length === 0) {
    const { rowCount } = await runner.transaction((run) => run(sqlText));
    onBatch?.(rowCount);
    return rowCount;
  }
  const column = quoteIdent(fill.column);
  const keyList = keys.map(quoteIdent).join(", ");
  const table = relationSql(fill.relation);
  const batch = `${fill.head} WHERE ${column} IS NULL AND (${keyList}) IN (SELECT ${keyList} FROM ${table} WHERE ${column} IS NULL LIMIT ${batchSize}) RETURNING ${column} IS NULL AS still_null`;
  let total = 0;
  for (;;) {
    const { rows } = await runner.transaction((run) => run(batch));
    if (rows.length === 0) return total;
    const filled = rows.filter((r) => r.still_null !== true).length;
    total += rows.length;
    onBatch?.(rows.length);
    if (filled === 0) return total;
  }
}
