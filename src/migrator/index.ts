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
} from "./config.js";
export {
  MigrationChangedError,
  MigrationDatabaseError,
  MigrationFileError,
  MigrationLockReleaseError,
  MigrationRenamedError,
  MigrationStatementError,
} from "./errors.js";
export { MigrationJobError } from "./jobs.js";
export {
  MigrationAbortedError,
  MigrationLockHeldError,
  MigrationLockLostError,
  MigrationLockTimeoutError,
} from "./lock.js";
export type { LockHolder } from "./lock-holder.js";
export { type MigrateResult, type MigrationConfig, migrate } from "./migrate.js";
export type { MigrationProgress } from "./progress.js";
export type { MigratableDatabase } from "./runner.js";
export {
  type MigrationStatus,
  type MigrationStatusEntry,
  migrationStatus,
} from "./status.js";
