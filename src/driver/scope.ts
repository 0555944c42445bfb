import type { TablesRelationalConfig } from "drizzle-orm/relations";
import { TenantScopeError } from "../errors.js";
import { assertTenantId } from "../tenant/index.js";
import { assembleDatabase, type DsqlDatabase } from "./database.js";
import type { DsqlSession, Scope } from "./session.js";

type AnyDsqlDatabase = DsqlDatabase<Record<string, unknown>>;

function sessionOf(
  db: object,
  what: string,
): DsqlSession<Record<string, unknown>, TablesRelationalConfig> {
  const session = (
    db as { dsqlSession?: DsqlSession<Record<string, unknown>, TablesRelationalConfig> }
  ).dsqlSession;
  const fromTx = (db as { session?: unknown }).session;
  const found = session ?? (isDsqlSession(fromTx) ? fromTx : undefined);
  if (!found)
    throw new TenantScopeError(`${what} takes a database created by drizzle-dsql's drizzle()`);
  return found;
}

function isDsqlSession(
  value: unknown,
): value is DsqlSession<Record<string, unknown>, TablesRelationalConfig> {
  return typeof value === "object" && value !== null && "context" in value && "withScope" in value;
}

function rescope<D extends object>(db: D, scope: Scope, what: string): D {
  const session = sessionOf(db, what).withScope(scope);
  const base = db as unknown as AnyDsqlDatabase;
  const schema = session.relationalSchema;
  const isTransaction = !("dsqlSession" in db);
  if (isTransaction) {
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
  const session = sessionOf(db, "withTenant()");
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
