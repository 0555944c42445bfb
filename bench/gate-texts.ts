/**
 * SQL texts for the gate micro-benchmarks, as drizzle renders them. Each takes
 * a number `n` that changes a literal (`LIMIT n`), so a new `n` is a new text
 * (a cache miss) while the statement's shape, and so its cost, stays the same.
 */
export interface GateText {
  name: string;
  text(n: number): string;
}

export const GATE_TEXTS: GateText[] = [
  {
    name: "point select",
    text: (n) =>
      `select "id", "tenant_id", "name", "email" from "bench_customers" where "bench_customers"."id" = $1 limit ${n}`,
  },
  {
    name: "join",
    text: (n) =>
      `select "bench_orders"."id", "bench_orders"."status", "bench_orders"."total_cents", "bench_customers"."name" from "bench_orders" inner join "bench_customers" on "bench_orders"."customer_id" = "bench_customers"."id" where "bench_customers"."id" = $1 limit ${n}`,
  },
  {
    name: "16-line CTE",
    text: (n) =>
      [
        "with recent as (",
        '  select "customer_id", sum("total_cents") as total',
        '  from "bench_orders"',
        '  where "status" = $1',
        '  group by "customer_id"',
        "),",
        "ranked as (",
        '  select r."customer_id", r.total,',
        "         rank() over (order by r.total desc) as pos",
        "  from recent r",
        ")",
        'select c."id", c."name", k.total, k.pos',
        "from ranked k",
        'inner join "bench_customers" c on c."id" = k."customer_id"',
        "where k.pos <= $2",
        `order by k.pos limit ${n}`,
      ].join("\n"),
  },
];

/** The INSERT batchInsert sends for a 3,000-row transaction (one statement), as drizzle renders it. */
export function bulkInsertText(rows: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const p = r * 3;
    tuples.push(`(default, $${p + 1}, $${p + 2}, $${p + 3})`);
  }
  return `insert into "bench_entities" ("id", "tenant_id", "name", "metadata") values ${tuples.join(", ")}`;
}
