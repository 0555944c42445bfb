import { and, asc, count, eq, relations, sql } from "drizzle-orm";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drizzle, TenantScopeError, withoutTenant, withTenant } from "../../src/index.js";
import { backends, freshConnection } from "../support/databases.js";

// The tenant columns are NOT NULL in the database; in TypeScript they are
// optional so that inserts may leave them to the scope.
const customers = pgTable("customers", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id"),
  name: text("name").notNull(),
});
const orders = pgTable("orders", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id"),
  customerId: integer("customer_id"),
  total: integer("total").notNull(),
  status: text("status").notNull().default("new"),
});
const items = pgTable("items", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id"),
  orderId: integer("order_id").notNull(),
  productId: integer("product_id").notNull(),
  qty: integer("qty").notNull(),
});
const products = pgTable("products", {
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
});
const customersRelations = relations(customers, ({ many }) => ({ orders: many(orders) }));
const ordersRelations = relations(orders, ({ one, many }) => ({
  customer: one(customers, { fields: [orders.customerId], references: [customers.id] }),
  items: many(items),
}));
const itemsRelations = relations(items, ({ one }) => ({
  order: one(orders, { fields: [items.orderId], references: [orders.id] }),
  product: one(products, { fields: [items.productId], references: [products.id] }),
}));
const schema = {
  customers,
  orders,
  items,
  products,
  customersRelations,
  ordersRelations,
  itemsRelations,
};

const DDL = [
  "CREATE TABLE customers (id integer PRIMARY KEY, tenant_id text NOT NULL, name text NOT NULL)",
  "CREATE TABLE orders (id integer PRIMARY KEY, tenant_id text NOT NULL, customer_id integer, total integer NOT NULL, status text NOT NULL DEFAULT 'new')",
  "CREATE TABLE items (id integer PRIMARY KEY, tenant_id text NOT NULL, order_id integer NOT NULL, product_id integer NOT NULL, qty integer NOT NULL)",
  "CREATE TABLE products (id integer PRIMARY KEY, name text NOT NULL)",
];

type Db = ReturnType<typeof drizzle<typeof schema>>;

/** Tenant `t`'s rows: ids offset by `base` so tenants never share a key. */
async function seed(db: Db, tenant: string, base: number): Promise<void> {
  const t = withTenant(db, tenant);
  await t.insert(customers).values([
    { id: base + 1, name: `${tenant}-ann` },
    { id: base + 2, name: `${tenant}-bob` },
  ]);
  await t.insert(orders).values([
    { id: base + 1, customerId: base + 1, total: 10 },
    { id: base + 2, customerId: base + 1, total: 20, status: "paid" },
    { id: base + 3, customerId: base + 2, total: 30 },
  ]);
  await t.insert(items).values([
    { id: base + 1, orderId: base + 1, productId: 1, qty: 1 },
    { id: base + 2, orderId: base + 1, productId: 2, qty: 2 },
    { id: base + 3, orderId: base + 3, productId: 1, qty: 3 },
  ]);
}

async function refusal(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.each(backends)("tenant scope through the driver on $name", ({ name, skip }) => {
  let db: Db;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    if (skip) return;
    const fresh = await freshConnection(name);
    drop = fresh.drop;
    db = drizzle({
      connection: { connectionString: fresh.connection, max: 8 },
      schema,
      tenant: { column: "tenant_id" },
    });
    const admin = withoutTenant(db);
    for (const ddl of DDL) await admin.execute(sql.raw(ddl));
    await db.insert(products).values([
      { id: 1, name: "pen" },
      { id: 2, name: "ink" },
    ]);
    await seed(db, "A", 0);
    await seed(db, "B", 100);
  }, 120_000);

  afterAll(async () => {
    if (skip) return;
    await db.$close();
    await drop();
  });

  it.skipIf(skip)("the builder sees only the tenant's rows, joins included", async () => {
    const a = withTenant(db, "A");
    const rows = await a.select().from(orders).orderBy(asc(orders.id));
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rows.every((r) => r.tenantId === "A")).toBe(true);
    const joined = await a
      .select({ order: orders.id, customer: customers.name, qty: items.qty })
      .from(orders)
      .leftJoin(customers, eq(customers.id, orders.customerId))
      .leftJoin(items, eq(items.orderId, orders.id))
      .orderBy(asc(orders.id), asc(items.id));
    expect(joined.map((r) => r.customer)).toEqual(["A-ann", "A-ann", "A-ann", "A-bob"]);
    const [{ n } = { n: -1 }] = await a.select({ n: count() }).from(items);
    expect(n).toBe(3);
    const b = await withTenant(db, "B").select().from(customers).where(eq(customers.id, 1));
    expect(b).toEqual([]);
  });

  it.skipIf(skip)("the relational API with nested `with` is scoped at every level", async () => {
    const a = withTenant(db, "A");
    const found = await a.query.customers.findMany({
      with: { orders: { with: { items: { with: { product: true } } } } },
      orderBy: (c, { asc: up }) => [up(c.id)],
    });
    expect(found.map((c) => c.name)).toEqual(["A-ann", "A-bob"]);
    const allOrders = found.flatMap((c) => c.orders);
    expect(allOrders.every((o) => o.tenantId === "A")).toBe(true);
    expect(
      allOrders
        .flatMap((o) => o.items)
        .map((i) => i.id)
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(
      allOrders
        .flatMap((o) => o.items)
        .map((i) => i.product?.name)
        .sort(),
    ).toEqual(["ink", "pen", "pen"]);
    expect(await a.query.orders.findFirst({ where: eq(orders.id, 101) })).toBeUndefined();
    const viaOrder = await withTenant(db, "B").query.orders.findFirst({
      where: eq(orders.id, 101),
      with: { customer: true, items: true },
    });
    expect(viaOrder?.customer?.name).toBe("B-ann");
    expect(viaOrder?.items.map((i) => i.id).sort()).toEqual([101, 102]);
  });

  it.skipIf(skip)("raw sql through execute is scoped too", async () => {
    const result = await withTenant(db, "A").execute(
      sql`select count(*)::int as n, min(tenant_id) as lo, max(tenant_id) as hi from orders where total > ${5}`,
    );
    expect(result.rows[0]).toEqual({ n: 3, lo: "A", hi: "A" });
    const refused = await refusal(() =>
      withTenant(db, "A").execute(sql`select * from orders; select * from customers`),
    );
    expect(refused).toBeInstanceOf(TenantScopeError);
    const fn = await refusal(() =>
      withTenant(db, "A").execute(sql`select * from orders o, generate_series(1, o.total) g`),
    );
    expect(fn).toBeInstanceOf(TenantScopeError);
  });

  it.skipIf(skip)("inserts get the tenant, a different explicit tenant is refused", async () => {
    const a = withTenant(db, "A");
    await a.insert(orders).values({ id: 50, total: 5 });
    await a.insert(orders).values({ id: 51, total: 6, tenantId: "A" });
    const refused = await refusal(() =>
      a.insert(orders).values({ id: 52, total: 7, tenantId: "B" }),
    );
    expect(refused).toBeInstanceOf(TenantScopeError);
    const rows = await withoutTenant(db)
      .select({ id: orders.id, tenantId: orders.tenantId })
      .from(orders)
      .where(sql`${orders.id} in (50, 51, 52)`)
      .orderBy(asc(orders.id));
    expect(rows).toEqual([
      { id: 50, tenantId: "A" },
      { id: 51, tenantId: "A" },
    ]);
    await a.delete(orders).where(sql`${orders.id} in (50, 51)`);
  });

  it.skipIf(skip)(
    "updates and deletes touch only the tenant's rows; moving rows is refused",
    async () => {
      const a = withTenant(db, "A");
      const updated = await a.update(orders).set({ status: "seen" }).returning({ id: orders.id });
      expect(updated.map((r) => r.id).sort()).toEqual([1, 2, 3]);
      const moved = await refusal(() =>
        a.update(orders).set({ tenantId: "B" }).where(eq(orders.id, 1)),
      );
      expect(moved).toBeInstanceOf(TenantScopeError);
      const deleted = await a.delete(items).where(eq(items.orderId, 101)).returning();
      expect(deleted).toEqual([]);
      const bRows = await withTenant(db, "B").select().from(orders).orderBy(asc(orders.id));
      expect(bRows.map((r) => r.status)).toEqual(["new", "paid", "new"]);
      await a.update(orders).set({ status: "new" }).where(sql`${orders.id} <> 2`);
      await a.update(orders).set({ status: "paid" }).where(eq(orders.id, 2));
    },
  );

  it.skipIf(skip)("an upsert on another tenant's key never touches that row", async () => {
    const a = withTenant(db, "A");
    const returned = await a
      .insert(orders)
      .values({ id: 101, total: 999, status: "stolen" })
      .onConflictDoUpdate({ target: orders.id, set: { total: 999, status: "stolen" } })
      .returning();
    expect(returned).toEqual([]);
    const [row] = await withTenant(db, "B").select().from(orders).where(eq(orders.id, 101));
    expect(row).toMatchObject({ tenantId: "B", total: 10, status: "new" });
    const own = await a
      .insert(orders)
      .values({ id: 1, total: 11 })
      .onConflictDoUpdate({ target: orders.id, set: { total: 11 } })
      .returning({ id: orders.id, total: orders.total });
    expect(own).toEqual([{ id: 1, total: 11 }]);
    await a.update(orders).set({ total: 10 }).where(eq(orders.id, 1));
  });

  it.skipIf(skip)("prepared statements run for two tenants see each their own rows", async () => {
    const prepare = (handle: Db, label: string) =>
      handle
        .select({ id: orders.id, tenantId: orders.tenantId })
        .from(orders)
        .where(and(eq(orders.status, sql.placeholder("status")), sql`${orders.total} > 0`))
        .orderBy(asc(orders.id))
        .prepare(label);
    const forA = prepare(withTenant(db, "A"), "orders_by_status_a");
    const forB = prepare(withTenant(db, "B"), "orders_by_status_b");
    for (let round = 0; round < 3; round++) {
      expect(await forA.execute({ status: "new" })).toEqual([
        { id: 1, tenantId: "A" },
        { id: 3, tenantId: "A" },
      ]);
      expect(await forB.execute({ status: "paid" })).toEqual([{ id: 102, tenantId: "B" }]);
    }
    const shared = prepare(withTenant(db, "A"), "orders_by_status_shared");
    const sharedB = prepare(withTenant(db, "B"), "orders_by_status_shared");
    expect((await shared.execute({ status: "paid" })).map((r) => r.tenantId)).toEqual(["A"]);
    expect((await sharedB.execute({ status: "paid" })).map((r) => r.tenantId)).toEqual(["B"]);
  });

  it.skipIf(skip)("transactions are scoped, and withTenant works on a transaction", async () => {
    const seen = await withTenant(db, "B").transaction(async (tx) => {
      await tx.insert(orders).values({ id: 150, total: 1 });
      const rows = await tx.select({ id: orders.id }).from(orders).orderBy(asc(orders.id));
      await tx.delete(orders).where(eq(orders.id, 150));
      return rows.map((r) => r.id);
    });
    expect(seen).toEqual([101, 102, 103, 150]);
    const inner = await db.transaction(async (tx) => {
      const rows = await withTenant(tx, "A").select({ id: customers.id }).from(customers);
      const plain = await refusal(() => tx.select().from(customers));
      return { ids: rows.map((r) => r.id).sort(), plain };
    });
    expect(inner.ids).toEqual([1, 2]);
    expect(inner.plain).toBeInstanceOf(TenantScopeError);
  });

  it.skipIf(skip)("the plain db refuses scoped tables and allows globals", async () => {
    for (const run of [
      () => db.select().from(orders),
      () => db.query.customers.findMany(),
      () => db.execute(sql`select count(*) from items`),
      () => db.update(orders).set({ total: 0 }),
      () => db.insert(orders).values({ id: 900, tenantId: "A", total: 1 }),
      () => db.execute(sql`select * from products where id in (select product_id from items)`),
    ]) {
      expect(await refusal(run)).toBeInstanceOf(TenantScopeError);
    }
    expect((await db.select().from(products)).length).toBe(2);
    expect(await refusal(async () => withTenant(db, ""))).toBeInstanceOf(TenantScopeError);
    const all = await withoutTenant(db).select({ n: count() }).from(orders);
    expect(all[0]?.n).toBe(6);
  });

  it.skipIf(skip)("the plain db refuses a multi-statement text outright", async () => {
    const error = await refusal(() => db.execute(sql`select 1; select * from orders`));
    expect(error).toBeInstanceOf(TenantScopeError);
  });

  it.skipIf(skip)(
    "40 interleaved scoped transactions each see only their own tenant",
    async () => {
      const tenants = Array.from({ length: 40 }, (_, i) => `T${i}`);
      const admin = withoutTenant(db);
      await Promise.all(
        tenants.map((tenant, i) =>
          withTenant(db, tenant)
            .insert(customers)
            .values({ id: 1000 + i, name: tenant }),
        ),
      );
      const results = await Promise.all(
        tenants.map((tenant, i) =>
          withTenant(db, tenant).transaction(async (tx) => {
            await tx.insert(orders).values({ id: 1000 + i, customerId: 1000 + i, total: i });
            await new Promise((resolve) => setTimeout(resolve, (i * 7) % 13));
            await tx.update(orders).set({ total: sql`${orders.total} + 1` });
            const rows = await tx
              .select({
                id: orders.id,
                tenantId: orders.tenantId,
                total: orders.total,
                name: customers.name,
              })
              .from(orders)
              .innerJoin(customers, eq(customers.id, orders.customerId));
            return { tenant, rows };
          }),
        ),
      );
      for (const [i, { tenant, rows }] of results.entries()) {
        expect(rows).toEqual([{ id: 1000 + i, tenantId: tenant, total: i + 1, name: tenant }]);
      }
      const [{ n } = { n: -1 }] = await admin
        .select({ n: count() })
        .from(orders)
        .where(sql`${orders.id} >= 1000`);
      expect(n).toBe(40);
      const untouched = await withTenant(db, "A")
        .select({ total: orders.total })
        .from(orders)
        .orderBy(asc(orders.id));
      expect(untouched.map((r) => r.total)).toEqual([10, 20, 30]);
      await admin.execute(sql`delete from orders where id >= 1000`);
      await admin.execute(sql`delete from customers where id >= 1000`);
    },
    120_000,
  );
});

const cased = pgTable("cased_notes", {
  id: integer().primaryKey(),
  tenantId: text(),
  noteText: text(),
});

describe("tenant scope with casing: snake_case and unnamed columns", () => {
  let db: ReturnType<typeof drizzle<{ cased: typeof cased }>>;

  beforeAll(async () => {
    db = drizzle({
      connection: "pglite://memory",
      schema: { cased },
      casing: "snake_case",
      tenant: { column: "tenant_id" },
    });
    await withoutTenant(db).execute(
      sql`CREATE TABLE cased_notes (id integer PRIMARY KEY, tenant_id text NOT NULL, note_text text)`,
    );
    await withTenant(db, "A").insert(cased).values({ id: 1, noteText: "a" });
    await withTenant(db, "B").insert(cased).values({ id: 2, noteText: "b" });
  }, 120_000);

  afterAll(async () => {
    await db.$close();
  });

  it("finds the tenant column through the casing and scopes the table", async () => {
    expect(await withTenant(db, "A").select().from(cased)).toEqual([
      { id: 1, tenantId: "A", noteText: "a" },
    ]);
    expect(await refusal(() => db.select().from(cased))).toBeInstanceOf(TenantScopeError);
  });
});
