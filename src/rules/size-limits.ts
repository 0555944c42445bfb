import { defineRule } from "./define.js";

/** One text / json / jsonb / bytea value over 1 MiB (twin, from what the server stored). */
export const valueSizeLimit = defineRule({
  id: "value-size-limit",
  description: "a text, varchar, json, jsonb or bytea value over 1 MiB",
  instead: "keep large documents in object storage (S3) and store their key",
  message: "value size limit exceeded: DSQL stores at most 1 MiB per column value",
  sqlstate: "54000",
  limit: true,
});

/** One row over 2 MiB (twin). */
export const rowSizeLimit = defineRule({
  id: "row-size-limit",
  description: "a row over 2 MiB",
  instead: "split wide rows into several tables, or keep large parts in object storage",
  message: "row size limit exceeded: DSQL stores at most 2 MiB per row",
  sqlstate: "54000",
  limit: true,
});

/** A primary-key or index key over 1 KiB (twin). */
export const keySizeLimit = defineRule({
  id: "key-size-limit",
  description: "a primary key or index key over 1 KiB (the key columns' values together)",
  instead: "key on a short value (a uuid, or a hash of the long value)",
  message: "key size limit exceeded: DSQL keys (primary and index) hold at most 1 KiB",
  sqlstate: "54000",
  limit: true,
});
