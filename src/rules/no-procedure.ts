import type { CreateFunctionStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";

/** CREATE PROCEDURE. */
export const noProcedure = defineRule({
  id: "no-procedure",
  description: "`CREATE PROCEDURE`",
  instead: "application code, or a `LANGUAGE sql` function",
  message: "procedures are not supported by DSQL: use application code or a LANGUAGE sql function",
  sqlstate: "0A000",
  on: ["CreateFunctionStmt"],
  find: (stmt) =>
    statementBody<CreateFunctionStmt>(stmt).is_procedure ? [{ location: stmt.start }] : [],
});
