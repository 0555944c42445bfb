import { defineRule } from "./define.js";
import { functionCalls } from "./functions.js";

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
