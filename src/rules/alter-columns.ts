import type { AlterTableStmt } from "@pgsql/types";
import { ON_ALTER, relationLocation, tableName } from "./alter-shared.js";
import { bodyOf, relationKey } from "./ast.js";
import { alterCommands, columnConstraints, newColumns } from "./columns.js";
import { defineRule, type Hit } from "./define.js";

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

/** ALTER COLUMN ... SET DATA TYPE, and SET EXPRESSION (changing what a generated column holds). */
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
      .filter((cmd) => cmd.subtype === "AT_AlterColumnType" || cmd.subtype === "AT_SetExpression")
      .map((cmd) => ({
        location: relationLocation(stmt),
        message: `unsupported ALTER TABLE ALTER COLUMN "${cmd.name}" ${cmd.subtype === "AT_SetExpression" ? "SET EXPRESSION" : "SET DATA TYPE"} statement: add a new column, backfill it, then drop the old one`,
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
