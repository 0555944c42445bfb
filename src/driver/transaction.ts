import { entityKind } from "drizzle-orm/entity";
import { NodePgTransaction } from "drizzle-orm/node-postgres/session";
import type { PgTransactionConfig } from "drizzle-orm/pg-core";
import type { RelationalSchemaConfig, TablesRelationalConfig } from "drizzle-orm/relations";
import { pgDialectOf } from "../drizzle-internals.js";
import type { DsqlSession } from "./session.js";

/**
 * A transaction handle. Nesting (`tx.transaction()`) throws
 * `DsqlUnsupportedError` on DSQL and on a twin enforcing its rules (DSQL has
 * no SAVEPOINT); with `dsqlRules: "off"` on a local backend it uses a
 * savepoint, as drizzle-orm/node-postgres does.
 */
export class DsqlTransaction<
  TFullSchema extends Record<string, unknown>,
  TSchema extends TablesRelationalConfig,
> extends NodePgTransaction<TFullSchema, TSchema> {
  static override readonly [entityKind]: string = "DsqlTransaction";

  get #session(): DsqlSession<TFullSchema, TSchema> {
    return this._.session as unknown as DsqlSession<TFullSchema, TSchema>;
  }

  override async transaction<T>(
    transaction: (tx: NodePgTransaction<TFullSchema, TSchema>) => Promise<T>,
  ): Promise<T> {
    const session = this.#session;
    const depth = this.nestedIndex + 1;
    return session.savepoint(depth, () =>
      transaction(
        new DsqlTransaction<TFullSchema, TSchema>(
          pgDialectOf(this),
          session,
          this.schema as RelationalSchemaConfig<TSchema> | undefined,
          depth,
        ),
      ),
    );
  }

  /** Sets the transaction's modes; under DSQL's rules only REPEATABLE READ is accepted, as in `transaction(fn, config)`. */
  override setTransaction(config: PgTransactionConfig): Promise<void> {
    return this.#session.setTransaction(config);
  }
}
