/**
 * What Drizzle itself generates: every query-builder and relational-API form
 * a user is likely to write, rendered with `toSQL()`, planned for tenant A
 * and checked against the oracle (planned on A+B == original on A alone).
 * None of them may be refused.
 */
import {
  and,
  asc,
  avg,
  between,
  count,
  desc,
  eq,
  exists,
  gt,
  gte,
  ilike,
  inArray,
  isNotNull,
  isNull,
  like,
  lt,
  max,
  ne,
  not,
  notInArray,
  or,
  relations,
  sql,
  sum,
} from "drizzle-orm";
import { alias, except, intersect, union, unionAll } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bindTenant } from "../../src/tenant/bind.js";
import { planTenantSql } from "../../src/tenant/plan.js";
import {
  bag,
  customers,
  items,
  type Oracle,
  openOracle,
  orders,
  products,
  registry,
  rolledBack,
  snapshot,
  tags,
} from "./oracle.js";

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
  tags,
  customersRelations,
  ordersRelations,
  itemsRelations,
};

type Query = { toSQL(): { sql: string; params: unknown[] } };

describe("Drizzle-generated statements are accepted and scoped", () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await openOracle();
  }, 120_000);
  afterAll(async () => {
    await oracle.close();
  });

  // A db only used to render SQL; it is never executed through.
  const db = drizzle.mock({ schema });
  const o2 = alias(orders, "o2");

  const READS: Record<string, () => Query> = {
    "select all": () => db.select().from(orders),
    "comparison operators": () =>
      db
        .select()
        .from(orders)
        .where(
          and(gt(orders.total, 5), lt(orders.total, 80), ne(orders.status, "x"), gte(orders.id, 1)),
        ),
    "in and not in lists": () =>
      db
        .select({ id: orders.id })
        .from(orders)
        .where(and(inArray(orders.id, [1, 2, 3, 101, 102]), notInArray(orders.customerId, [99]))),
    "like, ilike, between, null tests": () =>
      db
        .select({ id: customers.id })
        .from(customers)
        .where(
          or(
            like(customers.name, "a%"),
            ilike(customers.name, "B%"),
            between(customers.id, 2, 3),
            isNull(customers.region),
            and(isNotNull(customers.region), not(eq(customers.region, "east"))),
          ),
        ),
    "joins of every kind": () =>
      db
        .select({ o: orders.id, c: customers.name, i: items.id, p: products.name })
        .from(orders)
        .leftJoin(customers, eq(customers.id, orders.customerId))
        .innerJoin(items, eq(items.orderId, orders.id))
        .rightJoin(products, eq(products.id, items.productId)),
    "full join": () =>
      db
        .select({ c: customers.id, o: orders.id })
        .from(customers)
        .fullJoin(orders, eq(orders.customerId, customers.id)),
    "self join through an alias": () =>
      db
        .select({ a: orders.id, b: o2.id })
        .from(orders)
        .innerJoin(o2, eq(o2.customerId, orders.customerId)),
    aggregates: () =>
      db
        .select({
          status: orders.status,
          n: count(),
          total: sum(orders.total),
          mean: avg(orders.total),
          top: max(orders.total),
        })
        .from(orders)
        .groupBy(orders.status)
        .having(gt(count(), 0)),
    "order, limit, offset": () =>
      db.select().from(orders).orderBy(desc(orders.total), asc(orders.id)).limit(3).offset(1),
    distinct: () => db.selectDistinct({ name: customers.name }).from(customers),
    "distinct on": () =>
      db
        .selectDistinctOn([orders.customerId], { c: orders.customerId, id: orders.id })
        .from(orders)
        .orderBy(orders.customerId, desc(orders.total), orders.id),
    "exists subquery": () =>
      db
        .select({ id: customers.id })
        .from(customers)
        .where(exists(db.select().from(orders).where(eq(orders.customerId, customers.id)))),
    "in subquery": () =>
      db
        .select({ id: products.id })
        .from(products)
        .where(inArray(products.id, db.select({ p: items.productId }).from(items))),
    "subquery in FROM": () => {
      const sq = db
        .select({ c: orders.customerId, n: count().as("n") })
        .from(orders)
        .groupBy(orders.customerId)
        .as("sq");
      return db.select().from(sq).leftJoin(customers, eq(customers.id, sq.c));
    },
    "$with CTE": () => {
      const big = db.$with("big").as(db.select().from(orders).where(gt(orders.total, 20)));
      return db.with(big).select({ id: big.id }).from(big);
    },
    union: () =>
      union(
        db.select({ id: orders.id }).from(orders),
        db.select({ id: customers.id }).from(customers),
      ),
    "union all": () =>
      unionAll(
        db.select({ id: items.id }).from(items),
        db.select({ id: products.id }).from(products),
      ),
    intersect: () =>
      intersect(db.select({ id: orders.id }).from(orders), db.select({ id: items.id }).from(items)),
    except: () =>
      except(
        db.select({ id: customers.id }).from(customers),
        db.select({ id: sql<number>`${orders.customerId}`.as("id") }).from(orders),
      ),
    "sql template with parameters": () =>
      db
        .select({ id: orders.id, doubled: sql<number>`${orders.total} * ${2}` })
        .from(orders)
        .where(
          sql`${orders.status} in ${["open", "paid"]} and ${orders.total} is distinct from ${null}`,
        ),
    "casts and functions": () =>
      db
        .select({
          s: sql<string>`upper(${customers.name}) || '-' || cast(${customers.id} as text)`,
          c: sql<string>`coalesce(${customers.region}, 'none')`,
          n: sql<number>`nullif(${customers.id}, 1)::int`,
        })
        .from(customers),
    "case and window": () =>
      db
        .select({
          id: orders.id,
          size: sql<string>`case when ${orders.total} > 30 then 'big' else 'small' end`,
          rank: sql<number>`rank() over (partition by ${orders.customerId} order by ${orders.total})`,
        })
        .from(orders),
    "relational findMany with nested with": () =>
      db.query.customers.findMany({
        with: { orders: { with: { items: { with: { product: true } } } } },
        orderBy: (c, { asc: up }) => [up(c.id)],
      }),
    "relational findFirst with where, columns and extras": () =>
      db.query.orders.findFirst({
        where: (o, { eq: same }) => same(o.id, 2),
        columns: { id: true, total: true },
        extras: { twice: sql<number>`${orders.total} * 2`.as("twice") },
        with: { customer: { columns: { name: true } } },
      }),
    "relational limit and offset in nested with": () =>
      db.query.orders.findMany({
        limit: 2,
        offset: 1,
        orderBy: (o, { desc: down }) => [down(o.total)],
        with: { items: { limit: 1, orderBy: (i, { asc: up }) => [up(i.id)] } },
      }),
    $count: () => db.select({ n: db.$count(orders, gt(orders.total, 10)) }).from(products),
  };

  for (const [name, build] of Object.entries(READS)) {
    it(`read: ${name}`, async () => {
      const { sql: text, params } = build().toSQL();
      const plan = planTenantSql(text, registry);
      const alone = await oracle.a.query(text, params, { rowMode: "array" });
      const scoped = await oracle.ab.query(plan.sql, bindTenant(plan, params, "A"), {
        rowMode: "array",
      });
      expect(bag(scoped.rows)).toEqual(bag(alone.rows));
    });
  }

  const WRITES: Record<string, () => Query> = {
    "insert without the tenant": () =>
      db.insert(orders).values({ id: 700, tenantId: sql`default`, total: 1 }),
    "multi-row insert with defaults": () =>
      db.insert(items).values([
        { id: 701, tenantId: sql`default`, orderId: 1, qty: 1 },
        { id: 702, tenantId: sql`default`, orderId: 2, productId: 3, qty: 2 },
      ]),
    "insert with the tenant as a value": () =>
      db.insert(customers).values({ id: 703, tenantId: "A", name: "x" }),
    "on conflict do nothing": () =>
      db
        .insert(orders)
        .values({ id: 1, tenantId: "A", total: 1 })
        .onConflictDoNothing()
        .returning(),
    "on conflict do update": () =>
      db
        .insert(orders)
        .values({ id: 2, tenantId: "A", total: 77 })
        .onConflictDoUpdate({
          target: orders.id,
          set: { total: sql`excluded.total` },
          where: gt(orders.total, 0),
        })
        .returning({ id: orders.id, total: orders.total }),
    "insert ... select": () =>
      db
        .insert(tags)
        .select(
          db
            .select({ id: sql<number>`${orders.id} + 100`.as("id"), label: orders.status })
            .from(orders),
        ),
    update: () =>
      db
        .update(orders)
        .set({ status: "done", total: sql`${orders.total} + 1` })
        .where(inArray(orders.id, [1, 2, 101]))
        .returning(),
    "update from": () =>
      db
        .update(orders)
        .set({ status: "vip" })
        .from(customers)
        .where(and(eq(customers.id, orders.customerId), eq(customers.region, "north"))),
    delete: () =>
      db
        .delete(items)
        .where(or(gt(items.qty, 2), eq(items.orderId, 101)))
        .returning({ id: items.id }),
  };

  for (const [name, build] of Object.entries(WRITES)) {
    it(`write: ${name}`, async () => {
      const { sql: text, params } = build().toSQL();
      const plan = planTenantSql(text, registry);
      const before = await snapshot(oracle.ab);
      const alone = await rolledBack(oracle.a, async () => {
        const r = await oracle.a.query(text, params, { rowMode: "array" });
        return { rows: bag(r.rows), after: await snapshot(oracle.a) };
      });
      const scoped = await rolledBack(oracle.ab, async () => {
        const r = await oracle.ab.query(plan.sql, bindTenant(plan, params, "A"), {
          rowMode: "array",
        });
        return { rows: bag(r.rows), after: await snapshot(oracle.ab) };
      });
      expect(scoped.rows).toEqual(alone.rows);
      expect(scoped.after.a).toEqual(alone.after.a);
      expect(scoped.after.b).toEqual(before.b);
      expect(scoped.after.globals).toEqual(alone.after.globals);
    });
  }
});
