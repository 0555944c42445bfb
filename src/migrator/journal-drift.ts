import type { RenamedMigration } from "../errors.js";
import type { Migration } from "./statements.js";
import type { AppliedStatement } from "./tracking.js";

/** A recorded migration the journal no longer lists. */
export interface RemovedMigration {
  migration: string;
  /** How many of its statements were applied. */
  statements: number;
  /** sha256 of its first applied statement. */
  hash: string;
}

/** How the journal drifted from what the database recorded. */
export interface JournalDrift {
  renamed: RenamedMigration[];
  removed: RemovedMigration[];
}

/**
 * Compares the recorded migrations with the journal: a recorded tag missing
 * from the journal whose statements (same indexes, same hashes) are those of
 * a journal migration with nothing recorded was renamed; any other missing
 * tag was removed from the journal after it was applied.
 */
export function journalDrift(migrations: Migration[], applied: AppliedStatement[]): JournalDrift {
  const tags = new Set(migrations.map((m) => m.entry.tag));
  const recorded = new Map<string, AppliedStatement[]>();
  for (const row of applied)
    recorded.set(row.migration, [...(recorded.get(row.migration) ?? []), row]);
  const untouched = migrations.filter((m) => !recorded.has(m.entry.tag));
  const drift: JournalDrift = { renamed: [], removed: [] };
  for (const [tag, rows] of recorded) {
    if (tags.has(tag)) continue;
    const sorted = [...rows].sort((a, b) => a.statement - b.statement);
    const hash = sorted[0]?.hash ?? "";
    const match = untouched.find((m) =>
      sorted.every((row) => m.statements[row.statement]?.hash === row.hash),
    );
    if (match) drift.renamed.push({ from: tag, to: match.entry.tag, hash });
    else drift.removed.push({ migration: tag, statements: sorted.length, hash });
  }
  return drift;
}

/** The warning for a migration removed from the journal. */
export function removedWarning(removed: RemovedMigration): string {
  return `migration ${removed.migration} is recorded as applied (${removed.statements} statement(s), first sha256 ${removed.hash.slice(0, 12)}) but is no longer in the journal; its changes stay in the database`;
}
