import { sqlStateOf } from "../driver/retry.js";
import { DsqlError } from "../errors.js";
import { describeCause, messageWithCause } from "./cause.js";
import type { RenamedMigration } from "./journal-drift.js";
import type { AppliedStatement } from "./tracking.js";

/** An applied statement's text differs from the migration file's (or it is gone from the file). */
export class MigrationChangedError extends DsqlError {
  /** The statements whose recorded hash differs from the file. */
  readonly changed: { migration: string; statement: number }[];

  constructor(changed: { migration: string; statement: number; reason: string }[]) {
    const lines = changed.map(
      (c) => `  migration ${c.migration}, statement ${c.statement + 1}: ${c.reason}`,
    );
    super(
      `applied migration statements no longer match their files; write a new migration instead of editing an applied one:\n${lines.join("\n")}`,
    );
    this.name = "MigrationChangedError";
    this.changed = changed.map(({ migration, statement }) => ({ migration, statement }));
  }
}

/**
 * Applied migrations appear under new tags in the journal: applying them
 * again under the new tag would run their statements twice. Nothing was applied.
 */
export class MigrationRenamedError extends DsqlError {
  /** Each renamed migration: the tag it was applied as, its tag now, its first statement's hash. */
  readonly renamed: RenamedMigration[];

  constructor(renamed: RenamedMigration[]) {
    const lines = renamed.map(
      (r) =>
        `  ${r.to} was applied as ${r.from} (same statements, first sha256 ${r.hash.slice(0, 12)})`,
    );
    super(
      `applied migrations were renamed in the journal; nothing was applied (rename them back, or give a migration meant to run again new statements):\n${lines.join("\n")}`,
    );
    this.name = "MigrationRenamedError";
    this.renamed = renamed;
  }
}

/**
 * Every statement was applied but the lock could not be released: the next
 * run would wait for the lease to end. `.applied` is the statements this run
 * applied; the release failure is on `.cause`.
 */
export class MigrationLockReleaseError extends DsqlError {
  readonly applied: number;

  constructor(applied: number, leaseMs: number, cause: unknown) {
    super(
      `applied ${applied} statement(s), but the migration lock could not be released: ${describeCause(cause)}. The next run waits up to ${Math.round(leaseMs / 1000)}s for the lease to end, or takes it over with breakStaleLock / \`drizzle-dsql migrate --break-stale-lock\``,
      { cause, code: sqlStateOf(cause) },
    );
    this.name = "MigrationLockReleaseError";
    this.applied = applied;
  }
}

/** Thrown when a migration file or the journal cannot be applied as written. */
export class MigrationFileError extends DsqlError {
  constructor(message: string) {
    super(message);
    this.name = "MigrationFileError";
  }
}

/**
 * The migrator's own queries (tracking table, lock) failed: the database is
 * unreachable, refused the login, or refused the bookkeeping. The message
 * names the root cause from the `.cause` chain (`ECONNREFUSED`, `ENOTFOUND`,
 * a TLS or IAM failure, SQLSTATE `28P01`, ...), not only the query.
 */
export class MigrationDatabaseError extends DsqlError {
  constructor(doing: string, cause: unknown) {
    super(`cannot ${doing}: ${describeCause(cause)}`, { cause, code: sqlStateOf(cause) });
    this.name = "MigrationDatabaseError";
  }
}

/** Runs the migrator's own bookkeeping `work`, turning a database failure into a {@link MigrationDatabaseError}. */
export async function bookkeeping<T>(doing: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DsqlError && error.name.startsWith("Migration")) throw error;
    throw new MigrationDatabaseError(doing, error);
  }
}

/** A statement failed while being applied; names the migration and statement. */
export class MigrationStatementError extends DsqlError {
  readonly migration: string;
  readonly statement: number;

  constructor(migration: string, statement: number, sql: string, cause: unknown) {
    super(
      `migration ${migration}, statement ${statement + 1} failed: ${messageWithCause(cause)}\n  ${sql}`,
      { cause, code: sqlStateOf(cause) },
    );
    this.name = "MigrationStatementError";
    this.migration = migration;
    this.statement = statement;
  }
}

/** Lists what no longer matches: recorded hashes against the files' statements. */
export function findChanged(
  applied: AppliedStatement[],
  files: Map<string, { hash: string } | undefined>,
  knownMigrations: Set<string>,
): { migration: string; statement: number; reason: string }[] {
  const out: { migration: string; statement: number; reason: string }[] = [];
  for (const row of applied) {
    if (!knownMigrations.has(row.migration)) continue;
    const file = files.get(`${row.migration}#${row.statement}`);
    if (!file)
      out.push({
        migration: row.migration,
        statement: row.statement,
        reason: "no longer in the file",
      });
    else if (file.hash !== row.hash) {
      out.push({
        migration: row.migration,
        statement: row.statement,
        reason: "text changed after it was applied",
      });
    }
  }
  return out;
}
