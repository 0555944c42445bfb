import type { PGlite } from "@electric-sql/pglite";
import { drizzle } from "../driver/drizzle.js";
import { EmbeddedPool } from "../driver/embedded-pool.js";
import { openPglite, pristineKey } from "../driver/pglite-start.js";
import { pruneSnapshots, readSnapshot, writeSnapshot } from "../driver/snapshot-cache.js";
import { migrate } from "../migrator/migrate.js";

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
/** Hand-outs still loading: each starts a spare once it is open. */
const handingOut = new Set<Promise<void>>();

/** Starts loading the spare for `snapshot`, unless one is loading or waiting. */
function makeSpare(snapshot: Uint8Array): void {
  if (spares.has(snapshot)) return;
  const spare = openPglite(undefined, snapshot);
  spare.catch(() => {}); // the clone that takes it loads its own instead
  spares.set(snapshot, spare);
}

/**
 * A pool over a new in-memory PGlite loaded from `snapshot`: the spare loaded
 * ahead if there is one, else loaded now. Once it is open, the next spare is
 * loaded in the background, so a suite that takes a database per test finds
 * one ready. PGlite runs on this thread: the load's work moves to between
 * hand-outs (time the process would otherwise spend waiting), it does not vanish.
 */
export function pgliteClone(snapshot: Uint8Array): EmbeddedPool {
  const spare = spares.get(snapshot);
  spares.delete(snapshot);
  const fresh = () => openPglite(undefined, snapshot);
  const instance = spare ? spare.catch(fresh) : fresh();
  // Loaded after this one, so the two loads never compete for the thread.
  const next = instance.then(
    () => makeSpare(snapshot),
    () => {},
  );
  handingOut.add(next);
  next.finally(() => handingOut.delete(next));
  return new EmbeddedPool("pglite://memory", {}, () => instance);
}

/** Settles once every spare being loaded is open: benchmarks time clones on a quiet process. */
export async function pgliteSparesCreated(): Promise<void> {
  await Promise.all(handingOut); // each registers its spare as it settles
  await Promise.all([...spares.values()].map((spare) => spare.catch(() => {})));
}

/** How many spares are loaded or loading now (for tests). */
export function pgliteSpareCount(): number {
  return spares.size;
}
