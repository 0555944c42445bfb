import { deparsed, ON_ALTER, relationLocation, tableName } from "./alter-shared.js";
import { alterCommands } from "./columns.js";
import { defineRule } from "./define.js";

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
