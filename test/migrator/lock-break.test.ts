import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type LockHolder,
  MigrationAbortedError,
  MigrationLockHeldError,
  MigrationLockReleaseError,
  type MigrationProgress,
  migrate,
  migrationStatus,
} from "../../src/migrator.js";
import { loadParser } from "../../src/sql/parser.js";
import { backends } from "../support/databases.js";
import { cleanFolders, migrationsFolder, openDb, rows } from "./support.js";

beforeAll(async () => {
  await loadParser();
});
afterAll(cleanFolders);

const MIGRATIONS = {
  "0000_a": 'CREATE TABLE "a" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid(), "n" integer);',
  "0001_b": 'CREATE TABLE "b" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid());',
};

const LOCK = "drizzle.__drizzle_dsql_migrations_lock";

/** Writes a lock row as another host's run with a 60 s lease would, renewed `renewedAgo` seconds ago. */
function holdAs(holder: Partial<LockHolder>, renewedAgo: number): string {
  const owner = JSON.stringify({
    id: "7e1f0c2a-0000-4000-8000-000000000000",
    host: "build-agent-7",
    pid: 4242,
    since: "2026-12-01T10:00:00.000Z",
    leaseMs: 60_000,
    ...holder,
  }).replace(/'/g, "''");
  return `UPDATE ${LOCK} SET owner = '${owner}', expires_at = now() + interval '${60 - renewedAgo} seconds' WHERE id = 1`;
}

describe.each(backends)("the migration lock on $name", ({ name, skip }) => {
  it.skipIf(skip)(
    "breakStaleLock takes over a holder that stopped renewing, refuses a live one",
    async () => {
      const { db, close } = await openDb(name);
      try {
        const folder = migrationsFolder(MIGRATIONS);
        await migrate(db, { migrationsFolder: migrationsFolder({}) });

        // Renewed 1 s ago: alive. Nothing is broken, nothing applied.
        await rows(db, holdAs({}, 1));
        const refused = await migrate(db, { migrationsFolder: folder, breakStaleLock: true }).catch(
          (e: unknown) => e,
        );
        expect(refused).toBeInstanceOf(MigrationLockHeldError);
        expect((refused as Error).message).toMatch(
          /build-agent-7 pid 4242 \(run 7e1f0c2a\), since 2026-12-01T10:00:00\.000Z, is alive \(it renewed its lease [01]s ago\)/,
        );
        expect((await migrationStatus(db, { migrationsFolder: folder })).pending).toHaveLength(2);

        // Waiting without the option reports who holds it and when the lease ends.
        const waits: MigrationProgress[] = [];
        await expect(
          migrate(db, {
            migrationsFolder: folder,
            lockTimeoutMs: 200,
            onProgress: (e) => waits.push(e),
          }),
        ).rejects.toThrow(/build-agent-7 pid 4242/);
        const wait = waits.find((e) => e.type === "waiting-for-lock");
        expect(wait).toMatchObject({ owner: "7e1f0c2a-0000-4000-8000-000000000000" });
        if (wait?.type !== "waiting-for-lock") throw new Error("no wait");
        expect(wait.holder.host).toBe("build-agent-7");
        expect(wait.expiresInMs).toBeGreaterThan(50_000);
        expect(wait.renewedMsAgo).toBeLessThan(5_000);

        // Renewed 30 s ago (heartbeats every 5 s): stale. Taken over at once.
        await rows(db, holdAs({}, 30));
        const events: MigrationProgress[] = [];
        const t0 = Date.now();
        const result = await migrate(db, {
          migrationsFolder: folder,
          breakStaleLock: true,
          onProgress: (e) => events.push(e),
        });
        expect(Date.now() - t0).toBeLessThan(20_000);
        expect(result.applied).toBe(2);
        expect(events.filter((e) => e.type === "lock-broken")).toEqual([
          { type: "lock-broken", holder: expect.objectContaining({ host: "build-agent-7" }) },
        ]);
        expect(await rows(db, `SELECT owner FROM ${LOCK}`)).toEqual([{ owner: null }]);
      } finally {
        await close();
      }
    },
    120_000,
  );

  it.skipIf(skip)(
    "an aborted signal stops the run between statements and releases the lock",
    async () => {
      const { db, close } = await openDb(name);
      try {
        const folder = migrationsFolder(MIGRATIONS);
        const controller = new AbortController();
        const error = await migrate(db, {
          migrationsFolder: folder,
          signal: controller.signal,
          hooks: { afterRecord: () => controller.abort(new Error("SIGINT received")) },
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationAbortedError);
        expect((error as Error).message).toBe(
          "migration stopped (SIGINT received); run it again to resume",
        );
        expect(await rows(db, `SELECT owner FROM ${LOCK}`)).toEqual([{ owner: null }]);
        const status = await migrationStatus(db, { migrationsFolder: folder });
        expect(status.migrations.map((m) => m.state)).toEqual(["applied", "pending"]);
        expect((await migrate(db, { migrationsFolder: folder })).applied).toBe(1);
      } finally {
        await close();
      }
    },
    120_000,
  );

  it.skipIf(skip)(
    "a lock that cannot be released fails the run with MigrationLockReleaseError, never a silent success",
    async () => {
      const { db, close } = await openDb(name);
      try {
        const folder = migrationsFolder(MIGRATIONS);
        let recorded = 0;
        const warnings: string[] = [];
        const error = await migrate(db, {
          migrationsFolder: folder,
          onProgress: (e) => {
            if (e.type === "warning") warnings.push(e.message);
          },
          hooks: {
            // After the last statement is recorded, the lock row loses the column release writes.
            afterRecord: async () => {
              if (++recorded === 2)
                await rows(db, `ALTER TABLE ${LOCK} RENAME COLUMN owner TO gone`);
            },
          },
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationLockReleaseError);
        expect((error as MigrationLockReleaseError).applied).toBe(2);
        expect((error as Error).message).toMatch(
          /^applied 2 statement\(s\), but the migration lock could not be released: .*column "owner" does not exist.*\[42703\]/,
        );
        expect((error as Error).message).toMatch(/--break-stale-lock/);
        expect(warnings).toEqual([expect.stringMatching(/lock could not be released/)]);
        await rows(db, `ALTER TABLE ${LOCK} RENAME COLUMN gone TO owner`);
        // The lock is still held by that run: the status is right, and a stale break recovers.
        expect((await migrationStatus(db, { migrationsFolder: folder })).pending).toEqual([]);
        const [row] = await rows(db, `SELECT owner FROM ${LOCK}`);
        expect(String(row?.owner)).toMatch(/"pid":\d+/);
      } finally {
        await close();
      }
    },
    120_000,
  );
});
