import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DsqlLimitError } from "../../src/index.js";
import { type MigrationProgress, migrate } from "../../src/migrator.js";
import { loadParser } from "../../src/sql/parser.js";
import { backends } from "../support/databases.js";
import { cleanFolders, fixtureFolder, openDb, rows } from "./support.js";

beforeAll(async () => {
  await loadParser();
});
afterAll(cleanFolders);

const ROWS = 10_000;

describe.each(backends)("backfills on $name", ({ name, skip }) => {
  it.skipIf(skip)(
    `backfills ${ROWS.toLocaleString("en")} existing rows in batches within the twin's 3,000-row limit`,
    async () => {
      const { db, close } = await openDb(name);
      try {
        await migrate(db, { migrationsFolder: fixtureFolder(1) });
        for (let start = 0; start < ROWS; start += 1000) {
          await db.transaction(async (tx) => {
            await tx.execute(
              sql.raw(
                `INSERT INTO users (email, name) SELECT 'u' || g || '@example.com', 'n' || g FROM generate_series(${start + 1}, ${start + 1000}) AS g`,
              ),
            );
          });
        }
        // The twin enforces DSQL's limit: one UPDATE of every row is refused.
        await expect(
          db.transaction(async (tx) => {
            await tx.execute(sql.raw("UPDATE users SET name = name"));
          }),
        ).rejects.toThrow(DsqlLimitError);

        const batches: Extract<MigrationProgress, { type: "batch" }>[] = [];
        const result = await migrate(db, {
          migrationsFolder: fixtureFolder(2),
          onProgress: (e) => {
            if (e.type === "batch") batches.push(e);
          },
        });
        expect(result.applied).toBeGreaterThan(0);
        expect(Math.max(...batches.map((b) => b.rows))).toBeLessThanOrEqual(1000);
        // Four backfills (age, status, labels, settings), each over every row.
        const perStatement = new Map<number, number>();
        for (const b of batches) perStatement.set(b.statement, b.totalRows);
        expect([...perStatement.values()]).toEqual([ROWS, ROWS, ROWS, ROWS]);
        expect(
          await rows(
            db,
            `SELECT count(*)::int AS n FROM users WHERE age = 0 AND status = 'new' AND labels = '["a","b"]' AND settings = '{"theme":"dark"}'`,
          ),
        ).toEqual([{ n: ROWS }]);
      } finally {
        await close();
      }
    },
    300_000,
  );

  it.skipIf(skip)(
    "stops a backfill whose default evaluates to NULL instead of looping",
    async () => {
      const { db, close } = await openDb(name);
      try {
        const { migrationsFolder } = await import("./support.js");
        const folder = migrationsFolder({
          "0000_t":
            "CREATE TABLE IF NOT EXISTS t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), v text);",
        });
        await migrate(db, { migrationsFolder: folder });
        await rows(db, "INSERT INTO t (v) SELECT NULL FROM generate_series(1, 1500)");
        const next = migrationsFolder({
          "0000_t":
            "CREATE TABLE IF NOT EXISTS t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), v text);",
          "0001_null": "UPDATE t SET v = nullif('x', 'x') WHERE v IS NULL;",
        });
        expect((await migrate(db, { migrationsFolder: next })).applied).toBe(1);
        expect(await rows(db, "SELECT count(*)::int AS n FROM t WHERE v IS NULL")).toEqual([
          { n: 1500 },
        ]);
      } finally {
        await close();
      }
    },
  );
});
