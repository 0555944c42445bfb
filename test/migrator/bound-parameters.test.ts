import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashStatement } from "../../src/migrator/statements.js";
import { type MigratableDatabase, migrate, migrationStatus } from "../../src/migrator.js";
import { loadParser } from "../../src/sql/parser.js";
import { cleanFolders, migrationsFolder, openDb } from "./support.js";

beforeAll(async () => {
  await loadParser();
});
afterAll(cleanFolders);

const STATEMENTS = [
  'CREATE TABLE "a" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid(), "n" integer)',
  'ALTER TABLE "a" ADD COLUMN "m" integer',
];

/** Wraps a db so every query it runs is kept, rendered as the server gets it. */
function recording(db: MigratableDatabase) {
  const dialect = new PgDialect();
  const seen: { sql: string; params: unknown[] }[] = [];
  const keep = (query: SQL) => seen.push(dialect.sqlToQuery(query));
  const wrapped: MigratableDatabase = {
    execute: (query) => {
      keep(query);
      return db.execute(query);
    },
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          execute: (query) => {
            keep(query);
            return tx.execute(query);
          },
        }),
      ),
  };
  return { wrapped, seen };
}

describe("the migrator's own SQL", () => {
  it("binds values as parameters and quotes identifiers", async () => {
    const { db, close } = await openDb("pglite");
    try {
      const folder = migrationsFolder({
        "0000_bound": `${STATEMENTS.join(";\n--> statement-breakpoint\n")};`,
      });
      const { wrapped, seen } = recording(db);
      const config = {
        migrationsFolder: folder,
        migrationsTable: `track'"t`,
        migrationsSchema: "o'dd",
      };
      expect((await migrate(wrapped, config)).applied).toBe(2);
      expect((await migrationStatus(wrapped, config)).pending).toEqual([]);

      const bookkeeping = seen.filter((q) => !STATEMENTS.includes(q.sql));
      expect(bookkeeping.length).toBeGreaterThan(5);
      const hashes = STATEMENTS.map(hashStatement);
      for (const q of bookkeeping) {
        expect(q.sql).not.toContain("0000_bound");
        for (const hash of hashes) expect(q.sql).not.toContain(hash);
        expect(q.sql).not.toMatch(/'o''dd'|'track''/);
      }
      const params = bookkeeping.flatMap((q) => q.params);
      for (const hash of hashes) expect(params).toContain(hash);
      expect(params).toContain("0000_bound");
      expect(bookkeeping.some((q) => q.sql.includes(`"o'dd"."track'""t"`))).toBe(true);
      expect(bookkeeping.some((q) => q.sql.includes(`"o'dd"."track'""t_lock"`))).toBe(true);

      const { rows } = (await db.execute(
        sql`SELECT migration, statement FROM "o'dd"."track'""t" ORDER BY statement`,
      )) as unknown as { rows: { migration: string; statement: number }[] };
      expect(rows).toEqual([
        { migration: "0000_bound", statement: 0 },
        { migration: "0000_bound", statement: 1 },
      ]);
    } finally {
      await close();
    }
  });
});
