import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Journal } from "../../src/migrator/journal.js";
import { hashStatement } from "../../src/migrator/statements.js";
import {
  type MigrationProgress,
  MigrationRenamedError,
  migrate,
  migrationStatus,
} from "../../src/migrator.js";
import { loadParser } from "../../src/sql/parser.js";
import { backends } from "../support/databases.js";
import { cleanFolders, migrationsFolder, openDb, rows } from "./support.js";

beforeAll(async () => {
  await loadParser();
});
afterAll(cleanFolders);

const A = 'CREATE TABLE "a" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid(), "n" integer)';
const B = `INSERT INTO "a" ("n") VALUES (1)`;

function editJournal(folder: string, edit: (journal: Journal) => void): void {
  const path = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(path, "utf8")) as Journal;
  edit(journal);
  writeFileSync(path, JSON.stringify(journal));
}

describe.each(backends)(
  "journal drift after migrations were applied, on $name",
  ({ name, skip }) => {
    it.skipIf(skip)(
      "a renamed tag is a MigrationRenamedError naming both tags and the hash; nothing runs twice",
      async () => {
        const { db, close } = await openDb(name);
        try {
          const folder = migrationsFolder({ "0000_a": `${A};`, "0001_seed": `${B};` });
          await migrate(db, { migrationsFolder: folder });
          renameSync(join(folder, "0001_seed.sql"), join(folder, "0001_first_row.sql"));
          editJournal(folder, (j) => {
            const entry = j.entries[1];
            if (entry) entry.tag = "0001_first_row";
          });
          const error = await migrate(db, { migrationsFolder: folder }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(MigrationRenamedError);
          expect((error as MigrationRenamedError).renamed).toEqual([
            { from: "0001_seed", to: "0001_first_row", hash: hashStatement(B) },
          ]);
          expect((error as Error).message).toContain(
            `0001_first_row was applied as 0001_seed (same statements, first sha256 ${hashStatement(B).slice(0, 12)})`,
          );
          expect(await rows(db, "SELECT count(*)::int AS n FROM a")).toEqual([{ n: 1 }]);
          const status = await migrationStatus(db, { migrationsFolder: folder });
          expect(status.renamed).toEqual([
            { from: "0001_seed", to: "0001_first_row", hash: hashStatement(B) },
          ]);
        } finally {
          await close();
        }
      },
      120_000,
    );

    it.skipIf(skip)(
      "a migration removed from the journal is a warning (result and onProgress) with its tag and hash",
      async () => {
        const { db, close } = await openDb(name);
        try {
          const folder = migrationsFolder({ "0000_a": `${A};`, "0001_seed": `${B};` });
          await migrate(db, { migrationsFolder: folder });
          editJournal(folder, (j) => {
            j.entries = j.entries.slice(0, 1);
          });
          const events: MigrationProgress[] = [];
          const result = await migrate(db, {
            migrationsFolder: folder,
            onProgress: (e) => events.push(e),
          });
          const warning = `migration 0001_seed is recorded as applied (1 statement(s), first sha256 ${hashStatement(B).slice(0, 12)}) but is no longer in the journal; its changes stay in the database`;
          expect(result).toEqual({
            applied: 0,
            alreadyApplied: 0,
            migrations: [],
            warnings: [warning],
          });
          expect(events).toEqual([{ type: "warning", message: warning }]);
          // A new migration after the removal still applies, with the warning.
          const next = migrationsFolder({
            "0000_a": `${A};`,
            "0002_more": `INSERT INTO "a" ("n") VALUES (2);`,
          });
          const more = await migrate(db, { migrationsFolder: next });
          expect(more.applied).toBe(1);
          expect(more.warnings).toEqual([warning]);
          expect(await rows(db, "SELECT count(*)::int AS n FROM a")).toEqual([{ n: 2 }]);
        } finally {
          await close();
        }
      },
      120_000,
    );
  },
);
