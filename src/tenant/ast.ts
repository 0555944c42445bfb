/**
 * Tenant-specific parse-tree builders and checks (tenant predicates, parameters,
 * node descriptions). Generic AST helpers live in `../sql/ast.ts`.
 */
import { TenantScopeError } from "../errors.js";
import { bodyIfType, isObj, list, type Obj, stringOf } from "../sql/ast.js";

/** Throws the tenant-scope refusal with a uniform prefix. */
export function refuse(message: string): never {
  throw new TenantScopeError(`tenant scope: ${message}`);
}

/** A `String` node. */
export function stringNode(sval: string): Obj {
  return { String: { sval } };
}

/** `ref.column`, always qualified. */
export function columnRef(ref: string, column: string): Obj {
  return { ColumnRef: { fields: [stringNode(ref), stringNode(column)] } };
}

/** `$n`. */
export function paramRef(n: number): Obj {
  return { ParamRef: { number: n } };
}

/** The tenant predicate `ref.column = $param`. */
export function tenantPredicate(ref: string, column: string, param: number): Obj {
  return {
    A_Expr: {
      kind: "AEXPR_OP",
      name: [stringNode("=")],
      lexpr: columnRef(ref, column),
      rexpr: paramRef(param),
    },
  };
}

/** Whether `node` is exactly `ref.column = $param` (the form {@link tenantPredicate} builds). */
export function isTenantPredicate(
  node: unknown,
  ref: string,
  column: string,
  param: number,
): boolean {
  const expr = bodyIfType(node, "A_Expr");
  if (expr?.kind !== "AEXPR_OP") return false;
  const name = list(expr.name);
  if (name.length !== 1 || stringOf(name[0]) !== "=") return false;
  const fields = list(bodyIfType(expr.lexpr, "ColumnRef")?.fields);
  if (fields.length !== 2 || stringOf(fields[0]) !== ref || stringOf(fields[1]) !== column) {
    return false;
  }
  return bodyIfType(expr.rexpr, "ParamRef")?.number === param;
}

/** The top-level AND conjuncts of a boolean expression (empty when absent). */
export function conjuncts(node: unknown): unknown[] {
  if (node === undefined || node === null) return [];
  const bool = bodyIfType(node, "BoolExpr");
  if (bool && bool.boolop === "AND_EXPR") return list(bool.args).flatMap((arg) => conjuncts(arg));
  return [node];
}

/**
 * `p1 AND p2 ... AND existing`; `existing` unchanged when there is nothing to
 * add. The predicates come first: PostgreSQL orders a scan's conditions by
 * cost and keeps the written order between equals, so the cheap tenant test
 * runs before the caller's conditions (which could otherwise raise an error
 * on another tenant's row). An existing AND is extended rather than nested,
 * as PostgreSQL's parser builds it, so the output round-trips unchanged.
 */
export function andAll(existing: unknown, predicates: readonly Obj[]): unknown {
  if (predicates.length === 0) return existing;
  const bool = bodyIfType(existing, "BoolExpr");
  const args =
    existing === undefined || existing === null
      ? []
      : bool?.boolop === "AND_EXPR"
        ? list(bool.args)
        : [existing];
  const all = [...predicates, ...args];
  if (all.length === 1) return all[0];
  return { BoolExpr: { boolop: "AND_EXPR", args: all } };
}

/** Calls `visit` on every object in a tree (arrays walked through), parents before children. */
function eachObject(node: unknown, visit: (value: Obj) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) eachObject(item, visit);
    return;
  }
  if (!isObj(node)) return;
  visit(node);
  for (const key of Object.keys(node)) eachObject(node[key], visit);
}

/** Every `$n` number used anywhere in a tree. */
export function usedParams(node: unknown): Set<number> {
  const used = new Set<number>();
  eachObject(node, (value) => {
    const param = bodyIfType(value, "ParamRef");
    if (param && typeof param.number === "number") used.add(param.number);
  });
  return used;
}

/** The highest `$n` anywhere in a tree (0 when there is none). */
export function maxParam(node: unknown): number {
  return Math.max(0, ...usedParams(node));
}

/**
 * The number for the tenant parameter: the first `$n` the text skips (so
 * that raw SQL using `$2` but not `$1` leaves no untyped hole), else one past
 * the highest.
 */
export function freeParam(node: unknown): number {
  const used = usedParams(node);
  let n = 1;
  while (used.has(n)) n += 1;
  return n;
}

/**
 * Whether a target or VALUES item expands into several columns: `t.*`,
 * `(expr).*`, `(row(...)).*`. PostgreSQL expands these in INSERT sources, so
 * the positions of the items after them are unknown until run time.
 */
export function isExpansion(value: unknown): boolean {
  const ref = bodyIfType(value, "ColumnRef");
  if (ref) return bodyIfType(list(ref.fields).at(-1), "A_Star") !== undefined;
  const indirection = bodyIfType(value, "A_Indirection");
  return indirection
    ? bodyIfType(list(indirection.indirection).at(-1), "A_Star") !== undefined
    : false;
}

/** Keys that only bare relation or query bodies carry; seeing one outside a known slot is refused. */
const RELATION_OR_QUERY_KEYS = [
  "relname",
  "fromClause",
  "targetList",
  "valuesLists",
  "larg",
  "rarg",
  "subquery",
  "functions",
  "ctequery",
];

/** Whether a bare (unwrapped) object looks like a relation reference or a query body. */
export function looksLikeRelationOrQuery(value: Obj): boolean {
  return RELATION_OR_QUERY_KEYS.some((key) => key in value);
}

/** Node types that name or produce a relation: refused wherever no rule handles them. */
export const RELATION_NODE_TYPES = new Set([
  "RangeVar",
  "RangeSubselect",
  "RangeFunction",
  "RangeTableFunc",
  "RangeTableFuncCol",
  "RangeTableSample",
  "JoinExpr",
  "IntoClause",
  "WithClause",
  "CommonTableExpr",
  "InsertStmt",
  "UpdateStmt",
  "DeleteStmt",
  "MergeStmt",
  "CurrentOfExpr",
  "RawStmt",
]);

/** Human words for a node type in refusal messages. */
export function describeNode(type: string): string {
  switch (type) {
    case "RangeFunction":
      return "a function in FROM";
    case "RangeTableFunc":
    case "RangeTableFuncCol":
      return "XMLTABLE/JSON_TABLE in FROM";
    case "RangeTableSample":
      return "TABLESAMPLE";
    case "CurrentOfExpr":
      return "WHERE CURRENT OF";
    case "IntoClause":
      return "SELECT INTO";
    default:
      return type;
  }
}

/** Parse-tree keys that hold text offsets, which differ between two texts of one tree. */
const OFFSET_KEYS = new Set([
  "location",
  "name_location",
  "list_start",
  "list_end",
  "rexpr_list_start",
  "rexpr_list_end",
  "stmt_location",
  "stmt_len",
]);

/**
 * Whether two parse trees are the same, ignoring text offsets. Used to
 * prove that deparsed text means exactly the tree it was printed from.
 */
export function sameTree(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameTree(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Obj;
  const y = b as Obj;
  let count = 0;
  for (const key in x) {
    if (OFFSET_KEYS.has(key) || x[key] === undefined) continue;
    if (!sameTree(x[key], y[key])) return false;
    count += 1;
  }
  for (const key in y) if (!OFFSET_KEYS.has(key) && y[key] !== undefined) count -= 1;
  return count === 0;
}

/**
 * Refuses a function in FROM (`unnest($1::int[])`, `generate_series(1, 9)`)
 * whose arguments name a column, anywhere inside them: functions in FROM see
 * the FROM items before them (implicitly LATERAL) and would run for other
 * tenants' rows before the tenant filter, where an argument that raises
 * reveals them. Without column references a function in FROM reads only its
 * arguments; which functions may run is checked like any call.
 */
export function checkFunctionInFrom(functions: unknown): void {
  eachObject(functions, (value) => {
    if ("ColumnRef" in value) {
      refuse(
        "a function in FROM whose arguments name a column (it would run on other tenants' rows before the tenant filter); pass the values as parameters",
      );
    }
  });
}
