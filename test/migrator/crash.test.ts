import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/migrator.js";
import { loadParser } from "../../src/sql/parser.js";
import { backends } from "../support/databases.js";
import {
  catalogDump,
  cleanFolders,
  dataDump,
  FIXTURE_COUNTS,
  fixtureFolder,
  migrationsFolder,
  openDb,
  resetDb,
  rows,
  seed,
} from "./support.js";

type Db = Awaited<ReturnType<typeof openDb>>["db"];

beforeAll(async () => {
  await loadParser();
});
afterAll(cleanFolders);

class Killed extends Error {}

/** A hook that "kills" the run at the `at`-th call (0-based), once. */
function killAt(at: number | undefined) {
  let calls = 0;
  return () => {
    if (calls++ === at) throw new Killed(`killed after statement call ${at}`);
  };
}

type Kill =
  | { phase: "init" | "more"; at: number; where: "afterExecute" | "afterRecord" }
  | undefined;

/**
 * 0000_init on an empty database, seed rows, then 0001_more_columns; `kill`
 * stops one of the two runs after a statement committed (before it is
 * recorded, or just after), and the run is simply started again.
 */
async function scenario(db: Db, kill: Kill) {
  await resetDb(db);
  {
    const phases = [
      { phase: "init" as const, folder: fixtureFolder(1) },
      { phase: "more" as const, folder: fixtureFolder(2) },
    ];
    for (const { phase, folder } of phases) {
      if (phase === "more") await seed(db);
      if (kill?.phase === phase) {
        const hook = killAt(kill.at);
        await expect(
          migrate(db, { migrationsFolder: folder, hooks: { [kill.where]: hook } }),
        ).rejects.toThrow(Killed);
        const resumed = await migrate(db, { migrationsFolder: folder });
        const count = FIXTURE_COUNTS[phase === "init" ? 0 : 1] ?? 0;
        const left = kill.where === "afterExecute" ? count - kill.at : count - kill.at - 1;
        expect(resumed.applied + resumed.alreadyApplied).toBe(left);
      } else {
        await migrate(db, { migrationsFolder: folder });
      }
    }
    expect((await migrate(db, { migrationsFolder: fixtureFolder(2) })).applied).toBe(0);
    return { catalog: await catalogDump(db), data: await dataDump(db) };
  }
}

describe.each(backends)(
  "migrate() killed after each statement in turn, on $name",
  ({ name, skip }) => {
    it.skipIf(skip)(
      "resumes to exactly the schema and data of an uninterrupted run, every time",
      async () => {
        const { db, close } = await openDb(name);
        try {
          const reference = await scenario(db, undefined);
          const kills: Kill[] = [];
          for (let at = 0; at < (FIXTURE_COUNTS[0] ?? 0); at++)
            kills.push({ phase: "init", at, where: "afterExecute" });
          for (let at = 0; at < (FIXTURE_COUNTS[1] ?? 0); at++)
            kills.push({ phase: "more", at, where: "afterExecute" });
          // And once after a statement was recorded.
          kills.push({ phase: "more", at: 3, where: "afterRecord" });
          for (const kill of kills) {
            const outcome = await scenario(db, kill);
            expect(outcome, JSON.stringify(kill)).toEqual(reference);
          }
        } finally {
          await close();
        }
      },
      900_000,
    );

    it.skipIf(skip)(
      "resumes hand-written statements without IF NOT EXISTS forms (renames, views, plain ASYNC index) by checking the catalog",
      async () => {
        const statements = [
          "CREATE TABLE a (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), b text)",
          "ALTER TABLE a ADD COLUMN d text",
          "ALTER TABLE a RENAME COLUMN b TO c",
          "ALTER TABLE a RENAME TO a2",
          "CREATE VIEW v AS SELECT id, c FROM a2",
          "CREATE INDEX ASYNC a2_c_idx ON a2 (c)",
          "ALTER TABLE a2 ADD CONSTRAINT a2_c_check CHECK (c <> '') NOT VALID",
        ];
        const folder = migrationsFolder({
          "0000_hand": statements.join(";\n--> statement-breakpoint\n"),
        });
        const { db, close } = await openDb(name);
        const run = async (at: number | undefined) => {
          await resetDb(db);
          if (at !== undefined) {
            await expect(
              migrate(db, { migrationsFolder: folder, hooks: { afterExecute: killAt(at) } }),
            ).rejects.toThrow(Killed);
            const resumed = await migrate(db, { migrationsFolder: folder });
            expect(resumed.alreadyApplied + resumed.applied).toBe(statements.length - at);
          } else {
            await migrate(db, { migrationsFolder: folder });
          }
          return catalogDump(db);
        };
        try {
          const reference = await run(undefined);
          for (let at = 0; at < statements.length; at++)
            expect(await run(at), `killed after ${at}`).toEqual(reference);
        } finally {
          await close();
        }
      },
      300_000,
    );

    it.skipIf(skip)(
      "resumes hand-written INSERT, UPDATE and DROP TABLE / INDEX / VIEW without running them twice",
      async () => {
        const statements = [
          "CREATE TABLE p (id int PRIMARY KEY, price int NOT NULL)",
          "INSERT INTO p (id, price) VALUES (1, 100), (2, 200)",
          "UPDATE p SET price = price + 50",
          "CREATE TABLE gone (id int PRIMARY KEY)",
          "CREATE INDEX ASYNC p_price_idx ON p (price)",
          "CREATE VIEW p_view AS SELECT id FROM p",
          "DROP VIEW p_view",
          "DROP INDEX p_price_idx",
          "DROP TABLE gone",
          "DELETE FROM p WHERE id = 2",
        ];
        const folder = migrationsFolder({
          "0000_hand": statements.join(";\n--> statement-breakpoint\n"),
        });
        const { db, close } = await openDb(name);
        const run = async (at: number | undefined) => {
          await resetDb(db);
          if (at !== undefined) {
            await expect(
              migrate(db, { migrationsFolder: folder, hooks: { afterExecute: killAt(at) } }),
            ).rejects.toThrow(Killed);
            await migrate(db, { migrationsFolder: folder });
          } else {
            await migrate(db, { migrationsFolder: folder });
          }
          expect((await migrate(db, { migrationsFolder: folder })).applied).toBe(0);
          return { catalog: await catalogDump(db), rows: await rows(db, "SELECT * FROM p") };
        };
        try {
          const reference = await run(undefined);
          expect(reference.rows).toEqual([{ id: 1, price: 150 }]);
          for (let at = 0; at < statements.length; at++)
            expect(await run(at), `killed after ${statements[at]}`).toEqual(reference);
        } finally {
          await close();
        }
      },
      300_000,
    );
  },
);
