import {
  addColumnConstraint,
  noAlterColumnType,
  noDropPrimaryKeyColumn,
  noSetNotNull,
} from "./alter-columns.js";
import {
  constraintNotValid,
  noAddUniqueConstraint,
  noDropConstraint,
  validateAsync,
} from "./alter-constraints.js";
import {
  columnTypeLimits,
  noArrayColumn,
  noCollate,
  noJsonColumn,
  noUnsupportedColumnType,
} from "./column-types.js";
import type { DsqlRule } from "./define.js";
import { indexAsync, indexNoUsing, indexOpclass, indexSortOrder } from "./index-async.js";
import { indexJsonbKey } from "./index-jsonb.js";
import { indexCountLimit, indexKeyLimit } from "./index-limits.js";
import { noAdvisoryLock, noListenNotify, noLockTable } from "./locks.js";
import {
  noCreateDatabase,
  noCreateType,
  noExtension,
  noMaterializedView,
  noProcedure,
  noTempView,
  noTrigger,
  noTruncate,
  noVacuum,
  sqlFunctionsOnly,
} from "./objects.js";
import { noRowLevelSecurity } from "./security.js";
import { sequenceBigint, sequenceCache } from "./sequences.js";
import { noSerial } from "./serial.js";
import { noAlterRoleProperties, noCopyFile, noForeignData, noRule } from "./server-objects.js";
import { noCursor, noDiscard, noLoad, noSqlPrepare } from "./session-statements.js";
import { keySizeLimit, rowSizeLimit, valueSizeLimit } from "./size-limits.js";
import {
  noAlterIndex,
  noCompression,
  noOnCommit,
  noReplicaIdentity,
  noStorageParameters,
} from "./storage.js";
import {
  columnCountLimit,
  noCreateTableAs,
  noExclusionConstraint,
  noInherits,
  noPartition,
  noSelectInto,
  noTablespace,
  noTempTable,
} from "./tables.js";
import {
  isolationLevel,
  noDdlWithDml,
  noSavepoint,
  oneDdlPerTransaction,
  transactionAgeLimit,
  transactionRowLimit,
  transactionSizeLimit,
} from "./transactions.js";

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
