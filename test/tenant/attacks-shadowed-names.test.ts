/**
 * Subqueries that reuse an enclosing table's name (`from orders where ...
 * (select ... from orders ...)`, or an alias equal to it). The scope guards a
 * condition that can raise with the tenant tests of every relation in sight,
 * by name; where a level reuses a name, the enclosing table's test would
 * name the level's own relation instead. Found by the property test (seed
 * -416198097): a count in a scalar subquery came out low. Through the public
 * driver on PGlite and PostgreSQL, judged by the A-only oracle.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
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
  "a plain IN subquery on the same table": sql`select id from orders where customer_id in (select customer_id from orders where status = 'paid') order by id`,
  "a raising condition in a subquery with an alias of its own": sql`select id from orders where exists (select 1 from orders o2 where o2.id = orders.id and 10 / o2.total > 0) order by id`,
  "a correlated count over the same table, nothing raising": sql`select o.id, (select count(*)::int from orders where orders.customer_id = o.customer_id) as n from orders o order by o.id`,
};

/** Refused: the enclosing table's tenant test cannot be written where the raising condition sits. */
const REFUSED: Record<string, Query> = {
  "a raising condition under a null-extended table of the enclosing name (the property counterexample)": sql`select (select count(*)::int from generate_series(1, 3) g left join orders on orders.id = g where 10 / g > 0) as n, orders.total from orders order by orders.id`,
  "an alias equal to the enclosing table's name, its columns reached unqualified": sql`select id from orders where exists (select 1 from customers as orders where 1 / (total - ${B_MAX_TOTAL}) > 0)`,
  "a derived table named like the enclosing table": sql`select id from orders where exists (select 1 from (select 1 as one) as orders where 1 / (total - ${B_MAX_TOTAL}) > 0)`,
  "an UPDATE whose subquery reuses the target's name": sql`update orders set status = 'x' where exists (select 1 from items as orders where 1 / (total - ${B_MAX_TOTAL}) > 0)`,
};

describe.each(backends)("subqueries reusing an enclosing name on $name", ({ name, skip }) => {
  const fixture = useAttackOracle(name, skip);
  itRefusesEach(REFUSED, fixture, skip);
  itMatchesAloneEach(ALLOWED, fixture, skip);

  it.skipIf(skip)("names the reused name in the refusal", async () => {
    const outcome = await fixture.oracle.scoped(
      REFUSED[Object.keys(REFUSED)[0] as string] as Query,
    );
    expect(outcome).toMatchObject({ refused: true, message: expect.stringContaining('"orders"') });
  });
});
