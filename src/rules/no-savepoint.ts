import type { TransactionStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";

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
    const kind = statementBody<TransactionStmt>(stmt).kind ?? "";
    return SAVEPOINT_KINDS.has(kind) ? [{ location: stmt.start }] : [];
  },
});
