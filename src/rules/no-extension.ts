import { defineRule } from "./define.js";

/** CREATE / ALTER EXTENSION. */
export const noExtension = defineRule({
  id: "no-extension",
  description: "`CREATE EXTENSION` and other extension statements",
  instead: "nothing to install: `gen_random_uuid()` is built in; do the rest in application code",
  message: "extensions are not supported by DSQL",
  sqlstate: "0A000",
  on: ["CreateExtensionStmt", "AlterExtensionStmt", "AlterExtensionContentsStmt"],
  find: (stmt) => [{ location: stmt.start }],
});
