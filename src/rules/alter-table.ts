import type { AlterTableStmt, Constraint, Node } from "@pgsql/types";
import type { ParsedStatement } from "../sql/parser.js";
import { deparse } from "../sql/parser.js";
import { bodyOf, nodeOf, relationKey } from "./ast.js";
import { addedConstraints, alterCommands, columnConstraints, newColumns } from "./columns.js";
import { defineRule, type Hit } from "./define.js";

const ON_ALTER = ["AlterTableStmt"] as const;

function tableName(stmt: ParsedStatement): string {
  return bodyOf<AlterTableStmt>(stmt).relation?.relname ?? "?";
}

function relationLocation(stmt: ParsedStatement): number | undefined {
  return bodyOf<AlterTableStmt>(stmt).relation?.location;
}

function deparsed(node: Node): string | undefined {
  try {
    return deparse(node);
  } catch {
    return undefined;
  }
}

const CONSTRAINT_WORDS: Record<string, string> = {
  CONSTR_DEFAULT: "DEFAULT",
  CONSTR_NOTNULL: "NOT NULL",
  CONSTR_IDENTITY: "GENERATED ... AS IDENTITY",
  CONSTR_GENERATED: "GENERATED ... STORED",
  CONSTR_PRIMARY: "PRIMARY KEY",
  CONSTR_UNIQUE: "UNIQUE",
  CONSTR_CHECK: "CHECK",
  CONSTR_FOREIGN: "REFERENCES",
};

/** ADD COLUMN with DEFAULT, NOT NULL, identity or any constraint. */
export const addColumnConstraint = defineRule({
  id: "add-column-constraint",
  description:
    "`ALTER TABLE ... ADD COLUMN` with DEFAULT, NOT NULL, identity or any other constraint (`ALTER TABLE ADD COLUMN with constraint not supported`)",
  instead:
    "add the bare column, then `ALTER COLUMN ... SET DEFAULT`, backfill in batches, `CREATE UNIQUE INDEX ASYNC`, `ADD CONSTRAINT ... NOT VALID`",
  message: "ALTER TABLE ADD COLUMN with constraint not supported",
  sqlstate: "0A000",
  on: ON_ALTER,
  find(stmt) {
    const hits: Hit[] = [];
    for (const column of newColumns(stmt)) {
      const found = columnConstraints(column).filter((c) => c.contype !== "CONSTR_NULL");
      const first = found[0];
      if (!first) continue;
      const words = found
        .map((c) => CONSTRAINT_WORDS[c.contype ?? ""] ?? "a constraint")
        .join(", ");
      hits.push({
        location: first.location,
        message: `ALTER TABLE ADD COLUMN with constraint not supported (column "${column.colname}": ${words}): add the bare column, then SET DEFAULT / backfill / CREATE UNIQUE INDEX ASYNC / ADD CONSTRAINT ... NOT VALID`,
      });
    }
    return hits;
  },
});

/** ALTER COLUMN ... SET DATA TYPE. */
export const noAlterColumnType = defineRule({
  id: "no-alter-column-type",
  description:
    "`ALTER TABLE ... ALTER COLUMN ... SET DATA TYPE` (`unsupported ALTER TABLE ALTER COLUMN ... SET DATA TYPE statement`)",
  instead:
    "add a new column of the new type, backfill it in batches, switch readers, drop the old one",
  message: "unsupported ALTER TABLE ALTER COLUMN ... SET DATA TYPE statement",
  sqlstate: "0A000",
  on: ON_ALTER,
  find(stmt) {
    return alterCommands(stmt)
      .filter((cmd) => cmd.subtype === "AT_AlterColumnType")
      .map((cmd) => ({
        location: relationLocation(stmt),
        message: `unsupported ALTER TABLE ALTER COLUMN "${cmd.name}" SET DATA TYPE statement: add a new column, backfill it, then drop the old one`,
      }));
  },
});

/** ALTER COLUMN ... SET NOT NULL. */
export const noSetNotNull = defineRule({
  id: "no-set-not-null",
  description: "`ALTER TABLE ... ALTER COLUMN ... SET NOT NULL`",
  instead:
    "`ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID`, then `ALTER TABLE ASYNC t VALIDATE CONSTRAINT c`",
  message: "ALTER COLUMN ... SET NOT NULL is not supported by DSQL",
  sqlstate: "0A000",
  on: ON_ALTER,
  find(stmt) {
    return alterCommands(stmt)
      .filter((cmd) => cmd.subtype === "AT_SetNotNull")
      .map((cmd) => ({
        location: relationLocation(stmt),
        message: `ALTER COLUMN "${cmd.name}" SET NOT NULL is not supported by DSQL: ADD CONSTRAINT ... CHECK ("${cmd.name}" IS NOT NULL) NOT VALID, then ALTER TABLE ASYNC ${tableName(stmt)} VALIDATE CONSTRAINT ...`,
      }));
  },
});

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

/** DROP COLUMN of a primary-key column, where the table's definition is in view. */
export const noDropPrimaryKeyColumn = defineRule({
  id: "no-drop-primary-key-column",
  description:
    "`ALTER TABLE ... DROP COLUMN` of a primary-key column; checked where the CREATE TABLE is in view",
  instead:
    "keep the key column; to change the key, create a new table and copy the rows in batches",
  message: "DSQL cannot drop a primary-key column",
  sqlstate: "0A000",
  on: ON_ALTER,
  find(stmt, ctx) {
    const shape = ctx.tables?.get(relationKey(bodyOf<AlterTableStmt>(stmt).relation));
    if (!shape) return [];
    return alterCommands(stmt)
      .filter((cmd) => cmd.subtype === "AT_DropColumn" && shape.primaryKey.has(cmd.name ?? ""))
      .map((cmd) => ({
        location: relationLocation(stmt),
        message: `DSQL cannot drop primary-key column "${cmd.name}": create a new table with the new key and copy the rows`,
      }));
  },
});
