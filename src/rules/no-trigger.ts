import { defineRule } from "./define.js";

/** Triggers and event triggers. */
export const noTrigger = defineRule({
  id: "no-trigger",
  description: "triggers and event triggers",
  instead: "do the work in application code, in the same transaction",
  message: "triggers are not supported by DSQL: do the work in application code",
  sqlstate: "0A000",
  on: ["CreateTrigStmt", "CreateEventTrigStmt"],
  find: (stmt) => [{ location: stmt.start }],
});
