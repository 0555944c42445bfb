import { ON_ALTER, relationLocation } from "./alter-shared.js";
import { alterCommands } from "./columns.js";
import { defineRule } from "./define.js";

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
