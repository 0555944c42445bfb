/**
 * The tenant rewrite: one visitor that maps a statement's parse tree to a new
 * tree in which every scoped relation carries `ref.tenant_col = $T`. Pure:
 * the input tree is never mutated; refusals throw TenantScopeError. Each
 * statement handler names every slot of its node type (see `Slots`).
 */
import type {
  CommonTableExpr,
  DeleteStmt,
  InsertStmt,
  JoinExpr,
  OnConflictClause,
  RangeFunction,
  RangeSubselect,
  SelectStmt,
  UpdateStmt,
  WithClause,
} from "@pgsql/types";
import {
  bodyIfType,
  isObj,
  list,
  type Obj,
  qualifiedTableKey,
  stringOf,
  text,
  unwrapNode,
} from "../sql/ast.js";
import {
  andAll,
  checkFunctionInFrom,
  describeNode,
  looksLikeRelationOrQuery,
  paramRef,
  RELATION_NODE_TYPES,
  refuse,
  tenantPredicate,
} from "./ast.js";
import { scopedFunctionCall } from "./functions.js";
import { tenantizeInsert } from "./insert-tenant.js";
import {
  fenceSubqueries,
  type Guard,
  guardConditions as guardRaising,
  type Level,
} from "./raising.js";
import { checkAssignments, checkInsertSource } from "./references.js";
import type { State, Target } from "./rewrite-state.js";
import type { TenantRegistry } from "./types.js";

/** What the rewrite produced besides the new tree. */
export interface RewriteResult {
  /** The rewritten statement node (wrapped, e.g. `{ SelectStmt: ... }`). */
  node: Obj;
  /** Whether `$tenantParam` appears in the output. */
  usesTenant: boolean;
  /** Caller parameters placed in a tenant column by an INSERT. */
  checkParams: number[];
}

/** Where a FROM item's tenant predicate goes. */
type Placement = "collect" | "wrap";

/** What a visitor call sees: the shared state and the CTE names visible here. */
interface Scope {
  readonly state: State;
  readonly ctes: ReadonlySet<string>;
  /** Visible CTEs the planner may inline (not MATERIALIZED). */
  readonly inlinable: ReadonlySet<string>;
  /** Tenant tests of enclosing levels' relations, visible here: they guard raising conditions too. */
  readonly outer: readonly Guard[];
}

/**
 * Rewrites one SELECT / INSERT / UPDATE / DELETE statement node for a tenant
 * scope whose id is bound as `$tenantParam`.
 *
 * @throws TenantScopeError when the statement cannot be proven scoped.
 */
export function rewriteStatement(
  node: unknown,
  registry: TenantRegistry,
  tenantParam: number,
): RewriteResult {
  const state: State = { registry, param: tenantParam, usesTenant: false, checkParams: new Set() };
  const scope: Scope = { state, ctes: new Set(), inlinable: new Set(), outer: [] };
  const out = statement(node, scope, false);
  return {
    node: out,
    usesTenant: state.usesTenant,
    checkParams: [...state.checkParams].sort((a, b) => a - b),
  };
}

// ---------------------------------------------------------------- statements

function statement(node: unknown, scope: Scope, inCte: boolean): Obj {
  const wrapped = unwrapNode(node);
  if (!wrapped) refuse("a statement the rewriter cannot read");
  const [type, body] = wrapped;
  switch (type) {
    case "SelectStmt":
      return { SelectStmt: select(body, scope) };
    case "InsertStmt":
      return { InsertStmt: insert(body, scope) };
    case "UpdateStmt":
      return { UpdateStmt: update(body, scope) };
    case "DeleteStmt":
      return { DeleteStmt: del(body, scope) };
    default:
      return refuse(
        inCte
          ? `${type} inside WITH is not allowed`
          : `${type} is not allowed (only SELECT, INSERT, UPDATE, DELETE)`,
      );
  }
}

/**
 * What to put in each slot of a node of type `T`: one entry per field the
 * node type has, so the compiler refuses a handler that forgets one (as
 * Kysely's transformers do with `satisfies AllProps<...>`). An entry is
 * called whether or not the input has the field, so a predicate is added to
 * an absent WHERE the same way as to a present one.
 */
type Slots<T> = { readonly [K in keyof Required<T>]: (value: unknown) => unknown };

/**
 * Builds the output node from `slots`, leaving out slots that come out
 * undefined. A field of the input that the node type does not name (a newer
 * parser's) is refused: the rewrite cannot vouch for what it does.
 */
function transform<T>(what: string, body: Obj, slots: Slots<T>): Obj {
  for (const key of Object.keys(body)) {
    if (!Object.hasOwn(slots, key))
      refuse(`${what} with a field the tenant scope does not know ("${key}")`);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(slots) as (keyof T & string)[]) {
    const value = slots[key](body[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** A slot kept as it is (names, flags, positions: no expression inside). */
const keep = (value: unknown): unknown => value;

function withClause(value: unknown, scope: Scope): { clause: unknown; scope: Scope } {
  if (value === undefined) return { clause: undefined, scope };
  if (!isObj(value)) refuse("an unreadable WITH clause");
  const ctes = list(value.ctes);
  const names = ctes.map((cte) => {
    const name = text(bodyIfType(cte, "CommonTableExpr")?.ctename);
    if (name === undefined) refuse("an unreadable WITH entry");
    return name;
  });
  const recursive = value.recursive === true;
  const outNames = new Set(scope.ctes);
  const rewritten = ctes.map((cte, index) => {
    const body = bodyIfType(cte, "CommonTableExpr") as Obj;
    const count = recursive ? ctes.length : index;
    const visible = new Set(scope.ctes);
    for (const name of names.slice(0, count)) visible.add(name);
    const inlinable = inlinableAfter(scope.inlinable, ctes.slice(0, count), names);
    const inner: Scope = { ...scope, ctes: visible, inlinable };
    const visit = (v: unknown) => expr(v, inner);
    const out = transform<CommonTableExpr>("a WITH entry", body, {
      ctename: keep,
      aliascolnames: keep,
      ctematerialized: keep,
      ctequery: (v) => statement(v, inner, true),
      search_clause: visit,
      cycle_clause: visit,
      location: keep,
      cterecursive: keep,
      cterefcount: keep,
      ctecolnames: keep,
      ctecoltypes: keep,
      ctecoltypmods: keep,
      ctecolcollations: keep,
    });
    return { CommonTableExpr: out };
  });
  for (const name of names) outNames.add(name);
  const clause = transform<WithClause>("a WITH clause", value, {
    ctes: () => rewritten,
    recursive: keep,
    location: keep,
  });
  const inlinable = inlinableAfter(scope.inlinable, ctes, names);
  return { clause, scope: { ...scope, ctes: outNames, inlinable } };
}

/**
 * The inlinable CTE names once `ctes` (named `names`, in order) are in
 * sight: each one's name now means that CTE, MATERIALIZED or not, whatever
 * an enclosing CTE of the same name was. A CTE body sees only the entries
 * before it (all of them under RECURSIVE), so it gets its own set: a later
 * MATERIALIZED namesake must not make an enclosing inlinable CTE it reads
 * look materialized.
 */
function inlinableAfter(
  base: ReadonlySet<string>,
  ctes: readonly unknown[],
  names: readonly string[],
): Set<string> {
  const inlinable = new Set(base);
  ctes.forEach((cte, index) => {
    const name = names[index] as string;
    const materialized =
      bodyIfType(cte, "CommonTableExpr")?.ctematerialized === "CTEMaterializeAlways";
    if (materialized) inlinable.delete(name);
    else inlinable.add(name);
  });
  return inlinable;
}

function select(body: Obj, outer: Scope): Obj {
  if (body.intoClause !== undefined) refuse("SELECT INTO is not allowed");
  const { clause, scope } = withClause(body.withClause, outer);
  const setOp = body.op !== undefined && body.op !== "SETOP_NONE";
  const from = fromList(body.fromClause, scope);
  if (setOp && (body.fromClause !== undefined || body.whereClause !== undefined)) {
    refuse("a set operation with its own FROM or WHERE");
  }
  const level = levelOf(from, []);
  const inner: Scope = { ...scope, outer: level.guards };
  const where = guardConditions(expr(body.whereClause, inner), level, inner, "WHERE");
  const having = guardConditions(expr(body.havingClause, inner), level, inner, "HAVING");
  const fromClause = where.raising || from.raising ? fenceSubqueries(from.nodes) : from.nodes;
  const visit = (v: unknown) => expr(v, inner);
  const branch = (v: unknown) =>
    v === undefined
      ? undefined
      : isObj(v)
        ? select(v, scope)
        : refuse("an unreadable set-operation branch");
  return transform<SelectStmt>("a SELECT", body, {
    distinctClause: visit,
    intoClause: keep, // refused above when present
    targetList: visit,
    fromClause: () => (body.fromClause === undefined ? undefined : fromClause),
    whereClause: () => andAll(where.condition, from.predicates),
    groupClause: visit,
    groupDistinct: keep,
    havingClause: () => having.condition,
    windowClause: visit,
    valuesLists: visit,
    sortClause: visit,
    limitOffset: visit,
    limitCount: visit,
    limitOption: keep,
    lockingClause: keep,
    withClause: () => clause,
    op: keep,
    all: keep,
    larg: branch,
    rarg: branch,
  });
}

/** The FROM items of one level, scoped, with what guarding their conditions needs. */
interface FromList {
  nodes: unknown[];
  /** Enclosing guards as seen from this level: those whose name it reuses are marked shadowed. */
  outer: Guard[];
  /** Tenant predicates for this level's WHERE. */
  predicates: Obj[];
  guards: Guard[];
  blind: boolean;
  inlinedCte: boolean;
  /** Whether a join condition here can raise (its subqueries need fences too). */
  raising: boolean;
}

/**
 * `extraNames`: names the level has besides its FROM items (a write's
 * target). Enclosing guards are marked against all of the level's names
 * before any item is visited, since LATERAL subqueries see their siblings.
 */
function fromList(items: unknown, scope: Scope, extraNames: readonly string[] = []): FromList {
  const outer = shadowed(scope.outer, [...extraNames, ...visibleNames(items)]);
  const here: Scope = { ...scope, outer };
  const out: FromList = {
    nodes: [],
    outer,
    predicates: [],
    guards: [],
    blind: false,
    inlinedCte: false,
    raising: false,
  };
  for (const item of list(items)) {
    const one = fromItem(item, "collect", here, out.guards);
    out.nodes.push(one.node);
    out.predicates.push(...one.predicates);
    out.guards.push(...one.guards);
    out.blind ||= one.blind;
    out.inlinedCte ||= one.inlinedCte;
    out.raising ||= one.raising;
  }
  return out;
}

/** The guarding context of a level: enclosing guards, `extra` (a write target's) and its FROM items'. */
function levelOf(from: FromList, extra: readonly Guard[]): Level {
  return {
    guards: [...from.outer, ...extra, ...from.guards],
    blind: from.blind,
    inlinedCte: from.inlinedCte,
  };
}

/**
 * Enclosing guards with those whose name a level reuses marked: there the
 * name means the level's own relation, so an enclosing table's tenant test
 * written with it would test the wrong rows (and the enclosing table may
 * still be reachable through unqualified column names).
 */
function shadowed(outer: readonly Guard[], names: readonly string[]): Guard[] {
  return outer.map((g) => (names.includes(g.ref) ? { ...g, shadowed: true } : g));
}

/** {@link guardConditions} with the scope's tenant column and parameter. */
function guardConditions(
  condition: unknown,
  level: Level,
  scope: Scope,
  where: "WHERE" | "ON" | "HAVING",
): { condition: unknown; raising: boolean } {
  const { registry, param } = scope.state;
  const result = guardRaising(condition, level, registry.column, param, where);
  if (result.raising && level.guards.length > 0) scope.state.usesTenant = true;
  return result;
}

// ---------------------------------------------------------------- FROM items

interface FromOut {
  node: unknown;
  /** Predicates the enclosing WHERE or outer-join ON must carry. */
  predicates: Obj[];
  /** Scoped relations visible above this item, for guarding raising conditions. */
  guards: Guard[];
  blind: boolean;
  inlinedCte: boolean;
  raising: boolean;
}

/** A FROM item's result with nothing to guard. */
function plain(node: unknown, extra: Partial<FromOut> = {}): FromOut {
  return {
    node,
    predicates: [],
    guards: [],
    blind: false,
    inlinedCte: false,
    raising: false,
    ...extra,
  };
}

/** `siblings`: guards of the FROM items before this one, which a LATERAL subquery can see. */
function fromItem(
  item: unknown,
  placement: Placement,
  scope: Scope,
  siblings: readonly Guard[],
): FromOut {
  const wrapped = unwrapNode(item);
  if (!wrapped) refuse("an unreadable FROM item");
  const [type, body] = wrapped;
  switch (type) {
    case "RangeVar":
      return rangeVar(body, placement, scope);
    case "RangeSubselect": {
      const inner: Scope =
        body.lateral === true ? { ...scope, outer: [...scope.outer, ...siblings] } : scope;
      const node = transform<RangeSubselect>("a FROM subquery", body, {
        subquery: (v) => {
          const sub = bodyIfType(v, "SelectStmt");
          return sub
            ? { SelectStmt: select(sub, inner) }
            : refuse("a FROM subquery that is not a SELECT");
        },
        alias: keep,
        lateral: keep,
      });
      return plain({ RangeSubselect: node });
    }
    case "RangeFunction": {
      checkFunctionInFrom(body.functions);
      const node = transform<RangeFunction>("a function in FROM", body, {
        lateral: keep,
        ordinality: keep,
        is_rowsfrom: keep,
        functions: (v) => expr(v, scope),
        alias: keep,
        coldeflist: keep,
      });
      return plain({ RangeFunction: node });
    }
    case "JoinExpr":
      return join(body, placement, scope, siblings);
    default:
      return refuse(`${describeNode(type)} is not allowed in a tenant scope`);
  }
}

function join(body: Obj, placement: Placement, scope: Scope, siblings: readonly Guard[]): FromOut {
  const hidden = body.alias !== undefined || body.join_using_alias !== undefined;
  const usingLike = list(body.usingClause).length > 0 || body.isNatural === true;
  let left: "inherit" | "own" | "wrap";
  let right: "inherit" | "own" | "wrap";
  const type = body.jointype;
  if (placement === "wrap" || hidden || type === "JOIN_FULL") {
    left = "wrap";
    right = "wrap";
  } else if (type === "JOIN_INNER") {
    left = "inherit";
    right = "inherit";
  } else if (type === "JOIN_LEFT") {
    left = "inherit";
    right = usingLike ? "wrap" : "own";
  } else if (type === "JOIN_RIGHT") {
    left = usingLike ? "wrap" : "own";
    right = "inherit";
  } else {
    return refuse(`join type ${String(type)} is not allowed`);
  }
  const l = fromItem(body.larg, left === "wrap" ? "wrap" : "collect", scope, siblings);
  const r = fromItem(body.rarg, right === "wrap" ? "wrap" : "collect", scope, [
    ...siblings,
    ...l.guards,
  ]);
  const own = [...(left === "own" ? l.predicates : []), ...(right === "own" ? r.predicates : [])];
  const up = [...(left === "own" ? [] : l.predicates), ...(right === "own" ? [] : r.predicates)];
  const level: Level = {
    guards: [...scope.outer, ...l.guards, ...r.guards],
    blind: l.blind || r.blind,
    inlinedCte: l.inlinedCte || r.inlinedCte,
  };
  const inner: Scope = { ...scope, outer: level.guards };
  const quals = guardConditions(expr(body.quals, inner), level, inner, "ON");
  const raising = quals.raising || l.raising || r.raising;
  const [larg, rarg] = quals.raising ? fenceSubqueries([l.node, r.node]) : [l.node, r.node];
  const node = transform<JoinExpr>("a join", body, {
    jointype: keep,
    isNatural: keep,
    larg: () => larg,
    rarg: () => rarg,
    usingClause: keep,
    join_using_alias: keep,
    quals: () => andAll(quals.condition, own),
    alias: keep,
    rtindex: keep,
  });
  // Seen from above, an outer join's nullable side may be null-extended, and
  // an aliased join hides the names inside it.
  const nullable = (g: Guard): Guard => ({ ...g, nullable: true });
  const hides = body.alias !== undefined;
  const guards = hides
    ? []
    : [
        ...(type === "JOIN_RIGHT" || type === "JOIN_FULL" ? l.guards.map(nullable) : l.guards),
        ...(type === "JOIN_LEFT" || type === "JOIN_FULL" ? r.guards.map(nullable) : r.guards),
      ];
  const blind = level.blind || (hides && (l.guards.length > 0 || r.guards.length > 0));
  return {
    node: { JoinExpr: node },
    predicates: up,
    guards,
    blind,
    inlinedCte: level.inlinedCte,
    raising,
  };
}

function rangeVar(body: Obj, placement: Placement, scope: Scope): FromOut {
  const relname = text(body.relname);
  if (relname === undefined) refuse("a relation without a name");
  if (body.catalogname !== undefined) refuse(`database-qualified relation "${relname}"`);
  const schema = text(body.schemaname);
  if (schema === undefined && scope.ctes.has(relname))
    return plain({ RangeVar: body }, { inlinedCte: scope.inlinable.has(relname) });
  const { registry } = scope.state;
  const key = qualifiedTableKey(schema, relname);
  // Name the schema explicitly, so the server resolves the relation the
  // registry describes whatever its search_path.
  const qualified = qualify(body);
  if (registry.globals.has(key)) return plain({ RangeVar: qualified });
  if (!registry.scoped.has(key)) {
    refuse(
      `relation "${key}" is not a table of the schema (views, catalogs and other schemas are refused)`,
    );
  }
  const alias = isObj(body.alias) ? body.alias : undefined;
  const ref = text(alias?.aliasname) ?? relname;
  scope.state.usesTenant = true;
  if (list(alias?.colnames).length > 0) {
    return plain(wrapScoped(qualified, relname, scope.state), { blind: true });
  }
  if (placement === "wrap") {
    return plain(wrapScoped(qualified, relname, scope.state), {
      guards: [{ ref, nullable: false }],
    });
  }
  return plain(
    { RangeVar: qualified },
    {
      predicates: [tenantPredicate(ref, registry.column, scope.state.param)],
      guards: [{ ref, nullable: false }],
    },
  );
}

/**
 * The names a level's FROM items make visible, read from the syntax: an
 * alias, else a table's (or CTE's) name or an unaliased function's; inside a
 * join without an alias, both sides' names and a USING alias
 * (`join ... using (c) as j`, which hides nothing). More names than the
 * server sees only refuse more, never fewer.
 */
function visibleNames(items: unknown): string[] {
  return list(items).flatMap(itemNames);
}

/** {@link visibleNames} of one FROM item; none for an item the rewriter refuses anyway. */
function itemNames(item: unknown): string[] {
  const wrapped = unwrapNode(item);
  if (!wrapped) return [];
  const [type, body] = wrapped;
  const alias = aliasOf(body);
  switch (type) {
    case "RangeVar": {
      const relname = text(body.relname);
      return alias ?? (relname === undefined ? [] : [relname]);
    }
    case "RangeSubselect":
      return alias ?? [];
    case "RangeFunction":
      return alias ?? functionNames(body.functions);
    case "JoinExpr": {
      const using = isObj(body.join_using_alias)
        ? text(body.join_using_alias.aliasname)
        : undefined;
      const inside = alias ?? [...itemNames(body.larg), ...itemNames(body.rarg)];
      return using === undefined ? inside : [...inside, using];
    }
    default:
      return [];
  }
}

/** A FROM item's alias, as the one name it makes visible; `undefined` without one. */
function aliasOf(body: Obj): string[] | undefined {
  const name = isObj(body.alias) ? text(body.alias.aliasname) : undefined;
  return name === undefined ? undefined : [name];
}

/** The names unaliased functions in FROM go by: each function's own name. */
function functionNames(functions: unknown): string[] {
  const names: string[] = [];
  for (const item of list(functions)) {
    for (const part of list(item)) {
      const name = stringOf(list(bodyIfType(part, "FuncCall")?.funcname).at(-1));
      if (name !== undefined) names.push(name);
    }
  }
  return names;
}

/** The relation with its schema spelled out (`public` when it was left implicit). */
function qualify(relation: Obj): Obj {
  return relation.schemaname === undefined ? { ...relation, schemaname: "public" } : relation;
}

/** `(SELECT * FROM t WHERE t.tenant_col = $T) AS alias`. */
function wrapScoped(body: Obj, relname: string, state: State): Obj {
  const { alias, ...bare } = body;
  const subquery = {
    SelectStmt: {
      targetList: [{ ResTarget: { val: { ColumnRef: { fields: [{ A_Star: {} }] } } } }],
      fromClause: [{ RangeVar: bare }],
      whereClause: tenantPredicate(relname, state.registry.column, state.param),
      limitOption: "LIMIT_OPTION_DEFAULT",
      op: "SETOP_NONE",
    },
  };
  return { RangeSubselect: { subquery, alias: alias ?? { aliasname: relname } } };
}

// ---------------------------------------------------------------- expressions

/** The generic visitor: rebuilds any subtree, scoping every query inside it. */
function expr(value: unknown, scope: Scope): unknown {
  if (Array.isArray(value)) {
    const out = value.map((item) => expr(item, scope));
    return out.every((item, i) => item === value[i]) ? value : out;
  }
  if (!isObj(value)) return value;
  const wrapped = unwrapNode(value);
  if (wrapped) {
    const [type, body] = wrapped;
    if (LEAVES.has(type)) return value;
    if (type === "SelectStmt") return { SelectStmt: select(body, scope) };
    if (RELATION_NODE_TYPES.has(type)) refuse(`${describeNode(type)} is not allowed here`);
    if (type === "ColumnRef") {
      checkColumnRef(body);
      return value;
    }
    if (type === "A_Indirection") checkIndirection(body);
    const input = type === "FuncCall" ? scopedFunctionCall(body, scope.state.registry) : body;
    const out = shareKeys(input, scope);
    return out === body ? value : { [type]: out };
  }
  if (looksLikeRelationOrQuery(value)) refuse("a relation or query in an unexpected position");
  return shareKeys(value, scope);
}

/** Node types that hold no expressions (so no relation can hide in them). */
const LEAVES = new Set([
  "A_Const",
  "ParamRef",
  "SetToDefault",
  "String",
  "Integer",
  "Float",
  "Boolean",
  "BitString",
  "A_Star",
]);

/**
 * Visits every key of `body` as an expression; returns `body` itself when
 * nothing below changed (the input is never mutated, so sharing is safe).
 */
function shareKeys(body: Obj, scope: Scope): Obj {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(body)) {
    const before = body[key];
    const after = expr(before, scope);
    if (after !== before) {
      out ??= { ...body };
      out[key] = after;
    }
  }
  return out ?? body;
}

/**
 * System columns give away where rows sit physically (`ctid`) or which
 * transactions wrote them, so gaps would reveal other tenants' rows.
 */
const SYSTEM_COLUMNS = new Set(["ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"]);

function checkSystemName(name: string | undefined): void {
  if (name !== undefined && SYSTEM_COLUMNS.has(name.toLowerCase())) {
    refuse(`system column "${name}" can reveal other tenants' rows`);
  }
}

function checkColumnRef(body: Obj): void {
  for (const field of list(body.fields)) checkSystemName(stringOf(field));
}

/** `(o).ctid`, `(o.*).xmin`, `(row).field`: a field selection may not name a system column. */
function checkIndirection(body: Obj): void {
  for (const item of list(body.indirection)) checkSystemName(stringOf(item));
}

// ---------------------------------------------------------------- writes

/** The guard of a write's target row (none for a writable global). */
function targetGuards(target: Target): Guard[] {
  return target.scoped ? [{ ref: target.ref, nullable: false }] : [];
}

function writeTarget(relation: unknown, verb: string, scope: Scope): Target {
  if (!isObj(relation)) refuse(`${verb} without a readable target`);
  const relname = text(relation.relname);
  if (relname === undefined) refuse(`${verb} without a readable target`);
  if (relation.catalogname !== undefined) refuse(`database-qualified relation "${relname}"`);
  const key = qualifiedTableKey(text(relation.schemaname), relname);
  const { registry } = scope.state;
  const alias = isObj(relation.alias) ? text(relation.alias.aliasname) : undefined;
  if (registry.scoped.has(key)) return { key, scoped: true, ref: alias ?? relname };
  if (registry.writableGlobals.has(key)) return { key, scoped: false, ref: alias ?? relname };
  if (registry.globals.has(key))
    refuse(`${verb} on global table "${key}" is not allowed in a tenant scope`);
  return refuse(`relation "${key}" is not a table of the schema`);
}

/**
 * Assignments to the tenant column in UPDATE or ON CONFLICT DO UPDATE: a
 * caller parameter is kept and checked to equal the tenant at execute time
 * (`set({ ...row })` of the scope's own row), `excluded.<tenant column>` of
 * an upsert becomes `$T` (the proposed row's tenant is the scope's); any
 * other value, and a tuple or partial assignment, is refused.
 */
function tenantAssignments(targets: unknown, where: string, scope: Scope): unknown {
  const { column } = scope.state.registry;
  const out = list(targets).map((target) => {
    const res = bodyIfType(target, "ResTarget");
    if (text(res?.name) !== column) return target;
    const value = res?.val;
    if (list(res?.indirection).length > 0 || bodyIfType(value, "MultiAssignRef")) {
      return refuse(`${where} may not assign part of the tenant column "${column}"`);
    }
    const param = bodyIfType(value, "ParamRef");
    if (param && typeof param.number === "number") {
      scope.state.checkParams.add(param.number);
      return target;
    }
    const fields = list(bodyIfType(value, "ColumnRef")?.fields).map(stringOf);
    if (
      where !== "UPDATE" &&
      fields.length === 2 &&
      fields[0] === "excluded" &&
      fields[1] === column
    ) {
      scope.state.usesTenant = true;
      return { ResTarget: { ...res, val: paramRef(scope.state.param) } };
    }
    return refuse(
      `${where} may set the tenant column "${column}" only to a parameter equal to the tenant id`,
    );
  });
  return targets === undefined ? undefined : out;
}

function insert(body: Obj, outer: Scope): Obj {
  const { clause, scope } = withClause(body.withClause, outer);
  const target = writeTarget(body.relation, "INSERT", scope);
  const source =
    body.selectStmt === undefined ? undefined : bodyIfType(body.selectStmt, "SelectStmt");
  if (body.selectStmt !== undefined && !source) refuse("INSERT with an unreadable source");
  let cols = list(body.cols);
  let selectStmt: unknown = source ? { SelectStmt: select(source, scope) } : undefined;
  if (target.scoped) {
    const tenantized = tenantizeInsert(cols, selectStmt, target, scope.state);
    cols = tenantized.cols;
    selectStmt = tenantized.selectStmt;
  }
  selectStmt = checkInsertSource(cols, selectStmt, target.key, scope.state);
  return transform<InsertStmt>("an INSERT", body, {
    relation: (v) => (isObj(v) ? qualify(v) : v),
    cols: () => (body.cols === undefined && cols.length === 0 ? undefined : cols),
    selectStmt: () => selectStmt,
    onConflictClause: (v) => onConflict(v, target, scope),
    returningClause: (v) => expr(v, scope),
    withClause: () => clause,
    override: keep,
  });
}

/**
 * A writable global that scoped tables reference: deleting its rows or
 * changing their referenced keys would reach other tenants' rows through the
 * database's cascades (or fail naming their keys), so both are refused.
 */
function guardReferencedGlobal(target: Target, targets: unknown, verb: string, scope: Scope): void {
  if (target.scoped) return;
  const referenced = scope.state.registry.referencedGlobals.get(target.key);
  if (referenced === undefined) return;
  if (verb === "DELETE") {
    refuse(
      `DELETE from "${target.key}" is not allowed in a tenant scope: scoped tables reference it, so it could cascade into other tenants' rows`,
    );
  }
  for (const item of list(targets)) {
    const name = text(bodyIfType(item, "ResTarget")?.name);
    if (name !== undefined && referenced.has(name)) {
      refuse(
        `${verb} of "${target.key}"."${name}" is not allowed in a tenant scope: scoped tables reference it, so it could cascade into other tenants' rows`,
      );
    }
  }
}

function onConflict(value: unknown, target: Target, scope: Scope): unknown {
  if (value === undefined) return undefined;
  if (!isObj(value)) refuse("an unreadable ON CONFLICT clause");
  const { column } = scope.state.registry;
  const doUpdate = value.action === "ONCONFLICT_UPDATE";
  if (doUpdate) guardReferencedGlobal(target, value.targetList, "ON CONFLICT DO UPDATE", scope);
  const targetList =
    doUpdate && target.scoped
      ? tenantAssignments(value.targetList, "ON CONFLICT DO UPDATE", scope)
      : value.targetList;
  const extra =
    doUpdate && target.scoped ? [tenantPredicate(target.ref, column, scope.state.param)] : [];
  if (extra.length > 0) scope.state.usesTenant = true;
  const level: Level = {
    guards: [
      ...shadowed(scope.outer, [target.ref, "excluded"]),
      ...(doUpdate ? targetGuards(target) : []),
    ],
    blind: false,
    inlinedCte: false,
  };
  const inner: Scope = { ...scope, outer: level.guards };
  const where = guardConditions(expr(value.whereClause, inner), level, inner, "WHERE");
  return transform<OnConflictClause>("an ON CONFLICT clause", value, {
    action: keep,
    infer: (v) => expr(v, inner),
    targetList: () => checkAssignments(expr(targetList, inner), target.key, scope.state),
    whereClause: () => andAll(where.condition, extra),
    location: keep,
  });
}

function update(body: Obj, outer: Scope): Obj {
  const { clause, scope } = withClause(body.withClause, outer);
  const target = writeTarget(body.relation, "UPDATE", scope);
  guardReferencedGlobal(target, body.targetList, "UPDATE", scope);
  const { column } = scope.state.registry;
  const targetList = target.scoped
    ? tenantAssignments(body.targetList, "UPDATE", scope)
    : body.targetList;
  const predicates: Obj[] = [];
  if (target.scoped) {
    scope.state.usesTenant = true;
    predicates.push(tenantPredicate(target.ref, column, scope.state.param));
  }
  const from = fromList(body.fromClause, scope, [target.ref]);
  predicates.push(...from.predicates);
  const level = levelOf(from, targetGuards(target));
  const inner: Scope = { ...scope, outer: level.guards };
  const where = guardConditions(expr(body.whereClause, inner), level, inner, "WHERE");
  const fromClause = where.raising || from.raising ? fenceSubqueries(from.nodes) : from.nodes;
  return transform<UpdateStmt>("an UPDATE", body, {
    relation: (v) => (isObj(v) ? qualify(v) : v),
    targetList: () => checkAssignments(expr(targetList, inner), target.key, scope.state),
    whereClause: () => andAll(where.condition, predicates),
    fromClause: () => (body.fromClause === undefined ? undefined : fromClause),
    returningClause: (v) => expr(v, inner),
    withClause: () => clause,
  });
}

function del(body: Obj, outer: Scope): Obj {
  const { clause, scope } = withClause(body.withClause, outer);
  const target = writeTarget(body.relation, "DELETE", scope);
  guardReferencedGlobal(target, undefined, "DELETE", scope);
  const predicates: Obj[] = [];
  if (target.scoped) {
    scope.state.usesTenant = true;
    predicates.push(tenantPredicate(target.ref, scope.state.registry.column, scope.state.param));
  }
  const from = fromList(body.usingClause, scope, [target.ref]);
  predicates.push(...from.predicates);
  const level = levelOf(from, targetGuards(target));
  const inner: Scope = { ...scope, outer: level.guards };
  const where = guardConditions(expr(body.whereClause, inner), level, inner, "WHERE");
  const usingClause = where.raising || from.raising ? fenceSubqueries(from.nodes) : from.nodes;
  return transform<DeleteStmt>("a DELETE", body, {
    relation: (v) => (isObj(v) ? qualify(v) : v),
    usingClause: () => (body.usingClause === undefined ? undefined : usingClause),
    whereClause: () => andAll(where.condition, predicates),
    returningClause: (v) => expr(v, inner),
    withClause: () => clause,
  });
}
