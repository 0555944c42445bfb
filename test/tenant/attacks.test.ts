/**
 * Attacks on the tenant scope from tenant A, through the public driver on
 * PGlite and PostgreSQL, judged by the A-only oracle: each statement is
 * either refused with TenantScopeError (nothing changed) or behaves exactly
 * as it does on a database holding only A's rows.
 */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  batchInsert,
  drizzle,
  TenantScopeError,
  withoutTenant,
  withTenant,
} from "../../src/index.js";
import { backends } from "../support/databases.js";
import {
  B_MAX_TOTAL,
  customers,
  items,
  itRefusesEach,
  notes,
  orders,
  plans,
  type Query,
  schema,
  useAttackOracle,
  verdict,
} from "./attack-oracle.js";

/** Statements that must be refused outright. */
const REFUSED: Record<string, Query> = {
  // 1. Row expansion in INSERT
  "(row(...)).* before the checked tenant parameter": sql`insert into orders (id, tenant_id, status) values ((row(9, 'B')).*, ${"A"}, (row()).*)`,
  "(expr).* in a later row of a multi-row VALUES": sql`insert into orders (id, tenant_id, status) values (8, ${"A"}, 'x'), ((row(9, 'B')).*, ${"A"}, (row()).*)`,
  "builder values with sql fragments that expand": (t) =>
    t.insert(orders).values({
      id: sql`(row(9, 'B')).*`,
      tenantId: "A",
      status: sql`(row()).*`,
    } as never),
  "INSERT ... SELECT with (row(...)).*": sql`insert into orders (id, tenant_id, status) select (row(9, 'B')).*, ${"A"}, (row()).*`,
  "a writable CTE moving an order to B": sql`with d as (delete from orders where id = 1 returning id, total)
    insert into orders (id, tenant_id, total) select (row(d.id, 'B')).*, ${"A"}, (row()).* from d`,
  "t.* before the tenant column in INSERT ... SELECT": sql`insert into orders (id, tenant_id, total) select o.*, ${"A"} from (select 900, 'B', 1) o`,
  // 3. User-defined functions
  "a LANGUAGE sql function reading B's rows": sql`select customer_email(11)`,
  "a schema-qualified undeclared function": sql`select public.customer_email(11)`,
  "a pg_catalog function reading tables by text": sql`select pg_catalog.query_to_xml('select * from customers', true, false, '')`,
  // 4. System columns in every notation
  "ctid(o)": sql`select ctid(o) from orders o`,
  "(o).ctid": sql`select (o).ctid from orders o`,
  "(o.*).xmin": sql`select (o.*).xmin from orders o`,
  "xmin(o)": sql`select xmin(o) from orders o`,
  "o.xmax in WHERE": sql`select id from orders o where o.xmax <> 0`,
  "tableoid(o)": sql`select tableoid(o) from orders o`,
  // 7. Sequences
  setval: sql`select setval('order_numbers', 1)`,
  currval: sql`select currval('order_numbers')`,
  lastval: sql`select lastval()`,
  // 5. Cross-tenant references (items.order_id has a database FK; orders.customer_id has none)
  "an item pointing at B's order": (t) => t.insert(items).values({ id: 500, orderId: 101, qty: 1 }),
  "an item pointing at an order that does not exist": (t) =>
    t.insert(items).values({ id: 500, orderId: 999, qty: 1 }),
  "an order pointing at B's customer (no FK in the database)": (t) =>
    t.insert(orders).values({ id: 500, customerId: 11, total: 1 }),
  "a multi-row insert with one bad reference": (t) =>
    t.insert(orders).values([
      { id: 500, customerId: 1, total: 1 },
      { id: 501, customerId: 11, total: 1 },
    ]),
  "an update re-pointing an item at B's order": (t) =>
    t.update(items).set({ orderId: 101 }).where(eq(items.id, 1)),
  "an upsert re-pointing an item at B's order": (t) =>
    t
      .insert(items)
      .values({ id: 1, orderId: 1, qty: 1 })
      .onConflictDoUpdate({ target: items.id, set: { orderId: 101 } }),
  "INSERT ... SELECT of B's order id": sql`insert into items (id, order_id, qty) select 600, 101, 1`,
  "a reference set from an expression": sql`insert into items (id, order_id, qty) values (600, 100 + 1, 1)`,
  // 6. Writable globals that scoped rows reference, with cascades in the database
  "deleting a referenced writable global (cascades into B's accounts)": (t) =>
    t.delete(plans).where(eq(plans.id, 1)),
  "changing a referenced key of a writable global": (t) =>
    t.update(plans).set({ id: 7 }).where(eq(plans.id, 2)),
  "an upsert changing a referenced key of a writable global": (t) =>
    t
      .insert(plans)
      .values({ id: 2, name: "pro" })
      .onConflictDoUpdate({ target: plans.id, set: { id: 8 } }),
  "a raw delete of a referenced writable global": sql`delete from plans`,
  // 11. what stays refused next to the over-refusals fixed
  "EXPLAIN ANALYZE (counts the rows the tenant filter removed)": sql`explain analyze select * from orders`,
  "a session-wide SET": sql`set statement_timeout = '5s'`,
  "SET LOCAL of anything but a timeout": sql`set local search_path = other`,
  "UPDATE setting the tenant column to a literal": sql`update orders set tenant_id = 'B' where id = 1`,
  "upsert setting the tenant column to an expression": sql`insert into orders (id, total) values (1, 1) on conflict (id) do update set tenant_id = lower('B')`,
};

/** Statements that must behave as on A alone (over-refusals fixed, allowed functions). */
const SAME: Record<string, Query> = {
  "an item pointing at the tenant's own order": (t) =>
    t.insert(items).values({ id: 500, orderId: 2, qty: 1 }).returning(),
  "a null reference": (t) => t.insert(orders).values({ id: 500, total: 1 }).returning(),
  "an update re-pointing an item at the tenant's own order": (t) =>
    t.update(items).set({ orderId: 2 }).where(eq(items.id, 1)).returning(),
  "INSERT ... SELECT of the tenant's own order ids": sql`insert into items (id, order_id, qty) select id + 700, id, 1 from orders returning id, order_id`,
  "updating a non-key column of a referenced writable global": (t) =>
    t.update(plans).set({ name: "gold" }).where(eq(plans.id, 2)).returning(),
  "deleting from a writable global nothing references": (t) => t.delete(notes).returning(),
  "a declared function": sql`select add_one(total) as n from orders order by id`,
  "built-ins": sql`select lower(email), length(email), coalesce(upper(email), 'x') from customers`,
  nextval: sql`select 1 as one from (select nextval('order_numbers')) s`,
  "onConflictDoUpdate({ set: row }) with the scope's own tenant id": (t) =>
    t
      .insert(orders)
      .values({ id: 1, tenantId: "A", total: 11 })
      .onConflictDoUpdate({ target: orders.id, set: { id: 1, tenantId: "A", total: 12 } })
      .returning(),
  "update().set({ ...row }) of the scope's own row": async (t) => {
    const [row] = await t.select().from(orders).where(eq(orders.id, 2));
    return t
      .update(orders)
      .set({ ...row, total: 21 })
      .where(eq(orders.id, 2))
      .returning();
  },
  "upsert setting tenant_id = excluded.tenant_id": sql`insert into orders (id, total) values (1, 5)
    on conflict (id) do update set total = excluded.total, tenant_id = excluded.tenant_id returning id, tenant_id, total`,
  "insert().select() selecting the tenant column": sql`insert into orders (id, tenant_id, total) select id + 1000, tenant_id, total from orders returning id, tenant_id`,
  "insert ... select copying a qualified tenant column through a join": sql`insert into orders (id, tenant_id, total)
    select o.id + 2000, o.tenant_id, c.id from orders o join customers c on c.id = o.customer_id returning id, tenant_id`,
  "a quoted mixed-case CTE name": sql`with "MyCte" as (select id from orders) select * from "MyCte" order by id`,
  "INSERT ... SELECT s.*, $1": sql`insert into orders (id, total, tenant_id) select s.*, ${"A"} from (select id + 3000, total from orders) s returning id, tenant_id`,
  "row expansion with the tenant column appended": sql`insert into orders (id, total) select (row(id + 4000, total)).* from orders returning id, tenant_id`,
};

/**
 * Conditions that raise exactly when some row's total is large: evaluated on
 * B's rows, a binary search over `x` would read B's largest total. `fits` is
 * a declared plpgsql function with a tiny COST, so the planner runs it before
 * any plain tenant equality unless the rewrite forces the order.
 */
const OVERFLOW_PROBES: Record<string, (x: number) => Query> = {
  WHERE: (x) => sql`select count(*)::int as n from orders where fits(total, ${x})`,
  "WHERE with an indexed equality next to it": (x) =>
    sql`select id from orders where id > ${0} and fits(total, ${x})`,
  "plain arithmetic in WHERE": (x) => sql`select id from orders where total + ${x}::int > 0`,
  "a cast in WHERE": (x) => sql`select id from orders where (total::bigint + ${x})::int > 0`,
  "inner join ON": (x) =>
    sql`select c.id from customers c join orders o on o.customer_id = c.id and fits(o.total, ${x})`,
  "left join ON": (x) =>
    sql`select c.id, o.id as oid from customers c left join orders o on o.customer_id = c.id and fits(o.total, ${x})`,
  "WHERE over a left join's nullable side": (x) =>
    sql`select c.id from customers c left join orders o on o.customer_id = c.id where fits(coalesce(o.total, 0), ${x})`,
  "EXISTS subquery": (x) =>
    sql`select c.id from customers c where exists (select 1 from orders o where o.customer_id = c.id and fits(o.total, ${x}))`,
  "IN subquery": (x) =>
    sql`select c.id from customers c where c.id in (select customer_id from orders where fits(total, ${x}))`,
  "a condition on a FROM subquery's column": (x) =>
    sql`select s.id from (select id, total from orders) s where fits(s.total, ${x})`,
  "a condition on a UNION ALL subquery": (x) =>
    sql`select s.t from (select total as t from orders union all select 0) s where fits(s.t, ${x})`,
  "LATERAL subquery reading the outer row": (x) =>
    sql`select o.id from orders o, lateral (select 1 from plans p where p.id = 1 and fits(o.total, ${x})) l`,
  "a materialized CTE": (x) =>
    sql`with t as materialized (select total from orders) select count(*)::int from t where fits(total, ${x})`,
  "correlated subquery over a global": (x) =>
    sql`select o.id from orders o where exists (select 1 from plans p where fits(p.id + o.total, ${x}))`,
  UPDATE: (x) => sql`update orders set status = 'seen' where fits(total, ${x})`,
  "UPDATE ... FROM": (x) =>
    sql`update customers c set email = 'x' from orders o where o.customer_id = c.id and fits(o.total, ${x})`,
  DELETE: (x) => sql`delete from orders where customer_id > ${1} and fits(total, ${x})`,
  "DELETE ... USING": (x) =>
    sql`delete from items i using orders o where o.id = i.order_id and fits(o.total, ${x})`,
  "upsert's DO UPDATE WHERE": (x) =>
    sql`insert into orders (id, total) values (101, 1) on conflict (id) do update set total = 1 where fits(orders.total, ${x})`,
  HAVING: (x) =>
    sql`select customer_id from orders group by customer_id having fits(max(total), ${x})`,
};

const INT_MAX = 2147483647;

/** The largest total the probe's errors reveal: binary search over x for the first overflow. */
async function readMaxTotal(run: (q: Query) => Promise<unknown>, probe: (x: number) => Query) {
  let low = 0; // never overflows
  let high = INT_MAX; // overflows when any total >= 1
  let queries = 0;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    const outcome = (await run(probe(mid))) as { error?: string };
    queries += 1;
    if (outcome.error !== undefined) high = mid;
    else low = mid;
  }
  return { max: INT_MAX - high + 1, queries };
}

/** Other conditions that raise on particular rows: each must not raise for A (A alone does not). */
const RAISING_ON_B: Record<string, Query> = {
  "a regex taken from data": sql`select id from orders where ${"a"} ~ status`,
  "division by zero at B's total": sql`select id from orders where 1 / (total - ${B_MAX_TOTAL}) > -1`,
  "a cast to smallint": sql`select id from orders where total::smallint > 0`,
  "a LIKE pattern from data": sql`select id from orders where ${"a"} like status`,
  "an allowed function over data": sql`select id from orders where ${"x"} ~ lower(status)`,
};

describe.each(backends)("tenant attacks through the driver on $name", ({ name, skip }) => {
  const fixture = useAttackOracle(name, skip);
  itRefusesEach(REFUSED, fixture, skip);

  for (const [label, query] of Object.entries(SAME)) {
    it.skipIf(skip)(`runs as on A alone: ${label}`, async () => {
      const scoped = await fixture.oracle.scoped(query);
      if ("refused" in scoped) throw new Error(`refused: ${scoped.message}`);
      expect(verdict(scoped, await fixture.oracle.asAlone(query), fixture.before)).toBe("same");
      expect(await fixture.oracle.snapshotAb()).toEqual(fixture.before);
    });
  }

  for (const [label, probe] of Object.entries(OVERFLOW_PROBES)) {
    it.skipIf(skip)(`error oracle learns nothing of B: ${label}`, async () => {
      const alone = await readMaxTotal((q) => fixture.oracle.asAlone(q), probe);
      const scoped = await readMaxTotal(async (q) => {
        const outcome = await fixture.oracle.scoped(q);
        if ("refused" in outcome) throw new Error(`refused: ${outcome.message}`);
        return outcome;
      }, probe);
      // A's totals, quantities and plan ids are all below 100; B's total is 1234567.
      expect(alone.max).toBeLessThan(100);
      expect(scoped.max).toBeLessThan(100);
      expect(await fixture.oracle.snapshotAb()).toEqual(fixture.before);
    });
  }

  for (const [label, query] of Object.entries(RAISING_ON_B)) {
    it.skipIf(skip)(`a condition raising on B's rows does not raise for A: ${label}`, async () => {
      const scoped = await fixture.oracle.scoped(query);
      if ("refused" in scoped) throw new Error(`refused: ${scoped.message}`);
      expect(verdict(scoped, await fixture.oracle.asAlone(query), fixture.before)).toBe("same");
    });
  }

  it.skipIf(skip)("plain comparisons keep their index (EXPLAIN on the scoped text)", async () => {
    const outcome = await fixture.oracle.scoped(
      sql`explain (costs off) select id from orders where id = ${1} and total + ${5}::int > 0`,
    );
    if (!("rows" in outcome)) throw new Error(JSON.stringify(outcome));
    const plan = outcome.rows.join("\n");
    expect(plan).toMatch(/Index (Only )?Scan/);
    expect(plan).toMatch(/CASE WHEN/);
  });

  it.skipIf(skip)(
    "a reference to B's order and to a missing order fail alike (no existence oracle)",
    async () => {
      const b = await fixture.oracle.scoped((t) =>
        t.insert(items).values({ id: 500, orderId: 101, qty: 1 }),
      );
      const missing = await fixture.oracle.scoped((t) =>
        t.insert(items).values({ id: 500, orderId: 999, qty: 1 }),
      );
      expect(b).toEqual(missing);
      expect(b).toMatchObject({ refused: true, message: expect.stringMatching(/items\.order_id/) });
    },
  );

  it.skipIf(skip)("batchInsert with a row pointing at B's order writes nothing", async () => {
    const error = await batchInsert(withTenant(fixture.oracle.ab, "A"), items, [
      { id: 700, orderId: 1, qty: 1 },
      { id: 701, orderId: 101, qty: 1 },
    ]).catch((e: unknown) => e);
    // batchInsert reports failures as DsqlBatchError; the refusal is its cause.
    expect((error as Error).cause).toBeInstanceOf(TenantScopeError);
    expect(String((error as Error).message)).toMatch(/items\.order_id/);
    expect(await fixture.oracle.snapshotAb()).toEqual(fixture.before);
  });

  it.skipIf(skip)("EXPLAIN of a scoped query shows the tenant filter", async () => {
    const outcome = await fixture.oracle.scoped(
      sql`explain (costs off) select * from orders where id = 1`,
    );
    if (!("rows" in outcome)) throw new Error(JSON.stringify(outcome));
    expect(outcome.rows.join("\n")).toMatch(/tenant_id = /);
  });

  it.skipIf(skip)("SET LOCAL statement_timeout inside a transaction", async () => {
    const value = await fixture.oracle.ab.transaction(async (tx) => {
      const t = withTenant(tx, "A");
      await t.execute(sql`set local statement_timeout = '7s'`);
      const result = await withoutTenant(tx).execute(
        sql`select current_setting('statement_timeout') as v`,
      );
      return result.rows;
    });
    expect(value).toEqual([{ v: "7s" }]);
  });

  it.skipIf(skip)("a tenant column that matches no table is an error at drizzle()", () => {
    expect(() =>
      drizzle({ connection: "pglite://memory", schema, tenant: { column: "tenantId" } }),
    ).toThrow(TenantScopeError);
    expect(() =>
      drizzle({ connection: "pglite://memory", schema, tenant: { column: "tenantId" } }),
    ).toThrow(/use \{ column: "tenant_id" \}/);
  });

  it.skipIf(skip)("blank, malformed UTF-16 and NUL tenant ids are refused", async () => {
    for (const id of [" ", "\t", "\ud800", "\udfff", "a\u0000"]) {
      expect(() => withTenant(fixture.oracle.ab, id)).toThrow(TenantScopeError);
    }
    const rows = await withTenant(fixture.oracle.ab, "\ud83d\ude00").select().from(customers);
    expect(rows).toEqual([]);
    expect((await withoutTenant(fixture.oracle.ab).select().from(customers)).length).toBe(3);
  });
});
