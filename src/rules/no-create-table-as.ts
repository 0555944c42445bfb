import type { CreateTableAsStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";

/** CREATE TABLE ... AS SELECT. */
export const noCreateTableAs = defineRule({
  id: "no-create-table-as",
  description: "`CREATE TABLE ... AS SELECT`",
  instead: "`CREATE TABLE` with its columns, then `INSERT INTO ... SELECT` in batches",
  message: "CREATE TABLE AS is not supported by DSQL: CREATE TABLE, then INSERT ... SELECT",
  sqlstate: "0A000",
  on: ["CreateTableAsStmt"],
  find(stmt) {
    const ctas = statementBody<CreateTableAsStmt>(stmt);
    return ctas.objtype === "OBJECT_TABLE" ? [{ location: stmt.start }] : [];
  },
});
