import { errorForRule, SqlSyntaxError, TenantScopeError } from "../errors.js";
import { checkStatement, newRuleContext } from "../rules/index.js";
import type { Finding } from "../rules/types.js";
import { classifyStatement, type StatementKind } from "../sql/classify.js";
import { LruCache } from "../sql/lru.js";
import {
  deparse,
  type ParsedStatement,
  parseStatements,
  withoutAsyncKeywords,
} from "../sql/parser.js";
import { isPlainInsert } from "../sql/plain-insert.js";
import { maxRowsWritten, type PrimaryKeys } from "../sql/row-bound.js";
import { assertNotScoped, planTenantStatement } from "../tenant/index.js";
import type { TenantRegistry } from "../tenant/types.js";
import { asyncObjectName, SYS_REFERENCE } from "../twin/async-ddl.js";
import { needsCatalog } from "../twin/catalog-context.js";
import { type StatementPart, textKind, transactionControl } from "../twin/text-parts.js";
import { mayChangeSession, type SessionEffect, sessionEffectOf } from "./session-state.js";

/** Which statements a handle may run and how: the plain db, a tenant scope, or the explicit unscoped handle. */
export type ScopeKind = "default" | "tenant" | "unscoped";

/**
 * How to run one SQL text. It depends only on the text and the scope kind,
 * never on parameter values or the tenant id, so it is cached and shared.
 */
export interface StatementPlan {
  /** The text sent to the server (tenant-rewritten, ASYNC stripped on twins). */
  readonly text: string;
  readonly kind: StatementKind;
  /** Rows the statement writes at most, when the text says (INSERT ... VALUES, UPDATE/DELETE by primary key). */
  readonly knownRows: number | undefined;
  /** Twin: the statement was DSQL ASYNC DDL; record a job after it runs. */
  readonly asyncObject: string | undefined;
  /** Twin: the statement uses DSQL's `sys.*` job objects. */
  readonly usesSys: boolean;
  /** 1-based `$n` carrying the tenant id, or 0. */
  readonly tenantParam: number;
  /** 1-based parameters that must equal the tenant id. */
  readonly checkParams: readonly number[];
  /** Twin: DDL whose rules need the live table's definition, checked at execution. */
  readonly catalogStatement?: ParsedStatement;
  /**
   * Twin: an `INSERT ... VALUES` of parameters and constants only: its rows
   * and values are known before it runs (small ones need no server check).
   */
  readonly sentValuesOnly?: boolean;
  /** Twin: every statement of a text that holds more than one, for the transaction rules. */
  readonly parts?: readonly StatementPart[];
  /** Transaction control or session state the text would leave on its connection. */
  readonly sessionEffect?: SessionEffect;
}

/** What the gate needs to know about its database handle. */
export interface GateOptions {
  /** Enforce DSQL's rules locally (the twin). */
  enforce: boolean;
  /** Whether the server is a local twin (PGlite / PostgreSQL), for ASYNC translation. */
  local: boolean;
  /** Tenant registry when the db was configured with `tenant`. */
  tenant: TenantRegistry | undefined;
  /** Distinct SQL texts kept per scope kind. */
  cacheSize: number;
  /** Primary keys of the schema's tables, to bound the rows an UPDATE/DELETE writes. */
  primaryKeys?: PrimaryKeys;
}

interface Analysis {
  statements: ParsedStatement[];
  syntaxError: SqlSyntaxError | undefined;
}

type Cached = { plan: StatementPlan } | { error: Error };

const MAX_CACHED_TREE_TEXT = 16_384;

function insertRowCount(stmt: ParsedStatement): number | undefined {
  if (stmt.type !== "InsertStmt") return undefined;
  const insert = (
    stmt.node as {
      InsertStmt: {
        selectStmt?: { SelectStmt?: { valuesLists?: unknown[]; op?: string } };
        withClause?: unknown;
      };
    }
  ).InsertStmt;
  const select = insert.selectStmt?.SelectStmt;
  if (insert.withClause || !select?.valuesLists || (select.op && select.op !== "SETOP_NONE"))
    return undefined;
  return select.valuesLists.length;
}

/**
 * The one gate every statement passes (builder, `db.query.*`, `db.execute`
 * and transactions alike, where the session runs it): parses each distinct SQL
 * text once, checks it against DSQL's rules (twin), plans the tenant rewrite,
 * and works out the local form. Results, refusals included, are cached in a
 * bounded LRU per scope kind.
 */
export class StatementGate {
  readonly #options: GateOptions;
  readonly #analyses: LruCache<string, Analysis>;
  readonly #plans: Record<ScopeKind, LruCache<string, Cached>>;

  constructor(options: GateOptions) {
    this.#options = options;
    this.#analyses = new LruCache(options.cacheSize);
    this.#plans = {
      default: new LruCache(options.cacheSize),
      tenant: new LruCache(options.cacheSize),
      unscoped: new LruCache(options.cacheSize),
    };
  }

  /** Whether this gate scopes tenants at all. */
  get scoping(): boolean {
    return this.#options.tenant !== undefined;
  }

  /**
   * The plan for `sql` under `scope`; throws the typed refusal (the same each
   * time) when DSQL or the tenant scope would refuse it. Needs the parser loaded.
   */
  plan(sql: string, scope: ScopeKind): StatementPlan {
    const cache = this.#plans[scope];
    let cached = cache.get(sql);
    if (!cached) {
      try {
        cached = { plan: { ...this.#build(sql, scope), sessionEffect: this.#sessionEffect(sql) } };
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        cached = { error };
      }
      cache.set(sql, cached);
    }
    if ("error" in cached) throw cached.error;
    return cached.plan;
  }

  #analyse(sql: string): Analysis {
    let analysis = this.#analyses.get(sql);
    if (!analysis) {
      try {
        analysis = { statements: parseStatements(sql), syntaxError: undefined };
      } catch (error) {
        if (!(error instanceof SqlSyntaxError)) throw error;
        analysis = { statements: [], syntaxError: error };
      }
      // Parse trees of big texts (a 3,000-row INSERT holds over a MiB) are
      // not kept: the per-scope plans cached below are all a hit needs.
      if (sql.length <= MAX_CACHED_TREE_TEXT) this.#analyses.set(sql, analysis);
    }
    return analysis;
  }

  #sessionEffect(sql: string): SessionEffect {
    return mayChangeSession(sql) ? sessionEffectOf(this.#analyse(sql).statements) : undefined;
  }

  #knownRows(stmt: ParsedStatement): number | undefined {
    const keys = this.#options.primaryKeys;
    return insertRowCount(stmt) ?? (keys ? maxRowsWritten(stmt, keys) : undefined);
  }

  /**
   * A text of several statements: on twins each statement counts under the
   * transaction rules as if sent alone (see `TwinTransactionState.beforeText`).
   * The text is sent as written, ASYNC keywords blanked on local servers.
   */
  #multiStatementPlan(sql: string, statements: readonly ParsedStatement[]): StatementPlan {
    const parts = statements.map((stmt): StatementPart => {
      const kind = classifyStatement(stmt);
      const txn = (stmt.node as { TransactionStmt?: { kind?: string } }).TransactionStmt;
      return {
        kind,
        knownRows: kind === "dml" ? this.#knownRows(stmt) : undefined,
        control: txn ? transactionControl(txn.kind) : undefined,
      };
    });
    const local = this.#options.local;
    const plan = plainPlan(local ? withoutAsyncKeywords(sql) : sql, textKind(parts));
    const enforce = this.#options.enforce;
    // A text that passes the transaction rules holds one DDL statement per
    // transaction; the first that needs the live catalog is checked with it.
    const catalogStatement = enforce ? statements.find(needsCatalog) : undefined;
    return {
      ...plan,
      usesSys: local && (statements.some((stmt) => stmt.async) || SYS_REFERENCE.test(sql)),
      parts: enforce ? parts : undefined,
      ...(catalogStatement ? { catalogStatement } : {}),
    };
  }

  #build(sql: string, scope: ScopeKind): StatementPlan {
    const registry = this.#options.tenant;
    // On DSQL itself, without tenant scoping, nothing here needs the parse:
    // the server enforces its own rules.
    if (!this.#options.local && !this.#options.enforce && registry === undefined) {
      return plainPlan(sql, "other");
    }
    const { statements, syntaxError } = this.#analyse(sql);
    const scoped = registry !== undefined && scope !== "unscoped";
    if (syntaxError) {
      if (scoped) {
        throw new TenantScopeError(
          `Tenant scope refused a statement it cannot parse: ${syntaxError.message}`,
          {
            cause: syntaxError,
          },
        );
      }
      // Let the server report its own syntax error.
      return plainPlan(sql, "other");
    }
    if (scoped && statements.length !== 1) {
      throw new TenantScopeError(
        `Tenant scope runs one statement per query; got ${statements.length}`,
      );
    }
    if (this.#options.enforce) {
      for (const stmt of statements) {
        const refusal = checkStatement(stmt, newRuleContext()).find(
          (f: Finding) => f.severity === "error",
        );
        if (refusal) throw errorForRule(refusal);
      }
    }
    const first = statements[0];
    if (!first) return plainPlan(sql, "other");
    if (statements.length > 1) {
      if (registry && scope === "default")
        for (const stmt of statements) assertNotScoped(stmt, registry);
      return this.#multiStatementPlan(sql, statements);
    }
    const kind = classifyStatement(first);
    if (registry && scope === "tenant") {
      const tenantPlan = planTenantStatement(first, registry);
      return {
        text: tenantPlan.sql,
        kind,
        sentValuesOnly: this.#options.enforce && isPlainInsert(first),
        knownRows: this.#knownRows(first),
        asyncObject: undefined,
        usesSys: false,
        tenantParam: tenantPlan.tenantParam,
        checkParams: tenantPlan.checkParams,
      };
    }
    if (registry && scope === "default") assertNotScoped(first, registry);
    const local = this.#options.local;
    const asyncObject = local ? asyncObjectName(first) : undefined;
    return {
      text: asyncObject ? deparse(first.node) : sql,
      kind,
      sentValuesOnly: this.#options.enforce && isPlainInsert(first),
      knownRows: this.#knownRows(first),
      asyncObject,
      usesSys: local && (asyncObject !== undefined || SYS_REFERENCE.test(sql)),
      tenantParam: 0,
      checkParams: [],
      catalogStatement: this.#options.enforce && needsCatalog(first) ? first : undefined,
    };
  }
}

function plainPlan(sql: string, kind: StatementKind): StatementPlan {
  return {
    text: sql,
    kind,
    knownRows: undefined,
    asyncObject: undefined,
    usesSys: false,
    tenantParam: 0,
    checkParams: [],
  };
}
