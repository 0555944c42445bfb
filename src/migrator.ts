/**
 * drizzle-dsql/migrator: apply drizzle-kit migrations on Aurora DSQL (and its
 * local twins) one statement at a time, crash-safe and concurrency-safe.
 *
 * @packageDocumentation
 */

export {
  DrizzleConfigError,
  type DrizzleCredentials,
  type DrizzleProjectConfig,
  loadDrizzleConfig,
} from "./migrator/config.js";
export {
  MigrationChangedError,
  MigrationDatabaseError,
  MigrationFileError,
  MigrationLockReleaseError,
  MigrationRenamedError,
  MigrationStatementError,
} from "./migrator/errors.js";
export { MigrationJobError } from "./migrator/jobs.js";
export {
  MigrationAbortedError,
  MigrationLockHeldError,
  MigrationLockLostError,
  MigrationLockTimeoutError,
} from "./migrator/lock.js";
export type { LockHolder } from "./migrator/lock-holder.js";
export { type MigrateResult, type MigrationConfig, migrate } from "./migrator/migrate.js";
export type { MigrationProgress } from "./migrator/progress.js";
export type { MigratableDatabase } from "./migrator/runner.js";
export {
  type MigrationStatus,
  type MigrationStatusEntry,
  migrationStatus,
} from "./migrator/status.js";
