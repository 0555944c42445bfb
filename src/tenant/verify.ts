/**
 * An independent check of rewritten SQL: re-parses the text and proves that
 * every scoped relation reference carries `ref.tenant_col = $T` where it
 * filters that reference's rows, that INSERTs put `$T` (or a checked
 * parameter) in the tenant column, and that nothing can assign it. It shares
 * no logic with the rewriter beyond node helpers, so a rewriter bug (or a
 * deparser bug) is caught here rather than shipped to the database.
 */

import {
  bodyIfType,
  isObj,
  list,
  type Obj,
  qualifiedTableKey,
  text,
  unwrapNode,
} from "../sql/ast.js";
import { parseStatements } from "../sql/parser.js";
import {
  checkFunctionInFrom,
  conjuncts,
  describeNode,
  isExpansion,
  isTenantPredicate,
  looksLikeRelationOrQuery,
  maxParam,
  RELATION_NODE_TYPES,
  refuse,
} from "./ast.js";
import { scopedFunctionCall } from "./functions.js";
import type { TenantRegistry } from "./types.js";

/** What the verifier derived from the rewritten text. */
export interface VerifiedPlan {
  /** The tenant parameter's number, or 0 when the statement needs none. */
  tenantParam: number;
  /** Parameters found in tenant columns of INSERTs, other than the tenant parameter. */
  checkParams: number[];
}

interface State {
  readonly registry: TenantRegistry;
  /** The only number a tenant predicate may use. */
  readonly param: number;
  used: boolean;
  readonly checks: Set<number>;
}

type Ctes = ReadonlySet<string>;

function fail(message: string): never {
  return refuse(`verification of the rewritten statement failed: ${message}`);
}

/**
 * Verifies rewritten SQL for a tenant scope. Tenant predicates must use
 * `$tenantParam`; by default that is the highest parameter of the text
 * (which is what the rewriter appends).
 *
 * @returns the tenant parameter number and the parameters to check at execute time.
 * @throws TenantScopeError when any scoped reference is not provably filtered.
 */
export function verifyTenantPlan(
  sql: string,
  registry: TenantRegistry,
  tenantParam?: number,
): VerifiedPlan {
  const statements = parseStatements(sql);
  if (statements.length !== 1) fail(`expected one statement, found ${statements.length}`);
  return verifyTenantNode((statements[0] as { node: unknown }).node, registry, tenantParam);
}

/** {@link verifyTenantPlan} on an already parsed statement node. */
export function verifyTenantNode(
  node: unknown,
  registry: TenantRegistry,
  tenantParam?: number,
): VerifiedPlan {
  const param = tenantParam ?? maxParam(node);
  const state: State = { registry, param, used: false, checks: new Set() };
  statement(node, new Set(), state);
  return {
    tenantParam: state.used ? state.param : 0,
    checkParams: [...state.checks].sort((a, b) => a - b),
  };
}

function statement(node: unknown, ctes: Ctes, state: State): void {
  const wrapped = unwrapNode(node);
  if (!wrapped) fail("unreadable statement");
  const [type, body] = wrapped;
  if (type === "SelectStmt") select(body, ctes, state);
  else if (type === "InsertStmt") insert(body, ctes, state);
  else if (type === "UpdateStmt") update(body, ctes, state);
  else if (type === "DeleteStmt") del(body, ctes, state);
  else fail(`${type} is not an allowed statement`);
}

/** Walks every key of `body` not in `skip` as an expression. */
function rest(body: Obj, skip: readonly string[], ctes: Ctes, state: State): void {
  for (const key of Object.keys(body)) if (!skip.includes(key)) expr(body[key], ctes, state);
}

function withClause(value: unknown, ctes: Ctes, state: State): Ctes {
  if (value === undefined) return ctes;
  if (!isObj(value)) fail("unreadable WITH");
  const entries = list(value.ctes).map(
    (cte) => bodyIfType(cte, "CommonTableExpr") ?? fail("unreadable CTE"),
  );
  const names = entries.map((e) => text(e.ctename) ?? fail("unnamed CTE"));
  entries.forEach((entry, index) => {
    const visible = new Set(ctes);
    for (const name of value.recursive === true ? names : names.slice(0, index)) visible.add(name);
    statement(entry.ctequery, visible, state);
    rest(entry, ["ctename", "ctequery"], visible, state);
  });
  rest(value, ["ctes", "recursive"], ctes, state);
  return new Set([...ctes, ...names]);
}

function select(body: Obj, outer: Ctes, state: State): void {
  if (body.intoClause !== undefined) fail("SELECT INTO");
  const ctes = withClause(body.withClause, outer, state);
  if (body.op !== undefined && body.op !== "SETOP_NONE") {
    if (!isObj(body.larg) || !isObj(body.rarg)) fail("unreadable set operation");
    if (body.fromClause !== undefined || body.whereClause !== undefined)
      fail("set operation with FROM");
    select(body.larg, ctes, state);
    select(body.rarg, ctes, state);
    rest(body, ["withClause", "larg", "rarg", "lockingClause"], ctes, state);
    return;
  }
  const where = conjuncts(body.whereClause);
  for (const item of list(body.fromClause)) from(item, where, ctes, state);
  rest(body, ["withClause", "fromClause", "lockingClause"], ctes, state);
}

/**
 * Checks one FROM item. `holder` is the conjunct list that must filter the
 * scoped relations directly in this item (a WHERE or an outer join's ON), or
 * null where no predicate can filter them (they must sit in a subselect).
 */
function from(item: unknown, holder: unknown[] | null, ctes: Ctes, state: State): void {
  const wrapped = unwrapNode(item);
  if (!wrapped) fail("unreadable FROM item");
  const [type, body] = wrapped;
  if (type === "RangeVar") {
    relation(body, holder, ctes, state);
    return;
  }
  if (type === "RangeSubselect") {
    const sub = bodyIfType(body.subquery, "SelectStmt") ?? fail("FROM subquery is not a SELECT");
    select(sub, ctes, state);
    rest(body, ["subquery", "alias", "lateral"], ctes, state);
    return;
  }
  if (type === "RangeFunction") {
    checkFunctionInFrom(body.functions);
    expr(body.functions, ctes, state);
    rest(
      body,
      ["functions", "alias", "coldeflist", "lateral", "ordinality", "is_rowsfrom"],
      ctes,
      state,
    );
    return;
  }
  if (type !== "JoinExpr") fail(`${describeNode(type)} in FROM`);
  const hidden = body.alias !== undefined || body.join_using_alias !== undefined;
  let left: unknown[] | null;
  let right: unknown[] | null;
  if (hidden || body.jointype === "JOIN_FULL") {
    left = null;
    right = null;
  } else if (body.jointype === "JOIN_INNER") {
    left = holder;
    right = holder;
  } else if (body.jointype === "JOIN_LEFT") {
    left = holder;
    right = conjuncts(body.quals);
  } else if (body.jointype === "JOIN_RIGHT") {
    left = conjuncts(body.quals);
    right = holder;
  } else {
    fail(`join type ${String(body.jointype)}`);
  }
  from(body.larg, left, ctes, state);
  from(body.rarg, right, ctes, state);
  rest(
    body,
    ["larg", "rarg", "jointype", "usingClause", "alias", "join_using_alias", "isNatural"],
    ctes,
    state,
  );
}

function relation(body: Obj, holder: unknown[] | null, ctes: Ctes, state: State): void {
  const relname = text(body.relname) ?? fail("relation without a name");
  if (body.catalogname !== undefined) fail("database-qualified relation");
  const schema = text(body.schemaname);
  if (schema === undefined && ctes.has(relname)) return;
  if (schema === undefined) fail(`relation "${relname}" is not schema-qualified`);
  const key = qualifiedTableKey(schema, relname);
  if (state.registry.globals.has(key)) return;
  if (!state.registry.scoped.has(key)) fail(`unknown relation "${key}"`);
  const alias = isObj(body.alias) ? body.alias : undefined;
  if (list(alias?.colnames).length > 0)
    fail(`"${key}" has column aliases outside a filtered subselect`);
  if (holder === null) fail(`"${key}" sits where no predicate can filter it`);
  const ref = text(alias?.aliasname) ?? relname;
  if (!holder.some((c) => isTenantPredicate(c, ref, state.registry.column, state.param))) {
    fail(`"${key}" (as ${ref}) lacks its tenant predicate`);
  }
  state.used = true;
}

function expr(value: unknown, ctes: Ctes, state: State): void {
  if (Array.isArray(value)) {
    for (const item of value) expr(item, ctes, state);
    return;
  }
  if (!isObj(value)) return;
  const wrapped = unwrapNode(value);
  if (!wrapped) {
    if (looksLikeRelationOrQuery(value)) fail("relation or query in an unexpected position");
    rest(value, [], ctes, state);
    return;
  }
  const [type, body] = wrapped;
  if (type === "SelectStmt") {
    select(body, ctes, state);
    return;
  }
  if (RELATION_NODE_TYPES.has(type)) fail(`${describeNode(type)} in an expression`);
  if (type === "FuncCall" && scopedFunctionCall(body, state.registry) !== body) {
    fail("a built-in function is not called as pg_catalog.<name>");
  }
  rest(body, [], ctes, state);
}

interface Target {
  key: string;
  scoped: boolean;
  ref: string;
}

function target(value: unknown, state: State): Target {
  if (!isObj(value)) fail("unreadable write target");
  const relname = text(value.relname) ?? fail("write target without a name");
  if (value.catalogname !== undefined) fail("database-qualified write target");
  if (value.schemaname === undefined) fail(`write target "${relname}" is not schema-qualified`);
  const key = qualifiedTableKey(text(value.schemaname), relname);
  const ref = (isObj(value.alias) ? text(value.alias.aliasname) : undefined) ?? relname;
  if (state.registry.scoped.has(key)) return { key, scoped: true, ref };
  if (state.registry.writableGlobals.has(key)) return { key, scoped: false, ref };
  return fail(`write to "${key}"`);
}

/** An UPDATE or ON CONFLICT assignment to the tenant column must be a parameter (checked, or `$T`). */
function noTenantAssignment(targets: unknown, state: State): void {
  for (const t of list(targets)) {
    const target = bodyIfType(t, "ResTarget");
    if (text(target?.name) !== state.registry.column) continue;
    if (list(target?.indirection).length > 0) fail("assignment to part of the tenant column");
    tenantSlot(target?.val, state);
  }
}

function requirePredicate(where: unknown, t: Target, state: State): void {
  if (
    !conjuncts(where).some((c) => isTenantPredicate(c, t.ref, state.registry.column, state.param))
  ) {
    fail(`write to "${t.key}" lacks its tenant predicate`);
  }
  state.used = true;
}

/** Records the value in an INSERT's tenant position: it must be a parameter. */
function tenantSlot(value: unknown, state: State): void {
  const param = bodyIfType(value, "ParamRef");
  if (!param || typeof param.number !== "number") fail("INSERT tenant value is not a parameter");
  if (param.number === state.param) state.used = true;
  else state.checks.add(param.number);
}

/**
 * The item that lands in column `k` of `count`. After a row expansion
 * (`t.*`, `(expr).*`) positions are unknown except the last one: PostgreSQL
 * maps the last item to the last column or fails.
 */
function slotOf(items: readonly unknown[], count: number, k: number): number {
  if (!items.some(isExpansion)) {
    if (items.length !== count) fail("INSERT row length");
    return k;
  }
  if (k !== count - 1 || isExpansion(items[items.length - 1]))
    fail("INSERT tenant position after a row expansion");
  return items.length - 1;
}

function insert(body: Obj, outer: Ctes, state: State): void {
  const ctes = withClause(body.withClause, outer, state);
  const t = target(body.relation, state);
  const source =
    body.selectStmt === undefined
      ? undefined
      : (bodyIfType(body.selectStmt, "SelectStmt") ?? fail("INSERT source"));
  if (source) select(source, ctes, state);
  if (t.scoped) {
    const cols = list(body.cols).map((c) => bodyIfType(c, "ResTarget") ?? fail("INSERT column"));
    const positions = cols.flatMap((c, i) => (text(c.name) === state.registry.column ? [i] : []));
    if (positions.length !== 1) fail("INSERT must name the tenant column exactly once");
    const k = positions[0] as number;
    if (list(cols[k]?.indirection).length > 0) fail("INSERT assigns part of the tenant column");
    if (!source) fail("INSERT without values");
    if (source.valuesLists !== undefined) {
      for (const row of list(source.valuesLists)) {
        const items = list(bodyIfType(row, "List")?.items);
        tenantSlot(items[slotOf(items, cols.length, k)], state);
      }
    } else {
      if (source.op !== undefined && source.op !== "SETOP_NONE")
        fail("INSERT from a set operation");
      const values = list(source.targetList).map((t) => bodyIfType(t, "ResTarget")?.val);
      tenantSlot(values[slotOf(values, cols.length, k)], state);
    }
  }
  const conflict = body.onConflictClause;
  if (conflict !== undefined) {
    if (!isObj(conflict)) fail("unreadable ON CONFLICT");
    if (conflict.action === "ONCONFLICT_UPDATE" && t.scoped) {
      noTenantAssignment(conflict.targetList, state);
      requirePredicate(conflict.whereClause, t, state);
    }
    rest(conflict, ["action"], ctes, state);
  }
  rest(body, ["withClause", "relation", "cols", "selectStmt", "onConflictClause"], ctes, state);
}

function update(body: Obj, outer: Ctes, state: State): void {
  const ctes = withClause(body.withClause, outer, state);
  const t = target(body.relation, state);
  if (t.scoped) {
    noTenantAssignment(body.targetList, state);
    requirePredicate(body.whereClause, t, state);
  }
  const where = conjuncts(body.whereClause);
  for (const item of list(body.fromClause)) from(item, where, ctes, state);
  rest(body, ["withClause", "relation", "fromClause"], ctes, state);
}

function del(body: Obj, outer: Ctes, state: State): void {
  const ctes = withClause(body.withClause, outer, state);
  const t = target(body.relation, state);
  if (t.scoped) requirePredicate(body.whereClause, t, state);
  const where = conjuncts(body.whereClause);
  for (const item of list(body.usingClause)) from(item, where, ctes, state);
  rest(body, ["withClause", "relation", "usingClause"], ctes, state);
}
