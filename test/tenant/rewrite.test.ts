import { beforeAll, describe, expect, it } from "vitest";
import { TenantScopeError } from "../../src/errors.js";
import { loadParser, parseStatements } from "../../src/sql/parser.js";
import { planTenantSql, planTenantStatement } from "../../src/tenant/plan.js";
import { verifyTenantPlan } from "../../src/tenant/verify.js";
import { registry } from "./oracle.js";

beforeAll(async () => {
  await loadParser();
});

function refusal(sql: string): TenantScopeError {
  try {
    planTenantSql(sql, registry);
  } catch (error) {
    if (error instanceof TenantScopeError) return error;
    throw error;
  }
  throw new Error(`expected a refusal for: ${sql}`);
}

describe("planTenantSql: text to text", () => {
  const CASES: [string, string, number, number[]][] = [
    [
      'select * from "orders" where "orders"."id" = $1',
      "SELECT * FROM public.orders WHERE orders.tenant_id = $2 AND orders.id = $1",
      2,
      [],
    ],
    [
      "select o.id from orders o join customers c on c.id = o.customer_id",
      "SELECT o.id FROM public.orders AS o JOIN public.customers AS c ON c.id = o.customer_id WHERE o.tenant_id = $1 AND c.tenant_id = $1",
      1,
      [],
    ],
    [
      "select * from orders o left join customers c on c.id = o.customer_id where o.total > $1 or o.status = 'x'",
      "SELECT * FROM public.orders AS o LEFT JOIN public.customers AS c ON c.tenant_id = $2 AND c.id = o.customer_id WHERE o.tenant_id = $2 AND (o.total > $1 OR o.status = 'x')",
      2,
      [],
    ],
    [
      "select * from customers c right join orders o on o.customer_id = c.id",
      "SELECT * FROM public.customers AS c RIGHT JOIN public.orders AS o ON c.tenant_id = $1 AND o.customer_id = c.id WHERE o.tenant_id = $1",
      1,
      [],
    ],
    [
      "select * from orders full join customers using (id)",
      "SELECT * FROM ( SELECT * FROM public.orders WHERE orders.tenant_id = $1 ) AS orders FULL JOIN ( SELECT * FROM public.customers WHERE customers.tenant_id = $1 ) AS customers USING (id)",
      1,
      [],
    ],
    [
      "select * from customers c left join orders o using (id)",
      "SELECT * FROM public.customers AS c LEFT JOIN ( SELECT * FROM public.orders WHERE orders.tenant_id = $1 ) AS o USING (id) WHERE c.tenant_id = $1",
      1,
      [],
    ],
    [
      "select * from orders as o(a, b)",
      "SELECT * FROM ( SELECT * FROM public.orders WHERE orders.tenant_id = $1 ) AS o(a, b)",
      1,
      [],
    ],
    [
      "select * from products p where exists (select 1 from items i where i.product_id = p.id)",
      "SELECT * FROM public.products AS p WHERE EXISTS (SELECT 1 FROM public.items AS i WHERE i.tenant_id = $1 AND i.product_id = p.id)",
      1,
      [],
    ],
    [
      "select * from orders, lateral (select * from items where items.order_id = orders.id) x",
      "SELECT * FROM public.orders, LATERAL ( SELECT * FROM public.items WHERE items.tenant_id = $1 AND items.order_id = orders.id ) AS x WHERE orders.tenant_id = $1",
      1,
      [],
    ],
    [
      "with orders as (select * from public.orders) select * from orders",
      'WITH "orders" AS (SELECT * FROM public.orders WHERE orders.tenant_id = $1) SELECT * FROM orders',
      1,
      [],
    ],
    [
      "with recursive orders as (select 1 as id union all select id + 1 from orders where id < 3) select * from orders",
      'WITH RECURSIVE "orders" AS (SELECT 1 AS id UNION ALL SELECT id + 1 FROM orders WHERE id < 3) SELECT * FROM orders',
      0,
      [],
    ],
    [
      "select id from orders union select id from products",
      "SELECT id FROM public.orders WHERE orders.tenant_id = $1 UNION SELECT id FROM public.products",
      1,
      [],
    ],
    [
      "insert into orders (id, total) values (1, 2), (3, $1)",
      "INSERT INTO public.orders (id, total, tenant_id) VALUES (1, 2, $2), (3, $1, $2)",
      2,
      [],
    ],
    [
      "insert into orders (id, tenant_id) values (1, default)",
      "INSERT INTO public.orders (id, tenant_id) VALUES (1, $1)",
      1,
      [],
    ],
    [
      "insert into orders (id, tenant_id) values ($1, $2)",
      "INSERT INTO public.orders (id, tenant_id) VALUES ($1, $2)",
      0,
      [2],
    ],
    [
      "insert into orders default values",
      "INSERT INTO public.orders (tenant_id) VALUES ($1)",
      1,
      [],
    ],
    [
      "insert into orders (id) select id from products",
      "INSERT INTO public.orders (id, tenant_id) SELECT id, $1 FROM public.products",
      1,
      [],
    ],
    [
      "insert into orders (id) select id from customers union select 1",
      "INSERT INTO public.orders (id, tenant_id) SELECT *, $1 FROM ( SELECT id FROM public.customers WHERE customers.tenant_id = $1 UNION SELECT 1 ) AS tenant_source",
      1,
      [],
    ],
    [
      "insert into orders (id, tenant_id) values (1, default) on conflict (id) do update set total = excluded.total",
      "INSERT INTO public.orders (id, tenant_id) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET total = excluded.total WHERE orders.tenant_id = $1",
      1,
      [],
    ],
    [
      "insert into orders as o (id) values (1) on conflict (id) do update set total = 1 where o.total < 5",
      "INSERT INTO public.orders AS o (id, tenant_id) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET total = 1 WHERE o.tenant_id = $1 AND o.total < 5",
      1,
      [],
    ],
    [
      "insert into orders (id) values (1) on conflict do nothing",
      "INSERT INTO public.orders (id, tenant_id) VALUES (1, $1) ON CONFLICT DO NOTHING",
      1,
      [],
    ],
    [
      "update orders o set total = 0 where o.id = 1 returning (select count(*) from items)",
      "UPDATE public.orders AS o SET total = 0 WHERE o.tenant_id = $1 AND o.id = 1 RETURNING (SELECT pg_catalog.count(*) FROM public.items WHERE items.tenant_id = $1)",
      1,
      [],
    ],
    [
      "update orders set total = 1 from customers c where c.id = orders.customer_id",
      "UPDATE public.orders SET total = 1 FROM public.customers AS c WHERE orders.tenant_id = $1 AND c.tenant_id = $1 AND c.id = orders.customer_id",
      1,
      [],
    ],
    ["delete from orders", "DELETE FROM public.orders WHERE orders.tenant_id = $1", 1, []],
    [
      "delete from items i using orders o where o.id = i.order_id",
      "DELETE FROM public.items AS i USING public.orders AS o WHERE i.tenant_id = $1 AND o.tenant_id = $1 AND o.id = i.order_id",
      1,
      [],
    ],
    [
      "delete from orders where id in (select id from orders limit 2)",
      "DELETE FROM public.orders WHERE orders.tenant_id = $1 AND id IN (SELECT id FROM public.orders WHERE orders.tenant_id = $1 LIMIT 2)",
      1,
      [],
    ],
    ["select 1", "SELECT 1", 0, []],
    ["select $3::int", "SELECT CAST($3 AS int)", 0, []],
    [
      "select * from orders where id = $3",
      "SELECT * FROM public.orders WHERE orders.tenant_id = $1 AND id = $3",
      1,
      [],
    ],
  ];
  for (const [input, output, tenantParam, checkParams] of CASES) {
    it(input, () => {
      expect(planTenantSql(input, registry)).toEqual({ sql: output, tenantParam, checkParams });
    });
  }

  it("returns transaction control unchanged, with no tenant parameter", () => {
    for (const sql of [
      "BEGIN",
      "COMMIT",
      "ROLLBACK",
      "START TRANSACTION ISOLATION LEVEL REPEATABLE READ",
    ]) {
      expect(planTenantSql(sql, registry)).toEqual({ sql, tenantParam: 0, checkParams: [] });
    }
  });

  it("does not mutate the parsed statement", () => {
    const [stmt] = parseStatements(
      "with x as (select * from orders) select * from x join customers c on true left join items i on i.id = 1 full join orders o2 on true",
    );
    if (!stmt) throw new Error("no statement");
    const before = JSON.stringify(stmt.node);
    planTenantStatement(stmt, registry);
    expect(JSON.stringify(stmt.node)).toBe(before);
  });

  it("is stable: planning the output again only adds another predicate level-wise", () => {
    const first = planTenantSql(
      "select * from orders o join items i on i.order_id = o.id",
      registry,
    );
    expect(() => planTenantSql(first.sql, registry)).not.toThrow();
  });
});

describe("planTenantSql: refusals", () => {
  const REFUSED: [string, string, RegExp][] = [
    ["DDL", "create table x (id int)", /CreateStmt is not allowed/],
    ["ALTER", "alter table orders add column x int", /AlterTableStmt/],
    ["DROP", "drop table orders", /DropStmt/],
    ["CREATE INDEX", "create index on orders (id)", /IndexStmt/],
    ["SET", "set search_path = other", /SET search_path is not allowed/],
    ["SHOW", "show search_path", /VariableShowStmt/],
    ["CALL", "call sys.wait_for_job(1)", /CallStmt/],
    ["COPY", "copy orders to stdout", /CopyStmt/],
    ["EXPLAIN ANALYZE", "explain analyze select * from orders", /EXPLAIN ANALYZE/],
    ["TRUNCATE", "truncate orders", /TruncateStmt/],
    ["LOCK", "lock table orders", /LockStmt/],
    ["PREPARE", "prepare p as select * from orders", /PrepareStmt/],
    ["DO", "do $$ begin end $$", /DoStmt/],
    ["VIEW", "create view v as select * from orders", /ViewStmt/],
    ["SELECT INTO", "select * into x from orders", /SELECT INTO/],
    ["savepoint-free 2PC", "prepare transaction 'x'", /TRANS_STMT_PREPARE/],
    ["WHERE CURRENT OF", "update orders set total = 1 where current of c", /WHERE CURRENT OF/],
    [
      "generate_series in FROM over a column",
      "select * from orders, generate_series(1, orders.total)",
      /function in FROM whose arguments name a column/,
    ],
    ["unnest in FROM", "select * from orders, unnest(array[orders.id]) u", /function in FROM/],
    [
      "ROWS FROM over a column",
      "select * from orders o, rows from (generate_series(1, o.total)) r",
      /function in FROM/,
    ],
    ["an undeclared function in FROM", "select * from my_rows() r", /my_rows\(\) is not known/],
    ["TABLESAMPLE", "select * from orders tablesample bernoulli (50)", /TABLESAMPLE/],
    ["XMLTABLE", "select * from xmltable('/a' passing '<a/>' columns x int path '.')", /XMLTABLE/],
    ["a view", "select * from all_orders", /"public.all_orders" is not a table of the schema/],
    ["another schema", "select * from other.orders", /"other.orders"/],
    ["pg_catalog", "select * from pg_catalog.pg_class", /pg_catalog.pg_class/],
    ["pg_class unqualified", "select relname from pg_class", /public.pg_class/],
    ["information_schema", "select * from information_schema.tables", /information_schema.tables/],
    ["database-qualified", "select * from db.public.orders", /database-qualified/],
    ["a view in a subquery", "select (select count(*) from all_orders)", /all_orders/],
    ["a view in a CTE", "with x as (select * from all_orders) select * from x", /all_orders/],
    ["multiple statements", "select 1; select * from orders", /exactly one statement/],
    ["only a comment", "-- nothing here", /exactly one statement/],
    [
      "query_to_xml",
      "select query_to_xml('select * from orders', true, false, '')",
      /query_to_xml/,
    ],
    ["table_to_xml", "select table_to_xml('orders', true, false, '')", /table_to_xml/],
    ["ts_stat", "select (ts_stat('select 1')).word", /ts_stat/],
    ["set_config", "select set_config('search_path', 'other', false)", /set_config/],
    ["pg_relation_size", "select pg_relation_size('orders')", /pg_relation_size/],
    [
      "pg_catalog qualified",
      "select pg_catalog.pg_stat_get_live_tuples(1)",
      /pg_stat_get_live_tuples/,
    ],
    ["dblink", "select dblink('x', 'select 1')", /dblink/],
    [
      "update tenant column",
      "update orders set tenant_id = 'B'",
      /may set the tenant column "tenant_id" only to a parameter/,
    ],
    [
      "upsert tenant column",
      "insert into orders (id) values (1) on conflict (id) do update set tenant_id = 'B'",
      /ON CONFLICT DO UPDATE may set the tenant column "tenant_id" only to a parameter/,
    ],
    [
      "insert literal tenant",
      "insert into orders (id, tenant_id) values (1, 'B')",
      /tenant column "tenant_id"/,
    ],
    [
      "insert cast parameter",
      "insert into orders (id, tenant_id) values (1, $1::text)",
      /expression/,
    ],
    ["insert tenant twice", "insert into orders (tenant_id, tenant_id) values ($1, $1)", /twice/],
    [
      "insert tenant via set operation",
      "insert into orders (id, tenant_id) select 1, $1 union select 2, $1",
      /set operation may not supply/,
    ],
    [
      "insert select * with the tenant",
      "insert into orders (id, tenant_id) select * from customers",
      /row expansion/,
    ],
    ["insert without columns", "insert into orders values (1, 'A')", /needs a column list/],
    [
      "write to a global",
      "update products set price = 1",
      /UPDATE on global table "public.products"/,
    ],
    ["insert into a view", "insert into all_orders (id) values (1)", /not a table of the schema/],
    [
      "MERGE",
      "merge into orders o using customers c on o.id = c.id when matched then delete",
      /MergeStmt/,
    ],
    ["LISTEN", "listen x", /ListenStmt/],
    ["ctid", "select ctid from orders", /system column "ctid"/],
    ["xmin", "select o.xmin from orders o", /system column "xmin"/],
  ];
  for (const [name, sql, message] of REFUSED) {
    it(name, () => {
      expect(refusal(sql).message).toMatch(message);
    });
  }

  it("never refuses with anything but TenantScopeError or a syntax error", () => {
    expect(() => planTenantSql("select from where", registry)).toThrow(/syntax/);
  });
});

describe("verifyTenantPlan", () => {
  const SAFE = [
    "SELECT * FROM public.orders WHERE orders.tenant_id = $1",
    "SELECT * FROM public.orders AS o WHERE o.id = 1 AND o.tenant_id = $1",
    "SELECT * FROM public.products",
    "SELECT * FROM public.customers AS c LEFT JOIN public.orders AS o ON o.customer_id = c.id AND o.tenant_id = $1 WHERE c.tenant_id = $1",
  ];
  for (const sql of SAFE) {
    it(`accepts ${sql}`, () => {
      expect(() => verifyTenantPlan(sql, registry)).not.toThrow();
    });
  }
  const UNSAFE: [string, string][] = [
    ["missing predicate", "SELECT * FROM public.orders"],
    ["predicate under OR", "SELECT * FROM public.orders WHERE orders.tenant_id = $1 OR true"],
    [
      "predicate on the wrong parameter",
      "SELECT * FROM public.orders WHERE orders.tenant_id = $1 AND orders.id = $2",
    ],
    ["predicate on the wrong name", "SELECT * FROM public.orders AS o WHERE orders.tenant_id = $1"],
    ["predicate on another column", "SELECT * FROM public.orders WHERE orders.id = $1"],
    [
      "nullable side filtered in WHERE only",
      "SELECT * FROM public.customers AS c LEFT JOIN public.orders AS o ON true WHERE c.tenant_id = $1 AND o.tenant_id = $1",
    ],
    [
      "preserved side filtered in ON only",
      "SELECT * FROM public.customers AS c LEFT JOIN public.orders AS o ON c.tenant_id = $1 AND o.tenant_id = $1",
    ],
    [
      "full join side filtered in ON",
      "SELECT * FROM public.customers c FULL JOIN public.orders o ON o.tenant_id = $1 AND c.tenant_id = $1",
    ],
    ["unfiltered subquery", "SELECT (SELECT count(*) FROM public.orders) FROM public.products"],
    ["column aliases", "SELECT * FROM public.orders AS o(tenant_id, id) WHERE o.tenant_id = $1"],
    [
      "hidden in an aliased join",
      "SELECT * FROM (public.orders o JOIN public.items i ON true) AS j WHERE o.tenant_id = $1 AND i.tenant_id = $1",
    ],
    ["update without predicate", "UPDATE public.orders SET total = 1 WHERE orders.id = $1"],
    [
      "update from unfiltered",
      "UPDATE public.orders SET total = 1 FROM public.items WHERE orders.tenant_id = $1",
    ],
    ["delete without predicate", "DELETE FROM public.orders WHERE true OR orders.tenant_id = $1"],
    ["insert without tenant column", "INSERT INTO public.orders (id) VALUES ($1)"],
    ["insert with a literal", "INSERT INTO public.orders (id, tenant_id) VALUES (1, 'B')"],
    [
      "upsert without predicate",
      "INSERT INTO public.orders (id, tenant_id) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET total = 1",
    ],
    ["two statements", "SELECT 1; SELECT 2"],
    ["a view", "SELECT * FROM public.all_orders"],
    ["an unqualified relation", "SELECT * FROM orders WHERE orders.tenant_id = $1"],
    ["an unqualified write target", "DELETE FROM orders WHERE orders.tenant_id = $1"],
  ];
  for (const [name, sql] of UNSAFE) {
    it(`refuses ${name}`, () => {
      expect(() => verifyTenantPlan(sql, registry)).toThrow(TenantScopeError);
    });
  }

  it("reports the tenant parameter and the parameters to check", () => {
    expect(
      verifyTenantPlan("INSERT INTO public.orders (id, tenant_id) VALUES ($1, $2)", registry, 3),
    ).toEqual({
      tenantParam: 0,
      checkParams: [2],
    });
    expect(
      verifyTenantPlan("SELECT * FROM public.orders WHERE orders.tenant_id = $1", registry),
    ).toEqual({
      tenantParam: 1,
      checkParams: [],
    });
  });
});

describe("planTenantSql: parameter numbers", () => {
  it("puts the tenant into a number the text skips, so raw SQL using $2 but not $1 runs", async () => {
    const plan = planTenantSql("select id from orders where id = $2::int", registry);
    expect(plan.tenantParam).toBe(1);
    expect(plan.sql).toBe(
      "SELECT id FROM public.orders WHERE orders.tenant_id = $1 AND id = CAST($2 AS int)",
    );
  });
});

describe("planTenantStatement: fields of the parse tree", () => {
  it("refuses a statement node with a field its handler does not name (a newer parser's)", () => {
    for (const text of [
      "select id from orders",
      "update orders set total = 1",
      "delete from orders",
      "insert into orders (id, total) values ($1, $2)",
    ]) {
      const [stmt] = parseStatements(text);
      if (!stmt) throw new Error("no statement");
      const body = (stmt.node as unknown as Record<string, Record<string, unknown>>)[stmt.type];
      const node = { [stmt.type]: { ...body, futureClause: { ColumnRef: { fields: [] } } } };
      const plan = () => planTenantStatement({ ...stmt, node: node as never }, registry);
      expect(plan).toThrow(TenantScopeError);
      expect(plan).toThrow(/does not know \("futureClause"\)/);
      // The same statement without the unknown field is planned.
      expect(planTenantStatement(stmt, registry).sql).toContain("tenant_id");
    }
  });
});
