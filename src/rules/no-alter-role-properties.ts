import type { AlterRoleStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { defineRule, type Hit } from "./define.js";

/** ALTER ROLE / USER with properties, or with per-role settings. */
export const noAlterRoleProperties = defineRule({
  id: "no-alter-role-properties",
  description:
    "`ALTER ROLE / USER` changing properties (`SUPERUSER`, `PASSWORD`, `CONNECTION LIMIT`, ...) or settings (`SET param`)",
  instead: "manage access with IAM (`dsql:DbConnect`) and GRANT / REVOKE",
  message:
    "ALTER ROLE properties and settings are not supported by DSQL: use IAM and GRANT / REVOKE",
  sqlstate: "0A000",
  on: ["AlterRoleStmt", "AlterRoleSetStmt"],
  find(stmt): Hit[] {
    if (stmt.type === "AlterRoleSetStmt") return [{ location: stmt.start }];
    return statementBody<AlterRoleStmt>(stmt).options?.length ? [{ location: stmt.start }] : [];
  },
});
