import { defineRule } from "./define.js";
import { functionCalls } from "./functions.js";

/** LISTEN / NOTIFY / UNLISTEN and pg_notify(). */
export const noListenNotify = defineRule({
  id: "no-listen-notify",
  description: "`LISTEN`, `NOTIFY`, `UNLISTEN`, `pg_notify()`",
  instead: "a queue outside the database (SQS, EventBridge), or polling a table",
  message: "LISTEN/NOTIFY is not supported by DSQL: use a queue or poll a table",
  sqlstate: "0A000",
  on: ["*"],
  find(stmt) {
    if (stmt.type === "ListenStmt" || stmt.type === "NotifyStmt" || stmt.type === "UnlistenStmt") {
      return [{ location: stmt.start }];
    }
    if (!/pg_notify/i.test(stmt.text)) return [];
    return functionCalls(stmt)
      .filter((call) => call.name === "pg_notify")
      .map((call) => ({ location: call.location }));
  },
});
