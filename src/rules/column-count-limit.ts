import type { RangeVar } from "@pgsql/types";
import { contextTableKey, statementBody } from "../sql/ast.js";
import { newColumns } from "./columns.js";
import { defineRule } from "./define.js";

/** Columns DSQL allows in one table. */
const MAX_COLUMNS = 255;

/** More than 255 columns in a table: CREATE TABLE, or ADD COLUMN where the table is in view. */
export const columnCountLimit = defineRule({
  id: "column-count-limit",
  description:
    "more than 255 columns in one table (`CREATE TABLE`, or `ADD COLUMN` where the CREATE TABLE is in view)",
  instead:
    "split the table (one-to-one child table), or keep rarely used fields in a JSON text column",
  message: "tables can have at most 255 columns on DSQL",
  sqlstate: "54011",
  limit: true,
  on: ["CreateStmt", "AlterTableStmt"],
  find(stmt, ctx) {
    const relation = statementBody<{ relation?: RangeVar }>(stmt).relation;
    const added = newColumns(stmt);
    let count = added.length;
    if (stmt.type === "AlterTableStmt") {
      const known = ctx.tables?.get(contextTableKey(relation))?.columns;
      if (!known || added.length === 0) return [];
      count += known.size;
    }
    if (count <= MAX_COLUMNS) return [];
    return [
      {
        location: relation?.location,
        message: `tables can have at most ${MAX_COLUMNS} columns on DSQL; this one would have ${count}`,
      },
    ];
  },
});
