import { defineRule } from "./define.js";
import { isIndexAlter } from "./index-alter.js";

/** ALTER INDEX in any form (RENAME, SET, SET SCHEMA, ...). */
export const noAlterIndex = defineRule({
  id: "no-alter-index",
  description: "`ALTER INDEX` (rename, storage parameters, schema, ...)",
  instead:
    "`DROP INDEX` then `CREATE INDEX ASYNC` with the new definition or name (the transform does this for renames)",
  message: "ALTER INDEX is not supported by DSQL: drop the index and CREATE INDEX ASYNC it again",
  sqlstate: "0A000",
  on: ["AlterTableStmt", "RenameStmt", "AlterObjectSchemaStmt"],
  find: (stmt) => (isIndexAlter(stmt) ? [{ location: stmt.start }] : []),
});
