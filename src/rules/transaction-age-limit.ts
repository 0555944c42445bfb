import { defineRule } from "./define.js";

/** A transaction older than 300 seconds (twin). */
export const transactionAgeLimit = defineRule({
  id: "transaction-age-limit",
  description: "a transaction open longer than 300 seconds",
  instead: "keep transactions short; do slow work outside them",
  message: "transaction age limit of 300s exceeded: keep transactions short",
  sqlstate: "54000",
  limit: true,
});
