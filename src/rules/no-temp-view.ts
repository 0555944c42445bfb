import type { ViewStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";

/** Temporary views. */
export const noTempView = defineRule({
  id: "no-temp-view",
  description: "temporary views (`CREATE TEMP VIEW`)",
  instead: "a plain view, or the query inline / as a CTE",
  message: "temporary views are not supported by DSQL: use a plain view or a CTE",
  sqlstate: "0A000",
  on: ["ViewStmt"],
  find(stmt) {
    const view = statementBody<ViewStmt>(stmt).view;
    return view?.relpersistence === "t" ? [{ location: view.location }] : [];
  },
});
