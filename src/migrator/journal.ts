import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MigrationFileError } from "../errors.js";

/** One entry of drizzle-kit's `meta/_journal.json`. */
export interface JournalEntry {
  idx: number;
  /** The migration's name; its SQL is `<tag>.sql`. */
  tag: string;
  /** When drizzle-kit generated it (ms since epoch). */
  when: number;
  breakpoints: boolean;
}

/** drizzle-kit's journal of a migrations folder. */
export interface Journal {
  version: string;
  dialect: string;
  entries: JournalEntry[];
}

/** The journal's path inside a migrations folder. */
export function journalPath(folder: string): string {
  return join(folder, "meta", "_journal.json");
}

/**
 * Reads `meta/_journal.json`; an absent journal reads as no migrations (a
 * folder before its first `generate`). A journal that is not valid JSON
 * (truncated) or has malformed entries is a `MigrationFileError` naming the file.
 *
 * @example
 * ```ts
 * const { entries } = readJournal("./drizzle");
 * entries.map((e) => e.tag); // ["0000_init", "0001_add_age"]
 * ```
 */
export function readJournal(folder: string): Journal {
  const path = journalPath(folder);
  if (!existsSync(path)) return { version: "7", dialect: "postgresql", entries: [] };
  let journal: Journal;
  try {
    journal = JSON.parse(readFileSync(path, "utf8")) as Journal;
  } catch (error) {
    throw new MigrationFileError(
      `${path} is not valid JSON (truncated or hand-edited?): ${(error as Error).message}`,
    );
  }
  if (typeof journal !== "object" || journal === null || !Array.isArray(journal.entries)) {
    throw new MigrationFileError(`${path} has no "entries" array`);
  }
  journal.entries.forEach((entry, i) => {
    if (typeof entry?.tag !== "string" || entry.tag === "" || typeof entry.idx !== "number") {
      throw new MigrationFileError(`${path}: entry ${i} has no "tag" or "idx"`);
    }
  });
  return journal;
}

/** The path of a migration's drizzle snapshot (`meta/0003_snapshot.json`). */
export function snapshotPath(folder: string, entry: JournalEntry): string {
  return join(folder, "meta", `${String(entry.idx).padStart(4, "0")}_snapshot.json`);
}

/** Enum values recorded in a drizzle snapshot, by `schema.name`; {} when there is none. */
export function snapshotEnums(folder: string, entry: JournalEntry): Record<string, string[]> {
  const path = snapshotPath(folder, entry);
  if (!existsSync(path)) return {};
  const snapshot = JSON.parse(readFileSync(path, "utf8")) as {
    enums?: Record<string, { name?: string; schema?: string; values?: string[] }>;
  };
  const enums: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(snapshot.enums ?? {})) {
    const name = value.name ? `${value.schema ?? "public"}.${value.name}` : key;
    enums[name] = value.values ?? [];
  }
  return enums;
}
