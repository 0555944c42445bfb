import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MigrationFileError } from "../errors.js";
import { classifyStatement, type StatementKind } from "../sql/classify.js";
import { type ParsedStatement, parseStatements } from "../sql/parser.js";
import { findRefusal, splitAtBreakpoints } from "../sql/split.js";
import { type JournalEntry, journalPath, readJournal } from "./journal.js";

/** One statement of one migration, as the migrator applies and records it. */
export interface MigrationStatement {
  /** The migration's tag (`0001_add_age`). */
  migration: string;
  /** The migration's position in the journal. */
  migrationIndex: number;
  /** 0-based index of the statement inside its migration. */
  index: number;
  /** The statement's text, as written (without the trailing semicolon). */
  sql: string;
  /** sha256 of the text: a statement edited after it was applied is reported. */
  hash: string;
  kind: StatementKind;
  parsed: ParsedStatement;
}

/** A migration of the journal with its statements. */
export interface Migration {
  entry: JournalEntry;
  statements: MigrationStatement[];
}

/** sha256 of a statement's text (line endings normalised). */
export function hashStatement(text: string): string {
  return createHash("sha256").update(text.replace(/\r\n/g, "\n").trim()).digest("hex");
}

/** Splits one migration's SQL into statements: at breakpoints, then at semicolons. */
export function splitMigration(entry: JournalEntry, text: string): MigrationStatement[] {
  const refused = findRefusal(text);
  if (refused !== undefined) {
    throw new MigrationFileError(
      `migration ${entry.tag} holds a statement drizzle-dsql could not make DSQL-safe:${refused}. Fix the schema change (or edit the file) first.`,
    );
  }
  const out: MigrationStatement[] = [];
  for (const { text: chunk } of splitAtBreakpoints(text)) {
    let parsed: ParsedStatement[];
    try {
      parsed = parseStatements(chunk);
    } catch (error) {
      throw new MigrationFileError(`migration ${entry.tag}: ${(error as Error).message}`);
    }
    for (const stmt of parsed) {
      out.push({
        migration: entry.tag,
        migrationIndex: entry.idx,
        index: out.length,
        sql: stmt.text,
        hash: hashStatement(stmt.text),
        kind: classifyStatement(stmt),
        parsed: stmt,
      });
    }
  }
  return out;
}

/**
 * Reads the journal and every migration's statements, in journal order. A
 * missing folder or journal is an error (never "no pending migrations").
 */
export function readMigrations(folder: string): Migration[] {
  if (!existsSync(folder)) throw new MigrationFileError(`migrations folder not found: ${folder}`);
  if (!existsSync(journalPath(folder))) {
    throw new MigrationFileError(
      `${journalPath(folder)} not found: ${folder} is not a drizzle-kit migrations folder (run \`drizzle-dsql generate\`, or point --migrations-folder / the config's \`out\` at the right one)`,
    );
  }
  const journal = readJournal(folder);
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map((entry) => {
      const path = join(folder, `${entry.tag}.sql`);
      if (!existsSync(path)) throw new MigrationFileError(`migration file not found: ${path}`);
      return { entry, statements: splitMigration(entry, readFileSync(path, "utf8")) };
    });
}
