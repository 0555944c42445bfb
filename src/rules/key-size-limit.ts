import { defineRule } from "./define.js";

/** A primary-key or index key over 1 KiB (twin). */
export const keySizeLimit = defineRule({
  id: "key-size-limit",
  description: "a primary key or index key over 1 KiB (the key columns' values together)",
  instead: "key on a short value (a uuid, or a hash of the long value)",
  message: "key size limit exceeded: DSQL keys (primary and index) hold at most 1 KiB",
  sqlstate: "54000",
  limit: true,
});
