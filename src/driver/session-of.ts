import { is } from "drizzle-orm";
import { PgDatabase } from "drizzle-orm/pg-core/db";
import type { TablesRelationalConfig } from "drizzle-orm/relations";
import { DsqlError } from "../errors.js";
import { DsqlSession } from "./session.js";

/** A drizzle-dsql session of any schema. */
export type AnyDsqlSession = DsqlSession<Record<string, unknown>, TablesRelationalConfig>;

/**
 * The drizzle-dsql session behind a db, a scoped db or a transaction (drizzle's
 * `db._.session`), or undefined when `db` is not one of drizzle-dsql's.
 */
export function dsqlSessionOf(db: unknown): AnyDsqlSession | undefined {
  if (!is(db, PgDatabase)) return undefined;
  const session: unknown = db._.session;
  return is(session, DsqlSession) ? (session as AnyDsqlSession) : undefined;
}

/**
 * {@link dsqlSessionOf} for a handle that must be drizzle-dsql's: statements
 * prepared on its session pass the gate like any other. Throws a
 * {@link DsqlError} naming `what` otherwise.
 */
export function sessionOf(db: unknown, what = "this helper"): AnyDsqlSession {
  const session = dsqlSessionOf(db);
  if (!session) throw new DsqlError(`${what} takes a database created by drizzle-dsql's drizzle()`);
  return session;
}
