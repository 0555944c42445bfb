import type { DefElem, Node, TransactionStmt, VariableSetStmt } from "@pgsql/types";
import { bodyOf, defElems, optionText } from "./ast.js";
import { defineRule, type Hit } from "./define.js";

const SAVEPOINT_KINDS = new Set([
  "TRANS_STMT_SAVEPOINT",
  "TRANS_STMT_RELEASE",
  "TRANS_STMT_ROLLBACK_TO",
]);

/** SAVEPOINT, RELEASE, ROLLBACK TO. */
export const noSavepoint = defineRule({
  id: "no-savepoint",
  description:
    "`SAVEPOINT`, `RELEASE SAVEPOINT`, `ROLLBACK TO SAVEPOINT` (so no nested transactions)",
  instead: "one flat transaction; retry the whole transaction instead of rolling back part of it",
  message:
    "savepoints are not supported by DSQL (no nested transactions): use one flat transaction",
  sqlstate: "0A000",
  on: ["TransactionStmt"],
  find(stmt) {
    const kind = bodyOf<TransactionStmt>(stmt).kind ?? "";
    return SAVEPOINT_KINDS.has(kind) ? [{ location: stmt.start }] : [];
  },
});

const ISOLATION_SETTINGS = new Set(["default_transaction_isolation", "transaction_isolation"]);

function isolationHits(options: DefElem[]): Hit[] {
  const hits: Hit[] = [];
  for (const option of options) {
    if (option.defname !== "transaction_isolation") continue;
    const level = optionText(option.arg);
    if (level === "repeatable read") continue;
    hits.push({
      location: option.location,
      message: `isolation level ${level?.toUpperCase() ?? "?"} is not supported by DSQL: it always runs REPEATABLE READ (snapshot isolation); leave the level out`,
    });
  }
  return hits;
}

/** Isolation levels other than REPEATABLE READ. */
export const isolationLevel = defineRule({
  id: "isolation-level",
  description:
    "isolation levels other than REPEATABLE READ (`BEGIN ISOLATION LEVEL ...`, `SET TRANSACTION ...`, `SET default_transaction_isolation`)",
  instead: "leave the level out: DSQL always runs snapshot isolation (REPEATABLE READ)",
  message: "DSQL runs only REPEATABLE READ (snapshot isolation): leave the isolation level out",
  sqlstate: "0A000",
  on: ["TransactionStmt", "VariableSetStmt"],
  find(stmt) {
    if (stmt.type === "TransactionStmt") {
      return isolationHits(defElems(bodyOf<TransactionStmt>(stmt).options));
    }
    const set = bodyOf<VariableSetStmt>(stmt);
    const name = (set.name ?? "").toLowerCase();
    if (name === "transaction" || name === "session characteristics") {
      return isolationHits(defElems(set.args));
    }
    if (!ISOLATION_SETTINGS.has(name)) return [];
    const args: Node[] = set.args ?? [];
    const level = args.length > 0 ? optionText(args[0]) : undefined;
    if (level === undefined || level === "repeatable read") return [];
    return [
      {
        location: set.location,
        message: `isolation level ${level.toUpperCase()} is not supported by DSQL: it always runs REPEATABLE READ (snapshot isolation)`,
      },
    ];
  },
});

/** A second DDL statement in one transaction (enforced by the twin per transaction). */
export const oneDdlPerTransaction = defineRule({
  id: "one-ddl-per-transaction",
  description: "more than one DDL statement in one transaction",
  instead: "run each DDL statement in its own transaction (or outside any)",
  message: "DSQL runs one DDL statement per transaction: run each DDL statement on its own",
  sqlstate: "0A000",
});

/** DDL and DML in one transaction (enforced by the twin per transaction). */
export const noDdlWithDml = defineRule({
  id: "no-ddl-with-dml",
  description: "DDL and DML (INSERT, UPDATE, DELETE) in the same transaction",
  instead: "commit the DDL on its own, then write data in a separate transaction",
  message: "DSQL does not mix DDL and DML in one transaction: run the DDL on its own",
  sqlstate: "0A000",
});

/** More than 3,000 modified rows in one transaction (twin). */
export const transactionRowLimit = defineRule({
  id: "transaction-row-limit",
  description: "more than 3,000 rows modified in one transaction",
  instead: "split the work into transactions of at most 3,000 rows (`batchInsert()`)",
  message:
    "transaction row limit exceeded: DSQL modifies at most 3,000 rows per transaction; split the work",
  sqlstate: "54000",
  limit: true,
});

/** More than 10 MiB written in one transaction (twin). */
export const transactionSizeLimit = defineRule({
  id: "transaction-size-limit",
  description: "more than 10 MiB written in one transaction (index writes included)",
  instead: "split the work into smaller transactions (`batchInsert()`)",
  message: "transaction size limit 10mb exceeded: split the work into smaller transactions",
  sqlstate: "54000",
  limit: true,
});

/** A transaction older than 300 seconds (twin). */
export const transactionAgeLimit = defineRule({
  id: "transaction-age-limit",
  description: "a transaction open longer than 300 seconds",
  instead: "keep transactions short; do slow work outside them",
  message: "transaction age limit of 300s exceeded: keep transactions short",
  sqlstate: "54000",
  limit: true,
});
