import { DrizzleQueryError } from "drizzle-orm/errors";
import type pg from "pg";
import {
  commitUnknown,
  isConnectionFailure,
  toConnectionError,
  wasNotSent,
} from "./connection-errors.js";
import { checkOut, failureOf, type Lease } from "./connections.js";

/** Anything that runs `query(text)`: a pool or one connection. */
interface Sender {
  query(text: string): Promise<unknown>;
}

/** Whether the runner is a pool (a statement may get a connection of its own). */
export function isPool(client: object): client is pg.Pool {
  return typeof (client as pg.Pool).totalCount === "number";
}

/** Rolls back; returns the error when the connection could not (it must then be destroyed). */
export async function rollbackQuietly(client: Sender): Promise<Error | undefined> {
  try {
    await client.query("ROLLBACK");
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/** COMMIT; a connection lost after it was sent leaves the outcome unknown. */
export async function commit(client: Sender): Promise<void> {
  const brokenBefore = failureOf(client) !== undefined;
  try {
    await client.query("COMMIT");
  } catch (error) {
    if (!isConnectionFailure(error)) throw new DrizzleQueryError("COMMIT", [], error as Error);
    if (brokenBefore || wasNotSent(error)) throw toConnectionError(error, true);
    throw commitUnknown(error);
  }
}

/**
 * Runs `work` in a REPEATABLE READ transaction on a connection of its own and
 * commits; on failure rolls back (a connection that cannot is destroyed).
 */
export async function inOwnTransaction<R>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<R>,
): Promise<R> {
  const { client, release } = await checkOut(pool);
  let broken: Error | undefined;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    try {
      const result = await work(client);
      await commit(client);
      return result;
    } catch (error) {
      broken = await rollbackQuietly(client);
      throw error;
    }
  } catch (error) {
    // Up to COMMIT nothing took effect: a lost connection is safe to retry.
    throw toConnectionError(error, true);
  } finally {
    release(broken);
  }
}

/**
 * A text that writes its own BEGIN ... COMMIT: if it fails part-way its
 * connection may be left inside the transaction, so it is destroyed, never
 * pooled again.
 */
export async function queryOnOwnConnection<R>(
  pool: pg.Pool,
  config: pg.QueryConfig,
  params: unknown[],
): Promise<R> {
  const lease = await checkOut(pool);
  try {
    const result = (await lease.client.query(config, params)) as R;
    lease.release();
    return result;
  } catch (error) {
    // Embedded PGlite shares one session: close a transaction the text left open.
    if (!isConnectionFailure(error)) await lease.client.query("ROLLBACK").catch(() => {});
    lease.release(error instanceof Error ? error : new Error(String(error)));
    throw toConnectionError(error, wasNotSent(error));
  }
}

/** What one `db.transaction()` attempt does between BEGIN and COMMIT. */
export interface TransactionAttempt<T> {
  /** The statement that opens the transaction (`BEGIN ...`). */
  readonly begin: string;
  /** The caller's work, on the transaction's connection. */
  work(client: pg.PoolClient | pg.Client): Promise<T>;
  /** Checks before COMMIT; throwing rolls the transaction back. */
  beforeCommit(): Promise<void>;
  /** After a rollback or a failed COMMIT. */
  rolledBack(): void;
  /** Why the connection must not be pooled again (its session state changed), if it must not. */
  dirty(): Error | undefined;
}

/**
 * One transaction attempt on `runner` (a connection of its own when it is a
 * pool): BEGIN, the work, COMMIT; rolled back when anything before COMMIT
 * fails. Connection failures come out typed, as safe to retry when COMMIT was
 * never sent.
 */
export async function runTransaction<T>(
  runner: pg.Pool | pg.PoolClient | pg.Client,
  attempt: TransactionAttempt<T>,
): Promise<T> {
  const { client, release }: { client: pg.PoolClient | pg.Client; release: Lease["release"] } =
    isPool(runner) ? await checkOut(runner) : { client: runner, release: () => {} };
  try {
    await client.query(attempt.begin);
  } catch (error) {
    release(error as Error);
    // Nothing ran: a connection failure here is safe to retry.
    throw toConnectionError(new DrizzleQueryError(attempt.begin, [], error as Error), true);
  }
  let result: T;
  try {
    result = await attempt.work(client);
    await attempt.beforeCommit();
  } catch (error) {
    const broken = await rollbackQuietly(client);
    attempt.rolledBack();
    release(broken ?? attempt.dirty());
    // COMMIT was never sent: a lost connection rolled the transaction back.
    throw toConnectionError(error, true);
  }
  try {
    await commit(client);
  } catch (error) {
    const broken = isConnectionFailure(error) ? (error as Error) : await rollbackQuietly(client);
    attempt.rolledBack();
    release(broken ?? attempt.dirty());
    throw error;
  }
  release(attempt.dirty());
  return result;
}
