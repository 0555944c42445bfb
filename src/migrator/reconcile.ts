import { type JournalDrift, journalDrift } from "./journal-drift.js";
import type { Migration, MigrationStatement } from "./statements.js";
import { type AppliedStatement, statementKey } from "./tracking.js";

/** An applied statement that no longer matches its file. */
export interface ChangedStatement {
  migration: string;
  statement: number;
  /** `text changed after it was applied` or `no longer in the file`. */
  reason: string;
}

/** The migration files set against the tracking records: what `migrate` and `status` both read. */
export interface Reconciliation {
  /** Statements of the journal's migrations with no record, in journal order. */
  pending: MigrationStatement[];
  /** Recorded statements of journal migrations whose text changed or vanished. */
  changed: ChangedStatement[];
  /** How many of each migration's statements are recorded, in the order of `migrations`. */
  appliedCounts: number[];
  /** Tags of recorded migrations the journal no longer lists. */
  unknown: string[];
  /** Recorded migrations renamed or removed in the journal. */
  drift: JournalDrift;
}

/**
 * Sets the statements of the migration files against the tracking records:
 * which are pending, which applied ones changed, and how the journal drifted.
 * Pure; `migrate` refuses on `changed`, `status` reports it.
 */
export function reconcile(migrations: Migration[], applied: AppliedStatement[]): Reconciliation {
  const tags = new Set(migrations.map((m) => m.entry.tag));
  const files = new Map<string, MigrationStatement>();
  for (const m of migrations)
    for (const s of m.statements) files.set(statementKey(s.migration, s.index), s);
  const changed: ChangedStatement[] = [];
  for (const row of applied) {
    if (!tags.has(row.migration)) continue;
    const file = files.get(statementKey(row.migration, row.statement));
    if (!file) {
      changed.push({ ...position(row), reason: "no longer in the file" });
    } else if (file.hash !== row.hash) {
      changed.push({ ...position(row), reason: "text changed after it was applied" });
    }
  }
  const done = new Set(applied.map((a) => statementKey(a.migration, a.statement)));
  const pending: MigrationStatement[] = [];
  const appliedCounts = migrations.map((m) => {
    let count = 0;
    for (const s of m.statements) {
      if (done.has(statementKey(s.migration, s.index))) count++;
      else pending.push(s);
    }
    return count;
  });
  return {
    pending,
    changed,
    appliedCounts,
    unknown: [...new Set(applied.map((a) => a.migration).filter((t) => !tags.has(t)))],
    drift: journalDrift(migrations, applied),
  };
}

function position(row: AppliedStatement): { migration: string; statement: number } {
  return { migration: row.migration, statement: row.statement };
}
