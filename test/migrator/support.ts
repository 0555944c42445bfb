import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { drizzle } from "../../src/index.js";
import type { Journal } from "../../src/migrator/journal.js";
import { freshConnection } from "../support/databases.js";

/** The fixture: drizzle-kit output for a small app, rewritten by `drizzle-dsql generate`. */
export const FIXTURE = resolve("test/fixtures/migrations/app/drizzle");

/** Statements per fixture migration (0000_init, 0001_more_columns). */
export const FIXTURE_COUNTS = [8, 19];

const made: string[] = [];

/** A temp migrations folder holding the fixture's first `count` migrations. */
export function fixtureFolder(count = 2): string {
  const dir = mkdtempSync(join(tmpdir(), "dsql-migrations-"));
  made.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  const journalFile = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as Journal;
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalFile, JSON.stringify(journal, null, 2));
  return dir;
}

/** A temp migrations folder with the given migrations (tag → SQL). */
export function migrationsFolder(migrations: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "dsql-migrations-"));
  made.push(dir);
  mkdirSync(join(dir, "meta"));
  const entries = Object.keys(migrations).map((tag, idx) => ({
    idx,
    version: "7",
    when: 1_700_000_000_000 + idx,
    tag,
    breakpoints: true,
  }));
  writeFileSync(
    join(dir, "meta", "_journal.json"),
    JSON.stringify({ version: "7", dialect: "postgresql", entries }),
  );
  for (const [tag, text] of Object.entries(migrations))
    writeFileSync(join(dir, `${tag}.sql`), text);
  return dir;
}

/** Removes the temp folders made so far. */
export function cleanFolders(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A drizzle-dsql db on a fresh, empty database of `backend`; `close()` ends it and drops the database. */
export async function openDb(backend: "pglite" | "postgres") {
  const fresh = await freshConnection(backend);
  const db = drizzle({ connection: fresh.connection });
  return {
    db,
    connection: fresh.connection,
    async close() {
      await db.$close();
      await fresh.drop();
    },
  };
}

type Db = ReturnType<typeof drizzle>;

/** Rows of a query. */
export async function rows(db: Db, text: string): Promise<Record<string, unknown>[]> {
  return (await db.execute(sql.raw(text))).rows as Record<string, unknown>[];
}

/** The public schema as the catalog describes it: columns, indexes, constraints. */
export async function catalogDump(db: Db): Promise<unknown> {
  return {
    columns: await rows(
      db,
      "SELECT table_name, column_name, data_type, column_default, is_nullable, is_identity, identity_generation FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name",
    ),
    indexes: await rows(
      db,
      "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
    ),
    constraints: await rows(
      db,
      "SELECT c.relname AS table_name, k.conname, k.contype, k.convalidated, pg_get_constraintdef(k.oid) AS def FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' ORDER BY k.conname",
    ),
  };
}

/** The seeded users' data, for comparing runs. */
export async function dataDump(db: Db): Promise<unknown> {
  return rows(
    db,
    "SELECT email, name, age, status, labels, settings, prefs, tags FROM users ORDER BY email",
  );
}

/** Inserts a few users and an order (after 0000_init). */
export async function seed(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(
      sql.raw(
        "INSERT INTO users (email, name) VALUES ('a@example.com', 'A'), ('b@example.com', 'B'), ('c@example.com', 'C')",
      ),
    );
  });
  await db.transaction(async (tx) => {
    await tx.execute(
      sql.raw(
        "INSERT INTO orders (user_id, total) SELECT id, 10 FROM users WHERE email = 'a@example.com'",
      ),
    );
  });
}

/** Empties a database for the next scenario: drops the public and tracking schemas. */
export async function resetDb(db: Db): Promise<void> {
  for (const text of [
    "DROP SCHEMA IF EXISTS drizzle CASCADE",
    "DROP SCHEMA IF EXISTS public CASCADE",
    "CREATE SCHEMA public",
  ]) {
    await db.execute(sql.raw(text));
  }
}
