import { DsqlSessionStateError } from "../errors.js";
import type { SessionEffect } from "./session-state.js";

/** Where a statement runs, for {@link checkSessionEffect}. */
export interface StatementPlace {
  /** Inside `db.transaction()`. */
  inTransaction: boolean;
  /** Every connection shares one server session (embedded PGlite). */
  sharedSession: boolean;
}

/**
 * Pool hygiene: transaction control belongs to `db.transaction()` alone;
 * session state is refused outside a transaction and, inside one, gets the
 * connection destroyed instead of pooled again.
 *
 * @returns Whether the transaction's connection must be destroyed after it.
 * @throws DsqlSessionStateError when the statement's effect is refused.
 */
export function checkSessionEffect(
  effect: SessionEffect,
  text: string,
  place: StatementPlace,
): boolean {
  if (effect === undefined) return false;
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  const refuse = (why: string) =>
    new DsqlSessionStateError(`Refused ${JSON.stringify(shown)}: ${why}`);
  if (effect === "own-transaction" && !place.inTransaction) return false;
  if (effect === "transaction" || effect === "own-transaction") {
    throw refuse(
      "transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ...) through execute() would leave the pooled connection in a transaction the next caller inherits; use db.transaction() (tx.rollback() to roll back)",
    );
  }
  if (place.inTransaction && !place.sharedSession) return true;
  if (place.inTransaction) {
    throw refuse(
      "a session setting inside db.transaction() would outlive it: embedded PGlite serves every connection from one session; use SET LOCAL (or set_config(..., true))",
    );
  }
  throw refuse(
    "a session setting (SET, RESET, SET ROLE, DISCARD, PREPARE, LISTEN, temp objects, set_config, advisory locks) outside db.transaction() would stay on the pooled connection for the next caller; use SET LOCAL (or set_config(..., true)) inside db.transaction()",
  );
}
