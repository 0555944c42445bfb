import { is } from "drizzle-orm";
import { TenantScopeError } from "../errors.js";
import { assertTenantId } from "../tenant/index.js";
import { assembleDatabase, DsqlDatabase } from "./database.js";
import type { Scope } from "./session.js";
import { type AnyDsqlSession, dsqlSessionOf } from "./session-of.js";

type AnyDsqlDatabase = DsqlDatabase<Record<string, unknown>>;

function scopedSessionOf(db: object, what: string): AnyDsqlSession {
  const session = dsqlSessionOf(db);
  if (!session)
    throw new TenantScopeError(`${what} takes a database created by drizzle-dsql's drizzle()`);
  return session;
}

function rescope<D extends object>(db: D, scope: Scope, what: string): D {
  const session = scopedSessionOf(db, what).withScope(scope);
  const base = db as unknown as AnyDsqlDatabase;
  const schema = session.relationalSchema;
  if (!is(db, DsqlDatabase)) {
    const Tx = (db as { constructor: new (...args: unknown[]) => D }).constructor;
    return new Tx(session.pgDialect, session, schema);
  }
  return assembleDatabase(session.pgDialect, session, schema as never, base.$client, () =>
    base.$close(),
  ) as unknown as D;
}

/**
 * A handle of the same type as `db` whose every statement is scoped to one
 * tenant: reads see only its rows, inserts get its id, updates and deletes
 * touch only its rows, and anything the rewriter cannot prove scoped throws
 * `TenantScopeError` before reaching the database. Works on a transaction too.
 *
 * @example
 * ```ts
 * const db = drizzle({ connection, schema, tenant: { column: "tenant_id" } });
 * const t = withTenant(db, "tenant-123");
 * await t.select().from(orders);                     // only tenant-123's orders
 * await t.insert(orders).values({ status: "new" });  // tenant_id filled in
 * ```
 */
export function withTenant<D extends object>(db: D, tenantId: string): D {
  const id = assertTenantId(tenantId);
  const session = scopedSessionOf(db, "withTenant()");
  if (!session.context.gate.scoping) {
    throw new TenantScopeError(
      "withTenant() needs a db created with drizzle({ tenant: { column } })",
    );
  }
  return rescope(db, { kind: "tenant", tenantId: id }, "withTenant()");
}

/**
 * The explicit unscoped handle, for admin work and migrations: statements run
 * as written, across all tenants.
 *
 * @example
 * ```ts
 * const everyTenant = await withoutTenant(db).select().from(orders);
 * ```
 */
export function withoutTenant<D extends object>(db: D): D {
  return rescope(db, { kind: "unscoped" }, "withoutTenant()");
}
