import { defineRule } from "./define.js";

/** PREPARE / EXECUTE / DEALLOCATE written as SQL statements. */
export const noSqlPrepare = defineRule({
  id: "no-sql-prepare",
  description:
    "`PREPARE`, `EXECUTE` and `DEALLOCATE` as SQL statements (the protocol-level prepared statements drivers use are fine)",
  instead: "let the driver prepare statements (drizzle's `.prepare()`, pg's named queries)",
  message:
    "PREPARE / EXECUTE / DEALLOCATE statements are not supported by DSQL: let the driver prepare statements",
  sqlstate: "0A000",
  on: ["PrepareStmt", "ExecuteStmt", "DeallocateStmt"],
  find: (stmt) => [{ location: stmt.start }],
});
