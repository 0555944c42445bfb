import { drizzle } from "../driver/drizzle.js";
import { EmbeddedPool } from "../driver/embedded-pool.js";
import { pristineKey } from "../driver/pglite-start.js";
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

/** A pool over a new in-memory PGlite loaded from `snapshot`. */
export function pgliteClone(snapshot: Uint8Array): EmbeddedPool {
  return new EmbeddedPool("pglite://memory", {}, snapshot);
}
