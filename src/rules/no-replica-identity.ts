import { alterCommands } from "./columns.js";
import { defineRule } from "./define.js";

/** REPLICA IDENTITY (logical replication settings). */
export const noReplicaIdentity = defineRule({
  id: "no-replica-identity",
  description: "`ALTER TABLE ... REPLICA IDENTITY`",
  instead: "leave it out: DSQL has no logical replication slots",
  message: "REPLICA IDENTITY is not supported by DSQL",
  sqlstate: "0A000",
  on: ["AlterTableStmt"],
  find: (stmt) =>
    alterCommands(stmt)
      .filter((cmd) => cmd.subtype === "AT_ReplicaIdentity")
      .map(() => ({ location: stmt.start })),
});
