import type { IndexStmt } from "@pgsql/types";
import { sqlStateOf } from "../errors.js";
import { asBackfill, runBackfill } from "./backfill.js";
import { alreadyApplied } from "./catalog.js";
import { jobIds, waitForIndex, waitForJob } from "./jobs.js";
import type { Run, Runner } from "./runner.js";
import type { MigrationStatement } from "./statements.js";

/** How a statement ended: run now, or found already in effect. */
export type ApplyOutcome = "applied" | "already-applied";

/** Options of {@link applyStatement}. */
export interface ApplyOptions {
  /** The statement may have run before (a previous run stopped while it was in flight). */
  inFlight: boolean;
  batchSize: number;
  jobTimeoutMs: number;
  onBatch?: (rows: number) => void;
  /** Records the statement inside the transaction of DML that runs it. */
  recordIn: (run: Run) => Promise<void>;
  /** Test hook: called after the statement ran, before its jobs are awaited and it is recorded. */
  afterExecute?: () => void | Promise<void>;
}

// What PostgreSQL answers when an interrupted statement's effect is already there.
const ALREADY = new Set(["42P07", "42701", "42710", "42P06", "42723", "42P16"]);
// What it answers when an interrupted DROP (or SET SCHEMA) already removed its object:
// undefined table / object / schema / function.
const GONE = new Set(["42P01", "42704", "3F000", "42883"]);
const REMOVES = new Set(["DropStmt", "AlterObjectSchemaStmt"]);

/**
 * Applies one statement the DSQL way: DDL alone in its own implicit
 * transaction, ASYNC jobs awaited with `CALL sys.wait_for_job`, backfills in
 * batched transactions, other DML in one transaction. Statements that the
 * catalog shows already in effect are not run again.
 */
export async function applyStatement(
  runner: Runner,
  stmt: MigrationStatement,
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  if (await alreadyApplied(runner.run, stmt)) return "already-applied";
  if (stmt.kind === "dml") {
    const fill = asBackfill(stmt);
    if (fill) await runBackfill(runner, fill, stmt.sql, options.batchSize, options.onBatch);
    else {
      // The tracking row commits with the DML: a crash can never leave it applied but unrecorded.
      await runner.transaction(async (run) => {
        await run(stmt.sql);
        await options.recordIn(run);
      });
    }
    await options.afterExecute?.();
    return "applied";
  }
  let rows: Record<string, unknown>[];
  try {
    rows = (await runner.run(stmt.sql)).rows;
  } catch (error) {
    const code = sqlStateOf(error) ?? "";
    if (options.inFlight && ALREADY.has(code)) return "already-applied";
    if (options.inFlight && REMOVES.has(stmt.parsed.type) && GONE.has(code))
      return "already-applied";
    throw error;
  }
  await options.afterExecute?.();
  const ids = jobIds(rows);
  for (const id of ids) await waitForJob(runner, id, stmt);
  const index = (stmt.parsed.node as { IndexStmt?: IndexStmt }).IndexStmt;
  if (ids.length === 0 && index && stmt.parsed.async) {
    await waitForIndex(runner, stmt, options.jobTimeoutMs);
  }
  return "applied";
}
