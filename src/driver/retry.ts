import { causeChain, DsqlConflictError, DsqlError, DsqlRetryExhaustedError } from "../errors.js";
import { isSafeToRetry } from "./connection-errors.js";

/**
 * How OCC conflicts (SQLSTATE 40001) are retried: the whole transaction (or
 * single statement) runs again after an exponential backoff with full jitter.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** Backoff base in milliseconds. Default 20. */
  baseDelayMs?: number;
  /** Backoff cap in milliseconds. Default 2,000. */
  maxDelayMs?: number;
  /** Called before each new attempt with the conflict and the attempt about to run (2, 3, ...). */
  onRetry?: (error: unknown, attempt: number) => void;
}

/** Retry options with every field present; `false` means no retry. */
export interface ResolvedRetry {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  onRetry: ((error: unknown, attempt: number) => void) | undefined;
}

const DEFAULTS = { maxAttempts: 5, baseDelayMs: 20, maxDelayMs: 2000 } as const;

function checkNumber(name: string, value: unknown, min: number, integer: boolean): number {
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < min ||
    (integer && !Number.isInteger(value))
  ) {
    throw new DsqlError(
      `Invalid retry option ${name}: ${String(value)} (expected a finite ${integer ? "integer" : "number"} >= ${min})`,
    );
  }
  return value;
}

/**
 * Validates retry options up front (NaN, negatives and Infinity are refused)
 * and fills in defaults. `false` turns retry off (one attempt, conflicts
 * surface as {@link DsqlConflictError}).
 */
export function resolveRetry(
  options: RetryOptions | false | undefined,
  base?: ResolvedRetry | false,
): ResolvedRetry | false {
  if (options === false) return false;
  const from = base === false || base === undefined ? { ...DEFAULTS, onRetry: undefined } : base;
  if (options === undefined) return base === false ? false : from;
  if (typeof options !== "object" || options === null) {
    throw new DsqlError(
      `Invalid retry option: expected an object or false, got ${String(options)}`,
    );
  }
  const resolved: ResolvedRetry = {
    maxAttempts:
      options.maxAttempts === undefined
        ? from.maxAttempts
        : checkNumber("maxAttempts", options.maxAttempts, 1, true),
    baseDelayMs:
      options.baseDelayMs === undefined
        ? from.baseDelayMs
        : checkNumber("baseDelayMs", options.baseDelayMs, 0, false),
    maxDelayMs:
      options.maxDelayMs === undefined
        ? from.maxDelayMs
        : checkNumber("maxDelayMs", options.maxDelayMs, 0, false),
    onRetry: options.onRetry ?? from.onRetry,
  };
  if (options.onRetry !== undefined && typeof options.onRetry !== "function") {
    throw new DsqlError("Invalid retry option onRetry: expected a function");
  }
  if (resolved.maxDelayMs < resolved.baseDelayMs) {
    throw new DsqlError(
      `Invalid retry options: maxDelayMs (${resolved.maxDelayMs}) < baseDelayMs (${resolved.baseDelayMs})`,
    );
  }
  return resolved;
}

/**
 * SQLSTATEs retried as conflicts: 40001 (DSQL's OC000/OC001), and 40P01, the
 * deadlock a local PostgreSQL twin reports where DSQL, which never waits on
 * row locks, would fail the commit with OC000.
 */
const CONFLICT_CODES = new Set(["40001", "40P01"]);

/**
 * Whether the error, anywhere on its `.cause` chain, is retried as an OCC
 * conflict: SQLSTATE 40001 (DSQL's OC000 / OC001) or 40P01 (a deadlock on a
 * local PostgreSQL twin, which DSQL would report as OC000 at commit). A
 * {@link DsqlRetryExhaustedError} on the chain is not: its retries are spent.
 */
export function isOccConflict(error: unknown): boolean {
  for (const e of causeChain(error)) {
    if (e instanceof DsqlRetryExhaustedError) return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CONFLICT_CODES.has(code)) return true;
  }
  return false;
}

/** `OC000` / `OC001` when a message on the chain names one. */
export function dsqlCodeOf(error: unknown): "OC000" | "OC001" | undefined {
  for (const e of causeChain(error)) {
    const match = /\b(OC00[01])\b/.exec(String((e as { message?: unknown }).message ?? ""));
    if (match) return match[1] as "OC000" | "OC001";
  }
  return undefined;
}

/** Delay before attempt `attempt + 1`: full jitter over an exponential ceiling. */
export function backoffDelay(retry: ResolvedRetry, attempt: number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.random() * ceiling;
}

function conflictError(error: unknown): DsqlConflictError {
  const first = [...causeChain(error)].find((e) =>
    CONFLICT_CODES.has(String((e as { code?: unknown }).code)),
  );
  const message = String((first as { message?: unknown } | undefined)?.message ?? "OCC conflict");
  return new DsqlConflictError(`OCC conflict (40001): ${message}`, {
    cause: error,
    dsqlCode: dsqlCodeOf(error),
  });
}

function sleep(ms: number): Promise<void> | undefined {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : undefined;
}

/**
 * What follows a failed attempt: throws when it is not retried (with the
 * typed conflict or exhaustion error where one applies), else waits out the
 * backoff before attempt `attempt + 1`.
 */
async function afterFailure(
  retry: ResolvedRetry | false,
  error: unknown,
  attempt: number,
): Promise<void> {
  const maxAttempts = retry === false ? 1 : retry.maxAttempts;
  if (isSafeToRetry(error)) {
    if (retry === false || attempt >= maxAttempts) throw error;
    retry.onRetry?.(error, attempt + 1);
    await sleep(backoffDelay(retry, attempt));
    return;
  }
  if (!isOccConflict(error) || error instanceof DsqlConflictError) throw error;
  if (retry === false) throw conflictError(error);
  if (attempt >= maxAttempts) throw new DsqlRetryExhaustedError(attempt, error);
  retry.onRetry?.(error, attempt + 1);
  await sleep(backoffDelay(retry, attempt));
}

/**
 * Runs `work` and runs it again on OCC conflicts, per `retry`. Exhaustion
 * throws {@link DsqlRetryExhaustedError}; with retry off a conflict throws
 * {@link DsqlConflictError}. Connection failures marked safe (nothing was
 * sent, or the transaction never reached COMMIT) are retried within the same
 * budget and surface as themselves when it runs out. Other errors pass
 * through untouched.
 */
export function withOccRetry<T>(
  retry: ResolvedRetry | false,
  work: (attempt: number) => Promise<T>,
): Promise<T> {
  return attemptsFrom(retry, work, 1);
}

/**
 * {@link withOccRetry} for work whose first attempt already ran and failed
 * with `error` (the caller ran it inline, with no retry closure on the
 * common path where it succeeds): the same decision, then attempts 2, 3, ...
 */
export async function retryAfterFirst<T>(
  retry: ResolvedRetry | false,
  error: unknown,
  work: (attempt: number) => Promise<T>,
): Promise<T> {
  await afterFailure(retry, error, 1);
  return attemptsFrom(retry, work, 2);
}

async function attemptsFrom<T>(
  retry: ResolvedRetry | false,
  work: (attempt: number) => Promise<T>,
  first: number,
): Promise<T> {
  for (let attempt = first; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      await afterFailure(retry, error, attempt);
    }
  }
}
