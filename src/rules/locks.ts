import { defineRule } from "./define.js";
import { functionCalls } from "./functions.js";

/** LOCK TABLE. */
export const noLockTable = defineRule({
  id: "no-lock-table",
  description: "`LOCK TABLE`",
  instead:
    "nothing to lock: DSQL's optimistic concurrency detects conflicts at COMMIT; retry on 40001",
  message: "LOCK TABLE is not supported by DSQL: conflicts are detected at COMMIT (retry on 40001)",
  sqlstate: "0A000",
  on: ["LockStmt"],
  find: (stmt) => [{ location: stmt.start }],
});

const ADVISORY = /^pg_(try_)?advisory_(xact_)?(lock|unlock)(_shared|_all)?$/;

/** pg_advisory_lock() and friends, anywhere in a statement. */
export const noAdvisoryLock = defineRule({
  id: "no-advisory-lock",
  description: "advisory lock functions (`pg_advisory_lock()`, `pg_try_advisory_xact_lock()`, ...)",
  instead:
    "a row in a lock table written in the transaction (OCC makes concurrent writers conflict)",
  message: "advisory locks are not supported by DSQL",
  sqlstate: "0A000",
  on: ["*"],
  find(stmt) {
    if (!/advisory/i.test(stmt.text)) return [];
    return functionCalls(stmt)
      .filter((call) => ADVISORY.test(call.name))
      .map((call) => ({
        location: call.location,
        message: `${call.name}() is not supported by DSQL: write a row in a lock table instead (OCC makes concurrent writers conflict)`,
      }));
  },
});

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
