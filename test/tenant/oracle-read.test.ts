import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bindTenant } from "../../src/tenant/bind.js";
import { planTenantSql } from "../../src/tenant/plan.js";
import { bag, type Oracle, openOracle, registry, seq } from "./oracle.js";

/** A read shape: SQL, parameters, and whether row order matters. */
interface Shape {
  sql: string;
  params?: unknown[];
  ordered?: boolean;
}

const SHAPES: Record<string, Shape> = {
  "plain scan": { sql: "SELECT * FROM orders" },
  "filter with a parameter": { sql: "SELECT id, total FROM orders WHERE total > $1", params: [20] },
  "B's id as a parameter": { sql: "SELECT * FROM customers c WHERE c.id = $1", params: [11] },
  "OR in WHERE": { sql: "SELECT id FROM orders WHERE status = 'open' OR total > 50" },
  TABLE: { sql: "TABLE orders" },
  "inner join": {
    sql: "SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id",
  },
  "comma join": {
    sql: "SELECT o.id, c.name FROM orders o, customers c WHERE c.id = o.customer_id",
  },
  "cross join": { sql: "SELECT count(*) FROM orders CROSS JOIN customers" },
  "left join": {
    sql: "SELECT c.id, o.id AS oid FROM customers c LEFT JOIN orders o ON o.customer_id = c.id",
  },
  "right join": {
    sql: "SELECT c.id, o.id AS oid FROM orders o RIGHT JOIN customers c ON o.customer_id = c.id",
  },
  "full join": {
    sql: "SELECT c.id, o.id AS oid FROM customers c FULL JOIN orders o ON o.customer_id = c.id",
  },
  "full join using": { sql: "SELECT * FROM customers FULL JOIN orders USING (id)" },
  "left join using": { sql: "SELECT c.id, o.total FROM customers c LEFT JOIN orders o USING (id)" },
  "natural left join": { sql: "SELECT * FROM customers NATURAL LEFT JOIN orders" },
  "left join into an inner join": {
    sql: `SELECT c.id, o.id, i.id FROM customers c
          LEFT JOIN (orders o JOIN items i ON i.order_id = o.id) ON o.customer_id = c.id`,
  },
  "left join into a left join": {
    sql: `SELECT c.id, o.id, i.id FROM customers c
          LEFT JOIN (orders o LEFT JOIN items i ON i.order_id = o.id) ON o.customer_id = c.id`,
  },
  "aliased join": {
    sql: "SELECT count(*), sum(j.qty) FROM (orders o JOIN items i ON i.order_id = o.id) AS j",
  },
  "chain of left joins": {
    sql: `SELECT c.id, o.id, i.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
          LEFT JOIN items i ON i.order_id = o.id`,
  },
  "right join of a left join": {
    sql: `SELECT o.id, i.id, p.id FROM orders o LEFT JOIN items i ON i.order_id = o.id
          RIGHT JOIN products p ON p.id = i.product_id`,
  },
  "join with a global": {
    sql: "SELECT i.id, p.name FROM items i JOIN products p ON p.id = i.product_id",
  },
  "global left join scoped, grouped": {
    sql: `SELECT p.id, count(i.id), sum(i.qty) FROM products p
          LEFT JOIN items i ON i.product_id = p.id GROUP BY p.id`,
  },
  "self join": {
    sql: "SELECT a.id, b.id FROM orders a JOIN orders b ON a.customer_id = b.customer_id AND a.id < b.id",
  },
  "column aliases renaming the tenant column": {
    sql: "SELECT o.tenant_id, o.id FROM orders AS o(tenant_id, id)",
  },
  "scalar subquery in the select list": { sql: "SELECT (SELECT count(*) FROM orders)" },
  "correlated subquery from a global": {
    sql: "SELECT p.id, (SELECT sum(qty) FROM items i WHERE i.product_id = p.id) FROM products p",
  },
  exists: {
    sql: "SELECT c.id FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)",
  },
  "not exists": {
    sql: "SELECT c.id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)",
  },
  "in (select ... limit)": {
    sql: "SELECT id FROM customers WHERE id IN (SELECT customer_id FROM orders ORDER BY total DESC, id LIMIT 3)",
  },
  "global where in scoped": {
    sql: "SELECT count(*) FROM products WHERE id IN (SELECT product_id FROM items)",
  },
  "any over a correlated self subquery": {
    sql: "SELECT id FROM customers WHERE name = ANY (SELECT name FROM customers c2 WHERE c2.id <> customers.id)",
  },
  "row comparison in subquery": {
    sql: `SELECT id FROM orders WHERE (customer_id, total) IN
          (SELECT customer_id, max(total) FROM orders GROUP BY customer_id)`,
  },
  "having with a subquery": {
    sql: `SELECT customer_id, sum(total) FROM orders GROUP BY customer_id
          HAVING sum(total) > (SELECT avg(total) FROM orders)`,
  },
  "order by a subquery": {
    sql: "SELECT p.id FROM products p ORDER BY (SELECT count(*) FROM items i WHERE i.product_id = p.id), p.id",
    ordered: true,
  },
  "limit by a subquery": {
    sql: "SELECT id FROM products ORDER BY id LIMIT (SELECT count(*) FROM orders)",
    ordered: true,
  },
  "offset by a subquery": {
    sql: "SELECT id FROM products ORDER BY id OFFSET (SELECT count(*) - 3 FROM customers)",
    ordered: true,
  },
  "case with a subquery": {
    sql: "SELECT CASE WHEN (SELECT count(*) FROM orders) > 5 THEN 'many' ELSE 'few' END",
  },
  "function argument subquery": { sql: "SELECT coalesce((SELECT max(total) FROM orders), 0)" },
  "array subquery": { sql: "SELECT array(SELECT id FROM orders ORDER BY id)" },
  "group by a subquery": {
    sql: "SELECT (SELECT count(*) FROM items) AS n, count(*) FROM products GROUP BY 1",
  },
  "subquery in ON": {
    sql: "SELECT p.id FROM products p JOIN tags t ON t.id <= (SELECT count(*) FROM customers WHERE region = 'north')",
  },
  "subquery in a global's WHERE through a function": {
    sql: "SELECT id FROM products WHERE price < greatest((SELECT max(total) FROM orders), 0)",
  },
  "FROM subquery": {
    sql: "SELECT x.c, x.n FROM (SELECT customer_id AS c, count(*) AS n FROM orders GROUP BY customer_id) x",
  },
  lateral: {
    sql: `SELECT c.id, x.n FROM customers c,
          LATERAL (SELECT count(*) AS n FROM orders o WHERE o.customer_id = c.id) x`,
  },
  "left join lateral": {
    sql: `SELECT c.id, x.id FROM customers c
          LEFT JOIN LATERAL (SELECT o.id FROM orders o WHERE o.customer_id = c.id ORDER BY o.id LIMIT 1) x ON true`,
  },
  "lateral self join": {
    sql: "SELECT * FROM orders o, LATERAL (SELECT * FROM orders p WHERE p.id = o.id) x",
  },
  "lateral from a global": {
    sql: "SELECT p.id, x.n FROM products p, LATERAL (SELECT count(*) AS n FROM items i WHERE i.product_id = p.id) x",
  },
  "VALUES as a FROM item": {
    sql: "SELECT v.x, (SELECT count(*) FROM orders o WHERE o.customer_id = v.x) FROM (VALUES (1), (2), (11)) AS v(x)",
  },
  cte: {
    sql: "WITH t AS (SELECT * FROM orders WHERE total > 10) SELECT count(*), sum(total) FROM t",
  },
  "cte shadowing a scoped table with a global": {
    sql: "WITH orders AS (SELECT * FROM products) SELECT * FROM orders",
  },
  "cte shadowing, schema-qualified inside": {
    sql: "WITH orders AS (SELECT id FROM public.orders) SELECT count(*) FROM orders",
  },
  "cte shadowing, schema-qualified outside": {
    sql: "WITH orders AS (SELECT * FROM products) SELECT count(*) FROM public.orders po, orders",
  },
  "cte named like the table it reads": {
    sql: "WITH orders AS (SELECT * FROM orders WHERE total > 5) SELECT * FROM orders",
  },
  "cte visibility in nested subqueries": {
    sql: `WITH x AS (SELECT 1 AS v)
          SELECT (SELECT count(*) FROM (WITH x AS (SELECT * FROM orders) SELECT * FROM x) q), (SELECT count(*) FROM x)`,
  },
  "later cte reads an earlier one": {
    sql: "WITH a AS (SELECT * FROM orders), b AS (SELECT a.id FROM a JOIN items i ON i.order_id = a.id) SELECT * FROM b",
  },
  "recursive cte": {
    sql: `WITH RECURSIVE r(n, id) AS (
            SELECT 1, min(id) FROM orders
            UNION ALL
            SELECT n + 1, (SELECT min(o.id) FROM orders o WHERE o.id > r.id) FROM r WHERE n < 8 AND r.id IS NOT NULL)
          SELECT * FROM r`,
  },
  "recursive cte walking a join": {
    sql: `WITH RECURSIVE chain AS (
            SELECT id, customer_id FROM orders WHERE id = 1
            UNION
            SELECT o.id, o.customer_id FROM orders o JOIN chain ON o.customer_id = chain.customer_id)
          SELECT * FROM chain`,
  },
  union: { sql: "SELECT id FROM orders UNION SELECT id FROM customers" },
  intersect: { sql: "SELECT customer_id FROM orders INTERSECT SELECT id FROM customers" },
  except: { sql: "SELECT id FROM customers EXCEPT SELECT customer_id FROM orders" },
  "union all, order, limit": {
    sql: "(SELECT id FROM orders) UNION ALL (SELECT id FROM items) ORDER BY 1 LIMIT 7",
    ordered: true,
  },
  "set operation with a global branch": {
    sql: "SELECT id FROM products UNION SELECT product_id FROM items",
  },
  aggregates: {
    sql: "SELECT status, count(*), sum(total), max(customer_id) FROM orders GROUP BY status",
  },
  "aggregate with filter subquery": {
    sql: "SELECT count(*) FILTER (WHERE id IN (SELECT order_id FROM items)) FROM orders",
  },
  "window rank": {
    sql: "SELECT id, rank() OVER (PARTITION BY customer_id ORDER BY total, id) FROM orders",
  },
  "window over everything": { sql: "SELECT id, count(*) OVER (), sum(total) OVER () FROM orders" },
  "distinct on": {
    sql: "SELECT DISTINCT ON (customer_id) customer_id, id FROM orders ORDER BY customer_id, total DESC, id",
    ordered: true,
  },
  distinct: { sql: "SELECT DISTINCT name FROM customers" },
  "for update": {
    sql: "SELECT id FROM orders WHERE total > 0 ORDER BY id FOR UPDATE",
    ordered: true,
  },
  "drizzle relational style json": {
    sql: `SELECT c.id, (SELECT coalesce(json_agg(row_to_json(t) ORDER BY t.id), '[]'::json)
            FROM (SELECT o.id, o.total FROM orders o WHERE o.customer_id = c.id) t)::text AS orders
          FROM customers c ORDER BY c.id`,
    ordered: true,
  },
  "drizzle relational lateral": {
    sql: `SELECT "c"."id", "o"."data" FROM "customers" "c"
          LEFT JOIN LATERAL (SELECT coalesce(json_agg(json_build_array("i"."id", "i"."total")), '[]'::json)::text AS "data"
            FROM (SELECT * FROM "orders" "x" WHERE "x"."customer_id" = "c"."id" ORDER BY "x"."id") "i") "o" ON true
          ORDER BY "c"."id"`,
    ordered: true,
  },
  "only global": { sql: "SELECT * FROM products" },
  "no table": { sql: "SELECT 1 + $1::int", params: [1] },
  "parameters limit and offset": {
    sql: "SELECT id FROM orders ORDER BY id LIMIT $1 OFFSET $2",
    params: [2, 1],
    ordered: true,
  },
};

describe("tenant oracle: reads (planned on A+B for A == original on A alone)", () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await openOracle();
  }, 120_000);
  afterAll(async () => {
    await oracle.close();
  });

  const leaky: string[] = [];
  const names = Object.keys(SHAPES);

  it("has at least 40 shapes", () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
  });

  for (const name of names) {
    const shape = SHAPES[name] as Shape;
    it(name, async () => {
      const params = shape.params ?? [];
      const plan = planTenantSql(shape.sql, registry);
      const expected = await oracle.a.query(shape.sql, params, { rowMode: "array" });
      const actual = await oracle.ab.query(plan.sql, bindTenant(plan, params, "A"), {
        rowMode: "array",
      });
      const norm = shape.ordered ? seq : bag;
      expect(norm(actual.rows)).toEqual(norm(expected.rows));
      const unscoped = await oracle.ab.query(shape.sql, params, { rowMode: "array" });
      if (JSON.stringify(norm(unscoped.rows)) !== JSON.stringify(norm(expected.rows)))
        leaky.push(name);
    });
  }

  const ATTEMPTS: Record<string, string> = {
    "join alias named like a scoped table":
      "SELECT count(*) FROM (customers c JOIN items i ON true) AS orders, orders",
    "lateral alias named like a scoped table":
      "SELECT * FROM orders, LATERAL (SELECT 'A' AS tenant_id) AS orders",
    "column alias list renaming one column": "SELECT o.tenant_id FROM orders AS o(tenant_id)",
    "asking for B by value": "SELECT * FROM orders WHERE tenant_id = 'B'",
    "or true": "SELECT * FROM orders o WHERE o.tenant_id = 'B' OR true",
    "inner CTE does not shadow outer references":
      "SELECT (WITH orders AS (SELECT 1) SELECT count(*) FROM orders), (SELECT count(*) FROM orders)",
    "recursive CTE shadowing with the real table inside":
      "WITH RECURSIVE orders(id) AS (SELECT 1 UNION SELECT o.id FROM public.orders o JOIN orders ON orders.id + 1 = o.id) SELECT * FROM orders",
    "nested WITH is not visible outside":
      "WITH a AS (WITH orders AS (SELECT * FROM customers) SELECT * FROM orders) SELECT count(*) FROM a, orders",
    "correlated reach for other tenants":
      "SELECT c.id FROM customers c WHERE c.id IN (SELECT customer_id FROM orders WHERE orders.tenant_id <> c.tenant_id)",
    "string_agg of tenant ids": "SELECT (SELECT string_agg(DISTINCT tenant_id, ',') FROM orders)",
    "group by tenant": "SELECT tenant_id, count(*) FROM orders GROUP BY tenant_id",
    "left join asking for B in ON":
      "SELECT p.id, o.id FROM products p LEFT JOIN orders o ON o.id = p.id + 100 AND o.tenant_id = 'B'",
    "existence probe by value":
      "SELECT p.id FROM products p WHERE EXISTS (SELECT 1 FROM orders WHERE orders.total = 70)",
    "order by a probe":
      "SELECT p.id FROM products p ORDER BY (SELECT count(*) FROM orders o WHERE o.total > p.price), p.id",
    "limit by a probe":
      "SELECT id FROM products ORDER BY id LIMIT (SELECT count(*) FROM items WHERE qty > 3)",
    "VALUES list of B's ids":
      "SELECT v.id, (SELECT status FROM orders o WHERE o.id = v.id) FROM (VALUES (101), (102), (1)) AS v(id)",
    "full join on a probe":
      "SELECT count(*) FROM orders o FULL JOIN customers c ON c.id = o.customer_id",
    "whole-row reference": "SELECT o FROM orders o",
    "row_to_json of everything": "SELECT row_to_json(x) FROM (SELECT * FROM orders) x",
    "an error probe on B's value (division by zero)":
      "SELECT id FROM orders WHERE 10 / (total - 70) > 0",
    "an error probe through a join":
      "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE 100 / (o.total - 90) <> 0",
    "schema-qualified reference inside a CTE named like it":
      "WITH orders AS (SELECT * FROM public.orders WHERE total > 0) SELECT count(*), sum(total) FROM orders",
  };
  for (const [name, sql] of Object.entries(ATTEMPTS)) {
    it(`leak attempt: ${name}`, async () => {
      let plan: ReturnType<typeof planTenantSql>;
      try {
        plan = planTenantSql(sql, registry);
      } catch (error) {
        expect((error as Error).name).toBe("TenantScopeError");
        return;
      }
      const alone = await oracle.a.query(sql, [], { rowMode: "array" }).catch((e: Error) => e);
      const scoped = await oracle.ab
        .query(plan.sql, bindTenant(plan, [], "A"), { rowMode: "array" })
        .catch((e: Error) => e);
      if (alone instanceof Error || scoped instanceof Error) {
        expect(scoped instanceof Error).toBe(alone instanceof Error);
        return;
      }
      expect(bag(scoped.rows)).toEqual(bag(alone.rows));
    });
  }

  it("the data makes most shapes leak when run unscoped (the oracle can see leaks)", () => {
    expect(leaky.length).toBeGreaterThanOrEqual(Math.floor(names.length * 0.75));
  });
});
