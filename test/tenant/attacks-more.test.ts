/**
 * More attacks on the tenant scope from tenant A (issue #12, part 2): the
 * syntax corners beyond attacks.test.ts, through the public driver on PGlite
 * and PostgreSQL, judged by the same A-only oracle. Each statement is refused
 * with TenantScopeError (nothing changed) or behaves exactly as on a database
 * holding only A's rows.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { backends } from "../support/databases.js";
import { itRefusesEach, type Query, useAttackOracle, verdict } from "./attack-oracle.js";

/** Statements that must be refused outright: they escape any row filter. */
const REFUSED: Record<string, Query> = {
  "COPY a table out": sql`copy orders to stdout`,
  "COPY a query out": sql`copy (select * from orders) to stdout`,
  "COPY into a table": sql`copy orders from stdin`,
  "PREPARE (the prepared text would run later, unchecked)": sql`prepare p1 as select * from orders`,
  "EXECUTE of a prepared statement": sql`execute p1`,
  "SET ROLE": sql`set role none`,
  "SET LOCAL ROLE": sql`set local role none`,
  "SET SESSION AUTHORIZATION": sql`set session authorization default`,
  "RESET ROLE": sql`reset role`,
  "set_config()": sql`select set_config('statement_timeout', '1s', true)`,
  TRUNCATE: sql`truncate orders`,
  "TRUNCATE ONLY": sql`truncate only items`,
  "LOCK TABLE": sql`lock table orders in access exclusive mode`,
  "DECLARE CURSOR": sql`declare c1 cursor for select * from orders`,
  "SELECT INTO a new table": sql`select * into temp stolen from orders`,
  "CREATE TABLE AS": sql`create temp table stolen as select * from orders`,
  "CREATE VIEW": sql`create temp view stolen as select * from orders`,
  "DO block": sql`do $$ begin perform 1; end $$`,
  "column statistics of a scoped table": sql`select most_common_vals::text from pg_stats where tablename = 'orders'`,
  "row estimates of a scoped table": sql`select reltuples from pg_class where relname = 'orders'`,
  "statistics views": sql`select n_live_tup from pg_stat_user_tables where relname = 'orders'`,
  "a scoped table by OID text": sql`select * from pg_catalog.pg_get_keywords() k, orders o where o.id = 101`,
  "MERGE into a scoped table": sql`merge into orders o using (values (101, 5)) v(id, total) on o.id = v.id when matched then update set total = v.total`,
  LISTEN: sql`listen tenant_b`,
  NOTIFY: sql`notify tenant_b, 'x'`,
  "DISCARD ALL": sql`discard all`,
  "RESET ALL": sql`reset all`,
};

/** Statements the scope may refuse, or else must run exactly as on A alone. */
const SCOPED: Record<string, Query> = {
  "LATERAL subquery over a scoped table": sql`select o.id, l.email from orders o, lateral (select email from customers c where c.id = o.customer_id) l`,
  "LATERAL subquery not correlated": sql`select o.id, l.id as cid from orders o, lateral (select id from customers) l`,
  "LEFT JOIN LATERAL with LIMIT": sql`select c.id, l.total from customers c left join lateral (select total from orders o where o.customer_id = c.id or true order by total desc limit 1) l on true`,
  "window functions over all rows": sql`select id, count(*) over () as n, sum(total) over () as s, max(total) over () as m from orders`,
  "window with rank over the whole table": sql`select id, rank() over (order by total desc) as r, lead(id) over (order by id) as next from orders`,
  "window over a join": sql`select c.id, count(o.id) over (partition by c.id) as n from customers c left join orders o on o.customer_id = c.id`,
  "RETURNING from a writable CTE (update)": sql`with u as (update orders set total = total + 1 returning *) select * from u`,
  "RETURNING from a writable CTE (delete, all rows)": sql`with d as (delete from items returning *) select count(*)::int as n from d`,
  "RETURNING from a writable CTE (insert)": sql`with i as (insert into orders (id, total) values (900, 1) returning *) select i.id, i.tenant_id from i`,
  "a writable CTE whose RETURNING feeds an UPDATE": sql`with d as (delete from orders where id = 2 returning id) update customers set email = 'gone' where id in (select id from d) returning id`,
  "TABLE orders": sql`table orders`,
  "TABLE in a subquery": sql`select count(*)::int as n from (table orders) t`,
  "TABLE in a CTE": sql`with o as (table orders) select id from o`,
  "SELECT FROM ONLY": sql`select * from only orders`,
  "SELECT FROM orders* (inheritance star)": sql`select id from orders*`,
  "UPDATE ONLY": sql`update only orders set total = 0 returning id`,
  "DELETE FROM ONLY": sql`delete from only items returning id`,
  "VALUES joined to a table": sql`select v.x, o.id from (values (1), (101)) v(x) left join orders o on o.id = v.x`,
  "VALUES right-joined": sql`select v.x, o.total from orders o right join (values (1), (101)) v(x) on o.id = v.x`,
  "VALUES full-joined": sql`select v.x, o.id from orders o full join (values (2), (102)) v(x) on o.id = v.x`,
  "a top-level VALUES with a subquery": sql`values ((select count(*)::int from orders), (select max(total) from orders))`,
  "IN (VALUES ...)": sql`select id from orders where id in (values (1), (101), (102))`,
  "current_setting()": sql`select current_setting('statement_timeout') as v`,
  "row comparison on the tenant column": sql`select id from orders where (tenant_id, id) > ('A', 0)`,
  "row comparison OR'ed with true": sql`select id from orders where (tenant_id, id) >= ('A', 1) or true`,
  "row comparison in UPDATE": sql`update orders set status = 'x' where (tenant_id, id) <> ('Z', 0) returning id`,
  "IS DISTINCT FROM on the tenant column": sql`select id from orders where tenant_id is distinct from 'A'`,
  "IS NOT DISTINCT FROM": sql`select id from orders where tenant_id is not distinct from 'B'`,
  "IS DISTINCT FROM in DELETE": sql`delete from items where tenant_id is distinct from 'Z' returning id`,
  "ORDER BY an expression raising on B's rows": sql`select id from orders order by 1 / (total - 1234567)`,
  "ORDER BY a cast raising on B's rows": sql`select id from orders order by status::regclass::text`,
  "ORDER BY a regex from data": sql`select id from orders order by 'a' ~ status`,
  "LIMIT/OFFSET paging": sql`select id from orders order by id limit 1 offset 1`,
  "LIMIT in a subquery": sql`select id from (select * from orders order by id desc limit 1) s`,
  "LIMIT from a subquery": sql`select id from orders order by id limit (select count(*) from customers)`,
  "FETCH FIRST WITH TIES": sql`select id from orders order by total desc fetch first 1 rows with ties`,
  "DISTINCT ON": sql`select distinct on (customer_id) customer_id, id from orders order by customer_id, total desc`,
  "aggregate FILTER": sql`select count(*) filter (where total > 100)::int as big from orders`,
  "GROUP BY ROLLUP of the tenant column": sql`select tenant_id, count(*)::int as n from orders group by rollup (tenant_id)`,
  "GROUPING SETS": sql`select status, count(*)::int as n from orders group by grouping sets ((status), ())`,
  TABLESAMPLE: sql`select id from orders tablesample system (100)`,
  "NATURAL JOIN": sql`select id from customers natural join orders`,
  "USING join on the tenant column": sql`select o.id, c.id as cid from orders o join customers c using (tenant_id)`,
  "row_to_json of the whole row": sql`select row_to_json(o)::text as j from orders o`,
  "array_agg of rows in a scalar subquery": sql`select (select array_agg(o.id order by o.id) from orders o) as ids`,
  "unnest joined": sql`select o.id, u.x from orders o, unnest(array[1, 2]) u(x)`,
  "FOR UPDATE": sql`select id from orders for update`,
  "FOR SHARE SKIP LOCKED": sql`select id from orders for share skip locked`,
  "UPDATE ... FROM another scoped table": sql`update orders set total = o2.total from orders o2 where o2.id = 101 returning orders.id`,
  "DELETE ... USING a VALUES list": sql`delete from orders o using (values (1), (101)) v(x) where o.id = v.x returning o.id`,
  "recursive CTE over a scoped table": sql`with recursive r(id) as (select id from orders union select r.id + 100 from r where r.id < 150) select id from r`,
  "EXISTS over another scoped table": sql`select c.id from customers c where exists (select 1 from orders o where o.total > 1000)`,
  "scalar subquery in ORDER BY": sql`select id from customers c order by (select count(*) from orders o where o.customer_id = c.id), id`,
  "set operation with a scoped table": sql`select id from orders except select id from items`,
  "a subquery in a function argument": sql`select coalesce((select max(total) from orders), 0) as m`,
  "JSON aggregate": sql`select json_agg(o.total order by o.id)::text as j from orders o`,
  "a subquery reading B's row in INSERT ... SELECT": sql`insert into orders (id, total) select 999, (select total from orders where id = 101) returning id, total`,
  "a subquery reading B's row in VALUES": sql`insert into orders (id, total) values (999, (select total from orders where id = 101)) returning total`,
  "a subquery reading B's row in SET": sql`update orders set total = (select total from orders o2 where o2.id = 101) where id = 1 returning total`,
  "multi-column SET from a subquery": sql`update orders set (total, status) = (select total, status from orders o2 where o2.id = 101) where id = 1 returning total, status`,
  "a subquery in RETURNING": sql`delete from orders where id = 1 returning (select email from customers where id = 11) as e`,
  "a subquery in INSERT RETURNING": sql`insert into notes (id, body) values (9, 'x') returning (select max(total) from orders) as m`,
  "a subquery in an upsert's SET": sql`insert into orders (id, total) values (1, 1) on conflict (id) do update set total = (select max(o.total) from orders o) returning total`,
  "a reference taken from a subquery": sql`insert into items (id, order_id, qty) values (999, (select id from orders where id = 101), 1) returning order_id`,
  "a scalar subquery with no FROM in the outer query": sql`select (select email from customers where id = 11) as e`,
  "a CTE shadowing the table name": sql`with orders as (select * from public.orders) select id from orders`,
  "upper-case and quoted table names": sql`select o.id from PUBLIC.ORDERS o join "public"."customers" c on c.id = o.customer_id`,
  "pg_temp-qualified name": sql`select id from pg_temp.orders`,
  "another schema's table of the same name": sql`select id from other.orders`,
  "whole-row reference by table name": sql`select orders::text as r from orders`,
  "whole-row reference in a scalar subquery": sql`select (select o from orders o order by o.total desc limit 1)::text as r`,
  "row(o.*) cast to text": sql`select row(o.*)::text as r from orders o`,
  "ARRAY(subquery)": sql`select array(select email from customers order by email) as e`,
  "ANY(ARRAY(subquery))": sql`select id from customers where id = any(array(select customer_id from orders))`,
  "a set-returning function in the select list": sql`select generate_series(1, (select count(*)::int from orders)) as n`,
  "whole-row comparison": sql`select o.id from orders o where o = o`,
  "GROUP BY a whole row": sql`select count(*)::int as n from orders o group by o`,
  "a subquery filtering on B's tenant id": sql`select id from orders where id in (select id from orders where tenant_id = 'B')`,
  "two statements in one text (simple protocol)": sql.raw(
    "select 1; select id, tenant_id from orders",
  ),
  "a statement hidden after a comment": sql.raw("select 1 -- ;\nunion all select id from orders"),
  "a block comment around the filter": sql.raw("select id from orders /* where tenant_id = 'A' */"),
  "dollar-quoted SQL in a literal": sql.raw(
    "select $q$select * from orders where tenant_id = 'B'$q$ as s, id from orders",
  ),
  "an E'' string with an escaped quote": sql.raw(
    "select id from orders where status <> E'\\' or true'",
  ),
  "a Unicode-escaped table name": sql.raw('select id from U&"\\006frders"'),
  "a cast revealing the value in its error message": sql`select id from orders where status::int > 0`,
  "OFFSET from a subquery": sql`select id from orders order by id offset (select count(*) - 1 from orders)`,
  "string_agg of another table's column": sql`select string_agg(email, ',' order by email) as e from customers`,
};

/**
 * An upsert of a key B holds: the documented existence oracle on globally
 * unique keys (README, threat model): A learns the key is taken, by an empty
 * RETURNING where A alone would insert. It must never change or return B's row.
 */
const UPSERT_OF_B_KEY = sql`insert into orders (id, total) values (101, 1) on conflict (id) do update set total = excluded.total returning id, total`;

describe.each(backends)("more tenant attacks through the driver on $name", ({ name, skip }) => {
  const fixture = useAttackOracle(name, skip);
  itRefusesEach(REFUSED, fixture, skip);

  for (const [label, query] of Object.entries(SCOPED)) {
    it.skipIf(skip)(`refused or as on A alone: ${label}`, async () => {
      const scoped = await fixture.oracle.scoped(query);
      if (!("refused" in scoped))
        expect(verdict(scoped, await fixture.oracle.asAlone(query), fixture.before)).toBe("same");
      expect(await fixture.oracle.snapshotAb()).toEqual(fixture.before);
    });
  }

  it.skipIf(skip)("an upsert of B's key neither changes nor returns B's row", async () => {
    const outcome = await fixture.oracle.scoped(UPSERT_OF_B_KEY);
    if (!("refused" in outcome)) {
      expect(outcome).toMatchObject({ rows: [], b: fixture.before.b, a: fixture.before.a });
    }
    expect(await fixture.oracle.snapshotAb()).toEqual(fixture.before);
  });
});
