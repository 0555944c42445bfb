import { sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  batchInsert,
  DsqlBatchError,
  DsqlError,
  DsqlLimitError,
  deleteInBatches,
  drizzle,
  withoutTenant,
  withTenant,
} from "../../src/index.js";
import { backends, freshConnection } from "../support/databases.js";

const stock = pgTable("stock", {
  sku: integer("sku").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  qty: integer("qty").notNull(),
  label: text("label"),
});
const schema = { stock };

const rows = (n: number, qty: number, from = 0, tenantId = "t1") =>
  Array.from({ length: n }, (_, i) => ({ sku: from + i, tenantId, qty, label: `sku ${from + i}` }));

describe.each(backends)("batchInsert upserts and input checks on $name", ({ name, skip }) => {
  let db: ReturnType<typeof drizzle<typeof schema>>;
  let admin: ReturnType<typeof drizzle<typeof schema>>;
  let drop: () => Promise<void>;

  const qtyCounts = async () =>
    (
      await admin.execute<{ tenant_id: string; qty: number; n: string }>(
        sql`select tenant_id, qty, count(*) as n from stock group by tenant_id, qty order by tenant_id, qty`,
      )
    ).rows;

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
    await admin.execute(sql`create table stock (sku integer primary key, tenant_id text not null,
      qty integer not null, label text)`);
  });

  beforeEach(async () => {
    if (skip) return;
    await deleteInBatches(admin, stock, undefined);
  });

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  it.skipIf(skip)("the twin refuses a 3,500-row upsert in one statement", async () => {
    await expect(
      admin
        .insert(stock)
        .values(rows(3_500, 1))
        .onConflictDoUpdate({ target: stock.sku, set: { qty: sql`excluded.qty` } }),
    ).rejects.toBeInstanceOf(DsqlLimitError);
    expect(await qtyCounts()).toEqual([]);
  });

  it.skipIf(skip)("DO UPDATE across transactions: 3,500 rows, half of them existing", async () => {
    await batchInsert(admin, stock, rows(1_750, 1));
    const r = await batchInsert(admin, stock, rows(3_500, 2), {
      onConflict: { target: stock.sku, set: { qty: sql`excluded.qty` } },
    });
    expect(r).toMatchObject({ inserted: 3_500, transactions: 2 });
    expect(await qtyCounts()).toEqual([{ tenant_id: "t1", qty: 2, n: 3500 }]);
  });

  it.skipIf(skip)("DO NOTHING keeps existing rows and counts only the rows written", async () => {
    await batchInsert(admin, stock, rows(1_000, 1, 500));
    const r = await batchInsert(admin, stock, rows(4_000, 2), {
      onConflict: { doNothing: true },
    });
    expect(r).toMatchObject({ inserted: 3_000, transactions: 2 });
    const again = await batchInsert(admin, stock, rows(10, 3), {
      onConflict: { doNothing: true, target: [stock.sku] },
    });
    expect(again.inserted).toBe(0);
    expect(await qtyCounts()).toEqual([
      { tenant_id: "t1", qty: 1, n: 1000 },
      { tenant_id: "t1", qty: 2, n: 3000 },
    ]);
  });

  it.skipIf(skip)("a scoped upsert never updates another tenant's row", async () => {
    await batchInsert(admin, stock, rows(10, 1, 0, "other"));
    const acme = withTenant(db, "acme");
    const attempt = await batchInsert(acme, stock, rows(20, 9, 0, "acme"), {
      onConflict: { target: stock.sku, set: { qty: sql`excluded.qty` } },
    }).catch((e: unknown) => e);
    // The scope's DO UPDATE only updates its own rows: skus 0-9 are "other"'s and stay as they are.
    expect(attempt).toMatchObject({ inserted: 10 });
    const counts = await qtyCounts();
    expect(counts.find((c) => c.tenant_id === "other")).toEqual({
      tenant_id: "other",
      qty: 1,
      n: 10,
    });
  });

  it.skipIf(skip)("a failed load says why in a short message", async () => {
    await batchInsert(admin, stock, [{ sku: 4_500, tenantId: "t1", qty: 0, label: "x" }]);
    const error = await batchInsert(admin, stock, rows(6_000, 1, 0, "t1"), {
      concurrency: 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DsqlBatchError);
    const e = error as DsqlBatchError;
    expect(e.message.length).toBeLessThan(300);
    expect(e.message).toContain('"stock"');
    expect(e.message).toContain("rows 3000-5999");
    expect(e.message).toMatch(/duplicate key/);
    expect(e.message).not.toContain("insert into");
    expect(e.reason).toMatch(/duplicate key.*\(23505\)$/);
    expect(e.committed).toEqual([{ from: 0, to: 3_000 }]);
  });

  it.skipIf(skip)("refuses malformed retry and onConflict options, naming them", async () => {
    const cases: [string, object][] = [
      ["retry", { retry: null }],
      ["retry", { retry: true }],
      ["retry", { retry: 5 }],
      ["onRetry", { retry: { onRetry: "x" } }],
      ["maxAttempts", { retry: { maxAttempts: 0 } }],
      ["onConflict", { onConflict: 1 }],
      ["onConflict", { onConflict: { doNothing: false } }],
      ["target", { onConflict: { set: { qty: 1 } } }],
      ["target", { onConflict: { target: "sku", set: { qty: 1 } } }],
      ["set", { onConflict: { target: stock.sku, set: { nope: 1 } } }],
      ["set", { onConflict: { target: stock.sku, set: {} } }],
    ];
    for (const [index, [word, options]] of cases.entries()) {
      const error = await batchInsert(admin, stock, rows(5, 1), options as never).catch(
        (e: unknown) => e,
      );
      expect(error, `${word} ${index}`).toBeInstanceOf(DsqlError);
      expect((error as Error).message, `${word} ${index}`).toContain(word);
    }
    expect(await qtyCounts()).toEqual([]);
  });
});
