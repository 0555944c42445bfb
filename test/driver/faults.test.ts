import { sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  batchInsert,
  DsqlBatchError,
  DsqlCommitUnknownError,
  DsqlConnectionError,
  drizzle,
} from "../../src/index.js";
import { backends, hasPostgres, itOnPostgres } from "../support/databases.js";
import { type FaultRig, startFaultRig } from "../support/fault-rig.js";
import { findPostgresBin, type PostgresServer, startPostgres } from "../support/postgres-server.js";

// No primary key, on purpose: a blind retry would show as a duplicate.
const items = pgTable("items", { id: integer("id").notNull(), note: text("note") });

const count = async (rig: FaultRig) =>
  (await rig.direct.execute<{ n: number }>(sql`select count(*)::int as n from items`)).rows[0]?.n;

describe.each(backends)("connection faults on $name", ({ name, skip }) => {
  let rig: FaultRig;

  beforeAll(async () => {
    if (skip) return;
    rig = await startFaultRig(name);
    await rig.direct.execute(sql`create table items (id integer not null, note text)`);
  });

  afterAll(async () => {
    if (!skip) await rig.close();
  });

  beforeEach(async () => {
    if (skip) return;
    rig.proxy.mode = "forward";
    await rig.direct.execute(sql`delete from items`);
  });

  it.skipIf(skip)(
    "a server that accepts TCP but never answers fails with DsqlConnectionError in bounded time",
    async () => {
      const db = rig.through({
        pool: { connectionTimeoutMillis: 300 },
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
      });
      rig.proxy.mode = "silent";
      const started = Date.now();
      const error = await db.execute(sql`select 1`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DsqlConnectionError);
      expect((error as DsqlConnectionError).code).toBe("08001");
      const failedTx = await db
        .transaction(async (tx) => tx.insert(items).values({ id: 1 }))
        .catch((e: unknown) => e);
      expect(failedTx).toBeInstanceOf(DsqlConnectionError);
      expect(Date.now() - started).toBeLessThan(10_000);
      rig.proxy.mode = "forward";
      rig.proxy.resetAll();
      await db.insert(items).values({ id: 2 });
      expect(await count(rig)).toBe(1);
    },
  );

  it.skipIf(skip)(
    "DSQL's connection limits (53300, 53400) are retried with backoff, like a server starting up",
    async () => {
      for (const code of ["53300", "53400"]) {
        const seen: unknown[] = [];
        const db = rig.through({
          retry: { maxAttempts: 30, baseDelayMs: 5, maxDelayMs: 40, onRetry: (e) => seen.push(e) },
        });
        rig.proxy.startupError = { code, message: "too many connections" };
        rig.proxy.mode = "refuseStartup";
        setTimeout(() => {
          rig.proxy.mode = "forward";
        }, 100);
        await db.insert(items).values({ id: Number(code) });
        expect(seen.length, code).toBeGreaterThan(0);
        for (const e of seen) expect((e as DsqlConnectionError).code).toBe(code);
      }
      rig.proxy.startupError = { code: "57P03", message: "the database system is starting up" };
      expect(await count(rig)).toBe(2);
    },
  );

  it.skipIf(skip)(
    "a server starting up (57P03) is retried with backoff until it answers; with retry off it surfaces",
    async () => {
      const seen: unknown[] = [];
      const db = rig.through({
        retry: { maxAttempts: 30, baseDelayMs: 5, maxDelayMs: 40, onRetry: (e) => seen.push(e) },
      });
      rig.proxy.mode = "refuseStartup";
      setTimeout(() => {
        rig.proxy.mode = "forward";
      }, 150);
      await db.transaction(async (tx) => tx.insert(items).values({ id: 1 }));
      await db.insert(items).values({ id: 2 });
      expect(seen.length).toBeGreaterThan(0);
      for (const e of seen) {
        expect(e).toBeInstanceOf(DsqlConnectionError);
        expect((e as DsqlConnectionError).code).toBe("57P03");
      }
      expect(await count(rig)).toBe(2);

      const strict = rig.through({ retry: false });
      rig.proxy.mode = "refuseStartup";
      const error = await strict.execute(sql`select 1`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DsqlConnectionError);
      expect((error as DsqlConnectionError).code).toBe("57P03");
    },
  );

  it.skipIf(skip)(
    "a FATAL in the same read as the end of the handshake neither crashes the process nor surfaces while retry lasts",
    async () => {
      const db = rig.through({ retry: { maxAttempts: 50, baseDelayMs: 5, maxDelayMs: 20 } });
      rig.proxy.mode = "fatalAfterHandshake";
      setTimeout(() => {
        rig.proxy.mode = "forward";
      }, 200);
      await db.transaction(async (tx) => tx.insert(items).values({ id: 1 }));
      await batchInsert(db, items, [{ id: 2 }, { id: 3 }]);
      expect(await count(rig)).toBe(3);
      rig.proxy.mode = "fatalAfterHandshake";
      const strict = rig.through({ retry: false });
      const error = await strict
        .transaction(async (tx) => tx.insert(items).values({ id: 4 }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DsqlConnectionError);
      expect(await count(rig)).toBe(3);
    },
  );

  it.skipIf(skip)(
    "a lost COMMIT reply is DsqlCommitUnknownError and is never retried, whether it committed or not",
    async () => {
      const db = rig.through();
      let runs = 0;
      rig.proxy.loseNext("after");
      const committed = await db
        .transaction(async (tx) => {
          runs++;
          await tx.insert(items).values({ id: 1, note: "committed" });
        })
        .catch((e: unknown) => e);
      expect(committed).toBeInstanceOf(DsqlCommitUnknownError);
      expect(committed).not.toBeInstanceOf(DsqlConnectionError);
      expect(runs).toBe(1);
      expect(await count(rig)).toBe(1);

      rig.proxy.loseNext("before");
      const lost = await db
        .transaction(async (tx) => {
          runs++;
          await tx.insert(items).values({ id: 2, note: "never committed" });
        })
        .catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(DsqlCommitUnknownError);
      expect(runs).toBe(2);
      expect(await count(rig)).toBe(1);
      // The pool drops the dead connections and goes on.
      await db.insert(items).values({ id: 3 });
      expect(await count(rig)).toBe(2);
    },
  );

  it.skipIf(skip)(
    "an autocommit statement whose reply is lost surfaces and is not run twice",
    async () => {
      const db = rig.through();
      rig.proxy.loseNext("after", "insert into");
      const error = await db
        .insert(items)
        .values({ id: 7 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DsqlConnectionError);
      expect(await count(rig)).toBe(1);
    },
  );

  it.skipIf(skip)(
    "batchInsert reports a batch whose COMMIT reply was lost as in doubt",
    async () => {
      const db = rig.through();
      const rows = Array.from({ length: 30 }, (_, id) => ({ id }));
      rig.proxy.loseNext("after");
      const error = await batchInsert(db, items, rows, {
        concurrency: 1,
        maxRowsPerTransaction: 10,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DsqlBatchError);
      const report = error as DsqlBatchError;
      expect(report.cause).toBeInstanceOf(DsqlCommitUnknownError);
      expect(report.inDoubt).toEqual([{ from: 0, to: 10 }]);
      expect(report.committed).toEqual([]);
      for (const range of report.notCommitted) expect(range.from).toBeGreaterThanOrEqual(10);
      // The in-doubt batch did commit: re-running only notCommitted rows duplicates nothing.
      const again = report.notCommitted.flatMap((r) => rows.slice(r.from, r.to));
      if (again.length > 0) await batchInsert(db, items, again);
      expect(await count(rig)).toBe(10);
      const distinct = await rig.direct.execute<{ n: number }>(
        sql`select count(distinct id)::int as n from items`,
      );
      expect(distinct.rows[0]?.n).toBe(10);
    },
  );

  it.skipIf(skip)(
    "a connection lost inside a transaction, before COMMIT, is retried: the work commits once",
    async () => {
      const seen: unknown[] = [];
      const db = rig.through({ retry: { onRetry: (e) => seen.push(e) } });
      let runs = 0;
      await db.transaction(async (tx) => {
        runs++;
        await tx.insert(items).values({ id: runs });
        if (runs === 1) {
          const pid = (await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`))
            .rows[0]?.pid;
          await rig.terminate(pid);
          await tx.insert(items).values({ id: 100 });
        }
      });
      expect(runs).toBe(2);
      expect(seen[0]).toBeInstanceOf(DsqlConnectionError);
      const rows = await rig.direct.execute<{ id: number }>(sql`select id from items`);
      expect(rows.rows).toEqual([{ id: 2 }]);
    },
  );

  itOnPostgres(name, skip)(
    "a backend terminated during an autocommit statement gives DsqlConnectionError 57P01",
    async () => {
      const db = rig.through();
      const pending = db.execute(sql`select pg_sleep(5)`).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 300));
      await rig.direct.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where query like 'select pg_sleep(5)%' and pid <> pg_backend_pid()`,
      );
      const error = await pending;
      expect(error).toBeInstanceOf(DsqlConnectionError);
      expect((error as DsqlConnectionError).code).toBe("57P01");
    },
  );
});

describe.skipIf(!hasPostgres)("a PostgreSQL server restart", () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres(findPostgresBin() as string);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("under load: no crash, only typed errors, rows exactly those written, work resumes", async () => {
    const db = drizzle({
      connection: { connectionString: server.url, max: 4 },
      retry: { maxAttempts: 40, baseDelayMs: 20, maxDelayMs: 250, onRetry: () => retries++ },
    });
    let retries = 0;
    await db.execute(sql`create table items (id integer not null, note text)`);
    const written = new Set<number>();
    const maybe = new Set<number>();
    const untyped: unknown[] = [];
    let next = 0;
    let restarting = true;
    const worker = async () => {
      while (restarting) {
        const id = next++;
        try {
          if (id % 2) await db.insert(items).values({ id });
          else await db.transaction(async (tx) => tx.insert(items).values({ id }));
          written.add(id);
        } catch (error) {
          if (!(error instanceof DsqlConnectionError || error instanceof DsqlCommitUnknownError))
            untyped.push(error);
          if (id % 2 || error instanceof DsqlCommitUnknownError) maybe.add(id);
        }
      }
    };
    const load = Promise.all([worker(), worker(), worker()]);
    await new Promise((r) => setTimeout(r, 300));
    await server.restart();
    await new Promise((r) => setTimeout(r, 300));
    restarting = false;
    await load;
    expect(untyped).toEqual([]);
    // The restart was felt: connections failed and were retried or surfaced.
    expect(retries + maybe.size).toBeGreaterThan(0);
    await db.transaction(async (tx) => tx.insert(items).values({ id: -1 }));
    written.add(-1);
    const rows = await db.execute<{ id: number }>(sql`select id from items`);
    const ids = rows.rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of written) expect(ids).toContain(id);
    for (const id of ids) expect(written.has(id) || maybe.has(id)).toBe(true);
    await db.$close();
  });
});

describe("connection defaults", () => {
  it("opens pools with a connection timeout unless one is given", async () => {
    const db = drizzle({ connection: "postgres://u@127.0.0.1:1/x" });
    const options = (db.$client as unknown as { options: { connectionTimeoutMillis: number } })
      .options;
    expect(options.connectionTimeoutMillis).toBe(10_000);
    await db.$close();
    const own = drizzle({
      connection: { connectionString: "postgres://u@127.0.0.1:1/x", connectionTimeoutMillis: 50 },
    });
    const error = await own.execute(sql`select 1`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsqlConnectionError);
    expect((error as DsqlConnectionError).code).toBe("ECONNREFUSED");
    await own.$close();
  });
});
