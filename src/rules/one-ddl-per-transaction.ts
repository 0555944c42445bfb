import { defineRule } from "./define.js";

/** A second DDL statement in one transaction (enforced by the twin per transaction). */
export const oneDdlPerTransaction = defineRule({
  id: "one-ddl-per-transaction",
  description: "more than one DDL statement in one transaction",
  instead: "run each DDL statement in its own transaction (or outside any)",
  message: "DSQL runs one DDL statement per transaction: run each DDL statement on its own",
  sqlstate: "0A000",
});
