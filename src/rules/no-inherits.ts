import type { CreateStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { alterCommands } from "./columns.js";
import { defineRule } from "./define.js";

/** Table inheritance. */
export const noInherits = defineRule({
  id: "no-inherits",
  description: "table inheritance (`INHERITS`, `ALTER TABLE ... INHERIT`)",
  instead: "copy the columns into each table",
  message: "table inheritance is not supported by DSQL: declare the columns in each table",
  sqlstate: "0A000",
  on: ["CreateStmt", "AlterTableStmt"],
  find(stmt) {
    if (stmt.type === "CreateStmt") {
      const create = statementBody<CreateStmt>(stmt);
      // PARTITION OF also lists the parent in inhRelations; no-partition reports that.
      if (create.partbound || !create.inhRelations?.length) return [];
      return [{ location: create.relation?.location }];
    }
    return alterCommands(stmt)
      .filter((c) => c.subtype === "AT_AddInherit")
      .map(() => ({ location: stmt.start }));
  },
});
