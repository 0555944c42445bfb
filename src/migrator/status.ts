import type { RenamedMigration } from "../errors.js";
import { loadParser } from "../sql/parser.js";
import { bookkeeping } from "./bookkeeping.js";
import { findChanged } from "./changed.js";
import { journalDrift } from "./journal-drift.js";
import type { MigrationConfig } from "./migrate.js";
import { type MigratableDatabase, runnerFor } from "./runner.js";
import { readMigrations } from "./statements.js";
import { appliedStatements, statementKey, trackingExists, trackingTables } from "./tracking.js";

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
  const files = new Map<string, { hash: string }>();
  for (const m of migrations)
    for (const s of m.statements) files.set(statementKey(s.migration, s.index), s);
  const tags = new Set(migrations.map((m) => m.entry.tag));
  const changed = findChanged(applied, files, tags);
  const done = new Set(applied.map((a) => statementKey(a.migration, a.statement)));
  const changedTags = new Set(changed.map((c) => c.migration));
  const entries = migrations.map((m): MigrationStatusEntry => {
    const count = m.statements.filter((s) => done.has(statementKey(s.migration, s.index))).length;
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
    pending: migrations.flatMap((m) =>
      m.statements
        .filter((s) => !done.has(statementKey(s.migration, s.index)))
        .map((s) => ({ migration: s.migration, statement: s.index, sql: s.sql })),
    ),
    changed,
    unknown: [...new Set(applied.map((a) => a.migration).filter((t) => !tags.has(t)))],
    renamed: journalDrift(migrations, applied).renamed,
  };
}
