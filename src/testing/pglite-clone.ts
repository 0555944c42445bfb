import type { PGlite } from "@electric-sql/pglite";
import { drizzle } from "../driver/drizzle.js";
import { EmbeddedPool } from "../driver/embedded-pool.js";
import { awaitedStart, openPglite, pristineKey } from "../driver/pglite-start.js";
import { pruneSnapshots, readSnapshot, writeSnapshot } from "../driver/snapshot-cache.js";
import { migrate } from "../migrator/migrate.js";
import { whenQuiet } from "./pglite-idle.js";

const built = new Map<string, Promise<Uint8Array>>();

/** Runs the migrations on a fresh embedded twin and dumps the result. */
async function migratedDump(migrationsFolder: string): Promise<Uint8Array> {
  const pool = new EmbeddedPool("pglite://memory", { max: 1 });
  try {
    await migrate(drizzle({ client: pool }), { migrationsFolder });
    return await pool.dump();
  } finally {
    await pool.end();
  }
}

async function buildOrLoad(key: string, migrationsFolder: string): Promise<Uint8Array> {
  const cached = await readSnapshot(key);
  if (cached) return cached;
  const dump = await migratedDump(migrationsFolder);
  pruneSnapshots("testdb-");
  await writeSnapshot(key, dump);
  return dump;
}

/**
 * The migrated PGlite data directory for a migrations folder (by content
 * `hash`): once per process from memory, else from the snapshot cache, else
 * built (and cached for every later process).
 */
export function migratedPgliteSnapshot(
  migrationsFolder: string,
  hash: string,
): Promise<Uint8Array> {
  const key = `testdb-${pristineKey()}-${hash}`;
  let snapshot = built.get(key);
  if (!snapshot) {
    snapshot = buildOrLoad(key, migrationsFolder);
    built.set(key, snapshot);
    // A failed build is retried by the next call, not remembered.
    snapshot.catch(() => built.delete(key));
  }
  return snapshot;
}

/**
 * Per migrated snapshot, one PGlite instance loaded ahead for the next clone.
 * It has no socket server (that starts at hand-out) and PGlite arms no timer
 * (see pglite-start.ts), so a spare nobody takes holds no handle: the process
 * exits as if it were not there, and its memory goes with the process.
 */
const spares = new Map<Uint8Array, Promise<PGlite>>();
/** Per migrated snapshot, how many databases this process was handed. */
const handedOut = new Map<Uint8Array, number>();
/** Hand-outs that may still start a spare (see {@link pgliteSparesCreated}). */
const pending = new Set<Promise<void>>();

/** A hand-out waits this long without a query before the next spare loads. */
const QUIET_MS = 50;

/** Starts loading the spare for `snapshot`, unless one is loading or waiting. */
function makeSpare(snapshot: Uint8Array): void {
  if (spares.has(snapshot)) return;
  const spare = openPglite(undefined, snapshot, true);
  spare.catch(() => {}); // the clone that takes it loads its own instead
  spares.set(snapshot, spare);
}

/**
 * A pool over a new in-memory PGlite loaded from `snapshot`: the spare loaded
 * ahead if there is one, else loaded now. From a process's second database on
 * (one database per test file never pays for a spare it will not take), the
 * next spare is loaded once this one is quiet: no query for {@link QUIET_MS},
 * or closed. A load takes this thread for a few hundred ms; started at
 * hand-out, it made the new database's first query wait for all of it.
 */
export function pgliteClone(snapshot: Uint8Array): EmbeddedPool {
  const spare = spares.get(snapshot);
  spares.delete(snapshot);
  const count = (handedOut.get(snapshot) ?? 0) + 1;
  handedOut.set(snapshot, count);
  const fresh = () => openPglite(undefined, snapshot);
  const instance = spare ? awaitedStart(spare.catch(fresh)) : fresh();
  if (count >= 2) {
    const started = instance.then(
      (db) => new Promise<void>((resolve) => whenQuiet(db, QUIET_MS, resolve)),
      () => {},
    );
    const next = started.then(() => makeSpare(snapshot));
    pending.add(next);
    next.finally(() => pending.delete(next));
  }
  return new EmbeddedPool("pglite://memory", {}, () => instance);
}

/**
 * Settles once every database handed out so far that starts a spare has gone
 * quiet (or closed) and that spare is open: benchmarks time clones on a quiet
 * process, tests see the spare there.
 */
export async function pgliteSparesCreated(): Promise<void> {
  await Promise.all(pending); // each registers its spare as it settles
  await Promise.all([...spares.values()].map((spare) => spare.catch(() => {})));
}

/** How many spares are loaded or loading now (for tests). */
export function pgliteSpareCount(): number {
  return spares.size;
}
