import { defineRule } from "./define.js";

/** One row over 2 MiB (twin). */
export const rowSizeLimit = defineRule({
  id: "row-size-limit",
  description: "a row over 2 MiB",
  instead: "split wide rows into several tables, or keep large parts in object storage",
  message: "row size limit exceeded: DSQL stores at most 2 MiB per row",
  sqlstate: "54000",
  limit: true,
});
