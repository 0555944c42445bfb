import { relations } from "drizzle-orm";
import { integer, pgSchema, pgTable, pgView, text } from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, it } from "vitest";
import { TenantScopeError } from "../../src/errors.js";
import { loadParser, parseStatements } from "../../src/sql/parser.js";
import { buildTenantRegistry } from "../../src/tenant/registry.js";
import { assertTenantId } from "../../src/tenant/tenant-id.js";
import { assertNotScoped } from "../../src/tenant/unscoped.js";
import { orders, products, registry, schema, tags } from "./oracle.js";

beforeAll(async () => {
  await loadParser();
});

describe("buildTenantRegistry", () => {
  it("scopes tables with the tenant column and keeps the others global", () => {
    expect([...registry.scoped].sort()).toEqual([
      "public.customers",
      "public.items",
      "public.orders",
    ]);
    expect([...registry.globals].sort()).toEqual(["public.products", "public.tags"]);
    expect([...registry.writableGlobals]).toEqual(["public.tags"]);
    expect(registry.column).toBe("tenant_id");
  });

  it("matches the column's database name, not its TypeScript key", () => {
    const byKey = pgTable("by_key", { tenant_id: integer("owner"), id: integer("id") });
    const byName = pgTable("by_name", { owner: text("tenant_id") });
    const r = buildTenantRegistry({ byKey, byName }, { column: "tenant_id" });
    expect([...r.scoped]).toEqual(["public.by_name"]);
    expect([...r.globals]).toEqual(["public.by_key"]);
  });

  it("applies the db's casing to columns declared without a name", () => {
    const t = pgTable("cased", { tenantId: text(), id: integer() });
    expect([
      ...buildTenantRegistry({ t }, { column: "tenant_id", casing: "snake_case" }).scoped,
    ]).toEqual(["public.cased"]);
    // Under camelCase no table has the column: an error, never a scope of nothing.
    expect(() => buildTenantRegistry({ t }, { column: "tenant_id", casing: "camelCase" })).toThrow(
      TenantScopeError,
    );
    // Casing unknown: scoped under any convention, so a tenant column is never missed.
    expect([...buildTenantRegistry({ t }, { column: "tenant_id" }).scoped]).toEqual([
      "public.cased",
    ]);
  });

  it("keys tables in other schemas by schema, ignores views and relations", () => {
    const app = pgSchema("app");
    const appOrders = app.table("orders", { id: integer("id"), tenantId: text("tenant_id") });
    const v = pgView("v").as((qb) => qb.select().from(orders));
    const rel = relations(orders, () => ({}));
    const r = buildTenantRegistry(
      { appOrders, v, rel, products, n: 1, s: "x" },
      { column: "tenant_id" },
    );
    expect([...r.scoped]).toEqual(["app.orders"]);
    expect([...r.globals]).toEqual(["public.products"]);
  });

  it("accepts writable globals by name and refuses scoped or unknown ones", () => {
    expect([
      ...buildTenantRegistry(schema, { column: "tenant_id", writableGlobals: ["tags"] })
        .writableGlobals,
    ]).toEqual(["public.tags"]);
    expect(() =>
      buildTenantRegistry(schema, { column: "tenant_id", writableGlobals: [orders] }),
    ).toThrow(/scoped/);
    expect(() =>
      buildTenantRegistry(schema, { column: "tenant_id", writableGlobals: ["nope"] }),
    ).toThrow(/not a table/);
    expect(() => buildTenantRegistry(schema, { column: "" })).toThrow(TenantScopeError);
    expect(() => buildTenantRegistry(schema, { column: "  " })).toThrow(TenantScopeError);
    expect(
      buildTenantRegistry(schema, { column: "tenant_id", writableGlobals: [tags] }).writableGlobals
        .size,
    ).toBe(1);
  });
});

describe("buildTenantRegistry fails closed", () => {
  it("refuses a tenant column that matches no table, naming the TypeScript-key mistake", () => {
    expect(() => buildTenantRegistry(schema, { column: "tenantId" })).toThrow(
      /TypeScript key of "customers"\."tenant_id", so use \{ column: "tenant_id" \}/,
    );
    expect(() => buildTenantRegistry(schema, { column: "owner" })).toThrow(
      /no table of the schema has the tenant column "owner"/,
    );
    expect(() => buildTenantRegistry({}, { column: "tenant_id" })).toThrow(TenantScopeError);
  });

  it("records references to scoped parents and references into writable globals", () => {
    const parent = pgTable("parent", {
      id: integer("id").primaryKey(),
      tenantId: text("tenant_id"),
    });
    const shared = pgTable("shared", { id: integer("id").primaryKey(), code: text("code") });
    const child = pgTable("child", {
      id: integer("id"),
      tenantId: text("tenant_id"),
      parentId: integer("parent_id").references(() => parent.id),
      sharedCode: text("shared_code").references(() => shared.code),
    });
    const r = buildTenantRegistry(
      { parent, shared, child },
      { column: "tenant_id", writableGlobals: [shared] },
    );
    expect(r.references.get("public.child")).toEqual([
      {
        columns: ["parent_id"],
        parent: "public.parent",
        parentColumns: ["id"],
        types: ["integer"],
      },
    ]);
    expect([...(r.referencedGlobals.get("public.shared") ?? [])]).toEqual(["code"]);
  });

  it("takes declared functions by name and refuses what is not one", () => {
    const r = buildTenantRegistry(schema, {
      column: "tenant_id",
      functions: ["order_total", "app.customer_email"],
    });
    expect([...r.functions]).toEqual(["order_total", "app.customer_email"]);
    for (const bad of ["drop table x", "a.b.c", "", 1]) {
      expect(() =>
        buildTenantRegistry(schema, { column: "tenant_id", functions: [bad as string] }),
      ).toThrow(TenantScopeError);
    }
  });
});

describe("assertNotScoped", () => {
  const one = (sql: string) => {
    const [stmt] = parseStatements(sql);
    if (!stmt) throw new Error("no statement");
    return stmt;
  };
  const TOUCHING = [
    "select * from orders",
    "select * from products where id in (select product_id from items)",
    "with x as (select 1) select * from x, lateral (select * from public.customers) c",
    "insert into orders (id, tenant_id) values (1, 'A')",
    "update products set price = (select max(total) from orders)",
    "delete from items",
    "create index on orders (id)",
    "alter table orders add column x int",
    "drop table orders",
    "drop table if exists public.customers cascade",
    "truncate items",
    "comment on table orders is 'x'",
    "create view v as select * from orders",
    "alter table orders rename to orders2",
    "alter table products rename to orders",
    "create table orders (id int)",
    "copy orders to stdout",
    "lock table orders",
    "grant select on orders to public",
    "select query_to_xml('select * from products', true, false, '')",
    "comment on column orders.tenant_id is 'x'",
    "comment on column public.orders.tenant_id is 'x'",
    "drop schema public cascade",
    "alter schema public rename to old_public",
    "drop owned by app",
    "alter table products add constraint fk foreign key (id) references orders (id) not valid",
    "create table x (like customers)",
  ];
  for (const sql of TOUCHING) {
    it(`refuses ${sql}`, () => {
      expect(() => assertNotScoped(one(sql), registry)).toThrow(TenantScopeError);
    });
  }
  const FREE = [
    "select * from products",
    "insert into tags (id, label) values (1, 'x')",
    "create table other_table (id int)",
    "drop table products",
    "select 1",
    "begin",
    "select 'orders' as name from products",
    "drop schema other cascade",
    "comment on column products.name is 'x'",
  ];
  for (const sql of FREE) {
    it(`allows ${sql}`, () => {
      expect(() => assertNotScoped(one(sql), registry)).not.toThrow();
    });
  }
});

describe("assertTenantId", () => {
  it("accepts non-empty strings up to 256 characters", () => {
    expect(assertTenantId("tenant-123")).toBe("tenant-123");
    expect(assertTenantId("x".repeat(256))).toHaveLength(256);
  });
  it("refuses everything else", () => {
    const bad = [
      ...["", "x".repeat(257), 1, null, undefined, {}, ["a"], Symbol("a")],
      ...[" ", "\t\n", "\ud800", "\udfff", "a\udc00b", "\ud83d", "a\u0000b"],
    ];
    for (const id of bad) {
      expect(() => assertTenantId(id)).toThrow(TenantScopeError);
    }
  });
  it("accepts well-formed ids with surrogate pairs and inner spaces", () => {
    expect(assertTenantId("\ud83d\ude00")).toBe("\ud83d\ude00");
    expect(assertTenantId(" a b ")).toBe(" a b ");
  });
  it("names what is wrong", () => {
    expect(() => assertTenantId("\ud800")).toThrow(/lone surrogate/);
    expect(() => assertTenantId("a\u0000")).toThrow(/NUL/);
    expect(() => assertTenantId("   ")).toThrow(/whitespace/);
  });
  it("refuses nothing valid by accident", () => {
    for (const good of ["A", "tenant-123", "ünï", "x".repeat(256)]) {
      expect(assertTenantId(good)).toBe(good);
    }
  });
});
