import type { DiscardStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule } from "./define.js";

/** DISCARD ALL / PLANS / SEQUENCES / TEMP. */
export const noDiscard = defineRule({
  id: "no-discard",
  description: "`DISCARD` (ALL, PLANS, SEQUENCES, TEMP)",
  instead: "open a fresh connection when a clean session is needed",
  message: "DISCARD is not supported by DSQL: open a fresh connection instead",
  sqlstate: "0A000",
  on: ["DiscardStmt"],
  find: (stmt) => [
    {
      location: stmt.start,
      message: `DISCARD ${(statementBody<DiscardStmt>(stmt).target ?? "").replace("DISCARD_", "")} is not supported by DSQL: open a fresh connection instead`,
    },
  ],
});
