import type { Cache } from "drizzle-orm/cache/core";
import { entityKind } from "drizzle-orm/entity";
import { DrizzleQueryError } from "drizzle-orm/errors";
import type { Logger } from "drizzle-orm/logger";
import { NodePgSession } from "drizzle-orm/node-postgres/session";
import type { PgDialect, PgTransactionConfig, SelectedFieldsOrdered } from "drizzle-orm/pg-core";
import type { PgPreparedQuery, PreparedQueryConfig } from "drizzle-orm/pg-core/session";
import type { RelationalSchemaConfig, TablesRelationalConfig } from "drizzle-orm/relations";
import type { Query } from "drizzle-orm/sql/sql";
import type pg from "pg";
import { TenantScopeError } from "../errors.js";
import { loadParser, parserLoaded } from "../sql/parser.js";
import { bindTenant } from "../tenant/index.js";
import type {
  AutocommitHost,
  TwinExecutor,
  TwinStatement,
  TwinTransaction,
} from "../twin/executor.js";
import type { TwinTransactionState } from "../twin/transaction-state.js";
import { toConnectionError } from "./connection-errors.js";
import { queryOnPool } from "./connections.js";
import { mapServerError } from "./error-mapping.js";
import type { ScopeKind, StatementGate, StatementPlan } from "./gate.js";
import { checkSessionEffect } from "./pool-hygiene.js";
import { DsqlPreparedQuery, type Result, type StatementSender } from "./prepared-query.js";
import {
  type ResolvedRetry,
  type RetryOptions,
  resolveRetry,
  retryAfterFirst,
  withOccRetry,
} from "./retry.js";
import { DsqlTransaction } from "./transaction.js";
import { nestedTransactionError, transactionModes } from "./transaction-config.js";
import {
  inOwnTransaction,
  isPool,
  queryOnOwnConnection,
  runTransaction,
} from "./transaction-control.js";
import { drizzleTypes, stockDrizzleTypes } from "./type-parsers.js";

/** A pool (pg.Pool, AuroraDSQLPool) or a single connection. */
export type DsqlClient = pg.Pool | pg.PoolClient | pg.Client;

/** Everything a db handle's sessions share. */
export interface SessionContext {
  gate: StatementGate;
  /** Local backends: what the twin does around each statement (undefined on DSQL). */
  twin: TwinExecutor | undefined;
  /** Twin: enforce DSQL's transaction rules and translate ASYNC DDL. */
  enforce: boolean;
  local: boolean;
  /** Every connection shares one server session (embedded PGlite): destroying one resets nothing. */
  sharedSession: boolean;
  retry: ResolvedRetry | false;
  logger: Logger | undefined;
  cache: Cache | undefined;
}

/** Which tenant, if any, a session acts for. */
export interface Scope {
  kind: ScopeKind;
  tenantId?: string;
}

/** `db.transaction` options: Drizzle's, plus OCC retry. */
export interface DsqlTransactionConfig extends PgTransactionConfig {
  /** Retry settings for this transaction; `false` for none. Defaults to the db's. */
  retry?: RetryOptions | false;
}

interface TransactionContext {
  /** The twin's share (local backends). */
  twin: TwinTransaction | undefined;
  firstError: unknown;
  /** A statement changed session state: the connection is destroyed, not pooled again. */
  dirty: boolean;
}

/**
 * One statement to send: what the twin reads around it ({@link TwinStatement})
 * and how it goes to the server. One object per statement, no closures: the
 * read path runs it for every query.
 */
class Statement implements TwinStatement<Result>, StatementSender {
  constructor(
    /** The connection (or pool) it runs on. */
    public client: DsqlClient,
    readonly plan: StatementPlan,
    readonly config: pg.QueryConfig,
    readonly params: unknown[],
    readonly prepared: DsqlPreparedQuery<PreparedQueryConfig>,
    /** DSQL's transaction rules it counts under (twin enforcing them). */
    public state: TwinTransactionState | undefined,
    readonly tx: TwinTransaction | undefined,
    public inTransaction: boolean,
  ) {}

  /**
   * Sends it through Drizzle's cache layer and error wrapping. `text`: the
   * twin's form of it with more RETURNING columns (the twin takes them off
   * the result), sent as a prepared statement of its own name.
   */
  send(text?: string): Promise<Result> {
    if (text === undefined) return this.prepared.runCached(this.plan.text, this.params, this);
    const config = { ...this.config, text, name: this.config.name && `${this.config.name}_ids` };
    return this.prepared.runCached(this.plan.text, this.params, {
      query: () => this.#query(config),
    });
  }

  /** The query itself, on the pool (a connection of its own) or the connection. */
  query(): Promise<Result> {
    return this.#query(this.config);
  }

  #query(config: pg.QueryConfig): Promise<Result> {
    const { client, params } = this;
    if (!isPool(client)) return client.query(config, params) as Promise<Result>;
    return this.plan.sessionEffect === "own-transaction"
      ? queryOnOwnConnection<Result>(client, config, params)
      : queryOnPool(client, config, params);
  }
}

/** The session's side of {@link TwinExecutor.autocommit} (one per session, made on first use). */
type Host = AutocommitHost<DsqlClient, Result, Statement>;

/**
 * drizzle-dsql's session: Drizzle's node-postgres session whose prepared
 * queries all run through one gate, in `run()`, for every backend (DSQL,
 * PostgreSQL, PGlite) and for the builder, `db.query.*`, `db.execute` and
 * transactions alike. The gate plans the text (DSQL's rules on local twins,
 * the tenant rewrite), binds the tenant, and runs it with OCC retry and error
 * mapping; on local backends the twin executor does the twin's work around
 * each statement. `transaction()` routes the transaction's statements
 * through the same gate and never nests.
 */
export class DsqlSession<
  TFullSchema extends Record<string, unknown>,
  TSchema extends TablesRelationalConfig,
> extends NodePgSession<TFullSchema, TSchema> {
  static override readonly [entityKind]: string = "DsqlSession";

  constructor(
    readonly runner: DsqlClient,
    readonly pgDialect: PgDialect,
    readonly relationalSchema: RelationalSchemaConfig<TSchema> | undefined,
    readonly context: SessionContext,
    readonly scope: Scope,
    private readonly tx: TransactionContext | undefined = undefined,
  ) {
    super(runner, pgDialect, relationalSchema, { logger: context.logger, cache: context.cache });
  }

  /** A session for the same connection and transaction acting under another scope. */
  withScope(scope: Scope): DsqlSession<TFullSchema, TSchema> {
    return new DsqlSession(
      this.runner,
      this.pgDialect,
      this.relationalSchema,
      this.context,
      scope,
      this.tx,
    );
  }

  override prepareQuery<T extends PreparedQueryConfig = PreparedQueryConfig>(
    query: Query,
    fields: SelectedFieldsOrdered | undefined,
    name: string | undefined,
    isResponseInArrayMode: boolean,
    customResultMapper?: (rows: unknown[][]) => T["execute"],
    queryMetadata?: { type: "select" | "update" | "delete" | "insert"; tables: string[] },
    cacheConfig?: Parameters<NodePgSession<TFullSchema, TSchema>["prepareQuery"]>[6],
  ): PgPreparedQuery<T> {
    return new DsqlPreparedQuery<T>(
      this,
      query.sql,
      query.params,
      fields,
      name,
      isResponseInArrayMode,
      customResultMapper,
      this.context.cache,
      queryMetadata,
      cacheConfig,
    );
  }

  /**
   * @internal The gate: plan the text (cached), bind the tenant, apply the
   * twin's rules, run with OCC retry outside transactions, map errors.
   */
  async run(
    sql: string,
    params: unknown[],
    rowMode: "array" | undefined,
    name: string | undefined,
    prepared: DsqlPreparedQuery<PreparedQueryConfig>,
  ): Promise<Result> {
    if (!parserLoaded()) await loadParser();
    const plan = this.context.gate.plan(sql, this.scope.kind);
    const { context, scope, tx } = this;
    if (
      plan.sessionEffect !== undefined &&
      checkSessionEffect(plan.sessionEffect, plan.text, {
        inTransaction: tx !== undefined,
        sharedSession: context.sharedSession,
      }) &&
      tx
    )
      tx.dirty = true;
    const bound = bindTenant(plan, params, scope.tenantId);
    context.logger?.logQuery(plan.text, bound);
    const config: pg.QueryConfig = {
      text: plan.text,
      name: name && scope.kind !== "default" ? `${name}_${scope.kind}` : name,
      rowMode,
      types: context.local && !context.enforce ? stockDrizzleTypes : drizzleTypes,
    } as pg.QueryConfig;
    if (tx) {
      const twin = tx.twin;
      const statement = new Statement(
        this.runner,
        plan,
        config,
        bound,
        prepared,
        twin?.state,
        twin,
        true,
      );
      try {
        return await this.#execute(statement);
      } catch (error) {
        tx.firstError ??= error;
        throw this.#mapError(error, plan.text);
      }
    }
    // The first attempt runs inline; the retry loop (and its closure) only after a failure.
    try {
      return await this.#autocommit(plan, config, bound, prepared);
    } catch (first) {
      try {
        return await retryAfterFirst(context.retry, toConnectionError(first, false), () =>
          this.#autocommit(plan, config, bound, prepared).catch((error: unknown) => {
            throw toConnectionError(error, false);
          }),
        );
      } catch (error) {
        throw this.#mapError(error, plan.text);
      }
    }
  }

  /** Typed connection errors; with `dsqlRules: "off"` on a local backend, server errors as drizzle raises them. */
  #mapError(error: unknown, statement?: string): unknown {
    const typed = toConnectionError(error, false);
    if (typed !== error) return typed;
    const mapped = mapServerError(error, statement);
    // Rules off on a local backend: stock errors, but the tenant scope's own
    // refusals (its reference checks fail as 22P02) stay typed.
    if (this.context.local && !this.context.enforce && !(mapped instanceof TenantScopeError))
      return error;
    return mapped;
  }

  /** A statement outside `db.transaction()`: under DSQL's rules, the twin's per-statement transaction. */
  #autocommit(
    plan: StatementPlan,
    config: pg.QueryConfig,
    params: unknown[],
    prepared: DsqlPreparedQuery<PreparedQueryConfig>,
  ): Promise<Result> {
    const twin = this.context.twin;
    const statement = new Statement(
      this.runner,
      plan,
      config,
      params,
      prepared,
      undefined,
      undefined,
      false,
    );
    if (!this.context.enforce || !twin) return this.#execute(statement);
    this.#host ??= this.#makeHost();
    return twin.autocommit(plan, params, this.#host, statement);
  }

  #host: Host | undefined;

  #makeHost(): Host {
    const runner = this.runner;
    return {
      pooled: isPool(runner),
      execute: (statement, client, state, inTransaction) => {
        statement.client = client ?? runner;
        statement.state = state;
        statement.inTransaction = inTransaction;
        return this.#execute(statement);
      },
      inOwnTransaction: (_statement, work) => inOwnTransaction(runner as pg.Pool, work),
    };
  }

  #execute(statement: Statement): Promise<Result> {
    const twin = this.context.twin;
    return twin ? twin.execute(statement) : statement.send();
  }

  override async transaction<T>(
    transaction: (tx: DsqlTransaction<TFullSchema, TSchema>) => Promise<T>,
    config?: DsqlTransactionConfig,
  ): Promise<T> {
    if (this.tx) throw nestedTransactionError();
    const retry = resolveRetry(config?.retry, this.context.retry);
    const modes = transactionModes(config, this.#dsqlSemantics, this.context.local);
    const begin = modes ? `BEGIN ${modes}` : "BEGIN";
    try {
      return await withOccRetry(retry, () => this.#attempt(transaction, begin));
    } catch (error) {
      throw this.#mapError(error);
    }
  }

  /** Whether transactions follow DSQL's rules (DSQL itself, or a twin enforcing them). */
  get #dsqlSemantics(): boolean {
    return !this.context.local || this.context.enforce;
  }

  /** @internal `tx.setTransaction()`: the same modes `transaction(fn, config)` would set. */
  async setTransaction(config: PgTransactionConfig): Promise<void> {
    const modes = transactionModes(config, this.#dsqlSemantics, false);
    if (!modes) return;
    try {
      await this.runner.query(`SET TRANSACTION ${modes}`);
    } catch (error) {
      if (this.tx) this.tx.firstError ??= error;
      throw this.#mapError(new DrizzleQueryError(`SET TRANSACTION ${modes}`, [], error as Error));
    }
  }

  /**
   * @internal A nested transaction through a savepoint: only with
   * `dsqlRules: "off"` on a local backend (DSQL has no SAVEPOINT).
   */
  async savepoint<T>(depth: number, work: () => Promise<T>): Promise<T> {
    const tx = this.tx;
    if (!tx || this.#dsqlSemantics) throw nestedTransactionError();
    const name = `sp${depth}`;
    const statement = async (text: string) => {
      try {
        await this.runner.query(text);
      } catch (error) {
        tx.firstError ??= error;
        throw this.#mapError(new DrizzleQueryError(text, [], error as Error));
      }
    };
    const before = tx.firstError;
    await statement(`savepoint ${name}`);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await statement(`rollback to savepoint ${name}`);
      // The failure was rolled back with the savepoint; the outer transaction goes on.
      tx.firstError = before;
      throw error;
    }
    await statement(`release savepoint ${name}`);
    return result;
  }

  async #attempt<T>(
    transaction: (tx: DsqlTransaction<TFullSchema, TSchema>) => Promise<T>,
    begin: string,
  ): Promise<T> {
    const { context, pgDialect, relationalSchema } = this;
    const twin = context.twin;
    const tx: TransactionContext = {
      twin: twin?.openTransaction(),
      firstError: undefined,
      dirty: false,
    };
    return runTransaction(this.runner, {
      begin,
      work: (client) => {
        const session = new DsqlSession(
          client,
          pgDialect,
          relationalSchema,
          context,
          this.scope,
          tx,
        );
        return transaction(new DsqlTransaction(pgDialect, session, relationalSchema));
      },
      beforeCommit: async () => {
        if (tx.firstError) throw tx.firstError;
        if (tx.twin) await twin?.beforeCommit(tx.twin);
      },
      rolledBack: () => {
        if (tx.twin) twin?.rolledBack(tx.twin);
      },
      dirty: () => (tx.dirty ? new Error("session state changed") : undefined),
    });
  }
}
