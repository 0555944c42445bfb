import { and, eq } from "drizzle-orm";
import { withTenant } from "../src/index.js";
import type { Clients } from "./clients.js";
import { CUSTOMERS, customers, events, orders, tenantOf } from "./schema.js";

/** One way of running one query: `run(i)` does the i-th operation. */
export interface Variant {
  name: string;
  run(i: number): Promise<unknown>;
}

export interface QueryCase {
  name: string;
  variants: Variant[];
}

/** Variant names, shared with the report. */
export const V = {
  raw: "raw pg",
  stock: "stock drizzle",
  stockHand: "stock drizzle + hand tenant filter",
  twin: "drizzle-dsql twin",
  off: 'drizzle-dsql dsqlRules: "off"',
  tenant: "drizzle-dsql withTenant",
  tenantPerQuery: "drizzle-dsql withTenant() per query",
} as const;

// A fixed pseudo-random id sequence, the same for every variant.
const IDS = Array.from({ length: 4096 }, (_, i) => ((i * 7919 + 13) % CUSTOMERS) + 1);
const idAt = (i: number) => IDS[i % IDS.length] as number;
const PAYLOAD = "x".repeat(64);

const POINT_SQL =
  'select "id", "tenant_id", "name", "email" from "bench_customers" where "bench_customers"."id" = $1';
const JOIN_SQL =
  'select "bench_orders"."id", "bench_orders"."status", "bench_orders"."total_cents", "bench_customers"."name" from "bench_orders" inner join "bench_customers" on "bench_orders"."customer_id" = "bench_customers"."id" where "bench_customers"."id" = $1';
const INSERT_SQL =
  'insert into "bench_events" ("id", "tenant_id", "kind", "payload") values (default, $1, $2, $3)';
const UPDATE_SQL = 'update "bench_customers" set "name" = $1 where "bench_customers"."id" = $2';

/** The four queries, each in every variant, over `c`'s shared pool. */
export function queryCases(c: Clients): QueryCase[] {
  const pointSelect: QueryCase = {
    name: "point select",
    variants: [
      { name: V.raw, run: (i) => c.pool.query(POINT_SQL, [idAt(i)]) },
      {
        name: V.stock,
        run: (i) =>
          c.stock
            .select()
            .from(customers)
            .where(eq(customers.id, idAt(i))),
      },
      {
        name: V.stockHand,
        run: (i) => {
          const id = idAt(i);
          return c.stock
            .select()
            .from(customers)
            .where(and(eq(customers.id, id), eq(customers.tenantId, tenantOf(id))));
        },
      },
      {
        name: V.twin,
        run: (i) =>
          c.twin
            .select()
            .from(customers)
            .where(eq(customers.id, idAt(i))),
      },
      {
        name: V.off,
        run: (i) =>
          c.off
            .select()
            .from(customers)
            .where(eq(customers.id, idAt(i))),
      },
      {
        name: V.tenant,
        run: (i) => {
          const id = idAt(i);
          return c.scoped(tenantOf(id)).select().from(customers).where(eq(customers.id, id));
        },
      },
      {
        name: V.tenantPerQuery,
        run: (i) => {
          const id = idAt(i);
          return withTenant(c.tenantDb, tenantOf(id))
            .select()
            .from(customers)
            .where(eq(customers.id, id));
        },
      },
    ],
  };

  const joinFields = {
    id: orders.id,
    status: orders.status,
    totalCents: orders.totalCents,
    name: customers.name,
  };
  const join: QueryCase = {
    name: "join (5 rows)",
    variants: [
      { name: V.raw, run: (i) => c.pool.query(JOIN_SQL, [idAt(i)]) },
      ...(
        [
          [V.stock, c.stock],
          [V.twin, c.twin],
          [V.off, c.off],
        ] as const
      ).map(([name, db]) => ({
        name,
        run: (i: number) =>
          db
            .select(joinFields)
            .from(orders)
            .innerJoin(customers, eq(orders.customerId, customers.id))
            .where(eq(customers.id, idAt(i))),
      })),
      {
        name: V.stockHand,
        run: (i) => {
          const id = idAt(i);
          const t = tenantOf(id);
          return c.stock
            .select(joinFields)
            .from(orders)
            .innerJoin(customers, eq(orders.customerId, customers.id))
            .where(and(eq(customers.id, id), eq(customers.tenantId, t), eq(orders.tenantId, t)));
        },
      },
      {
        name: V.tenant,
        run: (i) => {
          const id = idAt(i);
          return c
            .scoped(tenantOf(id))
            .select(joinFields)
            .from(orders)
            .innerJoin(customers, eq(orders.customerId, customers.id))
            .where(eq(customers.id, id));
        },
      },
    ],
  };

  const insert: QueryCase = {
    name: "insert (1 row)",
    variants: [
      {
        name: V.raw,
        run: (i) => c.pool.query(INSERT_SQL, [tenantOf(i), "bench", PAYLOAD]),
      },
      ...(
        [
          [V.stock, c.stock],
          [V.stockHand, c.stock],
          [V.twin, c.twin],
          [V.off, c.off],
        ] as const
      ).map(([name, db]) => ({
        name,
        run: (i: number) =>
          db.insert(events).values({ tenantId: tenantOf(i), kind: "bench", payload: PAYLOAD }),
      })),
      {
        name: V.tenant,
        // The scope fills tenant_id; the row type still lists it, hence the cast.
        run: (i) =>
          c
            .scoped(tenantOf(i))
            .insert(events)
            .values({ kind: "bench", payload: PAYLOAD } as typeof events.$inferInsert),
      },
    ],
  };

  const update: QueryCase = {
    name: "update (1 row)",
    variants: [
      { name: V.raw, run: (i) => c.pool.query(UPDATE_SQL, [`n${i}`, idAt(i)]) },
      ...(
        [
          [V.stock, c.stock],
          [V.twin, c.twin],
          [V.off, c.off],
        ] as const
      ).map(([name, db]) => ({
        name,
        run: (i: number) =>
          db
            .update(customers)
            .set({ name: `n${i}` })
            .where(eq(customers.id, idAt(i))),
      })),
      {
        name: V.stockHand,
        run: (i) => {
          const id = idAt(i);
          return c.stock
            .update(customers)
            .set({ name: `n${i}` })
            .where(and(eq(customers.id, id), eq(customers.tenantId, tenantOf(id))));
        },
      },
      {
        name: V.tenant,
        run: (i) => {
          const id = idAt(i);
          return c
            .scoped(tenantOf(id))
            .update(customers)
            .set({ name: `n${i}` })
            .where(eq(customers.id, id));
        },
      },
    ],
  };

  return [pointSelect, join, insert, update];
}
