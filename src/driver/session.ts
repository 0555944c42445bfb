import type { Cache } from "drizzle-orm/cache/core";
import { entityKind } from "drizzle-orm/entity";
import { DrizzleQueryError } from "drizzle-orm/errors";
import type { Logger } from "drizzle-orm/logger";
import { NodePgSession, NodePgTransaction } from "drizzle-orm/node-postgres/session";
import type { PgDialect, PgTransactionConfig, SelectedFieldsOrdered } from "drizzle-orm/pg-core";
import { PgPreparedQuery, type PreparedQueryConfig } from "drizzle-orm/pg-core/session";
import type { RelationalSchemaConfig, TablesRelationalConfig } from "drizzle-orm/relations";
import { fillPlaceholders, type Query } from "drizzle-orm/sql/sql";
import type pg from "pg";
import { DsqlSessionStateError, errorForRule, TenantScopeError } from "../errors.js";
import { checkStatement } from "../rules/index.js";
import { loadParser, type ParsedStatement, parserLoaded } from "../sql/parser.js";
import { catalogRuleContext } from "../twin/catalog-context.js";
import { ensureSysObjects, forgetSysObjects, type Queryable, recordJob } from "../twin/jobs.js";
import { approximateWriteBytes, sentRowsWithinLimits, type TwinLimits } from "../twin/limits.js";
import { forgetTableLayouts, ServerWrites } from "../twin/server-writes.js";
import { hasTransactionControl } from "../twin/text-parts.js";
import { TwinTransactionState } from "../twin/transaction-state.js";
import {
  commitUnknown,
  isConnectionFailure,
  toConnectionError,
  wasNotSent,
} from "./connection-errors.js";
import { checkOut, failureOf, type Lease, queryOnPool } from "./connections.js";
import { mapResultRow } from "./drizzle-internals.js";
import { mapServerError } from "./error-mapping.js";
import type { ScopeKind, StatementGate, StatementPlan } from "./gate.js";
import { type ResolvedRetry, type RetryOptions, resolveRetry, withOccRetry } from "./retry.js";
import { nestedTransactionError, transactionModes } from "./transaction-config.js";
import { drizzleTypes } from "./type-parsers.js";

/** A pool (pg.Pool, AuroraDSQLPool) or a single connection. */
export type DsqlClient = pg.Pool | pg.PoolClient | pg.Client;

/** Everything a db handle's sessions share. */
export interface SessionContext {
  gate: StatementGate;
  /** Twin: enforce DSQL's transaction rules and translate ASYNC DDL. */
  enforce: boolean;
  local: boolean;
  /** Every connection shares one server session (embedded PGlite): destroying one resets nothing. */
  sharedSession: boolean;
  limits: TwinLimits;
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
  state: TwinTransactionState | undefined;
  /** Twin: what the server wrote in this transaction, checked before COMMIT. */
  writes: ServerWrites | undefined;
  firstError: unknown;
  usedSys: boolean;
  /** A statement changed session state: the connection is destroyed, not pooled again. */
  dirty: boolean;
}

type Result = pg.QueryResult<Record<string, unknown>>;

interface PreparedQueryInternals {
  joinsNotNullableMap: unknown;
  queryWithCache(text: string, params: unknown[], query: () => Promise<Result>): Promise<Result>;
}

const DATA_ERRORS = new Set(["23505", "23514", "23502", "23503"]);

/** Twin: whether the statement's writes are known before it runs, so no server check follows it. */
function knownBeforeRun(plan: StatementPlan, params: unknown[], limits: TwinLimits): boolean {
  return plan.sentValuesOnly === true && sentRowsWithinLimits(params, plan.knownRows ?? 1, limits);
}

function isPool(client: DsqlClient): client is pg.Pool {
  return typeof (client as pg.Pool).totalCount === "number";
}

/** Rolls back; returns the error when the connection could not (it must then be destroyed). */
async function rollbackQuietly(client: DsqlClient): Promise<Error | undefined> {
  try {
    await client.query("ROLLBACK");
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/** Binds the tenant id as the plan's extra parameter and checks the caller's tenant parameters. */
function bindTenant(plan: StatementPlan, params: unknown[], scope: Scope): unknown[] {
  if (plan.tenantParam === 0 && plan.checkParams.length === 0) return params;
  const tenantId = scope.tenantId;
  if (tenantId === undefined) throw new TenantScopeError("Tenant scope has no tenant id");
  for (const n of plan.checkParams) {
    const value = params[n - 1];
    if (typeof value !== "string" || value !== tenantId) {
      throw new TenantScopeError(
        `Tenant scope refused a write: parameter $${n} sets the tenant column to a different tenant than the scope's`,
      );
    }
  }
  if (plan.tenantParam === 0) return params;
  // The tenant goes one past the text's parameters, or into a number the text skips.
  const bound = params.slice(0, Math.max(plan.tenantParam - 1, params.length));
  while (bound.length < plan.tenantParam - 1) bound.push(null);
  bound[plan.tenantParam - 1] = tenantId;
  return bound;
}

/**
 * The prepared statement drizzle-dsql hands to Drizzle: it runs through its
 * session's gate on every execution (a cache hit after the first).
 */
export class DsqlPreparedQuery<T extends PreparedQueryConfig> extends PgPreparedQuery<T> {
  static override readonly [entityKind]: string = "DsqlPreparedQuery";

  constructor(
    private readonly session: DsqlSession<Record<string, unknown>, TablesRelationalConfig>,
    private readonly queryString: string,
    private readonly params: unknown[],
    private readonly fields: SelectedFieldsOrdered | undefined,
    private readonly name: string | undefined,
    private readonly arrayMode: boolean,
    private readonly customResultMapper: ((rows: unknown[][]) => T["execute"]) | undefined,
    cache: Cache | undefined,
    queryMetadata:
      | { type: "select" | "update" | "delete" | "insert"; tables: string[] }
      | undefined,
    cacheConfig: Parameters<
      NodePgSession<Record<string, unknown>, TablesRelationalConfig>["prepareQuery"]
    >[6],
  ) {
    super({ sql: queryString, params }, cache, queryMetadata, cacheConfig);
  }

  override async execute(placeholderValues: Record<string, unknown> = {}): Promise<T["execute"]> {
    const params = fillPlaceholders(this.params, placeholderValues);
    const rowMode = this.fields || this.customResultMapper ? "array" : undefined;
    const result = await this.session.run(this.queryString, params, rowMode, this.name, this);
    if (!rowMode) return result as T["execute"];
    const rows = result.rows as unknown as unknown[][];
    if (this.customResultMapper) return this.customResultMapper(rows);
    const fields = this.fields as SelectedFieldsOrdered;
    return rows.map((row) =>
      mapResultRow(fields, row, this.#internals.joinsNotNullableMap),
    ) as T["execute"];
  }

  get #internals(): PreparedQueryInternals {
    return this as unknown as PreparedQueryInternals;
  }

  async all(placeholderValues: Record<string, unknown> = {}): Promise<T["all"]> {
    const params = fillPlaceholders(this.params, placeholderValues);
    const result = await this.session.run(this.queryString, params, undefined, this.name, this);
    return result.rows as T["all"];
  }

  /** @internal Runs `query` through Drizzle's cache layer and error wrapping. */
  runCached(text: string, params: unknown[], query: () => Promise<Result>): Promise<Result> {
    return this.#internals.queryWithCache(text, params, query);
  }

  /** @internal */
  isResponseInArrayMode(): boolean {
    return this.arrayMode;
  }
}

/**
 * drizzle-dsql's session: Drizzle's node-postgres session with one gate in
 * `prepareQuery` for every backend (DSQL, PostgreSQL, PGlite). The gate
 * applies DSQL's rules on local twins, the tenant rewrite, OCC retry and
 * error mapping; `transaction()` routes the transaction's statements through
 * the same gate and never nests.
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
      this as unknown as DsqlSession<Record<string, unknown>, TablesRelationalConfig>,
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
    this.#checkSessionEffect(plan);
    const bound = bindTenant(plan, params, this.scope);
    this.context.logger?.logQuery(plan.text, bound);
    const config: pg.QueryConfig = {
      text: plan.text,
      name: name && this.scope.kind !== "default" ? `${name}_${this.scope.kind}` : name,
      rowMode,
      types: drizzleTypes,
    } as pg.QueryConfig;
    if (this.tx) {
      try {
        return await this.#execute(this.runner, plan, config, bound, prepared, this.tx.state, true);
      } catch (error) {
        this.tx.firstError ??= error;
        throw this.#mapError(error, plan.text);
      }
    }
    try {
      return await withOccRetry(this.context.retry, () =>
        this.#autocommit(plan, config, bound, prepared).catch((error: unknown) => {
          throw toConnectionError(error, false);
        }),
      );
    } catch (error) {
      throw this.#mapError(error, plan.text);
    }
  }

  /**
   * Pool hygiene: transaction control belongs to `db.transaction()` alone;
   * session state is refused outside a transaction and, inside one, gets the
   * connection destroyed instead of pooled again.
   */
  #checkSessionEffect(plan: StatementPlan): void {
    const effect = plan.sessionEffect;
    if (effect === undefined) return;
    const shown = plan.text.length > 80 ? `${plan.text.slice(0, 77)}...` : plan.text;
    const refuse = (why: string) =>
      new DsqlSessionStateError(`Refused ${JSON.stringify(shown)}: ${why}`);
    if (effect === "own-transaction" && !this.tx) return;
    if (effect === "transaction" || effect === "own-transaction") {
      throw refuse(
        "transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ...) through execute() would leave the pooled connection in a transaction the next caller inherits; use db.transaction() (tx.rollback() to roll back)",
      );
    }
    if (this.tx && !this.context.sharedSession) {
      this.tx.dirty = true;
      return;
    }
    if (this.tx) {
      throw refuse(
        "a session setting inside db.transaction() would outlive it: embedded PGlite serves every connection from one session; use SET LOCAL (or set_config(..., true))",
      );
    }
    throw refuse(
      "a session setting (SET, RESET, SET ROLE, DISCARD, PREPARE, LISTEN, temp objects, set_config, advisory locks) outside db.transaction() would stay on the pooled connection for the next caller; use SET LOCAL (or set_config(..., true)) inside db.transaction()",
    );
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

  async #autocommit(
    plan: StatementPlan,
    config: pg.QueryConfig,
    params: unknown[],
    prepared: DsqlPreparedQuery<PreparedQueryConfig>,
  ): Promise<Result> {
    const { enforce, limits } = this.context;
    if (!enforce)
      return this.#execute(this.runner, plan, config, params, prepared, undefined, false);
    const state = new TwinTransactionState(limits);
    // DSQL counts what a transaction writes even for one statement: writes
    // run in a transaction of their own, checked against the server's own
    // counters before COMMIT, so that crossing a limit leaves nothing behind.
    // (A text that writes its own BEGIN / COMMIT is sent as written.)
    const ownTransaction =
      plan.kind === "dml" &&
      !knownBeforeRun(plan, params, limits) &&
      isPool(this.runner) &&
      !(plan.parts && hasTransactionControl(plan.parts));
    if (!ownTransaction) {
      return this.#execute(this.runner, plan, config, params, prepared, state, false);
    }
    const { client, release } = await checkOut(this.runner);
    let broken: Error | undefined;
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
      try {
        const writes = await ServerWrites.start(client, limits, this.context);
        const result = await this.#execute(client, plan, config, params, prepared, state, true);
        await writes.checkBeforeCommit();
        await this.#commit(client);
        return result;
      } catch (error) {
        broken = await rollbackQuietly(client);
        throw error;
      }
    } catch (error) {
      // Up to COMMIT nothing took effect: a lost connection is safe to retry.
      throw toConnectionError(error, true);
    } finally {
      release(broken);
    }
  }

  /** COMMIT; a connection lost after it was sent leaves the outcome unknown. */
  async #commit(client: pg.PoolClient | DsqlClient): Promise<void> {
    const brokenBefore = failureOf(client) !== undefined;
    try {
      await client.query("COMMIT");
    } catch (error) {
      if (!isConnectionFailure(error)) throw new DrizzleQueryError("COMMIT", [], error as Error);
      if (brokenBefore || wasNotSent(error)) throw toConnectionError(error, true);
      throw commitUnknown(error);
    }
  }

  async #execute(
    client: DsqlClient,
    plan: StatementPlan,
    config: pg.QueryConfig,
    params: unknown[],
    prepared: DsqlPreparedQuery<PreparedQueryConfig>,
    state: TwinTransactionState | undefined,
    inTransaction: boolean,
  ): Promise<Result> {
    const writeBytes = state && plan.kind === "dml" ? approximateWriteBytes(plan.text, params) : 0;
    if (plan.parts) state?.beforeText(plan.parts);
    else state?.beforeStatement(plan.kind, writeBytes, plan.knownRows, plan.text);
    const known = plan.kind === "dml" && knownBeforeRun(plan, params, this.context.limits);
    if (this.tx?.state && plan.kind === "dml" && !known && !this.tx.writes) {
      const { rows, bytes } = this.tx.state;
      this.tx.writes = await ServerWrites.start(
        client as unknown as Queryable,
        this.context.limits,
        this.context,
        { rows, bytes },
      );
    }
    if (plan.catalogStatement) await checkAgainstCatalog(client, plan.catalogStatement);
    if (plan.usesSys) {
      await ensureSysObjects(this.context, client);
      if (this.tx) this.tx.usedSys = true;
    }
    const run = () =>
      (isPool(client)
        ? plan.sessionEffect === "own-transaction"
          ? queryOnOwnConnection(client, config, params)
          : queryOnPool(client, config, params)
        : client.query(config, params)) as Promise<Result>;
    let result: Result;
    if (plan.asyncObject) {
      result = await this.#executeAsyncDdl(client, plan, params, prepared, run, inTransaction);
    } else {
      result = await prepared.runCached(plan.text, params, run);
    }
    if (!plan.parts) state?.afterStatement(plan.kind, writeBytes, result.rowCount, plan.text);
    if (plan.kind === "ddl") forgetTableLayouts(this.context);
    else if (plan.kind === "dml" && !known) await this.tx?.writes?.checkRows();
    return result;
  }

  /** Twin: DSQL's ASYNC DDL runs synchronously here and answers with a job id. */
  async #executeAsyncDdl(
    client: DsqlClient,
    plan: StatementPlan,
    params: unknown[],
    prepared: DsqlPreparedQuery<PreparedQueryConfig>,
    run: () => Promise<Result>,
    inTransaction: boolean,
  ): Promise<Result> {
    const objectName = plan.asyncObject ?? "object";
    try {
      await prepared.runCached(plan.text, params, run);
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      // On DSQL a build that meets bad data fails as a job, not as the statement.
      if (inTransaction || !code || !DATA_ERRORS.has(code)) throw error;
      const cause = (error as { cause?: Error }).cause;
      return (await recordJob(
        client,
        "failed",
        objectName,
        cause?.message ?? String(error),
      )) as Result;
    }
    return (await recordJob(client, "completed", objectName, null)) as Result;
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
    const { client, release }: { client: DsqlClient; release: Lease["release"] } = isPool(
      this.runner,
    )
      ? await checkOut(this.runner)
      : { client: this.runner, release: () => {} };
    const tx: TransactionContext = {
      state: this.context.enforce ? new TwinTransactionState(this.context.limits) : undefined,
      writes: undefined,
      firstError: undefined,
      usedSys: false,
      dirty: false,
    };
    const session = new DsqlSession(
      client,
      this.pgDialect,
      this.relationalSchema,
      this.context,
      this.scope,
      tx,
    );
    const txDb = new DsqlTransaction<TFullSchema, TSchema>(
      this.pgDialect,
      session,
      this.relationalSchema,
    );
    try {
      await client.query(begin);
    } catch (error) {
      release(error as Error);
      // Nothing ran: a connection failure here is safe to retry.
      throw toConnectionError(new DrizzleQueryError(begin, [], error as Error), true);
    }
    const dirty = () => (tx.dirty ? new Error("session state changed") : undefined);
    let result: T;
    try {
      result = await transaction(txDb);
      if (tx.firstError) throw tx.firstError;
      tx.state?.checkAge();
      await tx.writes?.checkBeforeCommit();
    } catch (error) {
      const broken = await rollbackQuietly(client);
      if (tx.usedSys) forgetSysObjects(this.context);
      release(broken ?? dirty());
      // COMMIT was never sent: a lost connection rolled the transaction back.
      throw toConnectionError(error, true);
    }
    try {
      await this.#commit(client);
    } catch (error) {
      const broken = isConnectionFailure(error) ? (error as Error) : await rollbackQuietly(client);
      if (tx.usedSys) forgetSysObjects(this.context);
      release(broken ?? dirty());
      throw error;
    }
    release(dirty());
    return result;
  }
}

/**
 * A text that writes its own BEGIN ... COMMIT: if it fails part-way its
 * connection may be left inside the transaction, so it is destroyed, never
 * pooled again.
 */
async function queryOnOwnConnection(
  pool: pg.Pool,
  config: pg.QueryConfig,
  params: unknown[],
): Promise<Result> {
  const lease = await checkOut(pool);
  try {
    const result = (await lease.client.query(config, params)) as Result;
    lease.release();
    return result;
  } catch (error) {
    // Embedded PGlite shares one session: close a transaction the text left open.
    if (!isConnectionFailure(error)) await lease.client.query("ROLLBACK").catch(() => {});
    lease.release(error instanceof Error ? error : new Error(String(error)));
    throw toConnectionError(error, wasNotSent(error));
  }
}

/**
 * Twin: applies the rules that need the target table's definition (24
 * indexes, jsonb index keys, primary-key columns, 255 columns) with the live
 * definition read from the catalog, as `check` does with the CREATE TABLE in view.
 */
async function checkAgainstCatalog(client: DsqlClient, stmt: ParsedStatement): Promise<void> {
  const ctx = await catalogRuleContext(client as unknown as Queryable, stmt);
  const refusal = checkStatement(stmt, ctx).find((finding) => finding.severity === "error");
  if (refusal) throw errorForRule(refusal);
}

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
    return (this as unknown as { session: DsqlSession<TFullSchema, TSchema> }).session;
  }

  override async transaction<T>(
    transaction: (tx: NodePgTransaction<TFullSchema, TSchema>) => Promise<T>,
  ): Promise<T> {
    const session = this.#session;
    const depth = this.nestedIndex + 1;
    return session.savepoint(depth, () =>
      transaction(
        new DsqlTransaction<TFullSchema, TSchema>(
          (this as unknown as { dialect: PgDialect }).dialect,
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
