import { statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";

/** SELECT ... INTO new_table. */
export const noSelectInto = defineRule({
  id: "no-select-into",
  description: "`SELECT ... INTO new_table`",
  instead: "`CREATE TABLE`, then `INSERT INTO ... SELECT`",
  message: "SELECT INTO is not supported by DSQL: CREATE TABLE, then INSERT ... SELECT",
  sqlstate: "0A000",
  on: ["SelectStmt"],
  find(stmt) {
    const into = statementBody<{ intoClause?: { rel?: { location?: number } } }>(stmt).intoClause;
    return into ? [{ location: into.rel?.location }] : [];
  },
});
