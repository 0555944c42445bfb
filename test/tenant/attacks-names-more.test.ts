/**
 * More ways names can mislead the tenant scope: names a level makes visible
 * that the guards did not count (a LATERAL subquery's siblings, a join's
 * USING alias), CTE names that shadow tables or other CTEs, schema- and
 * case-qualified names, aliases named like columns or the tenant column,
 * upserts, UPDATE ... FROM and DELETE ... USING reusing the target's name.
 * Through the public driver on PGlite and PostgreSQL, judged by the A-only
 * oracle: an allowed case must do exactly what it does on A alone, a refused
 * one must be refused with every row left as it was.
 */
import { sql } from "drizzle-orm";
import { describe } from "vitest";
import { backends } from "../support/databases.js";
import {
  B_MAX_TOTAL,
  itMatchesAloneEach,
  itRefusesEach,
  type Query,
  useAttackOracle,
} from "./attack-oracle.js";

/** Must run (not refused) and match A alone. */
const ALLOWED: Record<string, Query> = {
  "a CTE named like the table it reads": sql`with orders as (select * from orders where status = 'paid') select id from orders order by id`,
  "a MATERIALIZED CTE shadowing a table, with a raising condition": sql`with orders as materialized (select * from customers) select id from orders where 10 / id > 0 order by id`,
  "a CTE shadowing a table only inside a subquery": sql`select id, (with orders as (select 1 as x) select count(*)::int from orders) as n from orders order by id`,
  "a recursive CTE named like a table": sql`with recursive orders (n) as (select 1 union all select n + 1 from orders where n < 3) select n from orders order by n`,
  "public.orders and orders in one statement": sql`select id from public.orders where exists (select 1 from orders o2 where o2.customer_id = orders.customer_id and 10 / o2.total > 0) order by id`,
  "a quoted alias with capitals, raising condition": sql`select "O".id from orders "O" where 10 / "O".total > 0 order by "O".id`,
  "aliases named like the tenant column and like a column": sql`select tenant_id.id from orders as tenant_id, customers as total where total.id = tenant_id.customer_id and 10 / tenant_id.total > 0 order by tenant_id.id`,
  "tables aliased as each other's names": sql`select customers.id from orders as customers join customers as orders on orders.id = customers.customer_id where 10 / customers.total > 0 order by customers.id`,
  "an alias equal to a function name": sql`select lower.id from orders as lower where lower(lower.status) = 'open' order by lower.id`,
  "a correlated subquery whose unqualified columns resolve to itself first": sql`select id from orders o where exists (select 1 from items where order_id = o.id and 10 / qty > 0) order by id`,
  "a correlated subquery reaching an enclosing column unqualified": sql`select id from orders where exists (select 1 from customers c where c.id = customer_id and 10 / total > 0) order by id`,
  "a NATURAL join merging the tenant column": sql`select id, email from orders natural join customers order by id`,
  "a NATURAL LEFT join with a raising condition": sql`select o.id from orders o natural left join customers c where 10 / coalesce(c.id, 1) > 0 order by o.id`,
  "a USING join with a raising condition in a subquery": sql`select id from orders where exists (select 1 from items i join orders o2 on o2.id = i.order_id join customers c using (tenant_id) where 10 / i.qty > 0 and o2.id = orders.id) order by id`,
  "whole-row references and field selection": sql`select o, (o).total, (o).tenant_id from orders o order by o.id`,
  "a LATERAL subquery with a raising condition on its sibling": sql`select o.id, l.n from orders o, lateral (select count(*)::int as n from items i where i.order_id = o.id and 10 / i.qty > 0) l order by o.id`,
  "a LATERAL subquery reading its sibling's columns unqualified": sql`select o.id, l.n from orders o, lateral (select count(*)::int as n from items i where i.order_id = o.id and 10 / (total - 5) > 0) l order by o.id`,
  "UPDATE ... FROM the target's own table under another alias": sql`update orders set status = 'x' from orders as o2 where o2.id = orders.id and 10 / o2.total > 0 returning orders.id`,
  "DELETE ... USING another table with a raising condition": sql`delete from items using orders o where o.id = items.order_id and 10 / o.total > 0 returning items.id`,
  "a reference value from a derived table, qualified": sql`update items set order_id = s.oid from (select 2 as oid) s where items.id = 1 returning items.order_id`,
  "a reference value from a derived table, unqualified and named like a parent column": sql`update items set order_id = number from (select 2 as number) s where items.id = 1 returning items.order_id`,
  "an INSERT ... SELECT of a reference value named like a parent column": sql`insert into items (id, order_id, qty) select 500, number, 1 from (select 2 as number) s returning order_id`,
  "a derived table's column hiding a raising expression": sql`select s.id from (select id, fits(total, ${2147483647 - B_MAX_TOTAL + 1}) as ok from orders) s where s.ok order by s.id`,
  "a LATERAL column hiding a raising expression": sql`select o.id from orders o, lateral (select fits(o.total, ${2147483647 - B_MAX_TOTAL + 1}) as ok) v where v.ok order by o.id`,
  "a CTE in a subquery named like the enclosing table but not read": sql`select id from orders where exists (with orders as materialized (select 1 as tenant_id) select 1 from customers c where c.id = customer_id and 10 / (total - ${B_MAX_TOTAL}) > -1) order by id`,
  "a quoted capitalised alias beside the enclosing lowercase name": sql`select id from orders where exists (select 1 from customers as "ORDERS" where "ORDERS".id = orders.customer_id and 10 / (total - ${B_MAX_TOTAL}) > -1) order by id`,
  "a table aliased as public": sql`select public.id from orders as public where exists (select 1 from customers c where c.id = public.customer_id and 10 / public.total > 0) order by public.id`,
  "RETURNING a subquery that reuses the target's name": sql`update orders set status = 'x' where id = 1 returning id, (select count(*)::int from items as orders where orders.order_id = 1) as n`,
  "an upsert reading excluded and the target": sql`insert into orders (id, customer_id, total, status) values (1, 1, 5, 'new') on conflict (id) do update set total = excluded.total + orders.total where 10 / excluded.total > 0 returning id, total`,
};

/** Refused: a tenant test would name another relation than the one it guards (or a planner could move a condition past one). */
const REFUSED: Record<string, Query> = {
  "a LATERAL subquery beside a derived table named like the enclosing table": sql`select id, (select count(*)::int from (select 'B' as tenant_id) as orders, lateral (select 1 from generate_series(1, 2) g where 10 / g > 0) l) as n from orders order by id`,
  "a LATERAL subquery beside an alias of the enclosing table's name, its columns reached unqualified": sql`select id from orders where exists (select 1 from customers as orders, lateral (select 1 from items i where 1 / (total - ${B_MAX_TOTAL}) > 0) l)`,
  "a join's USING alias named like the enclosing table": sql`select id, (select count(*)::int from (select 'B' as tenant_id) x join (select 'B' as tenant_id) y using (tenant_id) as orders where 10 / length(x.tenant_id) > 0) as n from orders order by id`,
  "a join's USING alias over the tenant column, the enclosing columns reached unqualified": sql`select id from orders where exists (select 1 from customers c join items i using (tenant_id) as orders where 1 / (total - ${B_MAX_TOTAL}) > 0)`,
  "a MATERIALIZED CTE named like an enclosing inlinable CTE that an earlier sibling reads": sql`with x as (select * from orders) select id from (with y as materialized (select id from x where 1 / (total - ${B_MAX_TOTAL}) > 0), x as materialized (select 1 as one) select id from y) s order by id`,
  "a DELETE whose subquery reuses the target's name": sql`delete from items where exists (select 1 from orders as items where 1 / (items.total - ${B_MAX_TOTAL}) > -1)`,
  "an upsert's DO UPDATE subquery reusing the target's name": sql`insert into orders (id, customer_id, total) values (1, 1, 5) on conflict (id) do update set total = (select count(*)::int from customers as orders where 1 / (total - ${B_MAX_TOTAL}) > -1)`,
  "a relation named with capitals, which is not the schema's": sql`select id from "Orders"`,
  "a reference value unqualified, named like a column of the parent table": sql`update items set order_id = number from (select 101 as number) s where items.id = 1 returning items.order_id`,
  "a reference value qualified by the name the reference check uses": sql`update items set order_id = tenant_parent.id from (select 101 as id) as tenant_parent where items.id = 1 returning items.order_id`,
  "an INSERT ... SELECT whose reference value is named like a column of the parent": sql`insert into items (id, order_id, qty) select 500, number, 1 from (select 101 as number) s returning order_id`,
  "a function-in-FROM argument reading a sibling's column inside a subquery": sql`select o.id from orders o, generate_series(1, (select count(*)::int from items i where 10 / (o.total - ${B_MAX_TOTAL}) > 0)) s`,
};

describe.each(backends)("names misleading the tenant scope on $name", ({ name, skip }) => {
  const fixture = useAttackOracle(name, skip);
  itRefusesEach(REFUSED, fixture, skip);
  itMatchesAloneEach(ALLOWED, fixture, skip);
});
