import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openPglite, pristineKey } from "../../src/driver/pglite-start.js";
import {
  pruneSnapshots,
  readSnapshot,
  snapshotPath,
  writeSnapshot,
} from "../../src/driver/snapshot-cache.js";
import { drizzle } from "../../src/index.js";
import { runTwinChild } from "./support.js";

const folders: string[] = [];
function tempFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "dsql-cache-test-"));
  folders.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `work` with the cache folder set to `dir`, as a start in that environment would. */
async function inCache<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const before = process.env.DRIZZLE_DSQL_CACHE_DIR;
  process.env.DRIZZLE_DSQL_CACHE_DIR = dir;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.DRIZZLE_DSQL_CACHE_DIR;
    else process.env.DRIZZLE_DSQL_CACHE_DIR = before;
  }
}

const cachedPristine = (dir: string) => inCache(dir, () => readSnapshot(pristineKey()));

/** Dumps made once for the file: a pristine data directory and one with a marker table. */
let pristine: Blob;
let marked: Blob;
beforeAll(async () => {
  const db = await PGlite.create();
  pristine = await db.dumpDataDir("none");
  await db.exec("create table loaded_from_cache (id int primary key)");
  marked = await db.dumpDataDir("none");
  await db.close();
});

/** A new cache folder holding `entry` as the pristine data directory. */
async function cacheWith(entry: Blob): Promise<string> {
  const dir = tempFolder();
  expect(await inCache(dir, () => writeSnapshot(pristineKey(), entry))).toBe(true);
  return dir;
}

// Cold starts run initdb in fresh processes: seconds on a quiet machine, a minute on a loaded one.
describe("pglite://memory start-up cache", { timeout: 180_000 }, () => {
  it("two processes starting at once on an empty cache both succeed and leave one valid entry", async () => {
    const cache = tempFolder();
    const env = { DRIZZLE_DSQL_CACHE_DIR: cache };
    const [a, b] = await Promise.all([runTwinChild([], env), runTwinChild([], env)]);
    expect([a.code, a.stderr]).toEqual([0, ""]);
    expect([b.code, b.stderr]).toEqual([0, ""]);
    expect(JSON.parse(a.stdout)).toEqual([]);
    expect(JSON.parse(b.stdout)).toEqual([]);
    expect(readdirSync(cache)).toEqual([`${pristineKey()}.snapshot`]);
    expect(await cachedPristine(cache)).toBeInstanceOf(Uint8Array);
  });

  it("a later start loads the cached data directory instead of running initdb", async () => {
    // A valid entry that differs from a pristine initdb: a start that loads it sees the table.
    const cache = await cacheWith(marked);
    const run = await runTwinChild([], { DRIZZLE_DSQL_CACHE_DIR: cache });
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(JSON.parse(run.stdout)).toEqual(["loaded_from_cache"]);
  });

  it("a damaged entry is detected, not loaded, and rebuilt", async () => {
    const cache = await cacheWith(pristine);
    const entry = join(cache, `${pristineKey()}.snapshot`);
    const bytes = readFileSync(entry);
    writeFileSync(entry, bytes.subarray(0, bytes.length - 100)); // truncated
    expect(await cachedPristine(cache)).toBeUndefined();
    bytes[bytes.length - 5000] = (bytes[bytes.length - 5000] ?? 0) ^ 0xff; // one byte flipped
    writeFileSync(entry, bytes);
    expect(await cachedPristine(cache)).toBeUndefined();

    const second = await runTwinChild([], { DRIZZLE_DSQL_CACHE_DIR: cache });
    expect([second.code, second.stderr]).toEqual([0, ""]);
    expect(JSON.parse(second.stdout)).toEqual([]);
    expect(await cachedPristine(cache)).toBeInstanceOf(Uint8Array);
  });

  it("the cached data directory holds one database and one WAL segment, and works past them", async () => {
    const cache = tempFolder();
    await inCache(cache, async () => (await openPglite(undefined)).close()); // builds the entry
    const entry = await cachedPristine(cache);
    if (!entry) throw new Error("no cache entry was written");
    const db = await openPglite(undefined, entry);
    try {
      const names = await db.query<{ datname: string }>("select datname from pg_database");
      expect(names.rows).toEqual([{ datname: "postgres" }]);
      const wal = await db.query<{ n: number }>("select count(*)::int as n from pg_ls_waldir()");
      // The cached segment, and the next one this start made.
      expect(wal.rows[0]?.n).toBeLessThanOrEqual(2);
      // initdb's three databases and seven WAL segments made 31 MB.
      expect(entry.byteLength).toBeLessThan(12 * 2 ** 20);
      // About 6 MB of WAL: PostgreSQL makes the segments the slimming removed.
      await db.exec("create table filler (id int primary key, pad text)");
      await db.exec(
        "insert into filler select g, repeat('x', 500) from generate_series(1, 10000) g",
      );
      await db.exec("checkpoint");
      const reloaded = await openPglite(
        undefined,
        new Uint8Array(await (await db.dumpDataDir("none")).arrayBuffer()),
      );
      const rows = await reloaded.query<{ n: number }>("select count(*)::int as n from filler");
      expect(rows.rows).toEqual([{ n: 10000 }]);
      await reloaded.close();
    } finally {
      await db.close();
    }
  });

  it("a cache folder that cannot be written is skipped, not an error", async () => {
    const blocker = join(tempFolder(), "not-a-folder");
    writeFileSync(blocker, "a file where the cache folder should be");
    const unusable = join(blocker, "cache");
    expect(await inCache(unusable, () => writeSnapshot(pristineKey(), pristine))).toBe(false);
    expect(await cachedPristine(unusable)).toBeUndefined();
  });

  it("prunes test-database entries unused for a week, and nothing else", async () => {
    const cache = await cacheWith(pristine);
    const stale = await inCache(cache, async () => {
      await writeSnapshot("testdb-old", marked);
      await writeSnapshot("testdb-new", marked);
      const path = snapshotPath("testdb-old");
      const weekAgo = new Date(Date.now() - 8 * 24 * 3600_000);
      utimesSync(path, weekAgo, weekAgo);
      utimesSync(snapshotPath(pristineKey()), weekAgo, weekAgo);
      pruneSnapshots("testdb-");
      return path;
    });
    expect(readdirSync(cache).sort()).toEqual([`${pristineKey()}.snapshot`, "testdb-new.snapshot"]);
    expect(stale.endsWith("testdb-old.snapshot")).toBe(true);
  });

  it("pglite://<new folder> is seeded from the cache and reopens with its data", async () => {
    const cache = await cacheWith(marked);
    const data = join(tempFolder(), "data");
    const tables = () =>
      inCache(cache, async () => {
        const db = drizzle({ connection: `pglite://${data}` });
        try {
          const { rows } = await db.execute<{ tablename: string }>(
            sql`select tablename from pg_tables where schemaname = 'public' order by 1`,
          );
          return rows.map((row) => row.tablename);
        } finally {
          await db.$close();
        }
      });
    expect(await tables()).toEqual(["loaded_from_cache"]);
    expect(readdirSync(data)).toContain("PG_VERSION");
    const db = await PGlite.create(data);
    await db.exec("create table kept (id int primary key)");
    await db.close();
    expect(await tables()).toEqual(["kept", "loaded_from_cache"]);
  });
});
