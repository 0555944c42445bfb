import { COLUMN_STATEMENTS } from "./column-type-sets.js";
import { newColumns } from "./columns.js";
import { defineRule } from "./define.js";

/** Per-column COLLATE: DSQL's collation is always C. */
export const noCollate = defineRule({
  id: "no-collate",
  description: "per-column `COLLATE` (DSQL's collation is always C)",
  instead: "drop the COLLATE clause (text compares and sorts in C collation)",
  message: "per-column COLLATE is not supported by DSQL (collation is C): drop the COLLATE clause",
  sqlstate: "0A000",
  on: COLUMN_STATEMENTS,
  find(stmt) {
    return newColumns(stmt)
      .filter((column) => column.collClause)
      .map((column) => ({
        location: column.collClause?.location,
        message: `COLLATE on column "${column.colname}" is not supported by DSQL (collation is C): drop the COLLATE clause`,
      }));
  },
});
