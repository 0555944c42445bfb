import { ON_ALTER, relationLocation } from "./alter-shared.js";
import { alterCommands } from "./columns.js";
import { defineRule } from "./define.js";

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
