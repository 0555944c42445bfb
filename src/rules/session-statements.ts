import type { DiscardStmt } from "@pgsql/types";
import { bodyOf } from "./ast.js";
import { defineRule } from "./define.js";

/** PREPARE / EXECUTE / DEALLOCATE written as SQL statements. */
export const noSqlPrepare = defineRule({
  id: "no-sql-prepare",
  description:
    "`PREPARE`, `EXECUTE` and `DEALLOCATE` as SQL statements (the protocol-level prepared statements drivers use are fine)",
  instead: "let the driver prepare statements (drizzle's `.prepare()`, pg's named queries)",
  message:
    "PREPARE / EXECUTE / DEALLOCATE statements are not supported by DSQL: let the driver prepare statements",
  sqlstate: "0A000",
  on: ["PrepareStmt", "ExecuteStmt", "DeallocateStmt"],
  find: (stmt) => [{ location: stmt.start }],
});

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
      message: `DISCARD ${(bodyOf<DiscardStmt>(stmt).target ?? "").replace("DISCARD_", "")} is not supported by DSQL: open a fresh connection instead`,
    },
  ],
});

/** SQL cursors: DECLARE, FETCH, MOVE, CLOSE. */
export const noCursor = defineRule({
  id: "no-cursor",
  description: "SQL cursors (`DECLARE ... CURSOR`, `FETCH`, `MOVE`, `CLOSE`)",
  instead: "page with `WHERE key > $last ORDER BY key LIMIT n`",
  message: "cursors are not supported by DSQL: page with WHERE key > $last ORDER BY key LIMIT n",
  sqlstate: "0A000",
  on: ["DeclareCursorStmt", "FetchStmt", "ClosePortalStmt"],
  find: (stmt) => [{ location: stmt.start }],
});

/** LOAD of a shared library. */
export const noLoad = defineRule({
  id: "no-load",
  description: "`LOAD` (loading a shared library into the server)",
  instead: "nothing: DSQL loads no libraries",
  message: "LOAD is not supported by DSQL",
  sqlstate: "0A000",
  on: ["LoadStmt"],
  find: (stmt) => [{ location: stmt.start }],
});
