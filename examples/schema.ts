import { relations, sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { jsonText, textArray } from "../src/index.js";

/** Customer preferences, stored as JSON text. */
export interface CustomerPrefs {
  theme: "light" | "dark";
  newsletter: boolean;
  locale?: string;
}

/** Global: one row per tenant (not scoped; readable from every scope). */
export const tenants = pgTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  plan: text("plan").notNull().default("free"),
});

/** Global product catalogue. */
export const products = pgTable("products", {
  sku: text("sku").primaryKey(),
  name: text("name").notNull(),
  priceCents: integer("price_cents").notNull(),
  tags: textArray("tags").notNull(),
});

export const customers = pgTable(
  "customers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: text("tenant_id").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    prefs: jsonText<CustomerPrefs>("prefs").notNull(),
    tags: textArray("tags").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("customers_tenant_email_uq").on(t.tenantId, t.email)],
);

export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: text("tenant_id").notNull(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id),
    status: text("status").notNull().default("new"),
    totalCents: integer("total_cents").notNull().default(0),
    meta: jsonText<{ channel: string; gift?: boolean }>("meta").default(sql`'{"channel":"web"}'`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("orders_tenant_status_idx").on(t.tenantId, t.status),
    index("orders_created_idx").on(t.createdAt.desc()),
  ],
);

export const lineItems = pgTable(
  "line_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: text("tenant_id").notNull(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id),
    sku: text("sku").notNull(),
    quantity: integer("quantity").notNull(),
    priceCents: integer("price_cents").notNull(),
  },
  (t) => [index("line_items_order_idx").on(t.orderId)],
);

export const customersRelations = relations(customers, ({ many }) => ({ orders: many(orders) }));
export const ordersRelations = relations(orders, ({ one, many }) => ({
  customer: one(customers, { fields: [orders.customerId], references: [customers.id] }),
  items: many(lineItems),
}));
export const lineItemsRelations = relations(lineItems, ({ one }) => ({
  order: one(orders, { fields: [lineItems.orderId], references: [orders.id] }),
}));
