import { defineRule } from "./define.js";

/** More than 10 MiB written in one transaction (twin). */
export const transactionSizeLimit = defineRule({
  id: "transaction-size-limit",
  description: "more than 10 MiB written in one transaction (index writes included)",
  instead: "split the work into smaller transactions (`batchInsert()`)",
  message: "transaction size limit 10mb exceeded: split the work into smaller transactions",
  sqlstate: "54000",
  limit: true,
});
