import { TenantScopeError } from "../errors.js";
import { bodyIfType, isObj, list, type Obj, stringOf, text } from "../sql/ast.js";
import { type ParsedStatement, parseStatements } from "../sql/parser.js";
import { freeParam, refuse, sameTree } from "./ast.js";
import { printStatement } from "./print.js";
import { rewriteStatement } from "./rewrite.js";
import type { TenantPlan, TenantRegistry } from "./types.js";
import { verifyTenantNode } from "./verify.js";

/** Transaction-control kinds a scope lets through unchanged (they touch no rows). */
const TRANSACTION_KINDS = new Set([
  "TRANS_STMT_BEGIN",
  "TRANS_STMT_START",
  "TRANS_STMT_COMMIT",
  "TRANS_STMT_ROLLBACK",
  "TRANS_STMT_SAVEPOINT",
  "TRANS_STMT_RELEASE",
  "TRANS_STMT_ROLLBACK_TO",
]);

const REWRITTEN = new Set(["SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt"]);

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/**
 * Plans one statement for a tenant scope: rewrites it so that every scoped
 * relation is filtered by the tenant id, bound as one extra parameter
 * (`$N+1`, N = the statement's highest `$n`, or the first number the text
 * skips), then verifies the rewritten text
 * independently (the text must parse back to the rewritten tree, and every
 * scoped reference must carry its predicate). The plan depends only on the SQL text and the registry, so
 * it may be cached by text and shared between tenants.
 *
 * Transaction control (BEGIN, COMMIT, ROLLBACK, savepoints) comes back
 * unchanged with `tenantParam` 0: bind nothing extra.
 *
 * @example
 * ```ts
 * const [stmt] = parseStatements('select * from "orders" where "orders"."id" = $1');
 * planTenantStatement(stmt, registry);
 * // { sql: 'SELECT * FROM orders WHERE orders.id = $1 AND orders.tenant_id = $2', tenantParam: 2, checkParams: [] }
 * ```
 * @throws TenantScopeError when the statement cannot be proven to stay within one tenant.
 */
export function planTenantStatement(stmt: ParsedStatement, registry: TenantRegistry): TenantPlan {
  if (stmt.type === "TransactionStmt") {
    const kind = text(bodyIfType(stmt.node, "TransactionStmt")?.kind);
    if (kind === undefined || !TRANSACTION_KINDS.has(kind)) {
      refuse(`transaction statement ${kind ?? "?"} is not allowed`);
    }
    return { sql: stmt.text, tenantParam: 0, checkParams: [] };
  }
  if (stmt.type === "VariableSetStmt") return transactionSetting(stmt);
  const explain = stmt.type === "ExplainStmt" ? explainBody(stmt.node) : undefined;
  const query = explain ? explain.query : stmt.node;
  const type = explain ? (Object.keys(isObj(query) ? query : {})[0] ?? "") : stmt.type;
  if (!REWRITTEN.has(type)) {
    refuse(
      `${type} is not allowed (a tenant scope runs only SELECT, INSERT, UPDATE, DELETE, EXPLAIN of them, SET LOCAL of a timeout and transaction control)`,
    );
  }
  const param = freeParam(query);
  const rewritten = rewriteStatement(query, registry, param);
  const node = explain ? { ExplainStmt: { ...explain, query: rewritten.node } } : rewritten.node;
  const sql = printStatement(node);
  const plan: TenantPlan = {
    sql,
    tenantParam: rewritten.usesTenant ? param : 0,
    checkParams: rewritten.checkParams,
  };
  let verified: ReturnType<typeof verifyTenantNode>;
  try {
    // The printed text must parse back to exactly the tree that was printed,
    // so that what the verifier proves is what the database will run.
    const reparsed = parseStatements(sql);
    if (reparsed.length !== 1 || !sameTree(reparsed[0]?.node, node)) {
      refuse(
        "the SQL printer does not reproduce this statement faithfully; rewrite it more simply",
      );
    }
    const back = reparsed[0]?.node;
    verified = verifyTenantNode(
      explain ? bodyIfType(back, "ExplainStmt")?.query : back,
      registry,
      param,
    );
  } catch (error) {
    if (error instanceof TenantScopeError) throw error;
    throw new TenantScopeError(
      `tenant scope: the rewritten statement could not be verified: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  if (
    verified.tenantParam !== plan.tenantParam ||
    !sameNumbers(verified.checkParams, plan.checkParams)
  ) {
    refuse("the rewritten statement does not match its verification");
  }
  return plan;
}

/** EXPLAIN options that only shape the output; ANALYZE (and what needs it) would run the query and count the rows the tenant filter removed. */
const EXPLAIN_OPTIONS = new Set([
  "costs",
  "verbose",
  "format",
  "settings",
  "generic_plan",
  "summary",
  "memory",
]);

function explainBody(node: unknown): Obj {
  const body = bodyIfType(node, "ExplainStmt");
  if (!body) return refuse("an unreadable EXPLAIN");
  for (const option of list(body.options)) {
    const def = bodyIfType(option, "DefElem");
    const name = text(def?.defname);
    const off = ["false", "off", "0"].includes(String(stringOf(def?.arg) ?? "").toLowerCase());
    if (name === "analyze" && off) continue;
    if (name === undefined || !EXPLAIN_OPTIONS.has(name)) {
      refuse(
        `EXPLAIN ${String(name).toUpperCase()} is not allowed in a tenant scope (it reports rows the tenant filter removed)`,
      );
    }
  }
  return body;
}

/** Settings a scope may change for the current transaction only. */
const LOCAL_SETTINGS = new Set([
  "statement_timeout",
  "lock_timeout",
  "idle_in_transaction_session_timeout",
  "transaction_timeout",
]);

/** `SET LOCAL <timeout> ...`: allowed unchanged; any other SET is refused. */
function transactionSetting(stmt: ParsedStatement): TenantPlan {
  const body = bodyIfType(stmt.node, "VariableSetStmt");
  const name = text(body?.name);
  const kind = body?.kind;
  if (
    body?.is_local !== true ||
    name === undefined ||
    !LOCAL_SETTINGS.has(name) ||
    (kind !== "VAR_SET_VALUE" && kind !== "VAR_SET_DEFAULT")
  ) {
    refuse(
      `SET ${name ?? ""} is not allowed in a tenant scope (only SET LOCAL of ${[...LOCAL_SETTINGS].join(", ")})`,
    );
  }
  return { sql: stmt.text, tenantParam: 0, checkParams: [] };
}

/**
 * Parses `sql` and plans it with {@link planTenantStatement}. Refuses text
 * holding more than one statement (or none).
 *
 * @throws TenantScopeError when the text is not exactly one statement the scope can prove.
 * @throws SqlSyntaxError when the text does not parse.
 */
export function planTenantSql(sql: string, registry: TenantRegistry): TenantPlan {
  const statements = parseStatements(sql);
  if (statements.length !== 1) {
    refuse(`expected exactly one statement, found ${statements.length}`);
  }
  return planTenantStatement(statements[0] as ParsedStatement, registry);
}
