import { ON_ALTER, relationLocation, tableName } from "./alter-shared.js";
import { alterCommands } from "./columns.js";
import { defineRule } from "./define.js";

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
