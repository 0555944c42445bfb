import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantScopeError } from "../../src/errors.js";
import { bindTenant } from "../../src/tenant/bind.js";
import { planTenantSql } from "../../src/tenant/plan.js";
import { bag, type Oracle, openOracle, registry, rolledBack, snapshot } from "./oracle.js";

interface WriteShape {
  sql: string;
  params?: unknown[];
}

const WRITES: Record<string, WriteShape> = {
  "insert without the tenant column": {
    sql: "INSERT INTO orders (id, customer_id, total, status) VALUES (500, 1, 10, 'new') RETURNING *",
  },
  "multi-row insert with parameters": {
    sql: "INSERT INTO orders (id, customer_id, total) VALUES ($1, 1, $2), ($3, 2, $4) RETURNING id, tenant_id",
    params: [501, 11, 502, 12],
  },
  "insert with DEFAULT in the tenant column": {
    sql: "INSERT INTO orders (id, tenant_id, total) VALUES (503, DEFAULT, 5) RETURNING tenant_id",
  },
  "insert with a parameter equal to the tenant": {
    sql: "INSERT INTO customers (id, tenant_id, name) VALUES ($1, $2, 'eve')",
    params: [504, "A"],
  },
  "insert ... select": {
    sql: "INSERT INTO orders (id, customer_id, total, status) SELECT id + 1000, id, 1, 'copy' FROM customers",
  },
  "insert ... select with a join": {
    sql: `INSERT INTO items (id, order_id, product_id, qty)
          SELECT o.id + 2000, o.id, p.id, 1 FROM orders o JOIN products p ON p.id = 1`,
  },
  "insert ... select with a set operation": {
    sql: `INSERT INTO items (id, order_id, qty)
          SELECT id + 3000, id, 1 FROM orders UNION ALL SELECT id + 4000, id, 2 FROM orders`,
  },
  "insert ... select supplying the tenant as a parameter": {
    sql: "INSERT INTO customers (id, tenant_id, name) SELECT id + 5000, $1, name FROM products",
    params: ["A"],
  },
  "insert with a subquery value": {
    sql: "INSERT INTO orders (id, total) VALUES (505, (SELECT sum(total) FROM orders)) RETURNING total",
  },
  "upsert on an own key": {
    sql: `INSERT INTO orders (id, customer_id, total, status) VALUES (1, 1, 99, 'up')
          ON CONFLICT (id) DO UPDATE SET total = excluded.total, status = excluded.status RETURNING *`,
  },
  "upsert do nothing": {
    sql: "INSERT INTO orders (id, total) VALUES (2, 1), (506, 2) ON CONFLICT DO NOTHING RETURNING id",
  },
  "upsert with a subquery in SET": {
    sql: `INSERT INTO orders (id, total) VALUES (3, 0)
          ON CONFLICT (id) DO UPDATE SET total = (SELECT count(*) FROM items) RETURNING total`,
  },
  update: { sql: "UPDATE orders SET total = total + 1 WHERE status = 'open' RETURNING id, total" },
  "update everything": { sql: "UPDATE customers SET name = name || '!'" },
  "update ... from": {
    sql: `UPDATE orders o SET status = 'vip' FROM customers c
          WHERE c.id = o.customer_id AND c.region = 'north' RETURNING o.id`,
  },
  "update with a correlated subquery": {
    sql: "UPDATE orders SET total = (SELECT count(*) FROM items i WHERE i.order_id = orders.id)",
  },
  "update a writable global from scoped data": {
    sql: "UPDATE tags SET label = (SELECT count(*)::text FROM orders) WHERE id = 1",
  },
  "update with a subquery in RETURNING": {
    sql: "UPDATE items SET qty = qty * 2 WHERE id = 1 RETURNING (SELECT sum(qty) FROM items) AS total_qty",
  },
  delete: { sql: "DELETE FROM items WHERE qty > 2 RETURNING id" },
  "delete everything": { sql: "DELETE FROM items" },
  "delete ... using": {
    sql: "DELETE FROM items i USING orders o WHERE o.id = i.order_id AND o.status = 'open' RETURNING i.id",
  },
  "delete where id in (select ... limit n)": {
    sql: "DELETE FROM orders WHERE id IN (SELECT id FROM orders ORDER BY id LIMIT 2) RETURNING id",
  },
  "delete with a subquery in RETURNING": {
    sql: "DELETE FROM items WHERE id = (SELECT min(id) FROM items) RETURNING id, (SELECT count(*) FROM items) AS n",
  },
  "writing CTE": {
    sql: `WITH d AS (DELETE FROM items WHERE qty = 1 RETURNING order_id)
          UPDATE orders SET status = 'touched' WHERE id IN (SELECT order_id FROM d) RETURNING id`,
  },
  "insert ... select copying the scoped rows' tenant ids": {
    sql: "INSERT INTO customers (id, tenant_id, name) SELECT id + 900, tenant_id, name FROM customers RETURNING *",
  },
  "upsert keeping the proposed row's tenant id": {
    sql: `INSERT INTO orders (id, total) VALUES (600, 1), (1, 7)
          ON CONFLICT (id) DO UPDATE SET total = excluded.total, tenant_id = excluded.tenant_id RETURNING *`,
  },
  "insert into a writable global": {
    sql: "INSERT INTO tags (id, label) SELECT 10 + count(*), 'n' FROM orders",
  },
};

async function run(db: Oracle["ab"], sql: string, params: unknown[]) {
  return rolledBack(db, async () => {
    const result = await db.query(sql, params, { rowMode: "array" });
    return { rows: bag(result.rows), after: await snapshot(db) };
  });
}

describe("tenant oracle: writes (A's rows end as alone, B's untouched)", () => {
  let oracle: Oracle;
  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeAll(async () => {
    oracle = await openOracle();
    before = await snapshot(oracle.ab);
  }, 120_000);
  afterAll(async () => {
    await oracle.close();
  });

  it("has at least 15 shapes", () => {
    expect(Object.keys(WRITES).length).toBeGreaterThanOrEqual(15);
  });

  for (const [name, shape] of Object.entries(WRITES)) {
    it(name, async () => {
      const params = shape.params ?? [];
      const plan = planTenantSql(shape.sql, registry);
      const alone = await run(oracle.a, shape.sql, params);
      const scoped = await run(oracle.ab, plan.sql, bindTenant(plan, params, "A"));
      expect(scoped.rows).toEqual(alone.rows);
      expect(scoped.after.a).toEqual(alone.after.a);
      expect(scoped.after.b).toEqual(before.b);
      expect(scoped.after.globals).toEqual(alone.after.globals);
      expect(await snapshot(oracle.ab)).toEqual(before);
    });
  }

  it("an upsert on another tenant's key changes nothing of B's and inserts nothing", async () => {
    const sql = `INSERT INTO orders (id, customer_id, total, status) VALUES (101, 1, 1, 'stolen')
                 ON CONFLICT (id) DO UPDATE SET total = excluded.total, status = excluded.status RETURNING *`;
    const plan = planTenantSql(sql, registry);
    const scoped = await run(oracle.ab, plan.sql, bindTenant(plan, [], "A"));
    expect(scoped.rows).toEqual([]);
    expect(scoped.after).toEqual(before);
  });

  it("an upsert whose conflict target is B's row cannot move it to A either", async () => {
    const sql = `INSERT INTO items (id, order_id, qty) VALUES (201, 1, 1)
                 ON CONFLICT (id) DO UPDATE SET qty = 0, order_id = excluded.order_id`;
    const plan = planTenantSql(sql, registry);
    const scoped = await run(oracle.ab, plan.sql, bindTenant(plan, [], "A"));
    expect(scoped.after).toEqual(before);
  });

  it("a parameter different from the tenant is caught by the execute-time check", () => {
    const plan = planTenantSql(
      "INSERT INTO customers (id, tenant_id, name) VALUES ($1, $2, 'x')",
      registry,
    );
    expect(plan.checkParams).toEqual([2]);
    expect(() => bindTenant(plan, [600, "B"], "A")).toThrow(TenantScopeError);
    expect(() => bindTenant(plan, [600, "B"], "A")).toThrow(
      /parameter \$2 sets the tenant column to a different tenant/,
    );
  });

  const REFUSED: Record<string, string> = {
    "update setting the tenant column": "UPDATE orders SET tenant_id = 'B' WHERE id = 1",
    "update setting the tenant column in a tuple":
      "UPDATE orders SET (total, tenant_id) = (1, 'B')",
    "update from a sub-select into the tenant column":
      "UPDATE orders SET (tenant_id) = (SELECT tenant_id FROM customers WHERE id = 11)",
    "upsert setting the tenant column to another row's":
      "INSERT INTO orders (id, total) VALUES (101, 1) ON CONFLICT (id) DO UPDATE SET tenant_id = orders.customer_id::text",
    "insert with a literal tenant": "INSERT INTO orders (id, tenant_id) VALUES (700, 'B')",
    "insert with an expression tenant":
      "INSERT INTO orders (id, tenant_id) VALUES (700, lower('B'))",
    "insert ... select copying tenant ids from a subquery":
      "INSERT INTO customers (id, tenant_id, name) SELECT id + 900, tenant_id, name FROM (SELECT 1 AS id, 'B' AS tenant_id, 'x' AS name) s",
    "insert without a column list": "INSERT INTO orders VALUES (9, 'A', 1, 1, 'x')",
    "update a read-only global": "UPDATE products SET price = 0",
    "delete from a read-only global": "DELETE FROM products",
    "insert into a read-only global": "INSERT INTO products (id, name) VALUES (99, 'x')",
    truncate: "TRUNCATE orders",
    "delete through a view": "DELETE FROM all_orders",
    "delete from another schema": "DELETE FROM other.orders",
    "writing CTE into a read-only global":
      "WITH x AS (DELETE FROM products RETURNING id) SELECT * FROM x",
    "delete where current of": "DELETE FROM orders WHERE CURRENT OF c",
    merge:
      "MERGE INTO orders o USING customers c ON o.id = c.id WHEN MATCHED THEN UPDATE SET total = 0",
  };
  for (const [name, sql] of Object.entries(REFUSED)) {
    it(`refuses: ${name}`, async () => {
      let error: unknown;
      try {
        planTenantSql(sql, registry);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TenantScopeError);
      expect(await snapshot(oracle.ab)).toEqual(before);
    });
  }
});
