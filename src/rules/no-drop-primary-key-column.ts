import type { AlterTableStmt } from "@pgsql/types";
import { contextTableKey, statementBody } from "../sql/ast.js";
import { ON_ALTER, relationLocation } from "./alter-shared.js";
import { alterCommands } from "./columns.js";
import { defineRule } from "./define.js";

/** DROP COLUMN of a primary-key column, where the table's definition is in view. */
export const noDropPrimaryKeyColumn = defineRule({
  id: "no-drop-primary-key-column",
  description:
    "`ALTER TABLE ... DROP COLUMN` of a primary-key column; checked where the CREATE TABLE is in view",
  instead:
    "keep the key column; to change the key, create a new table and copy the rows in batches",
  message: "DSQL cannot drop a primary-key column",
  sqlstate: "0A000",
  on: ON_ALTER,
  find(stmt, ctx) {
    const shape = ctx.tables?.get(contextTableKey(statementBody<AlterTableStmt>(stmt).relation));
    if (!shape) return [];
    return alterCommands(stmt)
      .filter((cmd) => cmd.subtype === "AT_DropColumn" && shape.primaryKey.has(cmd.name ?? ""))
      .map((cmd) => ({
        location: relationLocation(stmt),
        message: `DSQL cannot drop primary-key column "${cmd.name}": create a new table with the new key and copy the rows`,
      }));
  },
});
