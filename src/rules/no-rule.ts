import { defineRule } from "./define.js";

/** The rule system: CREATE RULE. */
export const noRule = defineRule({
  id: "no-rule",
  description: "`CREATE RULE` (query rewrite rules)",
  instead: "a view, or the logic in application code",
  message: "rules (CREATE RULE) are not supported by DSQL: use a view or application code",
  sqlstate: "0A000",
  on: ["RuleStmt"],
  find: (stmt) => [{ location: stmt.start }],
});
