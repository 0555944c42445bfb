import { lintSql } from "../kit/lint.js";
import { loadParser } from "../sql/parser.js";
import { type ApplyOutcome, applyStatement } from "./apply.js";
import {
  bookkeeping,
  findChanged,
  MigrationChangedError,
  MigrationFileError,
  MigrationStatementError,
} from "./errors.js";
import { MigrationLock } from "./lock.js";
import type { MigrationProgress } from "./progress.js";
import { type MigratableDatabase, type Runner, runnerFor } from "./runner.js";
import { type Migration, type MigrationStatement, readMigrations } from "./statements.js";
import {
  type AppliedStatement,
  appliedStatements,
  ensureTracking,
  statementKey,
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
}

/** @internal Everything a run and a status read share. */
export interface MigrationState {
  runner: Runner;
  tables: TrackingTables;
  migrations: Migration[];
  applied: AppliedStatement[];
  pending: MigrationStatement[];
}

/** @internal Reads the files and the records and checks they agree. */
export function planFrom(
  migrations: Migration[],
  applied: AppliedStatement[],
): MigrationStatement[] {
  const files = new Map<string, MigrationStatement>();
  for (const m of migrations)
    for (const s of m.statements) files.set(statementKey(s.migration, s.index), s);
  const changed = findChanged(applied, files, new Set(migrations.map((m) => m.entry.tag)));
  if (changed.length > 0) throw new MigrationChangedError(changed);
  const done = new Set(applied.map((a) => statementKey(a.migration, a.statement)));
  return migrations.flatMap((m) =>
    m.statements.filter((s) => !done.has(statementKey(s.migration, s.index))),
  );
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
  const batchSize = Math.min(3000, Math.max(1, config.batchSize ?? 1000));
  await loadParser();
  const migrations = readMigrations(config.migrationsFolder);
  const runner = runnerFor(db);
  const tables = trackingTables(config.migrationsSchema, config.migrationsTable);
  const records = `${tables.schema}.${tables.table}`;
  const before = planFrom(
    migrations,
    await bookkeeping(`read the migration records (${records})`, async () => {
      await ensureTracking(runner, tables);
      return appliedStatements(runner, tables);
    }),
  );
  const result: MigrateResult = { applied: 0, alreadyApplied: 0, migrations: [] };
  if (before.length === 0) return result;
  preflight(before);
  const lock = new MigrationLock(runner, tables, config.lockLeaseMs ?? 60_000);
  const inFlight = await lock.acquire(config.lockTimeoutMs ?? 600_000, (owner) =>
    config.onProgress?.({ type: "waiting-for-lock", owner }),
  );
  try {
    // Another run may have applied some while we waited.
    const pending = planFrom(migrations, await appliedStatements(runner, tables));
    config.onProgress?.({ type: "start", migrations: migrations.length, pending: pending.length });
    let done = 0;
    for (const stmt of pending) {
      const info = { migration: stmt.migration, statement: stmt.index, sql: stmt.sql };
      const of = migrations.find((m) => m.entry.tag === stmt.migration)?.statements.length ?? 0;
      config.onProgress?.({ type: "statement-start", ...info, of, done, pending: pending.length });
      const t0 = Date.now();
      let rows = 0;
      let outcome: ApplyOutcome;
      await lock.begin(stmt);
      try {
        outcome = await applyStatement(runner, stmt, {
          inFlight:
            inFlight?.migration === stmt.migration &&
            inFlight.statement === stmt.index &&
            inFlight.hash === stmt.hash,
          batchSize,
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
      } catch (error) {
        if (error instanceof HookError) throw error.cause;
        if (error instanceof Error && error.name.startsWith("Migration")) throw error;
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
    config.onProgress?.({ type: "done", applied: result.applied, ms: Date.now() - started });
    return result;
  } finally {
    await lock.release().catch(() => {});
  }
}
