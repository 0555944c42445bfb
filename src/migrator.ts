/**
 * drizzle-dsql/migrator: apply drizzle-kit migrations on Aurora DSQL (and its
 * local twins) one statement at a time, crash-safe and concurrency-safe.
 *
 * @packageDocumentation
 */

export {
  DrizzleConfigError,
  type LockHolder,
  MigrationAbortedError,
  MigrationChangedError,
  MigrationDatabaseError,
  MigrationError,
  MigrationFileError,
  MigrationJobError,
  MigrationLockHeldError,
  MigrationLockLostError,
  MigrationLockReleaseError,
  MigrationLockTimeoutError,
  MigrationRenamedError,
  MigrationStatementError,
} from "./errors.js";
export {
  type DrizzleCredentials,
  type DrizzleProjectConfig,
  loadDrizzleConfig,
} from "./migrator/config.js";
export { type MigrateResult, type MigrationConfig, migrate } from "./migrator/migrate.js";
export type { MigrationProgress } from "./migrator/progress.js";
export type { MigratableDatabase } from "./migrator/runner.js";
export {
  type MigrationStatus,
  type MigrationStatusEntry,
  migrationStatus,
} from "./migrator/status.js";
