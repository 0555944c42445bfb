import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject, it } from "vitest";

/** The test PostgreSQL's superuser URL, or "" when the suites must skip. */
export const postgresUrl = inject("postgresUrl");

/** Whether the PostgreSQL suites run in this environment. */
export const hasPostgres = postgresUrl !== "";

/** A database of its own for one test file; `drop()` removes it. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database on the test server. */
export async function createPgDatabase(): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * The two local backends every driver suite runs on: embedded PGlite, and a
 * fresh database on the real PostgreSQL (skipped loudly when there is none).
 */
export const backends: { name: "pglite" | "postgres"; skip: boolean }[] = [
  { name: "pglite", skip: false },
  { name: "postgres", skip: !hasPostgres },
];

/** Returns a connection string for a fresh, empty database on `backend`. */
export async function freshConnection(
  backend: "pglite" | "postgres",
): Promise<{ connection: string; drop(): Promise<void> }> {
  if (backend === "pglite") return { connection: "pglite://memory", drop: async () => {} };
  const db = await createPgDatabase();
  return { connection: db.url, drop: () => db.drop() };
}

/**
 * `it` for a case that only PostgreSQL can run, inside a `describe.each(backends)`:
 * on the other backends the case is not defined at all (it is not a skip:
 * in CI nothing may skip), and on PostgreSQL it skips only when PostgreSQL is missing.
 */
export function itOnPostgres(name: string, skip: boolean): ReturnType<typeof it.skipIf> {
  const none = (() => {}) as unknown as ReturnType<typeof it.skipIf>;
  return name === "postgres" ? it.skipIf(skip) : none;
}
