import type { CreateStmt, IndexStmt } from "@pgsql/types";
import { contextTableKey, statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";
import { indexesCreatedBy, MAX_INDEXES_PER_TABLE } from "./index-limit-values.js";

/** More than 24 indexes on one table whose definition is in view. */
export const indexCountLimit = defineRule({
  id: "index-count-limit",
  description:
    "more than 24 indexes on one table (primary key and unique constraints count); checked where the CREATE TABLE is in view",
  instead: "drop indexes you do not need; at most 24 per table",
  message: "more than 24 indexes on one table are not supported",
  sqlstate: "54000",
  limit: true,
  on: ["IndexStmt", "CreateStmt"],
  find(stmt, ctx) {
    let table: string;
    let count: number;
    let location: number | undefined;
    if (stmt.type === "CreateStmt") {
      const create = statementBody<CreateStmt>(stmt);
      table = contextTableKey(create.relation);
      count = indexesCreatedBy(stmt);
      location = create.relation?.location;
    } else {
      const index = statementBody<IndexStmt>(stmt);
      table = contextTableKey(index.relation);
      const seen = ctx.indexesPerTable.get(table);
      if (seen === undefined) return [];
      count = seen + 1;
      location = index.relation?.location;
    }
    if (count <= MAX_INDEXES_PER_TABLE) return [];
    return [
      {
        location,
        message: `table "${table}" would have ${count} indexes; DSQL allows at most ${MAX_INDEXES_PER_TABLE} (primary key and unique constraints count)`,
      },
    ];
  },
});
