import { defineRule } from "./define.js";

/** CREATE DATABASE. */
export const noCreateDatabase = defineRule({
  id: "no-create-database",
  description: "`CREATE DATABASE`",
  instead: "a cluster per database, or schemas within one",
  message: "CREATE DATABASE is not supported by DSQL: create another cluster, or use a schema",
  sqlstate: "0A000",
  on: ["CreatedbStmt"],
  find: (stmt) => [{ location: stmt.start }],
});
