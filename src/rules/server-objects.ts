import type { AlterRoleStmt, CopyStmt } from "@pgsql/types";
import { bodyOf } from "./ast.js";
import { defineRule, type Hit } from "./define.js";

/** COPY from or to a file or program on the server. */
export const noCopyFile = defineRule({
  id: "no-copy-file",
  description: "`COPY ... FROM / TO` a server file or `PROGRAM` (`COPY ... FROM STDIN` is fine)",
  instead: "`COPY ... FROM STDIN` from the client, or `batchInsert()`",
  message:
    "COPY with a server file or program is not supported by DSQL: copy FROM STDIN from the client",
  sqlstate: "0A000",
  on: ["CopyStmt"],
  find(stmt): Hit[] {
    const copy = bodyOf<CopyStmt>(stmt);
    return copy.filename || copy.is_program ? [{ location: stmt.start }] : [];
  },
});

/** Foreign data: CREATE SERVER, FOREIGN DATA WRAPPER, FOREIGN TABLE, USER MAPPING, IMPORT FOREIGN SCHEMA. */
export const noForeignData = defineRule({
  id: "no-foreign-data",
  description:
    "foreign data: `CREATE SERVER`, `CREATE FOREIGN DATA WRAPPER`, `CREATE FOREIGN TABLE`, `CREATE USER MAPPING`, `IMPORT FOREIGN SCHEMA`",
  instead: "read the other system from application code",
  message: "foreign servers and tables are not supported by DSQL",
  sqlstate: "0A000",
  on: [
    "CreateForeignServerStmt",
    "AlterForeignServerStmt",
    "CreateFdwStmt",
    "AlterFdwStmt",
    "CreateForeignTableStmt",
    "CreateUserMappingStmt",
    "AlterUserMappingStmt",
    "ImportForeignSchemaStmt",
  ],
  find: (stmt) => [{ location: stmt.start }],
});

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
    return bodyOf<AlterRoleStmt>(stmt).options?.length ? [{ location: stmt.start }] : [];
  },
});

/** The rule system: CREATE RULE. */
export const noRule = defineRule({
  id: "no-rule",
  description: "`CREATE RULE` (query rewrite rules)",
  instead: "a view, or the logic in application code",
  message: "rules (CREATE RULE) are not supported by DSQL: use a view or application code",
  sqlstate: "0A000",
  on: ["RuleStmt"],
  find: (stmt) => [{ location: stmt.start }],
});
