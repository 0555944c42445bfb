import { eq, gte, lt, sql } from "drizzle-orm";
import { integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DsqlBatchError,
  DsqlError,
  DsqlLimitError,
  deleteInBatches,
  drizzle,
  updateInBatches,
  withoutTenant,
  withTenant,
} from "../../src/index.js";
import { backends, freshConnection, itOnPostgres } from "../support/databases.js";

const items = pgTable("items", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  grp: integer("grp").notNull(),
  hits: integer("hits").notNull().default(0),
  note: text("note"),
});
// Composite key, tenant first, as multi-tenant tables often are.
const lines = pgTable(
  "lines",
  {
    tenantId: text("tenant_id").notNull(),
    orderNo: integer("order_no").notNull(),
    lineNo: integer("line_no").notNull(),
    hits: integer("hits").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.orderNo, t.lineNo] })],
);
const noKey = pgTable("no_key", { v: integer("v") });
const schema = { items, lines };

const N = 20_000;

describe.each(backends)("deleteInBatches / updateInBatches on $name", ({ name, skip }) => {
  let url: string;
  let db: ReturnType<typeof drizzle<typeof schema>>;
  let admin: ReturnType<typeof drizzle<typeof schema>>;
  let drop: () => Promise<void>;

  const count = async (where = sql`true`) =>
    Number(
      (await admin.execute<{ n: string }>(sql`select count(*) as n from items where ${where}`))
        .rows[0]?.n,
    );

  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    url = fresh.connection;
    drop = fresh.drop;
    db = drizzle({
      connection: { connectionString: url, max: 10 },
      schema,
      tenant: { column: "tenant_id" },
    });
    admin = withoutTenant(db);
    await admin.execute(sql`create table items (id integer primary key, tenant_id text not null,
      grp integer not null, hits integer not null default 0, note text)`);
    await admin.execute(sql`create table lines (tenant_id text not null, order_no integer not null,
      line_no integer not null, hits integer not null default 0,
      primary key (tenant_id, order_no, line_no))`);
  });

  beforeEach(async () => {
    if (skip) return;
    await deleteInBatches(admin, items, undefined);
    await deleteInBatches(admin, lines, undefined);
    // Two tenants, interleaved ids; grp 0..9.
    for (let from = 0; from < N; from += 3_000) {
      await admin.execute(sql`insert into items (id, tenant_id, grp)
        select g, case when g % 2 = 0 then 'acme' else 'globex' end, g % 10
        from generate_series(${from}::int, ${Math.min(N, from + 3_000) - 1}::int) g`);
    }
  });

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  it.skipIf(skip)("deletes exactly the matching rows of 20,000, 8 at a time", async () => {
    const progress: number[] = [];
    const r = await deleteInBatches(admin, items, lt(items.grp, 3), {
      concurrency: 8,
      onProgress: (p) => progress.push(p.changed),
    });
    expect(r.changed).toBe(6_000);
    expect(r.transactions).toBe(2);
    expect(progress.at(-1)).toBe(6_000);
    expect(await count()).toBe(14_000);
    expect(await count(sql`grp < 3`)).toBe(0);
  });

  it.skipIf(skip)("updates exactly the matching rows of 20,000, 8 at a time", async () => {
    const r = await updateInBatches(
      admin,
      items,
      { hits: sql`${items.hits} + 1`, note: "seen" },
      gte(items.grp, 5),
      { concurrency: 8, maxRowsPerTransaction: 1_000 },
    );
    expect(r).toEqual({ changed: 10_000, transactions: 10, retries: 0 });
    expect(await count(sql`hits = 1 and note = 'seen' and grp >= 5`)).toBe(10_000);
    expect(await count(sql`hits = 0 and note is null and grp < 5`)).toBe(10_000);
  });

  it.skipIf(skip)("deletes every row (no TRUNCATE on DSQL) within the twin's limits", async () => {
    const r = await deleteInBatches(admin, items, undefined);
    expect(r).toEqual({ changed: N, transactions: 7, retries: 0 });
    expect(await count()).toBe(0);
  });

  it.skipIf(skip)("an abort, then a resume, updates every row exactly once", async () => {
    const controller = new AbortController();
    const error = await updateInBatches(
      admin,
      items,
      { hits: sql`${items.hits} + 1` },
      eq(items.tenantId, "acme"),
      {
        concurrency: 3,
        maxRowsPerTransaction: 500,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.transactions === 4) controller.abort(new Error("operator stop"));
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsqlBatchError);
    const stop = error as DsqlBatchError;
    expect(stop.aborted).toBe(true);
    expect(stop.helper).toBe("updateInBatches");
    expect(stop.doneKeys.length).toBeGreaterThan(0);
    const updatedSoFar = await count(sql`hits = 1`);
    expect(updatedSoFar).toBe(stop.changed);
    expect(updatedSoFar).toBeGreaterThanOrEqual(2_000);
    expect(updatedSoFar).toBeLessThan(10_000);
    // The state survives JSON, as a job runner would store it.
    const resume = JSON.parse(JSON.stringify(stop.resume));
    const rest = await updateInBatches(
      admin,
      items,
      { hits: sql`${items.hits} + 1` },
      eq(items.tenantId, "acme"),
      { concurrency: 8, maxRowsPerTransaction: 500, resume },
    );
    expect(rest.changed + stop.changed).toBe(10_000);
    expect(await count(sql`tenant_id = 'acme' and hits = 1`)).toBe(10_000);
    expect(await count(sql`hits <> 0 and tenant_id <> 'acme'`)).toBe(0);
  });

  it.skipIf(skip)("a scoped call never touches another tenant's rows", async () => {
    const acme = withTenant(db, "acme");
    const u = await updateInBatches(acme, items, { note: "acme was here" }, undefined, {
      concurrency: 8,
    });
    expect(u.changed).toBe(10_000);
    const d = await deleteInBatches(acme, items, lt(items.grp, 5), { concurrency: 8 });
    expect(d.changed).toBe(6_000); // acme's ids are even: grp 0, 2 and 4 are below 5
    expect(await count(sql`tenant_id = 'globex'`)).toBe(10_000);
    expect(await count(sql`tenant_id = 'globex' and note is not null`)).toBe(0);
    expect(await count(sql`tenant_id = 'acme' and grp < 5`)).toBe(0);
    expect(await count(sql`tenant_id = 'acme' and note = 'acme was here'`)).toBe(4_000);
    // A scoped update cannot move rows to another tenant.
    const move = await updateInBatches(acme, items, { tenantId: "globex" }, undefined).catch(
      (e: unknown) => e,
    );
    expect(move).toBeInstanceOf(DsqlError);
    expect(await count(sql`tenant_id = 'globex'`)).toBe(10_000);
  });

  it.skipIf(skip)("pages a composite primary key", async () => {
    for (const tenant of ["acme", "globex"]) {
      await admin.execute(sql`insert into lines (tenant_id, order_no, line_no)
        select ${tenant}, g / 7, g % 7 from generate_series(0, 2999) g`);
    }
    const u = await updateInBatches(
      admin,
      lines,
      { hits: sql`${lines.hits} + 1` },
      lt(lines.lineNo, 5),
      { maxRowsPerTransaction: 700, concurrency: 4 },
    );
    const expected = 2 * Array.from({ length: 3_000 }, (_, g) => g % 7 < 5).filter(Boolean).length;
    expect(u.changed).toBe(expected);
    const rows = await admin.execute<{ hits: number; n: string }>(
      sql`select hits, count(*) as n from lines group by hits order by hits`,
    );
    expect(rows.rows).toEqual([
      { hits: 0, n: 6_000 - expected },
      { hits: 1, n: expected },
    ]);
    const d = await deleteInBatches(withTenant(db, "globex"), lines, undefined, {
      maxRowsPerTransaction: 1_000,
    });
    expect(d).toMatchObject({ changed: 3_000, transactions: 3 });
  });

  it.skipIf(skip)("splits a batch the database refuses as too large, and goes on", async () => {
    // A db of its own whose twin allows 800 rows per transaction: 3,000-row batches are refused.
    const fresh =
      name === "postgres" ? { connection: url, drop: async () => {} } : await freshConnection(name);
    const tight = drizzle({
      connection: { connectionString: fresh.connection, max: 4 },
      schema,
      twinLimits: { maxRows: 800 },
    });
    const tightCount = async () =>
      Number((await tight.execute<{ n: string }>(sql`select count(*) as n from items`)).rows[0]?.n);
    try {
      if (name !== "postgres") {
        await tight.execute(sql`create table items (id integer primary key, tenant_id text not null,
          grp integer not null, hits integer not null default 0, note text)`);
        for (let from = 0; from < 6_000; from += 800) {
          await tight.execute(sql`insert into items (id, tenant_id, grp)
            select g, 'acme', g % 10 from generate_series(${from}::int, ${from + 799}::int) g`);
        }
      }
      const rows = await tightCount();
      const r = await deleteInBatches(tight, items, gte(items.grp, 5), { concurrency: 2 });
      expect(r.changed).toBe(rows / 2);
      // 3,000-row batches are refused and halved twice: 750 rows each.
      expect(r.transactions).toBe(Math.ceil(rows / 2 / 750));
      expect(await tightCount()).toBe(rows / 2);
    } finally {
      await tight.$close();
      await fresh.drop();
    }
  });

  it.skipIf(skip)(
    "a failing batch throws a short DsqlBatchError naming the reason and the done ranges",
    async () => {
      {
        // Row 15,000 divides by zero.
        const error = await updateInBatches(
          admin,
          items,
          { hits: sql`1 + 0 / (${items.id} - 15000)` },
          undefined,
          { concurrency: 1, maxRowsPerTransaction: 2_500 },
        ).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DsqlBatchError);
        const e = error as DsqlBatchError;
        expect(e.message.length).toBeLessThan(400);
        expect(e.message).toContain('"items"');
        expect(e.reason).toBe("division by zero (22012)");
        expect(e.doneKeys).toEqual([{ after: null, through: [14_999] }]);
        expect(e.changed).toBe(15_000);
        expect(await count(sql`hits = 1`)).toBe(15_000);
        expect(await count(sql`hits = 1 and id >= 15000`)).toBe(0);
      }
    },
  );

  it.skipIf(skip)("the twin's row-limit refusal names the helper that fits", async () => {
    const cases: [string, ReturnType<typeof sql>][] = [
      ["deleteInBatches", sql`delete from items where grp < 5`],
      ["updateInBatches", sql`update items set hits = 1 where grp < 5`],
      [
        "updateInBatches",
        sql`with g as (select 5 as v) update items set hits = 1 where grp < (select v from g)`,
      ],
      [
        "batchInsert",
        sql`insert into items (id, tenant_id, grp) select g, 'x', 0 from generate_series(${N}::int, ${N + 3_500}::int) g`,
      ],
    ];
    for (const [helper, statement] of cases) {
      const error = await admin.execute(statement).catch((e: unknown) => e);
      expect(error, helper).toBeInstanceOf(DsqlLimitError);
      expect((error as Error).message, helper).toContain(`${helper} splits the work`);
    }
    expect(await count()).toBe(N);
    expect(await count(sql`hits <> 0`)).toBe(0);
  });

  it.skipIf(skip)("refuses bad input with a typed error before writing", async () => {
    const bad: [string, () => Promise<unknown>][] = [
      ["no primary key", () => deleteInBatches(admin, noKey, undefined)],
      ["where", () => deleteInBatches(admin, items, "id > 3" as never)],
      ["concurrency", () => deleteInBatches(admin, items, undefined, { concurrency: 0 })],
      ["maxRows", () => deleteInBatches(admin, items, undefined, { maxRowsPerTransaction: 3_001 })],
      ["retry", () => deleteInBatches(admin, items, undefined, { retry: 5 as never })],
      [
        "resume",
        () => deleteInBatches(admin, items, undefined, { resume: { after: [1, 2], done: [] } }),
      ],
      ["set empty", () => updateInBatches(admin, items, {}, undefined)],
      ["set unknown", () => updateInBatches(admin, items, { nope: 1 } as never, undefined)],
      ["set key", () => updateInBatches(admin, items, { id: 1 }, undefined)],
      ["db", () => deleteInBatches({}, items, undefined)],
      ["transaction", () => admin.transaction((tx) => deleteInBatches(tx, items, undefined))],
    ];
    for (const [what, call] of bad) {
      const error = await call().catch((e: unknown) => e);
      expect(error, what).toBeInstanceOf(DsqlError);
      expect(error, what).not.toBeInstanceOf(DsqlBatchError);
    }
    expect(await count()).toBe(N);
  });

  itOnPostgres(name, skip)("concurrent writers cause retries, not lost updates", async () => {
    const writer = new pg.Client({ connectionString: url });
    await writer.connect();
    let stop = false;
    let writes = 0;
    let locked: () => void = () => {};
    const holding = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // Another client keeps incrementing rows the batches are updating. Its
    // first transaction holds 200 of them, spread over every batch, while
    // the batches start: those batches must conflict and run again.
    const hammer = (async () => {
      await writer.query("begin isolation level repeatable read");
      const first = await writer.query(
        "update items set hits = hits + 1 where grp = 1 and id % 100 = 1",
      );
      locked();
      await writer.query("select pg_sleep(0.3)");
      await writer.query("commit");
      writes += first.rowCount ?? 0;
      while (!stop) {
        try {
          await writer.query("begin isolation level repeatable read");
          const r = await writer.query(
            "update items set hits = hits + 1 where id in (select id from items where grp = 1 order by random() limit 20)",
          );
          await writer.query("select pg_sleep(0.005)");
          await writer.query("commit");
          writes += r.rowCount ?? 0;
        } catch {
          await writer.query("rollback");
        }
      }
    })();
    try {
      await holding;
      const r = await updateInBatches(
        admin,
        items,
        { hits: sql`${items.hits} + 1` },
        eq(items.grp, 1),
        { concurrency: 8, maxRowsPerTransaction: 50, retry: { maxAttempts: 50, baseDelayMs: 1 } },
      );
      stop = true;
      await hammer;
      expect(r.changed).toBe(2_000);
      expect(r.retries).toBeGreaterThan(0);
      const total = await admin.execute<{ s: string }>(
        sql`select sum(hits) as s from items where grp = 1`,
      );
      expect(Number(total.rows[0]?.s)).toBe(2_000 + writes);
    } finally {
      stop = true;
      await hammer.catch(() => {});
      await writer.end();
    }
  });
});
