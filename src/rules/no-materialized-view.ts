import type { CreateTableAsStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";

/** Materialized views. */
export const noMaterializedView = defineRule({
  id: "no-materialized-view",
  description: "materialized views (`CREATE` / `REFRESH MATERIALIZED VIEW`)",
  instead: "a plain view, or a table your application refreshes",
  message: "materialized views are not supported by DSQL: use a plain view or a table you refresh",
  sqlstate: "0A000",
  on: ["CreateTableAsStmt", "RefreshMatViewStmt"],
  find(stmt) {
    if (stmt.type === "RefreshMatViewStmt") return [{ location: stmt.start }];
    const ctas = statementBody<CreateTableAsStmt>(stmt);
    return ctas.objtype === "OBJECT_MATVIEW" ? [{ location: stmt.start }] : [];
  },
});
