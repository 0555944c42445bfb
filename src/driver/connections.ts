import type pg from "pg";
import { isConnectionFailure, toConnectionError, wasNotSent } from "./connection-errors.js";

/** A connection's first `error` event, kept so its next user knows it is broken. */
const failures = new WeakMap<object, Error>();
const guarded = new WeakSet<object>();

/**
 * Listens for `error` on a connection for as long as it lives. pg emits
 * `error` on a client when the server ends the connection between queries,
 * and when a FATAL arrives in the same read as the end of the handshake,
 * before `pool.connect()` has even resolved: with no listener that crashes
 * the process.
 */
export function guardClient(client: pg.ClientBase): void {
  if (guarded.has(client)) return;
  guarded.add(client);
  client.on("error", (error: Error) => {
    if (!failures.has(client)) failures.set(client, error);
  });
}

/** The error that broke `client`, if one did. */
export function failureOf(client: object): Error | undefined {
  return failures.get(client);
}

/**
 * Makes a pool safe from connection faults: every new connection is guarded
 * from the moment it connects (the pool's `connect` event fires before
 * `pool.connect()` resolves), and the pool's own `error` (an idle connection
 * died; the pool has already dropped it) is listened for unless the
 * application listens itself.
 */
export function guardPool(client: object): void {
  const pool = client as Partial<pg.Pool>;
  if (typeof pool.on !== "function") return;
  if (typeof pool.totalCount === "number") {
    pool.on("connect", (connection: pg.PoolClient) => guardClient(connection));
  } else {
    guardClient(client as pg.ClientBase);
  }
  if (pool.listenerCount?.("error") === 0) pool.on("error", () => {});
}

/** A connection taken from the pool; `release` destroys it when it broke or was told to. */
export interface Lease {
  client: pg.PoolClient;
  release(destroy?: Error): void;
}

/**
 * Takes a connection from the pool. A failure here happened before anything
 * was sent, so it is a retry-safe `DsqlConnectionError`.
 */
export async function checkOut(pool: pg.Pool): Promise<Lease> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw toConnectionError(error, true);
  }
  guardClient(client);
  let released = false;
  return {
    client,
    release(destroy) {
      if (released) return;
      released = true;
      client.release(destroy ?? failureOf(client));
    },
  };
}

/**
 * One statement on a connection of its own from the pool, like `pool.query`,
 * but a connection failure says whether the statement can have reached the
 * server: only a failure before it was written is retry-safe.
 */
export async function queryOnPool<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  config: pg.QueryConfig,
  params: unknown[],
): Promise<pg.QueryResult<R>> {
  // `checkOut` inline: this runs for every statement outside a transaction,
  // and each async layer costs.
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw toConnectionError(error, true);
  }
  guardClient(client);
  try {
    const result = await client.query<R>(config, params);
    client.release(failureOf(client));
    return result;
  } catch (error) {
    client.release(isConnectionFailure(error) ? (error as Error) : failureOf(client));
    throw toConnectionError(error, wasNotSent(error));
  }
}
