import { DsqlError } from "../driver/errors.js";
import { sqlStateOf } from "../driver/retry.js";
import type { AppliedStatement } from "./tracking.js";

/** An applied statement's text differs from the migration file's (or it is gone from the file). */
export class MigrationChangedError extends DsqlError {
  /** The statements whose recorded hash differs from the file. */
  readonly changed: { migration: string; statement: number }[];

  constructor(changed: { migration: string; statement: number; reason: string }[]) {
    const lines = changed.map(
      (c) => `  migration ${c.migration}, statement ${c.statement + 1}: ${c.reason}`,
    );
    super(
      `applied migration statements no longer match their files; write a new migration instead of editing an applied one:\n${lines.join("\n")}`,
    );
    this.name = "MigrationChangedError";
    this.changed = changed.map(({ migration, statement }) => ({ migration, statement }));
  }
}

/** A statement failed while being applied; names the migration and statement. */
export class MigrationStatementError extends DsqlError {
  readonly migration: string;
  readonly statement: number;

  constructor(migration: string, statement: number, sql: string, cause: unknown) {
    super(
      `migration ${migration}, statement ${statement + 1} failed: ${cause instanceof Error ? cause.message : String(cause)}\n  ${sql}`,
      { cause, code: sqlStateOf(cause) },
    );
    this.name = "MigrationStatementError";
    this.migration = migration;
    this.statement = statement;
  }
}

/** Lists what no longer matches: recorded hashes against the files' statements. */
export function findChanged(
  applied: AppliedStatement[],
  files: Map<string, { hash: string } | undefined>,
  knownMigrations: Set<string>,
): { migration: string; statement: number; reason: string }[] {
  const out: { migration: string; statement: number; reason: string }[] = [];
  for (const row of applied) {
    if (!knownMigrations.has(row.migration)) continue;
    const file = files.get(`${row.migration}#${row.statement}`);
    if (!file)
      out.push({
        migration: row.migration,
        statement: row.statement,
        reason: "no longer in the file",
      });
    else if (file.hash !== row.hash) {
      out.push({
        migration: row.migration,
        statement: row.statement,
        reason: "text changed after it was applied",
      });
    }
  }
  return out;
}
