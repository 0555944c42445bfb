import { sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DsqlLimitError, DsqlUnsupportedError, drizzle } from "../../src/index.js";
import { backends, freshConnection } from "../support/databases.js";

const items = pgTable("items", { id: integer("id").primaryKey(), label: text("label") });

const rows = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, label: `row ${from + i}` }));

describe.each(backends)("the twin's transaction rules on $name", ({ name, skip }) => {
  let db: ReturnType<typeof drizzle<{ items: typeof items }>>;
  let drop: () => Promise<void>;

  const count = async (table = "items") =>
    Number(
      (await db.execute<{ n: string }>(sql.raw(`select count(*) as n from ${table}`))).rows[0]?.n,
    );
  const tableExists = async (table: string) =>
    (await db.execute(sql`select 1 from information_schema.tables where table_name = ${table}`))
      .rows.length > 0;

  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    drop = fresh.drop;
    db = drizzle({ connection: fresh.connection, schema: { items } });
    await db.execute(sql`create table items (id integer primary key, label text)`);
  });

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  it.skipIf(skip)(
    "refuses a second DDL statement in one transaction and leaves nothing",
    async () => {
      const error = await db
        .transaction(async (tx) => {
          await tx.execute(sql`create table ddl_one (v int)`);
          await tx.execute(sql`create table ddl_two (v int)`);
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DsqlUnsupportedError);
      expect((error as DsqlUnsupportedError).rule).toBe("one-ddl-per-transaction");
      expect((error as DsqlUnsupportedError).code).toBe("0A000");
      expect(await tableExists("ddl_one")).toBe(false);
      expect(await tableExists("ddl_two")).toBe(false);
    },
  );

  it.skipIf(skip)("refuses DDL and DML in one transaction, either order", async () => {
    const dmlFirst = await db
      .transaction(async (tx) => {
        await tx.insert(items).values({ id: 999_001, label: "x" });
        await tx.execute(sql`create table mixed_one (v int)`);
      })
      .catch((e: unknown) => e);
    expect((dmlFirst as DsqlUnsupportedError).rule).toBe("no-ddl-with-dml");
    const ddlFirst = await db
      .transaction(async (tx) => {
        await tx.execute(sql`create table mixed_two (v int)`);
        await tx.insert(items).values({ id: 999_002, label: "x" });
      })
      .catch((e: unknown) => e);
    expect(ddlFirst).toBeInstanceOf(DsqlUnsupportedError);
    expect((ddlFirst as DsqlUnsupportedError).rule).toBe("no-ddl-with-dml");
    expect(await tableExists("mixed_one")).toBe(false);
    expect(await tableExists("mixed_two")).toBe(false);
    expect(await count()).toBe(0);
  });

  it.skipIf(skip)("one DDL statement in a transaction, with reads, is fine", async () => {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      await tx.execute(sql`create table ddl_ok (v int)`);
    });
    expect(await tableExists("ddl_ok")).toBe(true);
  });

  it.skipIf(skip)(
    "commits 3,000 rows in one transaction and refuses 3,001, leaving nothing",
    async () => {
      await db.transaction(async (tx) => {
        await tx.insert(items).values(rows(1500));
        await tx.insert(items).values(rows(1500, 1500));
      });
      expect(await count()).toBe(3000);
      await db.delete(items).where(sql`id >= 1500`);
      await db.delete(items);
      expect(await count()).toBe(0);
      const error = await db
        .transaction(async (tx) => {
          await tx.insert(items).values(rows(2000));
          await tx.insert(items).values(rows(1001, 2000));
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DsqlLimitError);
      expect((error as DsqlLimitError).code).toBe("54000");
      expect((error as DsqlLimitError).rule).toBe("transaction-row-limit");
      expect(await count()).toBe(0);
    },
  );

  it.skipIf(skip)(
    "counts rows from command results: an UPDATE crossing the limit rolls back",
    async () => {
      await db.transaction(async (tx) => tx.insert(items).values(rows(2000)));
      await db.transaction(async (tx) => tx.insert(items).values(rows(1001, 2000)));
      const error = await db
        .transaction(async (tx) => {
          await tx.execute(sql`update items set label = 'changed'`);
        })
        .catch((e: unknown) => e);
      expect((error as DsqlLimitError).rule).toBe("transaction-row-limit");
      const changed = await db.execute<{ n: string }>(
        sql`select count(*) as n from items where label = 'changed'`,
      );
      expect(Number(changed.rows[0]?.n)).toBe(0);
    },
  );

  it.skipIf(skip)(
    "applies the same limits to a single statement outside a transaction",
    async () => {
      // The UPDATE's row count is unknown up front: the twin runs it in a
      // transaction of its own, so crossing the limit leaves nothing behind.
      const update = await db
        .execute(sql`update items set label = 'single'`)
        .catch((e: unknown) => e);
      expect(update).toBeInstanceOf(DsqlLimitError);
      const changed = await db.execute<{ n: string }>(
        sql`select count(*) as n from items where label = 'single'`,
      );
      expect(Number(changed.rows[0]?.n)).toBe(0);
      await db.execute(sql`delete from items where id >= 1000`);
      await db.execute(sql`delete from items`);
      // An INSERT ... VALUES says how many rows it writes: refused before it is sent.
      const insert = await db
        .insert(items)
        .values(rows(3001))
        .catch((e: unknown) => e);
      expect(insert).toBeInstanceOf(DsqlLimitError);
      expect(await count()).toBe(0);
      await db.insert(items).values(rows(3000));
      expect(await count()).toBe(3000);
      await db.execute(sql`delete from items where id >= 1500`);
      await db.execute(sql`delete from items`);
    },
  );

  it.skipIf(skip)("refuses transactions over the byte and age limits", async () => {
    // Other handles on the same pool (and so the same database), with tiny
    // limits, one limit each so that a slow machine cannot hit the other first.
    const small = drizzle({
      client: db.$client,
      schema: { items },
      twinLimits: { maxBytes: 10_000 },
    });
    const short = drizzle({ client: db.$client, schema: { items }, twinLimits: { maxAgeMs: 200 } });
    const big = await small
      .transaction(async (tx) => {
        await tx.insert(items).values({ id: 1, label: "x".repeat(6000) });
        await tx.insert(items).values({ id: 2, label: "y".repeat(6000) });
      })
      .catch((e: unknown) => e);
    expect(big).toBeInstanceOf(DsqlLimitError);
    expect((big as DsqlLimitError).rule).toBe("transaction-size-limit");
    const old = await short
      .transaction(async (tx) => {
        await tx.insert(items).values({ id: 3, label: "z" });
        await new Promise((r) => setTimeout(r, 300));
        await tx.execute(sql`select 1`);
      })
      .catch((e: unknown) => e);
    expect(old).toBeInstanceOf(DsqlLimitError);
    expect((old as DsqlLimitError).rule).toBe("transaction-age-limit");
    expect(await count()).toBe(0);
  });

  it.skipIf(skip)("runs CREATE INDEX ASYNC locally and answers with a job DSQL-style", async () => {
    const created = await db.execute<{ job_id: string }>(
      sql`create index async items_label_idx on items (label)`,
    );
    const jobId = created.rows[0]?.job_id;
    expect(jobId).toMatch(/^[a-z0-9]+$/);
    await db.execute(sql`call sys.wait_for_job(${jobId})`);
    const jobs = await db.execute<{ status: string }>(
      sql`select status from sys.jobs where job_id = ${jobId}`,
    );
    expect(jobs.rows).toEqual([{ status: "completed" }]);
    const index = await db.execute(
      sql`select 1 from pg_indexes where indexname = 'items_label_idx'`,
    );
    expect(index.rows.length).toBe(1);
  });

  it.skipIf(skip)("reports a failed async build through its job, as DSQL does", async () => {
    await db.insert(items).values([
      { id: 1, label: "dup" },
      { id: 2, label: "dup" },
    ]);
    const created = await db.execute<{ job_id: string }>(
      sql`create unique index async items_label_uq on items (label)`,
    );
    const jobId = created.rows[0]?.job_id;
    const error = await db.execute(sql`call sys.wait_for_job(${jobId})`).catch((e: unknown) => e);
    expect(String((error as { cause?: Error }).cause?.message)).toMatch(
      /failed: .*duplicate key|failed: .*could not create unique index/,
    );
    await db.execute(sql`delete from items`);
  });

  it.skipIf(skip)(
    "runs ALTER TABLE ASYNC ... VALIDATE CONSTRAINT and returns a job id",
    async () => {
      await db.execute(
        sql`alter table items add constraint items_label_nn check (label is not null) not valid`,
      );
      const validated = await db.execute<{ job_id: string }>(
        sql`alter table async items validate constraint items_label_nn`,
      );
      const jobId = validated.rows[0]?.job_id;
      await db.execute(sql`call sys.wait_for_job(${jobId})`);
      const valid = await db.execute<{ convalidated: boolean }>(
        sql`select convalidated from pg_constraint where conname = 'items_label_nn'`,
      );
      expect(valid.rows).toEqual([{ convalidated: true }]);
    },
  );
});
