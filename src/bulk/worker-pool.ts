/** What {@link runWorkers} ends with: the first error, if any. */
export interface WorkersOutcome {
  failed: boolean;
  /** The first error a pull or a `work` call threw. */
  failure: unknown;
}

/**
 * Runs `work` on each item of `items`, `concurrency` at once: each worker
 * pulls the next item when its last one is done (the source is read lazily,
 * never ahead). Once an item's work throws, or `signal` aborts, no worker
 * pulls again; work in flight finishes. `stopped()` tells long-running work
 * (several transactions per item) to stop early too. At the end the source
 * is closed (`return()`), so a generator's `finally` runs.
 */
export async function runWorkers<T>(
  items: AsyncIterator<T>,
  options: { concurrency: number; signal?: AbortSignal | undefined },
  work: (item: T, stopped: () => boolean) => Promise<void>,
): Promise<WorkersOutcome> {
  const outcome: WorkersOutcome = { failed: false, failure: undefined };
  const stopped = () => outcome.failed || options.signal?.aborted === true;
  const fail = (error: unknown) => {
    if (outcome.failed) return;
    outcome.failed = true;
    outcome.failure = error;
  };
  const worker = async () => {
    while (!stopped()) {
      let next: IteratorResult<T>;
      try {
        next = await items.next();
      } catch (error) {
        fail(error);
        return;
      }
      if (next.done) return;
      try {
        await work(next.value, stopped);
      } catch (error) {
        fail(error);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await items.return?.(undefined);
  return outcome;
}
