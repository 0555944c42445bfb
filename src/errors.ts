import { DrizzleError } from "drizzle-orm/errors";

/** Options every drizzle-dsql error accepts. */
export interface DsqlErrorOptions {
  /** The error this one explains; kept on `.cause`. */
  cause?: unknown;
  /** The SQLSTATE, where there is one. */
  code?: string;
}

/**
 * Base class of every error drizzle-dsql throws. It is a `DrizzleError`, keeps
 * the original error on `.cause`, and carries the SQLSTATE on `.code` where
 * there is one.
 *
 * @example
 * ```ts
 * try { await db.execute(sql`truncate orders`); }
 * catch (e) { if (e instanceof DsqlError) console.log(e.code, e.message); }
 * ```
 */
export class DsqlError extends DrizzleError {
  /** The SQLSTATE of the failure, when there is one. */
  readonly code: string | undefined;

  constructor(message: string, options: DsqlErrorOptions = {}) {
    super({ message, cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
  }
}

/**
 * An optimistic-concurrency conflict (SQLSTATE 40001) surfaced because retry
 * was off. `.dsqlCode` is `OC000` (data conflict) or `OC001` (schema changed)
 * when the server's message names one.
 */
export class DsqlConflictError extends DsqlError {
  /** `OC000`, `OC001`, or undefined when the message carries neither. */
  readonly dsqlCode: "OC000" | "OC001" | undefined;

  constructor(message: string, options: DsqlErrorOptions & { dsqlCode?: "OC000" | "OC001" }) {
    super(message, { ...options, code: "40001" });
    this.dsqlCode = options.dsqlCode;
  }
}

/** Still conflicting after `maxAttempts` attempts; the last error is on `.cause`. */
export class DsqlRetryExhaustedError extends DsqlError {
  /** How many times the work was attempted. */
  readonly attempts: number;

  constructor(attempts: number, cause: unknown) {
    super(`OCC conflict persisted after ${attempts} attempts; giving up`, {
      cause,
      code: "40001",
    });
    this.attempts = attempts;
  }
}

/**
 * DSQL would reject (or rejected) the statement: `.rule` names the rule,
 * `.code` the SQLSTATE DSQL uses (0A000, 42704 for serial, ...).
 */
export class DsqlUnsupportedError extends DsqlError {
  /** The id of the DSQL rule that refused the statement. */
  readonly rule: string;

  constructor(message: string, options: DsqlErrorOptions & { rule: string }) {
    super(message, { ...options, code: options.code ?? "0A000" });
    this.rule = options.rule;
  }
}

/** A DSQL limit was crossed (54000 transaction limits, 54011 index keys). */
export class DsqlLimitError extends DsqlError {
  /** The id of the limit rule, e.g. `transaction-row-limit`. */
  readonly rule: string;

  constructor(message: string, options: DsqlErrorOptions & { rule: string }) {
    super(message, { ...options, code: options.code ?? "54000" });
    this.rule = options.rule;
  }
}

/** The tenant scope refused a statement before it reached the database. */
export class TenantScopeError extends DsqlError {}

/** A TEXT column holds text that its column helper cannot decode. */
export class DsqlDecodeError extends DsqlError {
  /** The column whose stored text did not decode. */
  readonly column: string;

  constructor(message: string, options: DsqlErrorOptions & { column: string }) {
    super(message, options);
    this.column = options.column;
  }
}

/**
 * A connection failed or was lost: the server ended it (57P01), is starting
 * up (57P03), is out of connections (53300, 53400), the socket broke
 * (`ECONNRESET`, ...) or did not open in time. `.code` is the SQLSTATE or the
 * errno; pg's own "Connection terminated" messages get 08006, its connect
 * timeout 08001. Only failures that happened before anything was sent are
 * retried; one that surfaces may have run its statement (outside a
 * transaction) or, in a transaction, rolled the transaction back.
 *
 * @example
 * ```ts
 * try { await db.update(orders).set({ status: "paid" }).where(eq(orders.id, id)); }
 * catch (e) { if (e instanceof DsqlConnectionError) console.log(e.code); }
 * ```
 */
export class DsqlConnectionError extends DsqlError {}

/**
 * The reply to COMMIT was lost: the transaction may or may not have
 * committed, so it is never retried. Check whether its writes are there
 * (by a key the transaction wrote) before running it again.
 *
 * @example
 * ```ts
 * try { await db.transaction(async (tx) => { await tx.insert(payments).values(p); }); }
 * catch (e) {
 *   if (e instanceof DsqlCommitUnknownError) {
 *     const [done] = await db.select().from(payments).where(eq(payments.id, p.id));
 *     if (!done) await retryPayment(p);
 *   }
 * }
 * ```
 */
export class DsqlCommitUnknownError extends DsqlError {}

/**
 * A value a TEXT column helper cannot store losslessly (NaN, a Date, a
 * BigInt, `undefined` in an array, a csv element the delimiter would split).
 * Nothing is sent: the value is refused while the statement is built.
 *
 * @example
 * ```ts
 * try { await db.insert(settings).values({ prefs: { at: new Date() } }); }
 * catch (e) { if (e instanceof DsqlEncodeError) console.log(e.column); } // "settings.prefs"
 * ```
 */
export class DsqlEncodeError extends DsqlError {
  /** The column, as `table.column`, that refused the value. */
  readonly column: string;

  constructor(message: string, options: DsqlErrorOptions & { column: string }) {
    super(message, options);
    this.column = options.column;
  }
}

/**
 * A statement would leave state on a pooled connection that the next caller
 * would inherit: transaction control (`BEGIN`, `COMMIT`, `ROLLBACK`,
 * `SAVEPOINT`) run through `execute`, or session settings (`SET`, `RESET`,
 * `SET ROLE`, `DISCARD`, `PREPARE`, `LISTEN`, temp tables, `set_config`)
 * outside `db.transaction()`. `.statement` is the refused statement's kind.
 *
 * @example
 * ```ts
 * await db.execute(sql`set search_path to app`);   // throws DsqlSessionStateError
 * await db.transaction(async (tx) => {
 *   await tx.execute(sql`set local search_path to app`); // fine: ends with the transaction
 * });
 * ```
 */
export class DsqlSessionStateError extends DsqlError {}
