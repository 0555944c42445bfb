import { causeChain, DsqlCommitUnknownError, DsqlConnectionError } from "../errors.js";

/**
 * SQLSTATEs of a connection that failed or ended: class 08, the server
 * shutting down or restarting (57P01-57P03), and DSQL's connection limits
 * (53300: 10,000 per cluster; 53400: 100 new per second).
 */
const CONNECTION_STATES = /^(08...|57P0[123]|53300|53400)$/;

/** Socket errnos that mean the connection could not be opened or broke. */
const CONNECTION_ERRNOS = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** pg's messages for a query that it never wrote to the socket. */
const NOT_SENT = /is not queryable/i;

/** pg's own messages for a lost connection or a connect timeout, and the SQLSTATE they get. */
const PG_MESSAGES: [RegExp, string][] = [
  [/timeout exceeded when trying to connect|due to connection timeout/i, "08001"],
  [/Connection terminated|is not queryable|Query read timeout|socket hang up/i, "08006"],
];

/** The first error with a `.code` or a message that tells, outermost first. */
function connectionCode(error: unknown): { code: string; error: unknown } | undefined {
  for (const e of causeChain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      if (CONNECTION_STATES.test(code) || CONNECTION_ERRNOS.has(code)) return { code, error: e };
    }
  }
  for (const e of causeChain(error)) {
    const message = String((e as { message?: unknown }).message ?? "");
    for (const [pattern, code] of PG_MESSAGES) if (pattern.test(message)) return { code, error: e };
  }
  return undefined;
}

/** Whether `error` (anywhere on its `.cause` chain) is a failed or lost connection. */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof DsqlCommitUnknownError) return false;
  return connectionCode(error) !== undefined;
}

/** Whether pg refused the query before writing it (the client was already broken or closed). */
export function wasNotSent(error: unknown): boolean {
  for (const e of causeChain(error)) {
    if (NOT_SENT.test(String((e as { message?: unknown }).message ?? ""))) return true;
  }
  return false;
}

/** Failures known to have happened before the work reached the server: safe to run again. */
const safeToRetry = new WeakSet<object>();

/** Whether the failure may be retried: nothing of the work can have taken effect. */
export function isSafeToRetry(error: unknown): boolean {
  return typeof error === "object" && error !== null && safeToRetry.has(error);
}

/**
 * The typed error for a connection failure, or `error` unchanged when it is
 * not one. `safe` says nothing was sent (or the transaction never reached
 * COMMIT), so the retry layer may run the work again.
 */
export function toConnectionError(error: unknown, safe: boolean): unknown {
  for (const e of causeChain(error)) {
    if (e instanceof DsqlCommitUnknownError) return e;
    if (e instanceof DsqlConnectionError) {
      if (safe) safeToRetry.add(e);
      return e;
    }
  }
  const found = connectionCode(error);
  if (!found) return error;
  const message = String((found.error as { message?: unknown }).message ?? error);
  const typed = new DsqlConnectionError(`Connection failed (${found.code}): ${message}`, {
    cause: error,
    code: found.code,
  });
  if (safe) safeToRetry.add(typed);
  return typed;
}

/** The error for a COMMIT whose reply was lost. */
export function commitUnknown(error: unknown): DsqlCommitUnknownError {
  const found = connectionCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return new DsqlCommitUnknownError(
    `The connection was lost while waiting for COMMIT's reply (${message}): the transaction may or may not have committed; it was not retried`,
    { cause: error, code: found?.code },
  );
}
