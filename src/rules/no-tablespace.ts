import type { CreateStmt, CreateTableAsStmt, IndexStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { alterCommands } from "./columns.js";
import { defineRule } from "./define.js";

/** Tablespaces. */
export const noTablespace = defineRule({
  id: "no-tablespace",
  description: "tablespaces (`CREATE TABLESPACE`, `TABLESPACE x`, `SET TABLESPACE`)",
  instead: "leave out the tablespace",
  message: "tablespaces are not supported by DSQL: leave out the tablespace",
  sqlstate: "0A000",
  on: [
    "CreateStmt",
    "IndexStmt",
    "CreateTableAsStmt",
    "AlterTableStmt",
    "CreateTableSpaceStmt",
    "AlterTableMoveAllStmt",
  ],
  find(stmt) {
    const at = [{ location: stmt.start }];
    switch (stmt.type) {
      case "CreateStmt":
        return statementBody<CreateStmt>(stmt).tablespacename ? at : [];
      case "IndexStmt":
        return statementBody<IndexStmt>(stmt).tableSpace ? at : [];
      case "CreateTableAsStmt":
        return statementBody<CreateTableAsStmt>(stmt).into?.tableSpaceName ? at : [];
      case "AlterTableStmt":
        return alterCommands(stmt).some((c) => c.subtype === "AT_SetTableSpace") ? at : [];
      default:
        return at;
    }
  },
});
