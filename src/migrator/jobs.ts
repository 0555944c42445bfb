import type { IndexStmt } from "@pgsql/types";
import { sql } from "drizzle-orm";
import { MigrationJobError } from "../errors.js";
import { qualified, quoteIdent } from "../sql/sql-text.js";
import type { Row, Runner } from "./runner.js";
import type { MigrationStatement } from "./statements.js";

/** The job ids an ASYNC statement returned. */
export function jobIds(rows: Row[]): string[] {
  return rows
    .map((r) => r.job_id)
    .filter((id): id is string => typeof id === "string" && id !== "");
}

/**
 * `CALL sys.wait_for_job('<id>')`: blocks until the job ends; a failed job
 * (an error, or a `false` / `failed` answer) fails the run naming `stmt`.
 */
export async function waitForJob(
  runner: Runner,
  jobId: string,
  stmt: MigrationStatement,
): Promise<void> {
  if (!/^[A-Za-z0-9_-]+$/.test(jobId))
    throw new MigrationJobError(stmt, jobId, "unexpected job id");
  let rows: Row[];
  try {
    rows = (await runner.run(sql`CALL sys.wait_for_job(${jobId})`)).rows;
  } catch (error) {
    throw new MigrationJobError(stmt, jobId, error);
  }
  const answer = rows[0] ? Object.values(rows[0])[0] : undefined;
  if (answer === false || (typeof answer === "string" && /fail|cancel/i.test(answer))) {
    throw new MigrationJobError(stmt, jobId, `job ended as ${String(answer)}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * After `CREATE INDEX ASYNC IF NOT EXISTS` returned no job (the index was
 * already there, e.g. a resumed run), waits until the index is valid, so a
 * build started by an interrupted run is finished before moving on.
 */
export async function waitForIndex(
  runner: Runner,
  stmt: MigrationStatement,
  timeoutMs: number,
): Promise<void> {
  const index = (stmt.parsed.node as { IndexStmt?: IndexStmt }).IndexStmt;
  if (!index?.idxname) return;
  const name = qualified(index.relation?.schemaname ?? "", index.idxname);
  const regclass = index.relation?.schemaname ? name : quoteIdent(index.idxname);
  const started = Date.now();
  for (;;) {
    const { rows } = await runner.run(
      sql`SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass(${regclass})`,
    );
    if (rows.length === 0 || rows[0]?.valid === true) return;
    if (Date.now() - started > timeoutMs) {
      throw new MigrationJobError(stmt, "(index build)", "the index did not become valid in time");
    }
    await sleep(1000);
  }
}
