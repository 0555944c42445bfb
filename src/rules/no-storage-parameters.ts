import type { CreateStmt, IndexStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { alterCommands } from "./columns.js";
import { defineRule, type Hit } from "./define.js";
import { isIndexAlter } from "./index-alter.js";

/** Storage parameters: `WITH (fillfactor = ...)` on tables and indexes, `ALTER TABLE ... SET (...)`. */
export const noStorageParameters = defineRule({
  id: "no-storage-parameters",
  description:
    "storage parameters: `CREATE TABLE / INDEX ... WITH (...)`, `ALTER TABLE ... SET / RESET (...)`",
  instead: "leave them out: DSQL manages storage itself",
  message: "storage parameters (WITH (...)) are not supported by DSQL: leave them out",
  sqlstate: "0A000",
  on: ["CreateStmt", "IndexStmt", "AlterTableStmt"],
  find(stmt): Hit[] {
    if (stmt.type === "CreateStmt")
      return statementBody<CreateStmt>(stmt).options?.length ? [{ location: stmt.start }] : [];
    if (stmt.type === "IndexStmt")
      return statementBody<IndexStmt>(stmt).options?.length ? [{ location: stmt.start }] : [];
    if (isIndexAlter(stmt)) return [];
    return alterCommands(stmt)
      .filter((cmd) => cmd.subtype === "AT_SetRelOptions" || cmd.subtype === "AT_ResetRelOptions")
      .map(() => ({ location: stmt.start }));
  },
});
