import { defineRule } from "./define.js";

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
