import type { AppliedStatement } from "./tracking.js";

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
