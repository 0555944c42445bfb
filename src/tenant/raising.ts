/**
 * Conditions that can raise an error depending on the row they are evaluated
 * on (overflow, division by zero, casts, regexes or LIKE patterns taken from
 * data, functions). Evaluated on another tenant's row before the tenant test,
 * such an error tells the caller something about that row, so the rewriter
 * guards them: `CASE WHEN <tenant tests> THEN <condition> END`. Plain
 * comparisons of columns, parameters and constants cannot raise and stay as
 * written, so the planner keeps using indexes for them.
 */
import { TenantScopeError } from "../errors.js";
import { bodyIfType, list, type Obj, stringOf, unwrapNode } from "../sql/ast.js";
import { tenantPredicate } from "./ast.js";

const COMPARISONS = new Set(["=", "<>", "!=", "<", ">", "<=", ">="]);

/** A value whose evaluation cannot fail on a row: a column, a parameter, a constant (or a cast of one). */
function plainOperand(node: unknown): boolean {
  const wrapped = unwrapNode(node);
  if (!wrapped) return false;
  const [type, body] = wrapped;
  switch (type) {
    case "ColumnRef":
      return !list(body.fields).some((f) => bodyIfType(f, "A_Star"));
    case "ParamRef":
    case "A_Const":
    case "SQLValueFunction":
      return true;
    case "TypeCast": {
      // A cast of a parameter or constant fails the same way whatever the row.
      const arg = unwrapNode(body.arg)?.[0];
      return (
        arg === "ParamRef" || arg === "A_Const" || (arg === "TypeCast" && plainOperand(body.arg))
      );
    }
    case "A_ArrayExpr":
      return list(body.elements).every(plainOperand);
    default:
      return false;
  }
}

/** Whether `node` (a boolean condition) could raise an error that depends on row data. */
export function canRaise(node: unknown): boolean {
  const wrapped = unwrapNode(node);
  if (!wrapped) return true;
  const [type, body] = wrapped;
  switch (type) {
    case "ColumnRef":
    case "ParamRef":
    case "A_Const":
      return !plainOperand(node);
    case "BoolExpr":
      return list(body.args).some(canRaise);
    case "NullTest":
    case "BooleanTest":
      return !plainOperand(body.arg) && canRaise(body.arg);
    case "A_Expr":
      return !plainComparison(body);
    case "SubLink":
      return !plainSubLink(body);
    default:
      return true;
  }
}

/**
 * `x IN (SELECT ...)`, `EXISTS (SELECT ...)` whose only row-dependent work
 * is the subquery's own WHERE and ON, which the rewriter guards with the
 * enclosing relations' tenant tests too: left unguarded, so the planner can
 * still turn it into a semi-join. Anything richer (expressions in its select
 * list, grouping, subqueries in its FROM) counts as raising.
 */
function plainSubLink(body: Obj): boolean {
  if (body.testexpr !== undefined && !plainOperand(body.testexpr)) return false;
  const select = bodyIfType(body.subselect, "SelectStmt");
  if (!select || (select.op !== undefined && select.op !== "SETOP_NONE")) return false;
  const richer = ["withClause", "groupClause", "havingClause", "windowClause", "valuesLists"];
  if (richer.some((key) => select[key] !== undefined)) return false;
  for (const key of ["limitCount", "limitOffset"]) {
    const kind = unwrapNode(select[key])?.[0];
    if (select[key] !== undefined && kind !== "A_Const" && kind !== "ParamRef") return false;
  }
  const targets = list(select.targetList).map((t) => bodyIfType(t, "ResTarget")?.val);
  const star = (v: unknown) =>
    list(bodyIfType(v, "ColumnRef")?.fields).some((f) => bodyIfType(f, "A_Star"));
  if (!targets.every((v) => plainOperand(v) || star(v))) return false;
  const sorts = list(select.sortClause).map((s) => bodyIfType(s, "SortBy")?.node);
  if (!sorts.every(plainOperand)) return false;
  const tables = (item: unknown): boolean => {
    if (bodyIfType(item, "RangeVar")) return true;
    const join = bodyIfType(item, "JoinExpr");
    return join !== undefined && tables(join.larg) && tables(join.rarg);
  };
  return list(select.fromClause).every(tables);
}

function plainComparison(body: Obj): boolean {
  const names = list(body.name);
  const op = names.length === 1 ? stringOf(names[0]) : undefined;
  switch (body.kind) {
    case "AEXPR_OP":
    case "AEXPR_OP_ANY":
    case "AEXPR_OP_ALL":
      return (
        op !== undefined &&
        COMPARISONS.has(op) &&
        plainOperand(body.lexpr) &&
        plainOperand(body.rexpr)
      );
    case "AEXPR_DISTINCT":
    case "AEXPR_NOT_DISTINCT":
      return plainOperand(body.lexpr) && plainOperand(body.rexpr);
    case "AEXPR_IN":
    case "AEXPR_BETWEEN":
    case "AEXPR_NOT_BETWEEN":
    case "AEXPR_BETWEEN_SYM":
    case "AEXPR_NOT_BETWEEN_SYM":
      return plainOperand(body.lexpr) && list(body.rexpr).every(plainOperand);
    default:
      return false;
  }
}

/** A relation whose tenant test guards conditions: its name in the query, and whether its row may be null-extended there. */
export interface Guard {
  ref: string;
  nullable: boolean;
  /** A level below the relation's reuses its name, so its test cannot be written there. */
  shadowed?: boolean;
}

/** The guard test of one relation: `ref.t = $T`, or `(ref.t = $T OR ref.t IS NULL)` where outer joins may null-extend it. */
function guardTest(guard: Guard, column: string, param: number): Obj {
  const test = tenantPredicate(guard.ref, column, param);
  if (!guard.nullable) return test;
  const isNull = {
    NullTest: {
      arg: {
        ColumnRef: { fields: [{ String: { sval: guard.ref } }, { String: { sval: column } }] },
      },
      nulltesttype: "IS_NULL",
    },
  };
  return { BoolExpr: { boolop: "OR_EXPR", args: [test, isNull] } };
}

/** `CASE WHEN <tests> THEN condition END`: the condition runs only on rows of the tenant. */
export function guarded(
  condition: unknown,
  guards: readonly Guard[],
  column: string,
  param: number,
): unknown {
  const tests = guards.map((g) => guardTest(g, column, param));
  const when = tests.length === 1 ? tests[0] : { BoolExpr: { boolop: "AND_EXPR", args: tests } };
  return { CaseExpr: { args: [{ CaseWhen: { expr: when, result: condition } }] } };
}

/** What one query level knows for guarding its conditions. */
export interface Level {
  /** Relations whose tenant test can guard a condition here (this level's and enclosing ones'). */
  guards: readonly Guard[];
  /** A scoped relation here whose tenant column cannot be named (column aliases, an aliased join). */
  blind: boolean;
  /** A reference here to a CTE the planner may inline (so outer conditions could move into it). */
  inlinedCte: boolean;
}

/**
 * Guards the conditions of a WHERE, ON or HAVING that can raise, leaving
 * plain comparisons alone. Refuses a raising condition where no guard can be
 * written (or, in HAVING, one without an aggregate: the planner may move it
 * into WHERE, where the guard's columns are not grouped).
 */
export function guardConditions(
  condition: unknown,
  level: Level,
  column: string,
  param: number,
  where: "WHERE" | "ON" | "HAVING",
): { condition: unknown; raising: boolean } {
  if (condition === undefined || condition === null) return { condition, raising: false };
  const bool = bodyIfType(condition, "BoolExpr");
  const parts = bool?.boolop === "AND_EXPR" ? list(bool.args) : [condition];
  let raising = false;
  const out = parts.map((part) => {
    if (!canRaise(part)) return part;
    raising = true;
    if (where === "HAVING") {
      if (level.guards.length > 0 && !hasAggregate(part)) {
        throw new TenantScopeError(
          "tenant scope: a HAVING condition that can raise an error must use an aggregate (move row conditions to WHERE)",
        );
      }
      return part;
    }
    if (level.blind || level.inlinedCte) {
      throw new TenantScopeError(
        `tenant scope: a ${where} condition that can raise an error (arithmetic, casts, functions, patterns) cannot be guarded here: ${level.blind ? "a scoped table has column aliases or sits in an aliased join" : "it reads a CTE that is not MATERIALIZED"}`,
      );
    }
    const hidden = level.guards.find((g) => g.shadowed);
    if (hidden) {
      throw new TenantScopeError(
        `tenant scope: a ${where} condition that can raise an error (arithmetic, casts, functions, patterns) sits where the name "${hidden.ref}" means another relation than the enclosing query's "${hidden.ref}", so that table's tenant test cannot be written there: give one of them another alias`,
      );
    }
    return level.guards.length > 0 ? guarded(part, level.guards, column, param) : part;
  });
  if (!raising) return { condition, raising };
  return {
    condition: parts.length === 1 ? out[0] : { BoolExpr: { ...bool, args: out } },
    raising,
  };
}

const AGGREGATES = new Set([
  "count",
  "sum",
  "avg",
  "min",
  "max",
  "bool_and",
  "bool_or",
  "every",
  "string_agg",
  "array_agg",
  "json_agg",
  "jsonb_agg",
  "stddev",
  "variance",
]);

function hasAggregate(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasAggregate);
  if (typeof node !== "object" || node === null) return false;
  const call = bodyIfType(node, "FuncCall");
  if (call) {
    const name = stringOf(list(call.funcname).at(-1));
    if (name !== undefined && AGGREGATES.has(name)) return true;
  }
  if (bodyIfType(node, "SelectStmt")) return false;
  return Object.values(node).some(hasAggregate);
}

/**
 * `OFFSET 0` on FROM subqueries of a level whose conditions can raise: the
 * planner then cannot push those conditions into the subquery, below its
 * tenant tests. Subqueries with LIMIT or OFFSET already are such fences.
 */
export function fenceSubqueries(items: readonly unknown[]): unknown[] {
  return items.map((item) => {
    const sub = bodyIfType(item, "RangeSubselect");
    if (sub) {
      const select = bodyIfType(sub.subquery, "SelectStmt");
      if (!select || select.limitOffset !== undefined || select.limitCount !== undefined)
        return item;
      const fenced = {
        ...select,
        limitOffset: { A_Const: { ival: {} } },
        limitOption: "LIMIT_OPTION_COUNT",
      };
      return { RangeSubselect: { ...sub, subquery: { SelectStmt: fenced } } };
    }
    const join = bodyIfType(item, "JoinExpr");
    if (!join) return item;
    const [larg, rarg] = fenceSubqueries([join.larg, join.rarg]);
    return { JoinExpr: { ...join, larg, rarg } };
  });
}
