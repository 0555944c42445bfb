import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { drizzle as stockDrizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { type DsqlDatabase, drizzle, withTenant } from "../src/index.js";
import { schema } from "./schema.js";

export type Schema = typeof schema;

/** Every client the query benchmarks compare, all over one pool. */
export interface Clients {
  pool: pg.Pool;
  stock: NodePgDatabase<Schema>;
  twin: DsqlDatabase<Schema>;
  off: DsqlDatabase<Schema>;
  /** A db with tenant scoping configured; scope it per tenant with `withTenant`. */
  tenantDb: DsqlDatabase<Schema>;
  /** `withTenant(tenantDb, id)`, made once per tenant (as an app would per request or cache). */
  scoped(tenant: string): DsqlDatabase<Schema>;
}

/** Builds the clients over `pool`; none of them owns it (the caller ends it). */
export function makeClients(pool: pg.Pool): Clients {
  const tenantDb = drizzle({ client: pool, schema, tenant: { column: "tenant_id" } });
  const handles = new Map<string, DsqlDatabase<Schema>>();
  return {
    pool,
    stock: stockDrizzle({ client: pool, schema }),
    twin: drizzle({ client: pool, schema }),
    off: drizzle({ client: pool, schema, dsqlRules: "off" }),
    tenantDb,
    scoped(tenant) {
      let handle = handles.get(tenant);
      if (!handle) {
        handle = withTenant(tenantDb, tenant);
        handles.set(tenant, handle);
      }
      return handle;
    },
  };
}
