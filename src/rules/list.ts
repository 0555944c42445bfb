import { addColumnConstraint } from "./add-column-constraint.js";
import { columnCountLimit } from "./column-count-limit.js";
import { columnTypeLimits } from "./column-type-limits.js";
import { constraintNotValid } from "./constraint-not-valid.js";
import type { DsqlRule } from "./define.js";
import { indexAsync } from "./index-async.js";
import { indexCountLimit } from "./index-count-limit.js";
import { indexJsonbKey } from "./index-jsonb-key.js";
import { indexKeyLimit } from "./index-key-limit.js";
import { indexNoUsing } from "./index-no-using.js";
import { indexOpclass } from "./index-opclass.js";
import { indexSortOrder } from "./index-sort-order.js";
import { isolationLevel } from "./isolation-level.js";
import { keySizeLimit } from "./key-size-limit.js";
import { noAddUniqueConstraint } from "./no-add-unique-constraint.js";
import { noAdvisoryLock } from "./no-advisory-lock.js";
import { noAlterColumnType } from "./no-alter-column-type.js";
import { noAlterIndex } from "./no-alter-index.js";
import { noAlterRoleProperties } from "./no-alter-role-properties.js";
import { noArrayColumn } from "./no-array-column.js";
import { noCollate } from "./no-collate.js";
import { noCompression } from "./no-compression.js";
import { noCopyFile } from "./no-copy-file.js";
import { noCreateDatabase } from "./no-create-database.js";
import { noCreateTableAs } from "./no-create-table-as.js";
import { noCreateType } from "./no-create-type.js";
import { noCursor } from "./no-cursor.js";
import { noDdlWithDml } from "./no-ddl-with-dml.js";
import { noDiscard } from "./no-discard.js";
import { noDropConstraint } from "./no-drop-constraint.js";
import { noDropPrimaryKeyColumn } from "./no-drop-primary-key-column.js";
import { noExclusionConstraint } from "./no-exclusion-constraint.js";
import { noExtension } from "./no-extension.js";
import { noForeignData } from "./no-foreign-data.js";
import { noInherits } from "./no-inherits.js";
import { noJsonColumn } from "./no-json-column.js";
import { noListenNotify } from "./no-listen-notify.js";
import { noLoad } from "./no-load.js";
import { noLockTable } from "./no-lock-table.js";
import { noMaterializedView } from "./no-materialized-view.js";
import { noOnCommit } from "./no-on-commit.js";
import { noPartition } from "./no-partition.js";
import { noProcedure } from "./no-procedure.js";
import { noReplicaIdentity } from "./no-replica-identity.js";
import { noRowLevelSecurity } from "./no-row-level-security.js";
import { noRule } from "./no-rule.js";
import { noSavepoint } from "./no-savepoint.js";
import { noSelectInto } from "./no-select-into.js";
import { noSerial } from "./no-serial.js";
import { noSetNotNull } from "./no-set-not-null.js";
import { noSqlPrepare } from "./no-sql-prepare.js";
import { noStorageParameters } from "./no-storage-parameters.js";
import { noTablespace } from "./no-tablespace.js";
import { noTempTable } from "./no-temp-table.js";
import { noTempView } from "./no-temp-view.js";
import { noTrigger } from "./no-trigger.js";
import { noTruncate } from "./no-truncate.js";
import { noUnsupportedColumnType } from "./no-unsupported-column-type.js";
import { noVacuum } from "./no-vacuum.js";
import { oneDdlPerTransaction } from "./one-ddl-per-transaction.js";
import { rowSizeLimit } from "./row-size-limit.js";
import { sequenceBigint } from "./sequence-bigint.js";
import { sequenceCache } from "./sequence-cache.js";
import { sqlFunctionsOnly } from "./sql-functions-only.js";
import { transactionAgeLimit } from "./transaction-age-limit.js";
import { transactionRowLimit } from "./transaction-row-limit.js";
import { transactionSizeLimit } from "./transaction-size-limit.js";
import { validateAsync } from "./validate-async.js";
import { valueSizeLimit } from "./value-size-limit.js";

/** Every DSQL rule, statement rules first, then the transaction rules the twin enforces. */
export const rules: readonly DsqlRule[] = Object.freeze([
  noSerial,
  noArrayColumn,
  noJsonColumn,
  columnTypeLimits,
  noUnsupportedColumnType,
  noCollate,
  columnCountLimit,
  sequenceCache,
  sequenceBigint,
  indexAsync,
  indexNoUsing,
  indexSortOrder,
  indexOpclass,
  indexKeyLimit,
  indexCountLimit,
  indexJsonbKey,
  addColumnConstraint,
  noAlterColumnType,
  noSetNotNull,
  noAddUniqueConstraint,
  constraintNotValid,
  noDropConstraint,
  noDropPrimaryKeyColumn,
  validateAsync,
  noTempTable,
  noPartition,
  noInherits,
  noCreateTableAs,
  noSelectInto,
  noTablespace,
  noExclusionConstraint,
  noRowLevelSecurity,
  noTruncate,
  noTrigger,
  noExtension,
  noCreateType,
  noProcedure,
  sqlFunctionsOnly,
  noMaterializedView,
  noTempView,
  noVacuum,
  noCreateDatabase,
  noAlterIndex,
  noStorageParameters,
  noOnCommit,
  noCompression,
  noReplicaIdentity,
  noCopyFile,
  noForeignData,
  noAlterRoleProperties,
  noRule,
  noSqlPrepare,
  noDiscard,
  noCursor,
  noLoad,
  noSavepoint,
  isolationLevel,
  noLockTable,
  noAdvisoryLock,
  noListenNotify,
  oneDdlPerTransaction,
  noDdlWithDml,
  transactionRowLimit,
  transactionSizeLimit,
  transactionAgeLimit,
  valueSizeLimit,
  rowSizeLimit,
  keySizeLimit,
]);
