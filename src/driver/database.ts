import { entityKind } from "drizzle-orm/entity";
import type { NodePgQueryResultHKT } from "drizzle-orm/node-postgres/session";
import { PgDatabase } from "drizzle-orm/pg-core/db";
import { PgDialect } from "drizzle-orm/pg-core/dialect";
import type {
  ExtractTablesWithRelations,
  RelationalSchemaConfig,
  TablesRelationalConfig,
} from "drizzle-orm/relations";
import type { DsqlClient, DsqlSession, DsqlTransactionConfig } from "./session.js";
import type { DsqlTransaction } from "./transaction.js";

/**
 * A drizzle-dsql database: a normal Drizzle PostgreSQL database (builder,
 * relational `query`, `execute`, `$count`, `.prepare()`) whose statements all
 * pass drizzle-dsql's gate, with OCC-retrying transactions.
 */
export class DsqlDatabase<
  TSchema extends Record<string, unknown> = Record<string, never>,
> extends PgDatabase<NodePgQueryResultHKT, TSchema> {
  static override readonly [entityKind]: string = "DsqlDatabase";

  /** The pool (`pg.Pool`, `AuroraDSQLPool`, or the embedded server's pool). */
  declare $client: DsqlClient;

  /** Drizzle's handle internals; `_.session` is the drizzle-dsql session every statement goes through. */
  declare readonly _: PgDatabase<NodePgQueryResultHKT, TSchema>["_"] & {
    readonly session: DsqlSession<TSchema, ExtractTablesWithRelations<TSchema>>;
  };

  /** @internal */
  declare readonly dsqlClose: () => Promise<void>;

  /** Ends the pool and stops the embedded server, if any. */
  async $close(): Promise<void> {
    await this.dsqlClose();
  }

  /**
   * Runs `transaction` in a DSQL transaction. On an OCC conflict (SQLSTATE
   * 40001, OC000/OC001) the transaction is rolled back and the callback runs
   * again with backoff, so it must be safe to run more than once.
   *
   * @example
   * ```ts
   * await db.transaction(async (tx) => {
   *   const [a] = await tx.select().from(accounts).where(eq(accounts.id, 1));
   *   await tx.update(accounts).set({ balance: a.balance - 10 }).where(eq(accounts.id, 1));
   * }, { retry: { maxAttempts: 8 } });
   * ```
   */
  override transaction<T>(
    transaction: (tx: DsqlTransaction<TSchema, ExtractTablesWithRelations<TSchema>>) => Promise<T>,
    config?: DsqlTransactionConfig,
  ): Promise<T> {
    return this._.session.transaction(transaction as never, config);
  }
}

/** @internal Builds a database object around a session (used by drizzle() and the scopes). */
export function assembleDatabase<TSchema extends Record<string, unknown>>(
  dialect: PgDialect,
  session: DsqlSession<TSchema, TablesRelationalConfig>,
  schema: RelationalSchemaConfig<TablesRelationalConfig> | undefined,
  client: DsqlClient,
  close: () => Promise<void>,
): DsqlDatabase<TSchema> {
  const db = new DsqlDatabase<TSchema>(dialect, session as never, schema as never);
  const cache = session.context.cache;
  if (cache) {
    // As drizzle-orm/node-postgres does: `db.$cache` is the cache, and
    // `db.$cache.invalidate({ tables })` its onMutate.
    db.$cache = cache as unknown as DsqlDatabase<TSchema>["$cache"];
    db.$cache.invalidate = cache.onMutate.bind(cache);
  }
  Object.defineProperties(db, {
    $client: { value: client, enumerable: false },
    dsqlClose: { value: close, enumerable: false },
  });
  return db;
}

export { PgDialect };
