import type { IndexStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";
import { asyncIndexFix } from "./index-fix.js";

/** CREATE INDEX without ASYNC, or with CONCURRENTLY. */
export const indexAsync = defineRule({
  id: "index-async",
  description:
    "`CREATE INDEX` without `ASYNC`, and `CREATE INDEX CONCURRENTLY` (`unsupported mode. please use CREATE INDEX ASYNC.`)",
  instead: "`CREATE [UNIQUE] INDEX ASYNC name ON t (col, ...)`",
  message: "unsupported mode. please use CREATE INDEX ASYNC.",
  sqlstate: "0A000",
  on: ["IndexStmt"],
  find(stmt) {
    const index = statementBody<IndexStmt>(stmt);
    if (stmt.async && !index.concurrent) return [];
    const message = index.concurrent
      ? "CREATE INDEX CONCURRENTLY is not supported by DSQL: unsupported mode. please use CREATE INDEX ASYNC."
      : "unsupported mode. please use CREATE INDEX ASYNC.";
    return [{ location: stmt.start, message, fix: asyncIndexFix(stmt) }];
  },
});
