import { defineRule } from "./define.js";

/** More than 3,000 modified rows in one transaction (twin). */
export const transactionRowLimit = defineRule({
  id: "transaction-row-limit",
  description: "more than 3,000 rows modified in one transaction",
  instead: "split the work into transactions of at most 3,000 rows (`batchInsert()`)",
  message:
    "transaction row limit exceeded: DSQL modifies at most 3,000 rows per transaction; split the work",
  sqlstate: "54000",
  limit: true,
});
