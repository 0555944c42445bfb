import { defineRule } from "./define.js";

/** LOCK TABLE. */
export const noLockTable = defineRule({
  id: "no-lock-table",
  description: "`LOCK TABLE`",
  instead:
    "nothing to lock: DSQL's optimistic concurrency detects conflicts at COMMIT; retry on 40001",
  message: "LOCK TABLE is not supported by DSQL: conflicts are detected at COMMIT (retry on 40001)",
  sqlstate: "0A000",
  on: ["LockStmt"],
  find: (stmt) => [{ location: stmt.start }],
});
