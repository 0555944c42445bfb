import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { DsqlDatabase } from "../driver/database.js";
import { drizzle } from "../driver/drizzle.js";
import { DsqlError, MigrationFileError } from "../errors.js";
import { readMigrations } from "../migrator/statements.js";
import { loadParser } from "../sql/parser.js";
import { migrationsHash } from "./migrations-hash.js";
import { migratedPgliteSnapshot, pgliteClone } from "./pglite-clone.js";
import { postgresClone, postgresTemplate } from "./postgres-clone.js";

/** Options of {@link createTestDatabase}. */
export interface TestDatabaseOptions<TSchema extends Record<string, unknown>> {
  /** drizzle-kit's `out` folder (`meta/_journal.json` and `<tag>.sql` files). */
  migrationsFolder: string;
  /** Which local twin: embedded PGlite (in memory) or a PostgreSQL server. */
  backend: "pglite" | "postgres";
  /** `backend: "postgres"`: a server URL whose role may create databases; default `DATABASE_URL`. */
  url?: string;
  /** Your Drizzle schema, for `db.query` and typed results. */
  schema?: TSchema;
}

/** An isolated, migrated twin database; `close()` removes it. */
export interface TestDatabase<TSchema extends Record<string, unknown>> {
  /** A drizzle-dsql database, as `drizzle()` returns, on this test database only. */
  db: DsqlDatabase<TSchema>;
  /** Closes `db` and removes the database (the PGlite instance, or the PostgreSQL database). */
  close(): Promise<void>;
}

async function checkedFolder(folder: unknown): Promise<string> {
  if (typeof folder !== "string" || folder === "")
    throw new DsqlError("createTestDatabase needs `migrationsFolder` (drizzle-kit's out folder)");
  const path = resolve(folder);
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory())
    throw new DsqlError(`createTestDatabase: migrationsFolder "${path}" is not a folder`);
  await loadParser(); // the twin's gate needs it too
  // A MigrationFileError now beats a failed build later.
  if (readMigrations(path).length === 0)
    throw new MigrationFileError(
      `createTestDatabase: migrationsFolder "${path}" has no migrations (no meta/_journal.json entries)`,
    );
  return path;
}

function checkedUrl(url: string | undefined): string {
  const chosen = url ?? process.env.DATABASE_URL;
  if (!chosen)
    throw new DsqlError(
      'createTestDatabase({ backend: "postgres" }) needs `url` or DATABASE_URL: a PostgreSQL server it may create databases on',
    );
  if (!/^postgres(ql)?:\/\//.test(chosen))
    throw new DsqlError(
      `createTestDatabase: url must be postgres://..., got "${chosen.split(":")[0]}:..."`,
    );
  return chosen;
}

/**
 * Creates a fresh, isolated twin database with your migrations already
 * applied, and a drizzle-dsql `db` on it. The migrations run once per
 * migrations folder content (PGlite: dumped and cached on disk, then loaded
 * per database; PostgreSQL: a template database, then `CREATE DATABASE ...
 * TEMPLATE` per database), so a database per test costs a fraction of
 * migrating one. The next database is made ahead in the background (a
 * PostgreSQL database after each hand-out; a PGlite instance from the second
 * database on, once the last one is quiet or closed), so a database per test
 * is found ready; a spare nobody takes never keeps the process alive. Safe
 * with parallel test workers. Call `close()` when done; PostgreSQL databases
 * still open when the process ends are dropped then, however it ends
 * (`process.exit()` from a test runner, a signal, SIGKILL), by a small
 * watcher process.
 *
 * @example
 * ```ts
 * import { createTestDatabase } from "drizzle-dsql/testing";
 * import * as schema from "./schema";
 *
 * const t = await createTestDatabase({ migrationsFolder: "./drizzle", backend: "pglite", schema });
 * await t.db.insert(schema.orders).values({ id: crypto.randomUUID(), tenantId: "t1" });
 * await t.close();
 * // On PostgreSQL (url defaults to DATABASE_URL):
 * const p = await createTestDatabase({ migrationsFolder: "./drizzle", backend: "postgres", url: "postgres://postgres@127.0.0.1/postgres" });
 * await p.close();
 * ```
 */
export async function createTestDatabase<
  TSchema extends Record<string, unknown> = Record<string, never>,
>(options: TestDatabaseOptions<TSchema>): Promise<TestDatabase<TSchema>> {
  if (options === null || typeof options !== "object")
    throw new DsqlError("createTestDatabase takes an options object");
  const { backend, schema } = options;
  if (backend !== "pglite" && backend !== "postgres")
    throw new DsqlError(
      `createTestDatabase: backend must be "pglite" or "postgres", got ${String(backend)}`,
    );
  const url = backend === "postgres" ? checkedUrl(options.url) : undefined;
  const folder = await checkedFolder(options.migrationsFolder);
  const hash = migrationsHash(folder);
  if (url === undefined) {
    const db = drizzle({ client: pgliteClone(await migratedPgliteSnapshot(folder, hash)), schema });
    return { db, close: () => db.$close() };
  }
  const clone = await postgresClone(url, await postgresTemplate(url, folder, hash));
  const db = drizzle({ connection: clone.url, schema });
  return {
    db,
    async close() {
      await db.$close();
      await clone.drop();
    },
  };
}
