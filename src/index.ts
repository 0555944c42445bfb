/**
 * drizzle-dsql: Drizzle ORM on Amazon Aurora DSQL, with a local DSQL twin on
 * PostgreSQL or embedded PGlite.
 *
 * @packageDocumentation
 */

export {
  type BatchInsertOptions,
  type BatchInsertResult,
  type BatchProgress,
  batchInsert,
} from "./bulk/batch-insert.js";
export type {
  ChangeInBatchesOptions,
  ChangeInBatchesProgress,
  ChangeInBatchesResult,
} from "./bulk/change-in-batches.js";
export { deleteInBatches } from "./bulk/delete-in-batches.js";
export { type ProgressBar, type ProgressStream, progressBar } from "./bulk/progress-bar.js";
export { updateInBatches } from "./bulk/update-in-batches.js";
export { jsonText } from "./columns/json-text.js";
export { arrayContains, arrayOverlaps, jsonContains, jsonGet } from "./columns/query-helpers.js";
export { type TextArrayOptions, textArray } from "./columns/text-array.js";
export type {
  BackendKind,
  DsqlConnection,
  DsqlEndpoint,
  PoolConnection,
} from "./driver/backends.js";
export { DsqlDatabase } from "./driver/database.js";
export { type DsqlDrizzleConfig, drizzle, type TenantConfig } from "./driver/drizzle.js";
export { isOccConflict, type RetryOptions } from "./driver/retry.js";
export { withoutTenant, withTenant } from "./driver/scope.js";
export type { DsqlClient, DsqlTransactionConfig } from "./driver/session.js";
export type { DsqlTransaction } from "./driver/transaction.js";
export {
  type BatchResume,
  DsqlBatchError,
  DsqlCommitUnknownError,
  DsqlConflictError,
  DsqlConnectionError,
  DsqlDecodeError,
  DsqlEncodeError,
  DsqlError,
  DsqlLimitError,
  DsqlRetryExhaustedError,
  DsqlSessionStateError,
  DsqlUnsupportedError,
  type Key,
  type KeyRange,
  type RowRange,
  TenantScopeError,
} from "./errors.js";
export { dropTwinObjects } from "./twin/drop.js";
export type { TwinLimits } from "./twin/limits.js";
