import { defineRule } from "./define.js";

/** DDL and DML in one transaction (enforced by the twin per transaction). */
export const noDdlWithDml = defineRule({
  id: "no-ddl-with-dml",
  description: "DDL and DML (INSERT, UPDATE, DELETE) in the same transaction",
  instead: "commit the DDL on its own, then write data in a separate transaction",
  message: "DSQL does not mix DDL and DML in one transaction: run the DDL on its own",
  sqlstate: "0A000",
});
