import { defineRule } from "./define.js";

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
