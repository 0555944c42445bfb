import { integer, pgTable, text, uuid } from "drizzle-orm/pg-core";

/** Tenant-scoped customers: the point select and update target. */
export const customers = pgTable("bench_customers", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  name: text("name").notNull(),
  email: text("email").notNull(),
});

/** Tenant-scoped orders, five per customer: the join's other side. */
export const orders = pgTable("bench_orders", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  customerId: integer("customer_id").notNull(),
  status: text("status").notNull(),
  totalCents: integer("total_cents").notNull(),
});

/** Tenant-scoped events: the single-row insert target. */
export const events = pgTable("bench_events", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: text("tenant_id").notNull(),
  kind: text("kind").notNull(),
  payload: text("payload").notNull(),
});

/** The seed's `entities` table: the bulk load target. */
export const entities = pgTable("bench_entities", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: text("tenant_id").notNull(),
  name: text("name").notNull(),
  metadata: text("metadata").notNull(),
});

export const schema = { customers, orders, events, entities };

export const TENANTS = 10;
export const CUSTOMERS = 10_000;

/** The tenant a customer (or order) id belongs to. */
export function tenantOf(id: number): string {
  return `tenant-${id % TENANTS}`;
}

/** DDL and data, run once through a plain connection (not the twin). */
export const SETUP_SQL = [
  "DROP TABLE IF EXISTS bench_customers, bench_orders, bench_events, bench_entities",
  `CREATE TABLE bench_customers (id integer PRIMARY KEY, tenant_id text NOT NULL,
     name text NOT NULL, email text NOT NULL)`,
  `CREATE TABLE bench_orders (id integer PRIMARY KEY, tenant_id text NOT NULL,
     customer_id integer NOT NULL, status text NOT NULL, total_cents integer NOT NULL)`,
  "CREATE INDEX bench_orders_customer_idx ON bench_orders (customer_id)",
  `CREATE TABLE bench_events (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     tenant_id text NOT NULL, kind text NOT NULL, payload text NOT NULL)`,
  `CREATE TABLE bench_entities (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
     tenant_id text NOT NULL, name text NOT NULL, metadata text NOT NULL)`,
  `INSERT INTO bench_customers SELECT i, 'tenant-' || (i % ${TENANTS}), 'customer ' || i,
     'c' || i || '@example.com' FROM generate_series(1, ${CUSTOMERS}) AS i`,
  `INSERT INTO bench_orders SELECT i, 'tenant-' || (((i - 1) / 5 + 1) % ${TENANTS}),
     (i - 1) / 5 + 1, 'new', i % 1000 FROM generate_series(1, ${CUSTOMERS * 5}) AS i`,
  "ANALYZE",
];
