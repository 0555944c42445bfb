import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drizzle } from "../../src/index.js";
import { type MigrationProgress, migrate } from "../../src/migrator/index.js";
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
});
