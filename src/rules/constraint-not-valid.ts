import type { AlterTableStmt, Constraint, Node } from "@pgsql/types";
import { nodeOf, statementBody } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";
import { deparsed, ON_ALTER, tableName } from "./alter-shared.js";
import { addedConstraints } from "./columns.js";
import { defineRule, type Hit } from "./define.js";

const VALIDATABLE = new Set(["CONSTR_CHECK", "CONSTR_FOREIGN", "CONSTR_NOTNULL"]);
function notValidFix(stmt: ParsedStatement): string | undefined {
  const alter = structuredClone(statementBody<AlterTableStmt>(stmt));
  for (const cmd of alter.cmds ?? []) {
    const constraint = nodeOf<Constraint>(
      nodeOf<{ def?: Node }>(cmd, "AlterTableCmd")?.def,
      "Constraint",
    );
    if (!constraint || !VALIDATABLE.has(constraint.contype ?? "")) return undefined;
    constraint.skip_validation = true;
    delete constraint.initially_valid;
  }
  return deparsed({ AlterTableStmt: alter } as Node);
}

/** ADD CHECK / FOREIGN KEY without NOT VALID. */
export const constraintNotValid = defineRule({
  id: "constraint-not-valid",
  description: "`ALTER TABLE ... ADD CONSTRAINT` (CHECK, FOREIGN KEY) without `NOT VALID`",
  instead: "`ADD CONSTRAINT ... NOT VALID`, then `ALTER TABLE ASYNC t VALIDATE CONSTRAINT c`",
  message:
    "DSQL adds constraints to existing tables only as NOT VALID: add NOT VALID, then ALTER TABLE ASYNC ... VALIDATE CONSTRAINT",
  sqlstate: "0A000",
  on: ON_ALTER,
  find(stmt) {
    const hits: Hit[] = [];
    for (const constraint of addedConstraints(stmt)) {
      if (!VALIDATABLE.has(constraint.contype ?? "") || constraint.skip_validation) continue;
      const name = constraint.conname ? `"${constraint.conname}"` : "c";
      hits.push({
        location: constraint.location,
        message: `ADD CONSTRAINT ${name} needs NOT VALID on DSQL: add NOT VALID, then ALTER TABLE ASYNC ${tableName(stmt)} VALIDATE CONSTRAINT ${name}`,
        fix: notValidFix(stmt),
      });
    }
    return hits;
  },
});
