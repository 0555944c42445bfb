import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transformSql } from "../../src/lint/transform.js";
import {
  MigrationChangedError,
  MigrationFileError,
  MigrationJobError,
  migrate,
  migrationStatus,
} from "../../src/migrator.js";
import { loadParser } from "../../src/sql/parser.js";
import { backends } from "../support/databases.js";
import {
  catalogDump,
  cleanFolders,
  dataDump,
  FIXTURE_COUNTS,
  fixtureFolder,
  migrationsFolder,
  openDb,
  rows,
  seed,
} from "./support.js";

beforeAll(async () => {
  await loadParser();
});
afterAll(cleanFolders);

const TOTAL = FIXTURE_COUNTS.reduce((a, b) => a + b, 0);

describe.each(backends)("migrate() on $name", ({ name, skip }) => {
  it.skipIf(skip)(
    "applies drizzle-kit migrations end to end; existing rows carry the new defaults; a second run is a no-op",
    async () => {
      const { db, close } = await openDb(name);
      try {
        const first = await migrate(db, { migrationsFolder: fixtureFolder(1) });
        expect(first).toEqual({
          applied: FIXTURE_COUNTS[0],
          alreadyApplied: 0,
          migrations: ["0000_init"],
          warnings: [],
        });
        await seed(db);
        const folder = fixtureFolder(2);
        const before = await migrationStatus(db, { migrationsFolder: folder });
        expect(before.migrations.map((m) => m.state)).toEqual(["applied", "pending"]);
        expect(before.pending).toHaveLength(FIXTURE_COUNTS[1] ?? 0);

        const events: string[] = [];
        const second = await migrate(db, {
          migrationsFolder: folder,
          onProgress: (e) => events.push(e.type),
        });
        expect(second.applied).toBe(FIXTURE_COUNTS[1]);
        expect(events[0]).toBe("start");
        expect(events.at(-1)).toBe("done");

        expect(await dataDump(db)).toEqual([
          {
            email: "a@example.com",
            name: "A",
            age: 0,
            status: "new",
            labels: '["a","b"]',
            settings: '{"theme":"dark"}',
            prefs: "{}",
            tags: "[]",
          },
          {
            email: "b@example.com",
            name: "B",
            age: 0,
            status: "new",
            labels: '["a","b"]',
            settings: '{"theme":"dark"}',
            prefs: "{}",
            tags: "[]",
          },
          {
            email: "c@example.com",
            name: "C",
            age: 0,
            status: "new",
            labels: '["a","b"]',
            settings: '{"theme":"dark"}',
            prefs: "{}",
            tags: "[]",
          },
        ]);
        // New rows get the defaults too, and the validated CHECKs hold NOT NULL.
        await rows(db, "INSERT INTO users (email, name) VALUES ('d@example.com', 'D')");
        expect(
          await rows(db, "SELECT age, status FROM users WHERE email = 'd@example.com'"),
        ).toEqual([{ age: 0, status: "new" }]);
        await expect(
          rows(db, "INSERT INTO users (email) VALUES ('e@example.com')"),
        ).rejects.toThrow();
        const catalog = (await catalogDump(db)) as {
          indexes: { indexname: string }[];
          constraints: { conname: string; convalidated: boolean }[];
        };
        const indexes = catalog.indexes.map((i) => i.indexname);
        expect(indexes).toContain("users_age_idx");
        expect(indexes).not.toContain("users_name_idx");
        expect(catalog.constraints.filter((c) => !c.convalidated)).toEqual([]);
        expect(catalog.constraints.map((c) => c.conname)).toEqual(
          expect.arrayContaining([
            "users_age_not_null",
            "users_name_not_null",
            "orders_user_id_users_id_fk",
          ]),
        );

        expect(await migrate(db, { migrationsFolder: folder })).toEqual({
          applied: 0,
          alreadyApplied: 0,
          migrations: [],
          warnings: [],
        });
        const after = await migrationStatus(db, { migrationsFolder: folder });
        expect(after.migrations.map((m) => [m.tag, m.state, m.applied])).toEqual([
          ["0000_init", "applied", FIXTURE_COUNTS[0]],
          ["0001_more_columns", "applied", FIXTURE_COUNTS[1]],
        ]);
        expect(after.pending).toEqual([]);
      } finally {
        await close();
      }
    },
  );

  it.skipIf(skip)(
    "keeps one tracking row per statement in drizzle.__drizzle_dsql_migrations, without SERIAL",
    async () => {
      const { db, close } = await openDb(name);
      try {
        await migrate(db, { migrationsFolder: fixtureFolder(2) });
        const tracked = await rows(
          db,
          "SELECT migration, statement, length(hash) AS hash_length FROM drizzle.__drizzle_dsql_migrations ORDER BY migration, statement",
        );
        expect(tracked).toHaveLength(TOTAL);
        expect(tracked[0]).toEqual({ migration: "0000_init", statement: 0, hash_length: 64 });
        const defaults = await rows(
          db,
          "SELECT column_name, column_default FROM information_schema.columns WHERE table_schema = 'drizzle' AND column_default LIKE 'nextval%'",
        );
        expect(defaults).toEqual([]);
      } finally {
        await close();
      }
    },
  );

  it.skipIf(skip)("honours migrationsSchema and migrationsTable", async () => {
    const { db, close } = await openDb(name);
    try {
      const options = {
        migrationsFolder: fixtureFolder(1),
        migrationsSchema: "ops",
        migrationsTable: "applied",
      };
      await migrate(db, options);
      expect(await rows(db, "SELECT count(*)::int AS n FROM ops.applied")).toEqual([
        { n: FIXTURE_COUNTS[0] },
      ]);
      expect((await migrationStatus(db, options)).pending).toEqual([]);
    } finally {
      await close();
    }
  });

  it.skipIf(skip)(
    "reports an applied statement whose text changed, naming migration and statement",
    async () => {
      const { db, close } = await openDb(name);
      try {
        const folder = fixtureFolder(1);
        await migrate(db, { migrationsFolder: folder });
        const file = join(folder, "0000_init.sql");
        writeFileSync(
          file,
          readFileSync(file, "utf8").replace(
            "users_name_idx ON users (name)",
            "users_name_idx ON users (email)",
          ),
        );
        const error = await migrate(db, { migrationsFolder: folder }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationChangedError);
        expect((error as Error).message).toMatch(/migration 0000_init, statement 6: text changed/);
        const status = await migrationStatus(db, { migrationsFolder: folder });
        expect(status.migrations[0]?.state).toBe("changed");
        expect(status.changed).toEqual([
          { migration: "0000_init", statement: 5, reason: "text changed after it was applied" },
        ]);
      } finally {
        await close();
      }
    },
  );

  it.skipIf(skip)(
    "fails the run naming the statement when an ASYNC job fails, and resumes once fixed",
    async () => {
      const { db, close } = await openDb(name);
      try {
        const init = transformSql(
          'CREATE TABLE "t" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid(), "v" text);',
        ).sql;
        const addNotNull = transformSql('ALTER TABLE "t" ADD COLUMN "nick" text NOT NULL;').sql;
        const folder = migrationsFolder({ "0000_t": init });
        await migrate(db, { migrationsFolder: folder });
        await rows(db, "INSERT INTO t (v) VALUES ('x')");
        const both = migrationsFolder({ "0000_t": init, "0001_nick": addNotNull });
        const error = await migrate(db, { migrationsFolder: both }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationJobError);
        expect((error as Error).message).toMatch(
          /migration 0001_nick, statement 3: DSQL job \S+ failed/,
        );
        expect((error as Error).message).toMatch(/VALIDATE CONSTRAINT t_nick_not_null/);
        const status = await migrationStatus(db, { migrationsFolder: both });
        expect(status.migrations[1]?.state).toBe("partial");
        // As PostgreSQL would: fill the column, then the validation passes.
        await rows(db, "UPDATE t SET nick = 'n'");
        expect((await migrate(db, { migrationsFolder: both })).applied + 0).toBeGreaterThanOrEqual(
          1,
        );
        expect((await migrationStatus(db, { migrationsFolder: both })).pending).toEqual([]);
      } finally {
        await close();
      }
    },
  );

  it.skipIf(skip)(
    "refuses migrations that hold statements DSQL would reject, before applying anything",
    async () => {
      const { db, close } = await openDb(name);
      try {
        const marked = transformSql('CREATE INDEX "i" ON "t" USING gin ("v");').sql;
        await expect(
          migrate(db, { migrationsFolder: migrationsFolder({ "0000_x": marked }) }),
        ).rejects.toThrow(MigrationFileError);
        const raw = migrationsFolder({ "0000_raw": 'CREATE TABLE "t" ("id" serial PRIMARY KEY);' });
        const error = await migrate(db, { migrationsFolder: raw }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MigrationFileError);
        expect((error as Error).message).toMatch(/migration 0000_raw, statement 1/);
        expect(await rows(db, "SELECT to_regclass('public.t') IS NULL AS absent")).toEqual([
          { absent: true },
        ]);
      } finally {
        await close();
      }
    },
  );
});
