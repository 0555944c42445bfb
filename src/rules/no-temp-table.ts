import type { CreateStmt, CreateTableAsStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";

/** Temporary tables. */
export const noTempTable = defineRule({
  id: "no-temp-table",
  description: "temporary tables (`CREATE TEMP TABLE`)",
  instead: "a regular table, or a CTE / VALUES list in the query",
  message: "temporary tables are not supported by DSQL: use a regular table or a CTE",
  sqlstate: "0A000",
  on: ["CreateStmt", "CreateTableAsStmt"],
  find(stmt) {
    const relation =
      stmt.type === "CreateStmt"
        ? statementBody<CreateStmt>(stmt).relation
        : statementBody<CreateTableAsStmt>(stmt).into?.rel;
    return relation?.relpersistence === "t" ? [{ location: relation.location }] : [];
  },
});
