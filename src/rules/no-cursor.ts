import { defineRule } from "./define.js";

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
