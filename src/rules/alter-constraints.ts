import type { AlterTableStmt, Constraint, Node } from "@pgsql/types";
import type { ParsedStatement } from "../sql/parser.js";
import { deparsed, ON_ALTER, relationLocation, tableName } from "./alter-shared.js";
import { bodyOf, nodeOf } from "./ast.js";
import { addedConstraints, alterCommands } from "./columns.js";
import { defineRule, type Hit } from "./define.js";

/** ADD PRIMARY KEY / ADD UNIQUE on an existing table. */
export const noAddUniqueConstraint = defineRule({
  id: "no-add-unique-constraint",
  description: "`ALTER TABLE ... ADD PRIMARY KEY` / `ADD UNIQUE` on an existing table",
  instead: "`CREATE UNIQUE INDEX ASYNC name ON t (cols)`; declare the primary key in CREATE TABLE",
  message:
    "ALTER TABLE ADD PRIMARY KEY / UNIQUE is not supported by DSQL: use CREATE UNIQUE INDEX ASYNC",
  sqlstate: "0A000",
  on: ON_ALTER,
  find(stmt) {
    const hits: Hit[] = [];
    for (const cmd of alterCommands(stmt)) {
      const constraint = nodeOf<Constraint>(cmd.def, "Constraint");
      const kind = constraint?.contype;
      if (
        cmd.subtype === "AT_AddIndexConstraint" ||
        kind === "CONSTR_PRIMARY" ||
        kind === "CONSTR_UNIQUE"
      ) {
        const what = kind === "CONSTR_PRIMARY" ? "PRIMARY KEY" : "UNIQUE";
        hits.push({
          location: constraint?.location,
          message: `ALTER TABLE ADD ${what} is not supported by DSQL: use CREATE UNIQUE INDEX ASYNC ... ON ${tableName(stmt)} (...)`,
        });
      }
    }
    return hits;
  },
});

const VALIDATABLE = new Set(["CONSTR_CHECK", "CONSTR_FOREIGN", "CONSTR_NOTNULL"]);

function notValidFix(stmt: ParsedStatement): string | undefined {
  const alter = structuredClone(bodyOf<AlterTableStmt>(stmt));
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

/** DROP CONSTRAINT. */
export const noDropConstraint = defineRule({
  id: "no-drop-constraint",
  description: "`ALTER TABLE ... DROP CONSTRAINT`",
  instead:
    "keep the constraint, or recreate the table and copy the data; unique indexes go with DROP INDEX",
  message: "ALTER TABLE DROP CONSTRAINT is not supported by DSQL",
  sqlstate: "0A000",
  on: ON_ALTER,
  find(stmt) {
    return alterCommands(stmt)
      .filter((cmd) => cmd.subtype === "AT_DropConstraint")
      .map((cmd) => ({
        location: relationLocation(stmt),
        message: `ALTER TABLE DROP CONSTRAINT "${cmd.name}" is not supported by DSQL (an index behind it goes with DROP INDEX)`,
      }));
  },
});

/** Synchronous VALIDATE CONSTRAINT; and ASYNC with anything but VALIDATE. */
export const validateAsync = defineRule({
  id: "validate-async",
  description:
    "synchronous `ALTER TABLE ... VALIDATE CONSTRAINT` (and `ALTER TABLE ASYNC` with anything but VALIDATE CONSTRAINT)",
  instead:
    "`ALTER TABLE ASYNC t VALIDATE CONSTRAINT c` (returns a job_id; `CALL sys.wait_for_job(id)`)",
  message:
    "VALIDATE CONSTRAINT must run asynchronously on DSQL: ALTER TABLE ASYNC t VALIDATE CONSTRAINT c",
  sqlstate: "0A000",
  on: ON_ALTER,
  find(stmt) {
    const cmds = alterCommands(stmt);
    const validates = cmds.filter((cmd) => cmd.subtype === "AT_ValidateConstraint");
    if (stmt.async) {
      if (validates.length === cmds.length && cmds.length === 1) return [];
      return [
        {
          location: relationLocation(stmt),
          message: "ALTER TABLE ASYNC runs exactly one VALIDATE CONSTRAINT and nothing else",
        },
      ];
    }
    return validates.map((cmd) => {
      const fix =
        cmds.length === 1
          ? deparsed(stmt.node)?.replace(/^ALTER TABLE /i, "ALTER TABLE ASYNC ")
          : undefined;
      return {
        location: relationLocation(stmt),
        message: `VALIDATE CONSTRAINT must run asynchronously on DSQL: ALTER TABLE ASYNC ${tableName(stmt)} VALIDATE CONSTRAINT ${cmd.name}`,
        fix,
      };
    });
  },
});
