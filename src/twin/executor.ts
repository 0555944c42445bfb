import { errorForRule } from "../errors.js";
import { checkStatement } from "../rules/index.js";
import type { StatementKind } from "../sql/classify.js";
import type { ParsedStatement } from "../sql/parser.js";
import { runAsyncDdl } from "./async-ddl.js";
import { catalogRuleContext } from "./catalog-context.js";
import { ensureSysObjects, forgetSysObjects, type Queryable } from "./jobs.js";
import { approximateWriteBytes, sentRowsWithinLimits, type TwinLimits } from "./limits.js";
import { type RowIdsStatement, rowIdsStatement, takeRowIds } from "./row-ids.js";
import { forgetTableLayouts, ServerWrites } from "./server-writes.js";
import { hasTransactionControl, type StatementPart } from "./text-parts.js";
import { TwinTransactionState } from "./transaction-state.js";

/** What the twin reads from a statement's plan (the driver's gate makes it). */
export interface TwinPlan {
  readonly text: string;
  readonly kind: StatementKind;
  /** Rows the statement writes at most, when the text says. */
  readonly knownRows: number | undefined;
  /** DSQL ASYNC DDL: the object it builds; a job is recorded after it runs. */
  readonly asyncObject: string | undefined;
  /** The statement uses DSQL's `sys.*` job objects. */
  readonly usesSys: boolean;
  /** DDL whose rules need the live table's definition. */
  readonly catalogStatement?: ParsedStatement;
  /** An `INSERT ... VALUES` of parameters and constants only. */
  readonly sentValuesOnly?: boolean;
  /** Every statement of a text that holds more than one. */
  readonly parts?: readonly StatementPart[];
}

/** The twin's share of one `db.transaction()`. */
export interface TwinTransaction {
  /** DSQL's transaction rules (when enforced). */
  readonly state: TwinTransactionState | undefined;
  /** What the server wrote, checked before COMMIT (started at the first write the client cannot size). */
  writes: ServerWrites | undefined;
  /** The transaction touched the `sys` job objects (a rollback may undo their creation). */
  usedSys: boolean;
}

/** One statement for {@link TwinExecutor.execute}. */
export interface TwinStatement<R> {
  /** The connection the statement runs on. */
  readonly client: Queryable;
  readonly plan: TwinPlan;
  readonly params: unknown[];
  /** The rules state it counts under: its transaction's, or its own outside one. */
  readonly state: TwinTransactionState | undefined;
  /** The enclosing `db.transaction()`, if any. */
  readonly tx: TwinTransaction | undefined;
  /** Whether it runs inside a transaction (its own or `db.transaction()`). */
  readonly inTransaction: boolean;
  /** Sends the statement to the server; `text`: a form of it with more RETURNING columns, sent instead. */
  send(text?: string): Promise<R>;
}

/** What the twin reads off a statement's result. */
export interface TwinResult {
  rowCount: number | null;
  rows: unknown[];
  fields?: unknown[];
}

// The server-side counting of a statement outside `db.transaction()` (its
// state is the key: the driver hands it back with the statement).
const ownWrites = new WeakMap<TwinTransactionState, ServerWrites>();

/**
 * How the driver runs one statement for {@link TwinExecutor.autocommit}: one
 * host per runner, made once; `call` is the statement at hand (so the common
 * path makes no closure per statement).
 */
export interface AutocommitHost<C extends Queryable, R, X> {
  /** Whether the runner is a pool, so a statement can have a connection and transaction of its own. */
  readonly pooled: boolean;
  /** Runs `call` on `client` (undefined: on the runner) under `state`. */
  execute(
    call: X,
    client: C | undefined,
    state: TwinTransactionState,
    inTransaction: boolean,
  ): Promise<R>;
  /** Runs `work` in a REPEATABLE READ transaction on a connection of its own, committed after it. */
  inOwnTransaction(call: X, work: (client: C) => Promise<R>): Promise<R>;
}

/** What a twin executor is configured with. */
export interface TwinExecutorOptions {
  /** Enforce DSQL's rules (off: `dsqlRules: "off"`, ASYNC and `sys.*` still emulated). */
  readonly enforce: boolean;
  readonly limits: TwinLimits;
}

/**
 * What a local twin does around each statement a db handle runs: DSQL's
 * transaction rules and limits, ASYNC DDL recorded as jobs, the rules that
 * need the live catalog. One per db handle: the `sys` objects and the table
 * layouts it caches belong to it.
 */
export class TwinExecutor {
  readonly enforce: boolean;
  readonly limits: TwinLimits;

  constructor(options: TwinExecutorOptions) {
    this.enforce = options.enforce;
    this.limits = options.limits;
  }

  /** The twin's state for a new `db.transaction()`. */
  openTransaction(): TwinTransaction {
    return {
      state: this.enforce ? new TwinTransactionState(this.limits) : undefined,
      writes: undefined,
      usedSys: false,
    };
  }

  /** Checks the transaction's age and the server's counters; throws DSQL's refusal. */
  async beforeCommit(tx: TwinTransaction): Promise<void> {
    tx.state?.checkAge();
    await tx.writes?.checkBeforeCommit();
  }

  /** After a rollback (or a failed COMMIT): the `sys` objects may be gone with it. */
  rolledBack(tx: TwinTransaction): void {
    if (tx.usedSys) forgetSysObjects(this);
  }

  /** Forgets that the `sys` objects exist (they were dropped). */
  forgetSysObjects(): void {
    forgetSysObjects(this);
  }

  /**
   * A statement outside `db.transaction()` under DSQL's rules: DSQL counts
   * what a transaction writes even for one statement, so writes run in a
   * transaction of their own, checked against the server's own counters
   * before COMMIT, and crossing a limit leaves nothing behind. (A text that
   * writes its own BEGIN / COMMIT is sent as written.)
   */
  autocommit<C extends Queryable, R, X>(
    plan: TwinPlan,
    params: unknown[],
    host: AutocommitHost<C, R, X>,
    call: X,
  ): Promise<R> {
    const state = new TwinTransactionState(this.limits);
    const ownTransaction =
      plan.kind === "dml" &&
      !this.#knownBeforeRun(plan, params) &&
      host.pooled &&
      !(plan.parts && hasTransactionControl(plan.parts));
    if (!ownTransaction) return host.execute(call, undefined, state, false);
    return host.inOwnTransaction(call, async (client) => {
      const writes = await ServerWrites.start(client, this.limits, this);
      ownWrites.set(state, writes);
      const result = await host.execute(call, client, state, true);
      await writes.checkBeforeCommit();
      return result;
    });
  }

  /** Runs one statement (`send`) with the twin's checks before and after it. */
  execute<R extends TwinResult>(statement: TwinStatement<R>): Promise<R> {
    const plan = statement.plan;
    // A read (or other statement that writes nothing) with nothing to check
    // against the server: the rules' check before it is all there is (the
    // record after it counts only DDL and DML), and no async layer is added.
    if (
      plan.kind !== "dml" &&
      plan.kind !== "ddl" &&
      !plan.parts &&
      !plan.catalogStatement &&
      !plan.usesSys &&
      !plan.asyncObject
    ) {
      try {
        statement.state?.beforeStatement(plan.kind, 0, plan.knownRows, plan.text);
      } catch (error) {
        return Promise.reject(error);
      }
      return statement.send();
    }
    return this.#executeChecked(statement);
  }

  async #executeChecked<R extends TwinResult>(statement: TwinStatement<R>): Promise<R> {
    const { client, plan, params, state, tx } = statement;
    const writeBytes = state && plan.kind === "dml" ? approximateWriteBytes(plan.text, params) : 0;
    if (plan.parts) state?.beforeText(plan.parts);
    else state?.beforeStatement(plan.kind, writeBytes, plan.knownRows, plan.text);
    const known = plan.kind === "dml" && this.#knownBeforeRun(plan, params);
    if (tx?.state && plan.kind === "dml" && !known && !tx.writes) {
      const { rows, bytes } = tx.state;
      tx.writes = await ServerWrites.start(client, this.limits, this, { rows, bytes });
    }
    if (plan.catalogStatement) await this.#checkAgainstCatalog(client, plan.catalogStatement);
    if (plan.usesSys) {
      await ensureSysObjects(this, client);
      if (tx) tx.usedSys = true;
    }
    const writes = tx ? tx.writes : state && ownWrites.get(state);
    const withIds = writes && (await this.#withRowIds(writes, plan));
    const result = plan.asyncObject
      ? await runAsyncDdl<R>(
          client,
          plan.asyncObject,
          () => statement.send(),
          statement.inTransaction,
        )
      : await statement.send(withIds?.text);
    if (withIds) writes?.record(takeRowIds(result, withIds));
    if (!plan.parts) state?.afterStatement(plan.kind, writeBytes, result.rowCount, plan.text);
    if (plan.kind === "ddl") forgetTableLayouts(this);
    else if (plan.kind === "dml" && !known) await tx?.writes?.checkRows();
    return result;
  }

  /**
   * While the server counts a transaction's writes: an INSERT or UPDATE of a
   * plain table is sent with the ids of the rows it writes added to its
   * RETURNING list, so the size check reads those rows by id instead of
   * scanning the table.
   */
  async #withRowIds(writes: ServerWrites, plan: TwinPlan): Promise<RowIdsStatement | undefined> {
    if (plan.kind !== "dml" || plan.parts || plan.asyncObject) return undefined;
    const statement = rowIdsStatement(plan);
    return statement && (await writes.writesTable(statement.target)) ? statement : undefined;
  }

  /** Whether the statement's writes are known before it runs, so no server check follows it. */
  #knownBeforeRun(plan: TwinPlan, params: unknown[]): boolean {
    return (
      plan.sentValuesOnly === true && sentRowsWithinLimits(params, plan.knownRows ?? 1, this.limits)
    );
  }

  /**
   * Applies the rules that need the target table's definition (24 indexes,
   * jsonb index keys, primary-key columns, 255 columns) with the live
   * definition read from the catalog, as `check` does with the CREATE TABLE in view.
   */
  async #checkAgainstCatalog(client: Queryable, stmt: ParsedStatement): Promise<void> {
    const ctx = await catalogRuleContext(client, stmt);
    const refusal = checkStatement(stmt, ctx).find((finding) => finding.severity === "error");
    if (refusal) throw errorForRule(refusal);
  }
}
