import type { PgTransactionConfig } from "drizzle-orm/pg-core";
import { DsqlError, DsqlUnsupportedError } from "../errors.js";

const ISOLATION_LEVELS = new Set([
  "read uncommitted",
  "read committed",
  "repeatable read",
  "serializable",
]);
const ACCESS_MODES = new Set(["read only", "read write"]);

/**
 * The transaction modes for `BEGIN` / `SET TRANSACTION`, the same for
 * `transaction(fn, config)` and `tx.setTransaction(config)`.
 *
 * Under DSQL's rules (`dsql`) only REPEATABLE READ (snapshot isolation) is
 * accepted and `deferrable` is dropped (it has no effect below SERIALIZABLE);
 * `pinIsolation` asks for REPEATABLE READ explicitly, as a local twin must.
 * Otherwise (`dsqlRules: "off"` on a local backend) the modes are exactly
 * the ones drizzle-orm/node-postgres sends. Values are checked, never
 * spliced in as given.
 */
export function transactionModes(
  config: PgTransactionConfig | undefined,
  dsql: boolean,
  pinIsolation: boolean,
): string {
  const { isolationLevel, accessMode, deferrable } = config ?? {};
  if (isolationLevel !== undefined && !ISOLATION_LEVELS.has(isolationLevel)) {
    throw new DsqlError(`Unknown transaction isolationLevel ${JSON.stringify(isolationLevel)}`);
  }
  if (accessMode !== undefined && !ACCESS_MODES.has(accessMode)) {
    throw new DsqlError(`Unknown transaction accessMode ${JSON.stringify(accessMode)}`);
  }
  if (deferrable !== undefined && typeof deferrable !== "boolean") {
    throw new DsqlError(`Transaction deferrable must be a boolean, got ${String(deferrable)}`);
  }
  const parts: string[] = [];
  if (dsql) {
    if (isolationLevel && isolationLevel !== "repeatable read") {
      throw new DsqlUnsupportedError(
        `DSQL always runs transactions at snapshot isolation (REPEATABLE READ); isolation level "${isolationLevel}" is not supported`,
        { rule: "isolation-level", code: "0A000" },
      );
    }
    if (pinIsolation) parts.push("isolation level repeatable read");
  } else if (isolationLevel) {
    parts.push(`isolation level ${isolationLevel}`);
  }
  if (accessMode) parts.push(accessMode);
  if (!dsql && deferrable !== undefined) parts.push(deferrable ? "deferrable" : "not deferrable");
  return parts.join(" ");
}

/** The refusal of `tx.transaction()` under DSQL's rules. */
export function nestedTransactionError(): DsqlUnsupportedError {
  return new DsqlUnsupportedError(
    "Nested transactions are not supported: DSQL has no SAVEPOINT. Do the work in the outer transaction.",
    { rule: "no-savepoint", code: "0A000" },
  );
}
