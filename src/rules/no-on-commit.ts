import type { CreateStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule, type Hit } from "./define.js";

/** ON COMMIT (temporary tables only in PostgreSQL; DSQL has none). */
export const noOnCommit = defineRule({
  id: "no-on-commit",
  description: "`CREATE TABLE ... ON COMMIT { DROP | DELETE ROWS | PRESERVE ROWS }`",
  instead: "a regular table, cleaned up by the application",
  message: "ON COMMIT is not supported by DSQL (it has no temporary tables)",
  sqlstate: "0A000",
  on: ["CreateStmt"],
  find(stmt): Hit[] {
    const oncommit = statementBody<CreateStmt>(stmt).oncommit;
    return oncommit && oncommit !== "ONCOMMIT_NOOP" ? [{ location: stmt.start }] : [];
  },
});
