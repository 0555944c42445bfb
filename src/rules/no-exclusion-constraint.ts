import { addedConstraints, tableConstraints } from "./columns.js";
import { defineRule, type Hit } from "./define.js";

/** Exclusion constraints. */
export const noExclusionConstraint = defineRule({
  id: "no-exclusion-constraint",
  description: "exclusion constraints (`EXCLUDE USING ...`)",
  instead: "a unique index (`CREATE UNIQUE INDEX ASYNC`), or checks in application code",
  message: "exclusion constraints are not supported by DSQL",
  sqlstate: "0A000",
  on: ["CreateStmt", "AlterTableStmt"],
  find(stmt) {
    const constraints =
      stmt.type === "CreateStmt" ? tableConstraints(stmt) : addedConstraints(stmt);
    const hits: Hit[] = [];
    for (const constraint of constraints) {
      if (constraint.contype === "CONSTR_EXCLUSION") hits.push({ location: constraint.location });
    }
    return hits;
  },
});
