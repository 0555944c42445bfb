import type { ParsedStatement } from "../sql/parser.js";
import { type Queryable, recordJob } from "./jobs.js";

/** A text naming DSQL's `sys.jobs` or `sys.wait_for_job`. */
export const SYS_REFERENCE = /\bsys\s*\.\s*(jobs|wait_for_job)\b/i;

/** Constraint violations a DSQL index build reports as a failed job. */
const DATA_ERRORS = new Set(["23505", "23514", "23502", "23503"]);

/** The object an ASYNC statement builds (the index, else its table), or undefined for a statement without ASYNC. */
export function asyncObjectName(stmt: ParsedStatement): string | undefined {
  if (!stmt.async) return undefined;
  if (stmt.type === "IndexStmt") {
    const index = (
      stmt.node as { IndexStmt: { idxname?: string; relation?: { relname?: string } } }
    ).IndexStmt;
    return index.idxname ?? index.relation?.relname ?? "index";
  }
  const alter = (stmt.node as { AlterTableStmt?: { relation?: { relname?: string } } })
    .AlterTableStmt;
  return alter?.relation?.relname ?? "table";
}

/**
 * Twin: DSQL's ASYNC DDL runs synchronously here (`send`) and answers with a
 * job id. Outside a transaction, a build that meets bad data fails as a job,
 * as on DSQL, not as the statement.
 */
export async function runAsyncDdl<R>(
  client: Queryable,
  objectName: string,
  send: () => Promise<unknown>,
  inTransaction: boolean,
): Promise<R> {
  try {
    await send();
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (inTransaction || !code || !DATA_ERRORS.has(code)) throw error;
    const cause = (error as { cause?: Error }).cause;
    return (await recordJob(client, "failed", objectName, cause?.message ?? String(error))) as R;
  }
  return (await recordJob(client, "completed", objectName, null)) as R;
}
