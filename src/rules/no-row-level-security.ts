import { alterCommands } from "./columns.js";
import { defineRule } from "./define.js";

const RLS_COMMANDS = new Set(["AT_EnableRowSecurity", "AT_ForceRowSecurity"]);

/** Row-level security and policies. */
export const noRowLevelSecurity = defineRule({
  id: "no-row-level-security",
  description:
    "row-level security (`ENABLE` / `FORCE ROW LEVEL SECURITY`) and `CREATE` / `ALTER POLICY`",
  instead: "scope rows in the application (`withTenant()` from drizzle-dsql) and with scoped roles",
  message:
    "row-level security and policies are not supported by DSQL: scope rows in the application (withTenant())",
  sqlstate: "0A000",
  on: ["AlterTableStmt", "CreatePolicyStmt", "AlterPolicyStmt"],
  find(stmt) {
    if (stmt.type !== "AlterTableStmt") return [{ location: stmt.start }];
    return alterCommands(stmt).some((c) => RLS_COMMANDS.has(c.subtype ?? ""))
      ? [{ location: stmt.start }]
      : [];
  },
});
