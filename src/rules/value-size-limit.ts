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
