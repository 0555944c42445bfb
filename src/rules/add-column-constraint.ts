import { columnConstraints } from "../sql/ast.js";
import { ON_ALTER } from "./alter-shared.js";
import { newColumns } from "./columns.js";
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
