import {
  describeCause,
  MigrationAbortedError,
  MigrationChangedError,
  MigrationError,
  MigrationFileError,
  MigrationLockReleaseError,
  MigrationRenamedError,
  MigrationStatementError,
} from "../errors.js";
import { lintSql } from "../lint/lint.js";
import { loadParser } from "../sql/parser.js";
import { type ApplyOutcome, applyStatement } from "./apply.js";
import { bookkeeping } from "./bookkeeping.js";
import { removedWarning } from "./journal-drift.js";
import { checkAborted, type InFlight, MigrationLock } from "./lock.js";
import type { MigrationProgress } from "./progress.js";
import { type Reconciliation, reconcile } from "./reconcile.js";
import { type MigratableDatabase, type Runner, runnerFor } from "./runner.js";
import { type Migration, type MigrationStatement, readMigrations } from "./statements.js";
import {
  appliedStatements,
  ensureTracking,
  type TrackingTables,
  trackingTables,
} from "./tracking.js";

/** Options of {@link migrate} and {@link migrationStatus}. */
export interface MigrationConfig {
  /** drizzle-kit's `out` folder: `meta/_journal.json` and `<tag>.sql` files. */
  migrationsFolder: string;
  /** Tracking table; default `__drizzle_dsql_migrations` (the lock table adds `_lock`). */
  migrationsTable?: string;
  /** Schema of the tracking tables; default `drizzle`. */
  migrationsSchema?: string;
  /** Called as the run progresses (statements, backfill batches, lock waits). */
  onProgress?: (event: MigrationProgress) => void;
  /** Rows per backfill transaction (at most 3,000, DSQL's limit); default 1,000. */
  batchSize?: number;
  /** How long to wait for another run's lock; default 10 minutes. */
  lockTimeoutMs?: number;
  /** The lock's lease, renewed while the run is alive; default 60 s. */
  lockLeaseMs?: number;
  /**
   * Take over the lock when its holder stopped renewing it (a run killed
   * with `kill -9`), without waiting for the lease to end. Refuses with
   * `MigrationLockHeldError` when the holder renewed recently (it is alive).
   * Default false: wait, reporting the holder (`waiting-for-lock`).
   */
  breakStaleLock?: boolean;
  /**
   * Stops the run (between statements, or without waiting for the one in
   * flight) and releases the lock: `MigrationAbortedError`. The CLI aborts on
   * SIGINT / SIGTERM. The next run resumes where this one stopped.
   */
  signal?: AbortSignal;
  /** How long to wait for an index build a previous run started; default 30 minutes. */
  jobTimeoutMs?: number;
  /**
   * Fault-injection hooks for tests: throwing from one stops the run at that
   * point, as a crash would.
   */
  hooks?: {
    /** After a statement ran (committed), before it is recorded. */
    afterExecute?: (stmt: {
      migration: string;
      statement: number;
      sql: string;
    }) => void | Promise<void>;
    /** After a statement was recorded. */
    afterRecord?: (stmt: {
      migration: string;
      statement: number;
      sql: string;
    }) => void | Promise<void>;
  };
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Statements run by this call. */
  applied: number;
  /** Statements found already in effect (an interrupted run) and recorded without running. */
  alreadyApplied: number;
  /** Tags of migrations this call touched. */
  migrations: string[];
  /** What the run noticed but did not refuse (a migration removed from the journal after it was applied). */
  warnings: string[];
}

/** The statements left to apply; refuses when an applied one no longer matches its file. */
function pendingOf({ pending, changed }: Reconciliation): MigrationStatement[] {
  if (changed.length > 0) throw new MigrationChangedError(changed);
  return pending;
}

/** Carries an error thrown by a test hook through unchanged. */
class HookError extends Error {
  constructor(cause: unknown) {
    super("hook", { cause });
  }
}

function preflight(pending: MigrationStatement[]): void {
  const problems: string[] = [];
  for (const stmt of pending) {
    for (const d of lintSql(stmt.sql).filter((x) => x.severity === "error")) {
      problems.push(
        `  migration ${stmt.migration}, statement ${stmt.index + 1}: ${d.message} [${d.rule}]`,
      );
    }
  }
  if (problems.length > 0) {
    throw new MigrationFileError(
      `pending statements DSQL would refuse (nothing was applied; run them through \`drizzle-dsql generate\` / transformSql):\n${problems.join("\n")}`,
    );
  }
}

/**
 * Applies pending drizzle migrations the DSQL way: one statement per
 * transaction (DDL alone), ASYNC jobs awaited, backfills batched within
 * DSQL's row limit, OCC conflicts retried, one tracking row per statement,
 * and a lock row (no advisory locks on DSQL) so concurrent runs never apply
 * a statement twice. A run that stops anywhere resumes cleanly; an applied
 * statement whose text changed is reported, never skipped.
 *
 * @example
 * ```ts
 * import { drizzle } from "drizzle-dsql";
 * import { migrate } from "drizzle-dsql/migrator";
 * const db = drizzle({ connection: process.env.DATABASE_URL! });
 * await migrate(db, { migrationsFolder: "./drizzle" });
 * ```
 */
export async function migrate(
  db: MigratableDatabase,
  config: MigrationConfig,
): Promise<MigrateResult> {
  const started = Date.now();
  await loadParser();
  const migrations = readMigrations(config.migrationsFolder);
  const runner = runnerFor(db);
  const tables = trackingTables(config.migrationsSchema, config.migrationsTable);
  const records = `${tables.schema}.${tables.table}`;
  const applied = await bookkeeping(`read the migration records (${records})`, async () => {
    await ensureTracking(runner, tables);
    return appliedStatements(runner, tables);
  });
  const state = reconcile(migrations, applied);
  if (state.drift.renamed.length > 0) throw new MigrationRenamedError(state.drift.renamed);
  const warnings = state.drift.removed.map(removedWarning);
  for (const message of warnings) config.onProgress?.({ type: "warning", message });
  const before = pendingOf(state);
  const result: MigrateResult = { applied: 0, alreadyApplied: 0, migrations: [], warnings };
  if (before.length === 0) return result;
  preflight(before);
  const leaseMs = config.lockLeaseMs ?? 60_000;
  const lock = new MigrationLock(runner, tables, leaseMs);
  const inFlight = await bookkeeping("take the migration lock", () =>
    lock.acquire({
      timeoutMs: config.lockTimeoutMs ?? 600_000,
      breakStale: config.breakStaleLock,
      signal: config.signal,
      onWait: (state) =>
        config.onProgress?.({
          type: "waiting-for-lock",
          owner: state.holder.id,
          holder: state.holder,
          expiresInMs: state.expiresInMs,
          renewedMsAgo: state.renewedMsAgo,
        }),
      onBroken: (state) => config.onProgress?.({ type: "lock-broken", holder: state.holder }),
    }),
  );
  let failure: { error: unknown } | undefined;
  try {
    await applyPending(runner, tables, lock, migrations, inFlight, config, result);
  } catch (error) {
    failure = { error };
  }
  const releaseError = await lock.releaseOrError();
  if (releaseError !== undefined) {
    config.onProgress?.({
      type: "warning",
      message: `the migration lock could not be released: ${describeCause(releaseError)}`,
    });
  }
  if (failure) throw failure.error;
  if (releaseError !== undefined)
    throw new MigrationLockReleaseError(result.applied, leaseMs, releaseError);
  config.onProgress?.({ type: "done", applied: result.applied, ms: Date.now() - started });
  return result;
}

/** Races `work` with `signal`: an abort stops waiting for it (it is left to fail or finish on its own). */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  work.catch(() => {});
  return new Promise<T>((done, fail) => {
    const onAbort = () => fail(new MigrationAbortedError(signal.reason));
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(done, fail).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Applies the pending statements under the lock, one at a time, counting into `result`. */
async function applyPending(
  runner: Runner,
  tables: TrackingTables,
  lock: MigrationLock,
  migrations: Migration[],
  inFlight: InFlight | undefined,
  config: MigrationConfig,
  result: MigrateResult,
): Promise<void> {
  const batchSize = Math.min(3000, Math.max(1, config.batchSize ?? 1000));
  // Another run may have applied some while we waited.
  const pending = pendingOf(reconcile(migrations, await appliedStatements(runner, tables)));
  config.onProgress?.({ type: "start", migrations: migrations.length, pending: pending.length });
  let done = 0;
  for (const stmt of pending) {
    checkAborted(config.signal);
    const info = { migration: stmt.migration, statement: stmt.index, sql: stmt.sql };
    const of = migrations.find((m) => m.entry.tag === stmt.migration)?.statements.length ?? 0;
    config.onProgress?.({ type: "statement-start", ...info, of, done, pending: pending.length });
    const t0 = Date.now();
    let rows = 0;
    let outcome: ApplyOutcome;
    await lock.begin(stmt);
    try {
      const applying = applyStatement(runner, stmt, {
        inFlight:
          inFlight?.migration === stmt.migration &&
          inFlight.statement === stmt.index &&
          inFlight.hash === stmt.hash,
        batchSize,
        recordIn: (run) => lock.recordIn(run, stmt),
        jobTimeoutMs: config.jobTimeoutMs ?? 1_800_000,
        onBatch: (n) => {
          rows += n;
          config.onProgress?.({
            type: "batch",
            migration: stmt.migration,
            statement: stmt.index,
            rows: n,
            totalRows: rows,
          });
        },
        afterExecute: async () => {
          try {
            await config.hooks?.afterExecute?.(info);
          } catch (error) {
            throw new HookError(error);
          }
        },
      });
      outcome = await unlessAborted(applying, config.signal);
    } catch (error) {
      if (error instanceof HookError) throw error.cause;
      if (error instanceof MigrationError) throw error;
      throw new MigrationStatementError(stmt.migration, stmt.index, stmt.sql, error);
    }
    await lock.record(stmt);
    await config.hooks?.afterRecord?.(info);
    if (outcome === "applied") result.applied++;
    else result.alreadyApplied++;
    if (!result.migrations.includes(stmt.migration)) result.migrations.push(stmt.migration);
    done++;
    config.onProgress?.({
      type: "statement-done",
      ...info,
      outcome,
      ms: Date.now() - t0,
      done,
      pending: pending.length,
    });
  }
}
