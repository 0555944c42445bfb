import type { RenamedMigration } from "../errors.js";
import { loadParser } from "../sql/parser.js";
import { bookkeeping } from "./bookkeeping.js";
import type { MigrationConfig } from "./migrate.js";
import { reconcile } from "./reconcile.js";
import { type MigratableDatabase, runnerFor } from "./runner.js";
import { readMigrations } from "./statements.js";
import { appliedStatements, trackingExists, trackingTables } from "./tracking.js";

/** One migration's state. */
export interface MigrationStatusEntry {
  tag: string;
  /** When drizzle-kit generated it. */
  when: Date;
  statements: number;
  applied: number;
  /** `applied`, `pending`, `partial` (a run stopped inside it), or `changed` (an applied statement was edited). */
  state: "applied" | "pending" | "partial" | "changed";
}

/** What {@link migrationStatus} returns. */
export interface MigrationStatus {
  migrations: MigrationStatusEntry[];
  /** Statements not applied yet, in order. */
  pending: { migration: string; statement: number; sql: string }[];
  /** Applied statements whose text changed (or vanished) in the files. */
  changed: { migration: string; statement: number; reason: string }[];
  /** Tracking rows for migrations no longer in the journal (renamed ones included). */
  unknown: string[];
  /** Applied migrations the journal now lists under another tag (`migrate` refuses to run them again). */
  renamed: RenamedMigration[];
}

/**
 * Reads which migration statements are applied, pending or changed, without
 * changing anything (not even creating the tracking table).
 *
 * @example
 * ```ts
 * const status = await migrationStatus(db, { migrationsFolder: "./drizzle" });
 * console.log(status.pending.length, "statements to apply");
 * ```
 */
export async function migrationStatus(
  db: MigratableDatabase,
  config: Pick<MigrationConfig, "migrationsFolder" | "migrationsTable" | "migrationsSchema">,
): Promise<MigrationStatus> {
  await loadParser();
  const migrations = readMigrations(config.migrationsFolder);
  const runner = runnerFor(db);
  const tables = trackingTables(config.migrationsSchema, config.migrationsTable);
  const applied = await bookkeeping(
    `read the migration records (${tables.schema}.${tables.table})`,
    async () => ((await trackingExists(runner, tables)) ? appliedStatements(runner, tables) : []),
  );
  const { pending, changed, appliedCounts, unknown, drift } = reconcile(migrations, applied);
  const changedTags = new Set(changed.map((c) => c.migration));
  const entries = migrations.map((m, i): MigrationStatusEntry => {
    const count = appliedCounts[i] ?? 0;
    const state = changedTags.has(m.entry.tag)
      ? "changed"
      : count === m.statements.length
        ? "applied"
        : count === 0
          ? "pending"
          : "partial";
    return {
      tag: m.entry.tag,
      when: new Date(m.entry.when),
      statements: m.statements.length,
      applied: count,
      state,
    };
  });
  return {
    migrations: entries,
    pending: pending.map((s) => ({ migration: s.migration, statement: s.index, sql: s.sql })),
    changed,
    unknown,
    renamed: drift.renamed,
  };
}
