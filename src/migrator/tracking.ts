import { type SQL, sql } from "drizzle-orm";
import { sqlStateOf } from "../errors.js";
import type { Runner } from "./runner.js";
import type { MigrationStatement } from "./statements.js";

/** Where the migrator keeps its records. */
export interface TrackingTables {
  schema: string;
  /** One row per applied statement. */
  table: string;
  /** One row: the migration lock (owner, lease) and the statement in flight. */
  lock: string;
}

/** A row of the tracking table. */
export interface AppliedStatement {
  migration: string;
  statement: number;
  hash: string;
  appliedAt: Date | string | undefined;
}

/** The tracking tables for a schema and table name (defaults `drizzle`, `__drizzle_dsql_migrations`). */
export function trackingTables(
  schema = "drizzle",
  table = "__drizzle_dsql_migrations",
): TrackingTables {
  return { schema, table, lock: `${table}_lock` };
}

/** `"schema"."table"` of the tracking table or (`"lock"`) the lock table, quoted. */
export function trackingName(t: TrackingTables, which: "table" | "lock" = "table"): SQL {
  return sql`${sql.identifier(t.schema)}.${sql.identifier(which === "lock" ? t.lock : t.table)}`;
}

// Two runners creating the same table at once: PostgreSQL may answer 23505 / 42P07
// for the loser of the race even with IF NOT EXISTS; running it again settles it.
async function ddl(runner: Runner, text: SQL): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await runner.run(text);
      return;
    } catch (error) {
      const code = sqlStateOf(error);
      if (attempt >= 3 || (code !== "23505" && code !== "42P07" && code !== "42P06")) throw error;
    }
  }
}

/**
 * Creates the schema, the tracking table and the lock table with DSQL-safe
 * DDL (one statement each, IF NOT EXISTS, no SERIAL), and the lock's row.
 * When both tables exist (the usual case at app start) no DDL runs, so
 * concurrent starters have no schema change to conflict on.
 */
export async function ensureTracking(runner: Runner, t: TrackingTables): Promise<void> {
  const { rows } = await runner.run(
    sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = ${t.schema} AND table_name IN (${t.table}, ${t.lock})`,
  );
  if (rows[0]?.n !== 2) await createTracking(runner, t);
  await runner.transaction((run) =>
    run(sql`INSERT INTO ${trackingName(t, "lock")} (id) VALUES (1) ON CONFLICT (id) DO NOTHING`),
  );
}

async function createTracking(runner: Runner, t: TrackingTables): Promise<void> {
  await ddl(runner, sql`CREATE SCHEMA IF NOT EXISTS ${sql.identifier(t.schema)}`);
  await ddl(
    runner,
    sql`CREATE TABLE IF NOT EXISTS ${trackingName(t)} (
  migration text NOT NULL,
  statement integer NOT NULL,
  hash text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (migration, statement)
)`,
  );
  await ddl(
    runner,
    sql`CREATE TABLE IF NOT EXISTS ${trackingName(t, "lock")} (
  id integer PRIMARY KEY,
  owner text,
  expires_at timestamptz,
  migration text,
  statement integer,
  hash text
)`,
  );
}

/** Whether the tracking table exists (status reads without creating anything). */
export async function trackingExists(runner: Runner, t: TrackingTables): Promise<boolean> {
  const { rows } = await runner.run(
    sql`SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = ${t.schema} AND table_name = ${t.table}) AS present`,
  );
  return rows[0]?.present === true;
}

/** Every recorded statement. */
export async function appliedStatements(
  runner: Runner,
  t: TrackingTables,
): Promise<AppliedStatement[]> {
  const { rows } = await runner.run(
    sql`SELECT migration, statement, hash, applied_at FROM ${trackingName(t)} ORDER BY migration, statement`,
  );
  return rows.map((r) => ({
    migration: String(r.migration),
    statement: Number(r.statement),
    hash: String(r.hash),
    appliedAt: r.applied_at as Date | string | undefined,
  }));
}

/** `INSERT` of a statement's tracking row (a no-op if it is there already). */
export function recordSql(t: TrackingTables, stmt: MigrationStatement): SQL {
  return sql`INSERT INTO ${trackingName(t)} (migration, statement, hash) VALUES (${stmt.migration}, ${stmt.index}, ${stmt.hash}) ON CONFLICT (migration, statement) DO NOTHING`;
}

/** The key of a statement in maps: `tag#index`. */
export function statementKey(migration: string, index: number): string {
  return `${migration}#${index}`;
}
