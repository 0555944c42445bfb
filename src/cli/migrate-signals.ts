import { describeHolder, MigrationAbortedError, messageWithCause } from "../errors.js";
import { holderAlive, holderProcessGone } from "../migrator/lock-holder.js";
import type { MigrationProgress } from "../migrator/progress.js";
import type { CliIo } from "./io.js";

const seconds = (ms: number) => `${Math.max(0, Math.round(ms / 1000))}s`;

/** What a waiting `migrate` prints: who holds the lock, since when, and how long until takeover. */
export function lockWaitNote(
  event: Extract<MigrationProgress, { type: "waiting-for-lock" }>,
): string {
  const who = `the migration lock is held by ${describeHolder(event.holder)}`;
  const renewed =
    event.renewedMsAgo === undefined ? "" : `, last renewed ${seconds(event.renewedMsAgo)} ago`;
  const takeover = `; this run takes it over in ${seconds(event.expiresInMs)} when its lease ends`;
  const gone = holderProcessGone(event.holder);
  const alive = holderAlive({
    holder: event.holder,
    expiresInMs: event.expiresInMs,
    renewedMsAgo: event.renewedMsAgo,
  });
  const why = gone
    ? `its process ${event.holder.pid} is gone from this host`
    : "it stopped renewing it (killed?)";
  const advice =
    alive && !gone
      ? " (unless it renews it: it is alive, waiting for it to finish)"
      : `. The holder is not alive (${why}): stop this run and run \`drizzle-dsql migrate --break-stale-lock\` to take the lock over now`;
  return `${who}${renewed}${takeover}${advice}`;
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
const EXIT_CODES: Record<(typeof SIGNALS)[number], number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Runs `body` with an AbortSignal that SIGINT / SIGTERM abort: the migration
 * stops and releases its lock, and the command exits 130 / 143. A second
 * signal exits at once; if closing the connection hangs, the process exits
 * a second after the run stopped.
 */
export async function whileSignalled(
  io: CliIo,
  body: (signal: AbortSignal) => Promise<number>,
): Promise<number> {
  const controller = new AbortController();
  let received: (typeof SIGNALS)[number] | undefined;
  const handlers = SIGNALS.map((name) => {
    const handler = () => {
      if (received) process.exit(EXIT_CODES[name]);
      received = name;
      io.stderr(`\n${name}: stopping and releasing the migration lock (again to quit at once)\n`);
      controller.abort(new Error(`${name} received`));
    };
    process.on(name, handler);
    return { name, handler };
  });
  try {
    return await body(controller.signal);
  } catch (error) {
    if (!received) throw error;
    const what = error instanceof MigrationAbortedError ? error.message : messageWithCause(error);
    io.stderr(`drizzle-dsql migrate: ${what}\n`);
    setTimeout(() => process.exit(EXIT_CODES[received ?? "SIGINT"]), 1000).unref();
    return EXIT_CODES[received];
  } finally {
    for (const { name, handler } of handlers) process.off(name, handler);
  }
}
