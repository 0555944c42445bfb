import type { PGlite } from "@electric-sql/pglite";

/**
 * Calls `then` once, as soon as `db`, after serving its first wire-protocol
 * message, has served none for `quietMs` (checked on an unref'd timer: it
 * never keeps the process alive), or has been closed. The wait before the
 * first message (the server starting, the pool connecting) is not quiet.
 * PGlite runs on the caller's thread, so work started from `then` takes the
 * thread only while the database it watches is quiet.
 */
export function whenQuiet(db: PGlite, quietMs: number, then: () => void): void {
  let last: number | undefined;
  let running = 0;
  let fired = false;
  const fire = () => {
    if (fired) return;
    fired = true;
    clearInterval(timer);
    then();
  };
  const serve = db.execProtocolRawStream.bind(db);
  db.execProtocolRawStream = async (...args: Parameters<PGlite["execProtocolRawStream"]>) => {
    running++;
    try {
      return await serve(...args);
    } finally {
      running--;
      last = performance.now();
    }
  };
  const close = db.close.bind(db);
  db.close = async () => {
    try {
      await close();
    } finally {
      fire();
    }
  };
  const timer = setInterval(() => {
    if (running === 0 && last !== undefined && performance.now() - last >= quietMs) fire();
  }, quietMs);
  timer.unref();
}
