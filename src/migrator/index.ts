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
  MigrationStatementError,
} from "./errors.js";
export { MigrationJobError } from "./jobs.js";
export { MigrationLockLostError, MigrationLockTimeoutError } from "./lock.js";
export { type MigrateResult, type MigrationConfig, migrate } from "./migrate.js";
export type { MigrationProgress } from "./progress.js";
export type { MigratableDatabase } from "./runner.js";
export {
  type MigrationStatus,
  type MigrationStatusEntry,
  migrationStatus,
} from "./status.js";
