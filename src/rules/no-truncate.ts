import { defineRule } from "./define.js";

/** TRUNCATE. */
export const noTruncate = defineRule({
  id: "no-truncate",
  description: "`TRUNCATE`",
  instead: "`DELETE FROM t` in batches of at most 3,000 rows per transaction",
  message: "TRUNCATE is not supported by DSQL: DELETE in batches of at most 3,000 rows",
  sqlstate: "0A000",
  on: ["TruncateStmt"],
  find: (stmt) => [{ location: stmt.start }],
});
