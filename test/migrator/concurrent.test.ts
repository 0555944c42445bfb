import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drizzle } from "../../src/index.js";
import {
  MigrationLockTimeoutError,
  type MigrationProgress,
  migrate,
  migrationStatus,
} from "../../src/migrator.js";
import { loadParser } from "../../src/sql/parser.js";
import { backends } from "../support/databases.js";
import { cleanFolders, FIXTURE_COUNTS, fixtureFolder, openDb, rows } from "./support.js";

beforeAll(async () => {
  await loadParser();
});
afterAll(cleanFolders);

const TOTAL = FIXTURE_COUNTS.reduce((a, b) => a + b, 0);

describe.each(backends)("concurrent migrate() on $name", ({ name, skip }) => {
  it.skipIf(skip)(
    "two runs at once apply each statement exactly once",
    async () => {
      const { db, connection, close } = await openDb(name);
      // PostgreSQL: a second, independent handle (its own pool), as a second deploy would have.
      // PGlite in memory lives in one handle, so both runs share it (still two lock owners).
      const other = name === "postgres" ? drizzle({ connection }) : db;
      try {
        const folder = fixtureFolder(2);
        const applied: string[] = [];
        const waits: string[] = [];
        const track = (run: string) => (e: MigrationProgress) => {
          if (e.type === "statement-done")
            applied.push(`${e.migration}#${e.statement}:${e.outcome}:${run}`);
          if (e.type === "waiting-for-lock") waits.push(run);
        };
        const [a, b] = await Promise.all([
          migrate(db, { migrationsFolder: folder, onProgress: track("a") }),
          migrate(other, { migrationsFolder: folder, onProgress: track("b") }),
        ]);
        expect(a.applied + b.applied).toBe(TOTAL);
        expect(a.alreadyApplied + b.alreadyApplied).toBe(0);
        const keys = applied.map((x) => x.split(":")[0]);
        expect(new Set(keys).size).toBe(TOTAL);
        expect(keys).toHaveLength(TOTAL);
        expect(
          await rows(db, "SELECT count(*)::int AS n FROM drizzle.__drizzle_dsql_migrations"),
        ).toEqual([{ n: TOTAL }]);
        expect(await rows(db, "SELECT owner FROM drizzle.__drizzle_dsql_migrations_lock")).toEqual([
          { owner: null },
        ]);
      } finally {
        if (other !== db) await other.$close();
        await close();
      }
    },
    300_000,
  );

  it.skipIf(skip)(
    "takes over the lock of a crashed run once its lease expires, and resumes its in-flight statement",
    async () => {
      const { db, close } = await openDb(name);
      try {
        const folder = fixtureFolder(1);
        // The run dies right after statement 3 (ADD CONSTRAINT ... NOT VALID) committed...
        let calls = 0;
        await expect(
          migrate(db, {
            migrationsFolder: folder,
            hooks: {
              afterExecute: () => {
                if (calls++ === 2) throw new Error("crash");
              },
            },
          }),
        ).rejects.toThrow("crash");
        // ...without releasing its lock (a real crash): the lease still runs for a moment.
        await rows(
          db,
          "UPDATE drizzle.__drizzle_dsql_migrations_lock SET owner = 'crashed-run', expires_at = now() + interval '1500 milliseconds'",
        );
        const waits: string[] = [];
        const result = await migrate(db, {
          migrationsFolder: folder,
          onProgress: (e) => {
            if (e.type === "waiting-for-lock") waits.push(e.owner);
          },
        });
        expect(waits[0]).toBe("crashed-run");
        expect(result.alreadyApplied).toBe(1);
        expect(result.applied).toBe((FIXTURE_COUNTS[0] ?? 0) - 3);
        expect((await migrationStatus(db, { migrationsFolder: folder })).pending).toEqual([]);
      } finally {
        await close();
      }
    },
    120_000,
  );

  it.skipIf(skip)(
    "gives up with MigrationLockTimeoutError while another live run holds the lock",
    async () => {
      const { db, close } = await openDb(name);
      try {
        const folder = fixtureFolder(1);
        await migrate(db, { migrationsFolder: fixtureFolder(0) });
        await rows(
          db,
          "UPDATE drizzle.__drizzle_dsql_migrations_lock SET owner = 'other-run', expires_at = now() + interval '10 minutes'",
        );
        await expect(migrate(db, { migrationsFolder: folder, lockTimeoutMs: 300 })).rejects.toThrow(
          MigrationLockTimeoutError,
        );
        expect((await migrationStatus(db, { migrationsFolder: folder })).pending).toHaveLength(
          FIXTURE_COUNTS[0] ?? 0,
        );
      } finally {
        await close();
      }
    },
    120_000,
  );
});
