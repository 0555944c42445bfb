import { type RetryOptions, resolveRetry } from "../driver/retry.js";
import { DsqlError } from "../errors.js";

/**
 * Checks a bulk helper's `retry` option as `db.transaction` would (a typed
 * error naming the helper and the option), and returns the per-transaction
 * retry setting that also counts each retry through `count`.
 */
export function countingRetry(
  helper: string,
  retry: unknown,
  count: () => void,
): RetryOptions | false {
  if (retry === undefined) return { onRetry: count };
  try {
    resolveRetry(retry as RetryOptions | false);
  } catch (error) {
    throw new DsqlError(`${helper}: option retry: ${(error as Error).message}`, { cause: error });
  }
  if (retry === false) return false;
  const options = retry as RetryOptions;
  return {
    ...options,
    onRetry: (error, attempt) => {
      count();
      options.onRetry?.(error, attempt);
    },
  };
}
