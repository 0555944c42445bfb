/**
 * The tenant oracle: two in-memory PGlite databases with the same schema.
 * DB_AB holds tenants A and B; DB_A holds only A's rows (same ids) and fills
 * tenant_id with 'A' by default. A planned statement run on DB_AB for tenant
 * A must behave exactly like the original statement run on DB_A.
 */
import { PGlite } from "@electric-sql/pglite";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { loadParser } from "../../src/sql/parser.js";
import { buildTenantRegistry } from "../../src/tenant/registry.js";
import type { TenantRegistry } from "../../src/tenant/types.js";

export const customers = pgTable("customers", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  name: text("name"),
  region: text("region"),
});
export const orders = pgTable("orders", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  customerId: integer("customer_id"),
  total: integer("total"),
  status: text("status"),
});
export const items = pgTable("items", {
  id: integer("id").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  orderId: integer("order_id"),
  productId: integer("product_id"),
  qty: integer("qty"),
});
export const products = pgTable("products", {
  id: integer("id").primaryKey(),
  name: text("name"),
  price: integer("price"),
});
export const tags = pgTable("tags", {
  id: integer("id").primaryKey(),
  label: text("label"),
});

export const schema = { customers, orders, items, products, tags };

/** The registry for the oracle schema: tags is a writable global. */
export const registry: TenantRegistry = buildTenantRegistry(schema, {
  column: "tenant_id",
  writableGlobals: [tags],
});

function ddl(tenantDefault: string): string {
  return `
    CREATE TABLE customers (id integer PRIMARY KEY, tenant_id text NOT NULL ${tenantDefault}, name text, region text);
    CREATE TABLE orders (id integer PRIMARY KEY, tenant_id text NOT NULL ${tenantDefault}, customer_id integer, total integer, status text);
    CREATE TABLE items (id integer PRIMARY KEY, tenant_id text NOT NULL ${tenantDefault}, order_id integer, product_id integer, qty integer);
    CREATE TABLE products (id integer PRIMARY KEY, name text, price integer);
    CREATE TABLE tags (id integer PRIMARY KEY, label text);
    CREATE VIEW all_orders AS SELECT * FROM orders;
    CREATE SCHEMA other;
    CREATE TABLE other.orders (id integer, tenant_id text);
  `;
}

type Row = (string | number | null)[];

/** A's rows; B's rows reuse A's names and point at A's ids so a missing predicate shows. */
const DATA: Record<string, { a: Row[]; b: Row[] }> = {
  customers: {
    a: [
      [1, "ann", "north"],
      [2, "bob", "south"],
      [3, "cid", "north"],
      [4, "dee", null],
    ],
    b: [
      [11, "ann", "north"],
      [12, "bea", "south"],
      [13, "cal", "east"],
    ],
  },
  orders: {
    a: [
      [1, 1, 10, "open"],
      [2, 1, 25, "paid"],
      [3, 2, 40, "open"],
      [4, 3, 5, "cancelled"],
      [5, null, 60, "open"],
    ],
    b: [
      [101, 1, 70, "open"],
      [102, 11, 15, "paid"],
      [103, 2, 90, "cancelled"],
      [104, 12, 33, "open"],
      [105, 4, 8, "paid"],
    ],
  },
  items: {
    a: [
      [1, 1, 1, 1],
      [2, 1, 2, 3],
      [3, 3, 1, 2],
      [4, 4, 3, 5],
      [5, 101, 2, 1],
    ],
    b: [
      [201, 101, 1, 4],
      [202, 1, 2, 2],
      [203, 102, 3, 1],
      [204, 3, 1, 7],
      [205, 103, 2, 2],
    ],
  },
};
const GLOBALS: Record<string, Row[]> = {
  products: [
    [1, "pen", 3],
    [2, "ink", 12],
    [3, "pad", 30],
    [4, "box", 50],
  ],
  tags: [
    [1, "red"],
    [2, "blue"],
  ],
};

function literal(value: string | number | null): string {
  if (value === null) return "NULL";
  return typeof value === "number" ? String(value) : `'${value.replace(/'/g, "''")}'`;
}

function inserts(includeB: boolean): string {
  const out: string[] = [];
  for (const [table, { a, b }] of Object.entries(DATA)) {
    const rows = [
      ...a.map((r) => ["A", r] as const),
      ...(includeB ? b.map((r) => ["B", r] as const) : []),
    ];
    for (const [tenant, row] of rows) {
      const values = [row[0] ?? null, tenant, ...row.slice(1)];
      out.push(`INSERT INTO ${table} VALUES (${values.map(literal).join(", ")});`);
    }
  }
  for (const [table, rows] of Object.entries(GLOBALS)) {
    for (const row of rows)
      out.push(`INSERT INTO ${table} VALUES (${row.map(literal).join(", ")});`);
  }
  return out.join("\n");
}

/** The two oracle databases. */
export interface Oracle {
  ab: PGlite;
  a: PGlite;
  close(): Promise<void>;
}

/** Creates and loads DB_AB and DB_A, and loads the SQL parser. */
export async function openOracle(): Promise<Oracle> {
  await loadParser();
  const ab = new PGlite();
  const a = new PGlite();
  await ab.exec(ddl("") + inserts(true));
  await a.exec(ddl("DEFAULT 'A'") + inserts(false));
  return {
    ab,
    a,
    async close() {
      await ab.close();
      await a.close();
    },
  };
}

/** Rows as sorted JSON strings (order-insensitive comparison). */
export function bag(rows: readonly unknown[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** Rows as JSON strings in their order. */
export function seq(rows: readonly unknown[]): string[] {
  return rows.map((r) => JSON.stringify(r));
}

const TABLES = ["customers", "orders", "items", "products", "tags"];

/** Every table's rows, split into tenant A's, tenant B's and global rows. */
export async function snapshot(
  db: PGlite,
): Promise<{ a: string[]; b: string[]; globals: string[] }> {
  const a: string[] = [];
  const b: string[] = [];
  const globals: string[] = [];
  for (const table of TABLES) {
    const { rows } = await db.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY id`);
    for (const row of rows) {
      const line = `${table}:${JSON.stringify(row)}`;
      if (!("tenant_id" in row)) globals.push(line);
      else if (row.tenant_id === "A") a.push(line);
      else if (row.tenant_id === "B") b.push(line);
      else a.push(`${line} (tenant ${String(row.tenant_id)})`);
    }
  }
  return { a, b, globals };
}

/** Runs `fn` inside BEGIN ... ROLLBACK so that the database is left as it was. */
export async function rolledBack<T>(db: PGlite, fn: () => Promise<T>): Promise<T> {
  await db.query("BEGIN");
  try {
    return await fn();
  } finally {
    await db.query("ROLLBACK");
  }
}
