import { readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CliUsageError } from "../errors.js";
import { formatDiagnostic } from "../lint/diagnostic.js";
import { lintSql } from "../lint/lint.js";
import { type TransformOptions, type TransformResult, transformSql } from "../lint/transform.js";
import { type JournalEntry, readJournal, snapshotEnums } from "../migrator/journal.js";
import type { CliIo } from "./io.js";

/**
 * Parses drizzle-dsql's rewrite flags (`--dsql-json`, `--dsql-foreign-keys`)
 * out of `argv`; returns them and the arguments left over.
 */
export function parseRewriteFlags(argv: string[]): { options: TransformOptions; rest: string[] } {
  const options: TransformOptions = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [name = "", inline] = arg.split(/=(.*)/s, 2);
    if (name !== "--dsql-json" && name !== "--dsql-foreign-keys") {
      rest.push(arg);
      continue;
    }
    const value = inline ?? argv[++i];
    if (name === "--dsql-json") {
      if (value !== "text" && value !== "native")
        throw new CliUsageError("--dsql-json takes text or native");
      options.json = value;
    } else {
      if (value !== "validate" && value !== "drop")
        throw new CliUsageError("--dsql-foreign-keys takes validate or drop");
      options.foreignKeys = value;
    }
  }
  return { options, rest };
}

/** Enum values known at a migration: from its own snapshot and the one before it. */
function enumsFor(folder: string, entries: JournalEntry[], entry: JournalEntry) {
  const previous = entries.filter((e) => e.idx < entry.idx).at(-1);
  return {
    ...(previous ? snapshotEnums(folder, previous) : {}),
    ...snapshotEnums(folder, entry),
  };
}

/** The enums a migration file can use: found through the journal next to it, if any. */
function enumsNextTo(path: string): Record<string, string[]> {
  const folder = dirname(path);
  const tag = basename(path, ".sql");
  const entries = readJournal(folder).entries;
  const entry = entries.find((e) => e.tag === tag);
  return entry ? enumsFor(folder, entries, entry) : {};
}

function report(file: string, result: TransformResult, io: CliIo): void {
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const byStatement = new Map<number, typeof result.changes>();
  for (const change of result.changes) {
    byStatement.set(change.statement, [...(byStatement.get(change.statement) ?? []), change]);
  }
  io.stdout(
    `drizzle-dsql: ${file}: ${result.changes.length} change(s) for DSQL${errors.length ? `, ${errors.length} error(s)` : ""}\n`,
  );
  for (const [statement, changes] of [...byStatement].sort((a, b) => a[0] - b[0])) {
    const first = (changes[0]?.before ?? "").replace(/\s+/g, " ").slice(0, 70);
    io.stdout(`  statement ${statement + 1}: ${first}\n`);
    for (const c of changes)
      io.stdout(`    ${c.severity === "warning" ? "!" : "~"} ${c.rule}: ${c.reason}\n`);
  }
  for (const d of result.diagnostics) {
    const line = formatDiagnostic(file, d);
    (d.severity === "error" ? io.stderr : io.stdout)(`${line}\n`);
  }
}

/**
 * Rewrites one migration file in place for DSQL ({@link transformSql}, with
 * the enums of drizzle's snapshots when the file sits in a migrations
 * folder), prints what changed, and lints the result. Statements that cannot
 * be rewritten stay, marked `-- drizzle-dsql: error`. Returns how many
 * errors were found; the parser must be loaded.
 */
export function rewriteMigrationFile(
  path: string,
  display: string,
  options: TransformOptions,
  io: CliIo,
): number {
  const text = readFileSync(path, "utf8");
  const result = transformSql(text, { ...options, enums: enumsNextTo(path) });
  if (result.sql !== text) writeFileSync(path, result.sql);
  report(display, result, io);
  const refused = result.diagnostics.filter((d) => d.severity === "error").length;
  if (refused > 0) return refused;
  const lint = lintSql(result.sql).filter((x) => x.severity === "error");
  for (const d of lint) io.stderr(`${formatDiagnostic(display, d)}\n`);
  return lint.length;
}

/** The SQL file of a journal entry. */
export function migrationPath(folder: string, entry: JournalEntry): string {
  return join(folder, `${entry.tag}.sql`);
}
