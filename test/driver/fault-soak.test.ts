import { sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  batchInsert,
  DsqlBatchError,
  DsqlCommitUnknownError,
  DsqlConnectionError,
  DsqlError,
} from "../../src/index.js";
import { migrate } from "../../src/migrator.js";
import { migrationsFolder } from "../migrator/support.js";
import { backends } from "../support/databases.js";
import { type FaultRig, startFaultRig } from "../support/fault-rig.js";

// No primary key: a write that ran twice shows as a duplicate id.
const ledger = pgTable("ledger", { id: integer("id").notNull(), kind: text("kind").notNull() });

const LOAD_MS = 8_000;
const WORKERS = 4;
const MIGRATIONS = 4;

/** What the calls said about each id: surely written, maybe written (in doubt), surely not. */
interface Outcomes {
  written: Set<number>;
  maybe: Set<number>;
  notWritten: Set<number>;
  untyped: unknown[];
  errors: Map<string, number>;
}

function note(outcomes: Outcomes, error: unknown): void {
  const name = error instanceof Error ? error.constructor.name : typeof error;
  outcomes.errors.set(name, (outcomes.errors.get(name) ?? 0) + 1);
  if (!(error instanceof DsqlError)) outcomes.untyped.push(error);
}

// PostgreSQL only. Embedded PGlite is one backend session behind
// pglite-socket (0.2.17), and that server cannot be soaked this way:
// - It queues work one protocol message at a time, so a connection cut
//   between its Parse and its Sync, or inside a transaction, leaves the
//   shared session half-way for whichever connection comes next. With
//   connections cut every ~100 ms (rig.terminate(), the proxy resets every
//   connection) the run surfaced, untyped, dozens of "26000 unnamed
//   prepared statement does not exist", "55000 portal \"\" cannot be run"
//   and "25001 SET TRANSACTION ISOLATION LEVEL must be called before any
//   query" (a BEGIN landing inside a transaction left open). Without cuts,
//   400 concurrent autocommit statements over 8 connections showed none.
// - On a cut it rolls back only if the session is in a transaction at that
//   moment and the cut connection sent the last message; a BEGIN still
//   running when the socket closes commits to a transaction nobody owns, and
//   the queue then waits for that gone connection.
// - A failed execProtocolRawStream returns from the queue loop without
//   clearing its "processing" flag, so the queue stops for good.
// - Even with the faults switched off, the same mixed load (4 workers,
//   transactions, batchInsert, autocommit inserts, migrate) never finished on
//   PGlite: vitest had reported nothing after 100 s (not isolated further).
// The errors under cuts come from the shared session, not the driver (the
// same load passes on PostgreSQL): only replacing pglite-socket's queue can
// make this soak pass on PGlite. The stall without faults is unexplained. PGlite's fault behaviour is covered by
// faults.test.ts, one fault at a time.
const soakBackends = backends.filter((b) => b.name === "postgres");

describe.each(soakBackends)("fault soak on $name", ({ name, skip }) => {
  let rig: FaultRig;

  beforeAll(async () => {
    if (skip) return;
    rig = await startFaultRig(name);
    await rig.direct.execute(sql`create table ledger (id integer not null, kind text not null)`);
  });

  afterAll(async () => {
    if (!skip) await rig.close();
  });

  it.skipIf(skip)(
    "backends killed every ~100 ms under mixed load: no crash, only typed errors, exactly the data the calls wrote",
    async () => {
      const db = rig.through({
        pool: { max: 4, application_name: "soak" },
        retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 100 },
      });
      const folder = migrationsFolder(
        Object.fromEntries(
          Array.from({ length: MIGRATIONS }, (_, i) => [
            `000${i}_soak`,
            `CREATE TABLE soak_m${i} (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), v text);`,
          ]),
        ),
      );
      const outcomes: Outcomes = {
        written: new Set(),
        maybe: new Set(),
        notWritten: new Set(),
        untyped: [],
        errors: new Map(),
      };
      let nextId = 0;
      const ids = (n: number) => Array.from({ length: n }, () => nextId++);
      let kills = 0;
      const killer = setInterval(() => {
        kills++;
        rig.direct
          .execute(
            sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'soak' order by random() limit 1`,
          )
          .catch(() => {});
      }, 100);

      const transaction = async () => {
        const [id] = ids(1) as [number];
        try {
          await db.transaction(async (tx) => {
            await tx.insert(ledger).values({ id, kind: "tx" });
          });
          outcomes.written.add(id);
        } catch (error) {
          note(outcomes, error);
          // Only a lost COMMIT reply leaves a transaction in doubt.
          (error instanceof DsqlCommitUnknownError ? outcomes.maybe : outcomes.notWritten).add(id);
        }
      };
      const autocommit = async () => {
        const [id] = ids(1) as [number];
        try {
          await db.insert(ledger).values({ id, kind: "auto" });
          outcomes.written.add(id);
        } catch (error) {
          note(outcomes, error);
          // A statement lost in flight may have run.
          (error instanceof DsqlConnectionError || error instanceof DsqlCommitUnknownError
            ? outcomes.maybe
            : outcomes.notWritten
          ).add(id);
        }
      };
      const bulk = async () => {
        const batch = ids(40);
        const rows = batch.map((id) => ({ id, kind: "bulk" }));
        try {
          await batchInsert(db, ledger, rows, { concurrency: 2, maxRowsPerTransaction: 10 });
          for (const id of batch) outcomes.written.add(id);
        } catch (error) {
          note(outcomes, error);
          if (!(error instanceof DsqlBatchError)) throw error;
          note(outcomes, error.cause);
          const mark = (ranges: { from: number; to: number }[], into: Set<number>) => {
            for (const r of ranges)
              for (let i = r.from; i < r.to; i++) into.add(batch[i] as number);
          };
          mark(error.committed, outcomes.written);
          mark(error.inDoubt, outcomes.maybe);
          mark(error.notCommitted, outcomes.notWritten);
          mark([{ from: error.rowsRead, to: batch.length }], outcomes.notWritten);
        }
      };
      let migrated = false;
      const migration = async () => {
        try {
          await migrate(db, { migrationsFolder: folder, lockTimeoutMs: 2_000 });
          migrated = true;
        } catch (error) {
          note(outcomes, error);
        }
      };

      const deadline = Date.now() + LOAD_MS;
      let calls = 0;
      const worker = async (w: number) => {
        for (let i = 0; Date.now() < deadline; i++) {
          calls++;
          const op = (i + w) % 4;
          if (op === 0) await (w === 0 && !migrated ? migration() : transaction());
          else if (op === 1) await transaction();
          else if (op === 2) await autocommit();
          else await bulk();
        }
      };
      try {
        await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      } finally {
        clearInterval(killer);
      }
      // A moment for in-flight kills to land, then the faults stop.
      await new Promise((r) => setTimeout(r, 200));

      const untyped = outcomes.untyped.map((e) => {
        const error = e as { message?: string; cause?: { message?: string; code?: string } };
        return `${error.message?.slice(0, 60)} <- ${error.cause?.code} ${error.cause?.message}`;
      });
      expect(untyped).toEqual([]);
      expect(kills).toBeGreaterThan(LOAD_MS / 200);
      expect(calls).toBeGreaterThan(20);
      expect(outcomes.written.size).toBeGreaterThan(0);

      const stored = await rig.direct.execute<{ id: number; n: number }>(
        sql`select id, count(*)::int as n from ledger group by id`,
      );
      const present = new Set<number>();
      for (const row of stored.rows) {
        expect(row.n, `id ${row.id} written twice`).toBe(1);
        present.add(row.id);
      }
      for (const id of outcomes.written) expect(present.has(id), `id ${id} lost`).toBe(true);
      for (const id of outcomes.notWritten)
        expect(present.has(id), `id ${id} appeared`).toBe(false);
      for (const id of present) {
        expect(outcomes.written.has(id) || outcomes.maybe.has(id), `id ${id} unexplained`).toBe(
          true,
        );
      }

      // Without faults the migration completes (resuming whatever was interrupted).
      await migrate(db, { migrationsFolder: folder });
      for (let i = 0; i < MIGRATIONS; i++) {
        await rig.direct.execute(sql.raw(`select count(*) from soak_m${i}`));
      }
      console.log(
        `fault soak on ${name}: ${calls} calls, ${kills} kills, ${outcomes.written.size} ids written, ${outcomes.maybe.size} in doubt, errors ${JSON.stringify(Object.fromEntries(outcomes.errors))}`,
      );
    },
    60_000,
  );
});
