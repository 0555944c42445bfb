import { sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  batchInsert,
  DsqlBatchError,
  DsqlError,
  drizzle,
  TenantScopeError,
  withoutTenant,
  withTenant,
} from "../../src/index.js";
import { backends, freshConnection } from "../support/databases.js";

const events = pgTable("events", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  body: text("body"),
});
const schema = { events };

const make = (n: number, from = 0, body = "x") =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, tenantId: "t1", body }));

describe.each(backends)("batchInsert on $name", ({ name, skip }) => {
  let db: ReturnType<typeof drizzle<typeof schema>>;
  let admin: ReturnType<typeof drizzle<typeof schema>>;
  let drop: () => Promise<void>;

  const storedIds = async () =>
    (await admin.execute<{ id: number }>(sql`select id from events order by id`)).rows.map(
      (r) => r.id,
    );

  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    drop = fresh.drop;
    db = drizzle({
      connection: { connectionString: fresh.connection, max: 10 },
      schema,
      tenant: { column: "tenant_id" },
    });
    admin = withoutTenant(db);
    await admin.execute(
      sql`create table events (id integer primary key, tenant_id text not null, body text)`,
    );
  });

  beforeEach(async () => {
    if (skip) return;
    // DELETE in slices: the twin holds it to 3,000 rows per transaction too.
    for (;;) {
      const r = await admin.execute(
        sql`delete from events where id in (select id from events limit 3000)`,
      );
      if (!r.rowCount) break;
    }
  });

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  it.skipIf(skip)("splits 10,000 rows into transactions of at most 3,000", async () => {
    const progress: number[] = [];
    const result = await batchInsert(admin, events, make(10_000), {
      onProgress: (p) => progress.push(p.inserted),
    });
    expect(result.inserted).toBe(10_000);
    expect(result.transactions).toBe(4);
    expect(progress.at(-1)).toBe(10_000);
    expect((await storedIds()).length).toBe(10_000);
  });

  it.skipIf(skip)("splits by bytes so no transaction crosses DSQL's 10 MiB", async () => {
    const body = "b".repeat(100_000);
    const result = await batchInsert(admin, events, make(200, 0, body), { concurrency: 2 });
    expect(result.inserted).toBe(200);
    // 200 rows of ~100 kB is ~20 MB: at least three transactions under 8 MiB each.
    expect(result.transactions).toBeGreaterThanOrEqual(3);
    expect((await storedIds()).length).toBe(200);
  });

  it.skipIf(skip)("refuses an oversize row before anything is written", async () => {
    const rows = [...make(10), { id: 10, tenantId: "t1", body: "z".repeat(9 * 1024 * 1024) }];
    const error = await batchInsert(admin, events, rows).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsqlError);
    expect((error as Error).message).toMatch(/row 10 /);
    expect(await storedIds()).toEqual([]);
  });

  it.skipIf(skip)(
    "reports exactly which rows were committed when a batch fails mid-load",
    async () => {
      await admin.insert(events).values({ id: 7_500, tenantId: "t1", body: "already here" });
      const rows = make(10_000).map((r) => (r.id === 7_500 ? { ...r, id: 7_500 } : r));
      const error = await batchInsert(admin, events, rows, { concurrency: 1 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DsqlBatchError);
      const report = error as DsqlBatchError;
      expect(report.committed).toEqual([{ from: 0, to: 6_000 }]);
      expect(report.notCommitted).toEqual([{ from: 6_000, to: 9_000 }]);
      expect(report.rowsRead).toBe(9_000);
      expect(report.inserted).toBe(6_000);
      const ids = await storedIds();
      expect(ids.length).toBe(6_001);
      expect(ids.filter((id) => id < 6_000).length).toBe(6_000);
    },
  );

  it.skipIf(skip)("stops cleanly on abort, keeping what committed", async () => {
    const controller = new AbortController();
    const error = await batchInsert(admin, events, make(9_000), {
      concurrency: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error("user cancelled")),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsqlBatchError);
    expect((error as DsqlBatchError).aborted).toBe(true);
    expect((error as DsqlBatchError).committed).toEqual([{ from: 0, to: 3_000 }]);
    expect((await storedIds()).length).toBe(3_000);
  });

  it.skipIf(skip)("reads an async generator lazily", async () => {
    async function* generate() {
      for (let i = 0; i < 7_000; i++) yield { id: i, tenantId: "t1", body: `g${i}` };
    }
    const result = await batchInsert(admin, events, generate(), { concurrency: 3 });
    expect(result).toMatchObject({ inserted: 7_000, transactions: 3 });
    expect((await storedIds()).length).toBe(7_000);
  });

  it.skipIf(skip)("honours the tenant scope", async () => {
    const scoped = withTenant(db, "acme");
    const rows = Array.from({ length: 4_000 }, (_, i) => ({ id: i, body: "scoped" }));
    const result = await batchInsert(scoped, events, rows as never);
    expect(result.inserted).toBe(4_000);
    const tenants = await admin.execute<{ tenant_id: string; n: number }>(
      sql`select tenant_id, count(*) as n from events group by tenant_id`,
    );
    expect(tenants.rows).toEqual([{ tenant_id: "acme", n: 4000 }]);
    const foreign = await batchInsert(scoped, events, [
      { id: 99_999, tenantId: "other", body: "x" },
    ]).catch((e: unknown) => e);
    expect(foreign).toBeInstanceOf(DsqlBatchError);
    expect((foreign as DsqlBatchError).cause).toBeInstanceOf(TenantScopeError);
    expect((await storedIds()).includes(99_999)).toBe(false);
  });

  it.skipIf(skip)("validates its options", async () => {
    await expect(batchInsert(admin, events, [], { concurrency: 0 })).rejects.toBeInstanceOf(
      DsqlError,
    );
    await expect(
      batchInsert(admin, events, [], { maxRowsPerTransaction: 3_001 }),
    ).rejects.toBeInstanceOf(DsqlError);
    await expect(batchInsert(admin, events, 42 as never)).rejects.toBeInstanceOf(DsqlError);
    expect(await batchInsert(admin, events, [])).toEqual({
      inserted: 0,
      transactions: 0,
      retries: 0,
    });
  });
});
