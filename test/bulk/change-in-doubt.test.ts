import { sql } from "drizzle-orm";
import { integer, pgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DsqlBatchError,
  DsqlCommitUnknownError,
  deleteInBatches,
  updateInBatches,
} from "../../src/index.js";
import { backends } from "../support/databases.js";
import { type FaultRig, startFaultRig } from "../support/fault-rig.js";

const items = pgTable("items", {
  id: integer("id").primaryKey(),
  hits: integer("hits").notNull().default(0),
});

const ROWS = 30;
/** Ten rows per transaction, one at a time: the second window is keys 10..19. */
const options = { concurrency: 1, maxRowsPerTransaction: 10 };

describe.each(backends)(
  "a lost COMMIT reply in deleteInBatches / updateInBatches on $name",
  ({ name, skip }) => {
    let rig: FaultRig;

    const ids = async () =>
      (
        await rig.direct.execute<{ id: number; hits: number }>(
          sql`select id, hits from items order by id`,
        )
      ).rows;

    beforeAll(async () => {
      if (skip) return;
      rig = await startFaultRig(name);
      await rig.direct.execute(
        sql`create table items (id integer primary key, hits integer not null default 0)`,
      );
    });

    afterAll(async () => {
      if (!skip) await rig.close();
    });

    beforeEach(async () => {
      if (skip) return;
      rig.proxy.mode = "forward";
      await rig.direct.execute(sql`delete from items`);
      await rig.direct.execute(
        sql`insert into items (id) select g from generate_series(0, ${ROWS - 1}::int) g`,
      );
    });

    /** Loses the reply to the COMMIT after the first window's (the key scan's came before it). */
    const loseSecondCommit = (when: "after" | "before") => {
      let armed = false;
      return () => {
        if (armed) return;
        armed = true;
        rig.proxy.loseNext(when);
      };
    };

    it.skipIf(skip)(
      "updateInBatches reports the window as in doubt, not as to do: resuming changes no row twice",
      async () => {
        const db = rig.through();
        const set = { hits: sql`${items.hits} + 1` };
        const error = await updateInBatches(db, items, set, undefined, {
          ...options,
          onProgress: loseSecondCommit("after"),
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DsqlBatchError);
        const report = error as DsqlBatchError;
        expect(report.cause).toBeInstanceOf(DsqlCommitUnknownError);
        expect(report.changed).toBe(10);
        expect(report.doneKeys).toEqual([{ after: null, through: [9] }]);
        expect(report.inDoubtKeys).toEqual([{ after: [9], through: [19] }]);
        expect(report.message).toContain("in doubt");
        // The server did commit it: every row up to 19 is changed once already.
        expect((await ids()).filter((r) => r.hits === 1).map((r) => r.id)).toEqual(
          Array.from({ length: 20 }, (_, i) => i),
        );
        const rest = await updateInBatches(db, items, set, undefined, {
          ...options,
          resume: report.resume,
        });
        expect(rest.changed).toBe(10);
        expect((await ids()).every((r) => r.hits === 1)).toBe(true);
      },
    );

    it.skipIf(skip)(
      "deleteInBatches reports a COMMIT that never reached the server as in doubt too",
      async () => {
        const db = rig.through();
        const error = await deleteInBatches(db, items, undefined, {
          ...options,
          onProgress: loseSecondCommit("before"),
        }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DsqlBatchError);
        const report = error as DsqlBatchError;
        expect(report.cause).toBeInstanceOf(DsqlCommitUnknownError);
        expect(report.doneKeys).toEqual([{ after: null, through: [9] }]);
        expect(report.inDoubtKeys).toEqual([{ after: [9], through: [19] }]);
        // Resuming skips the in-doubt window: its rows are left for the caller to check.
        const rest = await deleteInBatches(db, items, undefined, {
          ...options,
          resume: report.resume,
        });
        expect(rest.changed).toBe(10);
        expect((await ids()).map((r) => r.id)).toEqual(
          Array.from({ length: 10 }, (_, i) => i + 10),
        );
      },
    );
  },
);
