/**
 * Functions in FROM under a tenant scope (`unnest($1::int[])` joined to a
 * scoped table is the usual way to look up a list of keys). Through the
 * public driver on PGlite and PostgreSQL, judged by the A-only oracle: the
 * safe forms run and return exactly what a database holding only A's rows
 * returns; the forms whose arguments could run on B's rows are refused.
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
  "unnest of a parameter joined to orders": sql`select o.id, o.total from unnest(${[1, 2, 101, 102]}::int[]) as u(id) join orders o on o.id = u.id order by o.id`,
  "unnest left-joined to orders (B's keys come back unmatched)": sql`select u.id, o.total from unnest(${[1, 101]}::int[]) as u(id) left join orders o on o.id = u.id order by u.id`,
  "orders right-joined to unnest": sql`select u.id, o.status from orders o right join unnest(${[2, 102]}::int[]) as u(id) on o.id = u.id order by u.id`,
  "generate_series full-joined to orders": sql`select g, o.id from generate_series(1, 3) g full join orders o on o.id = g order by g, o.id`,
  "a key list in IN (select from unnest)": sql`select id from orders where id in (select x from unnest(${[1, 101]}::int[]) x) order by id`,
  "unnest WITH ORDINALITY": sql`select u.id, u.n, o.total from unnest(${[102, 1]}::int[]) with ordinality as u(id, n) join orders o on o.id = u.id`,
  "ROWS FROM of two functions": sql`select * from rows from (unnest(${[1, 2]}::int[]), generate_series(10, 11)) as r(a, b) join orders o on o.id = r.a order by r.a`,
  "jsonb_array_elements of a parameter": sql`select e ->> 'k' as k from jsonb_array_elements(${JSON.stringify([{ k: "a" }, { k: "b" }])}::jsonb) e`,
  "json_to_recordset with a column list": sql`select r.id, o.total from json_to_recordset(${JSON.stringify([{ id: 1 }, { id: 101 }])}::json) as r(id int) join orders o on o.id = r.id`,
  "a function in FROM in a subquery": sql`select count(*)::int as n from orders where total > (select max(g) from generate_series(1, 2) g)`,
  "a function in FROM updating from a key list": sql`update orders set status = 'listed' from unnest(${[1, 101]}::int[]) as u(id) where orders.id = u.id returning orders.id`,
  "a function in FROM deleting by a key list": sql`delete from items using unnest(${[1, 101]}::int[]) as u(id) where items.id = u.id returning items.id`,
  "current_setting()": sql`select current_setting('statement_timeout') as v`,
};

/** Refused outright: an argument could run on B's rows before the tenant filter, or the function is not known to be safe. */
const REFUSED: Record<string, Query> = {
  "an argument raising on B's rows (implicitly LATERAL)": sql`select o.id from orders o, generate_series(1, 1 / (o.total - ${B_MAX_TOTAL})) g`,
  "an explicit LATERAL function over a scoped row": sql`select o.id, x from orders o cross join lateral unnest(array[o.total]) x`,
  "a scoped table read inside the arguments": sql`select * from unnest(array(select total from orders)) t`,
  "a tenant id read inside the arguments": sql`select * from unnest(array[(select tenant_id from orders limit 1)]) t`,
  "a function in FROM that is not a known built-in": sql`select * from pg_catalog.pg_ls_dir('.') d`,
  "query_to_xml in FROM": sql`select * from query_to_xml('select * from orders', true, false, '') x`,
  "an undeclared function of the schema in FROM": sql`select * from public.no_such_function() f`,
  "a function in FROM over the system column of a scoped row": sql`select o.id from orders o, unnest(array[o.ctid]) c`,
};

describe.each(backends)("functions in FROM in a tenant scope on $name", ({ name, skip }) => {
  const fixture = useAttackOracle(name, skip);
  itRefusesEach(REFUSED, fixture, skip);

  itMatchesAloneEach(ALLOWED, fixture, skip);
});
