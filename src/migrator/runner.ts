import { type SQL, sql } from "drizzle-orm";
import { withoutTenant } from "../driver/scope.js";

/** Rows of a statement's result. */
export type Row = Record<string, unknown>;

/** What a statement returned. */
export interface RunResult {
  rows: Row[];
  rowCount: number;
}

/**
 * A function running one statement (inside a transaction when given one): a
 * migration's own text as written, or the migrator's bookkeeping as a drizzle
 * `sql` query (identifiers quoted, values bound as `$n` parameters).
 */
export type Run = (query: string | SQL) => Promise<RunResult>;

/** How the migrator talks to the database: single statements, and transactions of DML. */
export interface Runner {
  /** One statement in its own implicit transaction (the driver retries OCC conflicts). */
  run: Run;
  /** `fn` in one transaction, retried as a whole on OCC conflicts. */
  transaction<T>(fn: (run: Run) => Promise<T>): Promise<T>;
}

/** What the migrator needs of a transaction: `execute`. */
export interface MigratableTransaction {
  execute(query: SQL): PromiseLike<unknown>;
}

/**
 * A drizzle-dsql database (DSQL or a local twin), or any Drizzle PostgreSQL
 * database connected to Aurora DSQL itself (plain PostgreSQL does not know
 * `CREATE INDEX ASYNC` or `sys.wait_for_job`: use drizzle-dsql's twin there).
 */
export interface MigratableDatabase {
  execute(query: SQL): PromiseLike<unknown>;
  transaction<T>(fn: (tx: MigratableTransaction) => Promise<T>): Promise<T>;
}

function normalise(result: unknown): RunResult {
  const r = result as { rows?: Row[]; rowCount?: number | null } | Row[];
  if (Array.isArray(r)) return { rows: r, rowCount: r.length };
  return { rows: r.rows ?? [], rowCount: r.rowCount ?? r.rows?.length ?? 0 };
}

/**
 * Wraps a db for the migrator. drizzle-dsql databases are used unscoped
 * (`withoutTenant`), so a tenant-scoped handle still migrates every table.
 */
export function runnerFor(db: MigratableDatabase): Runner {
  let handle = db;
  try {
    handle = withoutTenant(db);
  } catch {
    // Not a drizzle-dsql database: use it as it is.
  }
  const execute = (target: MigratableTransaction): Run => {
    return async (query) =>
      normalise(await target.execute(typeof query === "string" ? sql.raw(query) : query));
  };
  return {
    run: execute(handle),
    transaction: (fn) => handle.transaction(async (tx) => fn(execute(tx))),
  };
}
