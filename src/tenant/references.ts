/**
 * Cross-tenant references: a scoped write may not make a row point at a
 * parent row the tenant cannot see, whether or not the database has the
 * foreign key (DSQL has none). Each value written to a column declared with
 * `.references()` to a scoped parent becomes
 *
 *   CASE WHEN v IS NULL OR v IN (SELECT tenant_parent.key FROM parent AS
 *        tenant_parent WHERE tenant_parent.tenant_col = $T)
 *   THEN v ELSE <raise> END
 *
 * where <raise> fails the whole statement (nothing is written) with an error
 * the driver maps to TenantScopeError. Another tenant's id and an id that
 * does not exist fail alike, so the error is no existence oracle. `v` stays
 * outside the subquery: written inside it, a column of `v` named like one
 * of the parent's (or qualified `tenant_parent.`) would read the parent row
 * being tested, so any value passed.
 */

import { bodyIfType, list, type Obj, text, unwrapNode } from "../sql/ast.js";
import { parseStatements } from "../sql/parser.js";
import { columnRef, isExpansion, refuse, stringNode } from "./ast.js";
import type { State } from "./rewrite-state.js";
import type { TenantReference } from "./types.js";

/** The text that marks the raised error; the driver maps an error carrying it to TenantScopeError. */
export const REFERENCE_MARKER = "drizzle-dsql tenant scope: reference outside the tenant";

const typeNames = new Map<string, unknown>();

/** The parse-tree type name of a schema SQL type such as `integer` or `varchar(36)`. */
function typeName(sqlType: string): unknown {
  let node = typeNames.get(sqlType);
  if (node === undefined) {
    const [stmt] = parseStatements(`SELECT CAST(NULL AS ${sqlType})`);
    const target = list(bodyIfType(stmt?.node, "SelectStmt")?.targetList)[0];
    node = bodyIfType(bodyIfType(target, "ResTarget")?.val, "TypeCast")?.typeName;
    if (node === undefined) refuse(`cannot read the SQL type "${sqlType}" of a reference column`);
    typeNames.set(sqlType, node);
  }
  return node;
}

function cast(arg: unknown, type: unknown): Obj {
  return { TypeCast: { arg, typeName: type } };
}

function builtin(name: string, args: unknown[]): Obj {
  return {
    FuncCall: {
      funcname: [stringNode("pg_catalog"), stringNode(name)],
      ...(args.length > 0 ? { args } : {}),
      funcformat: "COERCE_EXPLICIT_CALL",
    },
  };
}

/** An error raised at run time only (a volatile part keeps the planner from folding it early). */
function raise(where: string, sqlType: string): Obj {
  const message = {
    A_Expr: {
      kind: "AEXPR_OP",
      name: [stringNode("||")],
      lexpr: { A_Const: { sval: { sval: `${REFERENCE_MARKER} (${where})` } } },
      rexpr: builtin("substr", [
        cast(builtin("random", []), typeName("text")),
        { A_Const: { ival: { ival: 1 } } },
        { A_Const: { ival: {} } },
      ]),
    },
  };
  return cast(cast(cast(message, typeName("int4")), typeName("text")), typeName(sqlType));
}

/** Values that may be repeated in the check (evaluating them twice changes nothing). */
function repeatable(value: unknown): boolean {
  const type = unwrapNode(value)?.[0];
  if (type === "TypeCast") return repeatable(bodyIfType(value, "TypeCast")?.arg);
  return type === "ParamRef" || type === "A_Const" || type === "ColumnRef";
}

/** `value` checked to name a parent row of the tenant, for column `column` of `table`. */
export function checkedReference(
  value: unknown,
  ref: TenantReference,
  table: string,
  state: State,
): unknown {
  if (bodyIfType(value, "SetToDefault")) return value;
  if (isExpansion(value) || !repeatable(value)) {
    refuse(
      `the value of reference column "${table}.${ref.columns[0]}" must be a parameter, a constant or a column, so the scope can check its parent row`,
    );
  }
  const [schema, parent] = ref.parent.split(".") as [string, string];
  state.usesTenant = true;
  const alias = "tenant_parent";
  // Typed like the column, so a parameter gets the one type PostgreSQL deduces for it everywhere.
  const typed = cast(value, typeName(ref.types[0] as string));
  const visible = {
    SubLink: {
      subLinkType: "ANY_SUBLINK",
      testexpr: typed,
      subselect: {
        SelectStmt: {
          targetList: [{ ResTarget: { val: columnRef(alias, ref.parentColumns[0] as string) } }],
          fromClause: [
            {
              RangeVar: {
                schemaname: schema,
                relname: parent,
                inh: true,
                relpersistence: "p",
                alias: { aliasname: alias },
              },
            },
          ],
          whereClause: {
            A_Expr: {
              kind: "AEXPR_OP",
              name: [stringNode("=")],
              lexpr: columnRef(alias, state.registry.column),
              rexpr: { ParamRef: { number: state.param } },
            },
          },
          limitOption: "LIMIT_OPTION_DEFAULT",
          op: "SETOP_NONE",
        },
      },
    },
  };
  const isNull = { NullTest: { arg: typed, nulltesttype: "IS_NULL" } };
  return {
    CaseExpr: {
      args: [
        {
          CaseWhen: {
            expr: { BoolExpr: { boolop: "OR_EXPR", args: [isNull, visible] } },
            result: value,
          },
        },
      ],
      defresult: raise(`${table}.${ref.columns[0]}`, ref.types[0] as string),
    },
  };
}

/** The single-column references of `table` by column name; composite ones are refused when written. */
export function referenceColumns(table: string, state: State): Map<string, TenantReference> {
  const out = new Map<string, TenantReference>();
  for (const ref of state.registry.references.get(table) ?? []) {
    for (const column of ref.columns) {
      if (ref.columns.length > 1) {
        out.set(column, { ...ref, columns: [], parentColumns: [] });
      } else out.set(column, ref);
    }
  }
  return out;
}

/** Checks every assignment `SET col = v` to a reference column (UPDATE, ON CONFLICT DO UPDATE). */
export function checkAssignments(targets: unknown, table: string, state: State): unknown {
  const refs = referenceColumns(table, state);
  if (refs.size === 0 || targets === undefined) return targets;
  return list(targets).map((target) => {
    const res = bodyIfType(target, "ResTarget");
    const name = text(res?.name);
    const ref = name === undefined ? undefined : refs.get(name);
    if (!ref) return target;
    if (ref.columns.length === 0 || bodyIfType(res?.val, "MultiAssignRef")) {
      refuse(`"${table}.${name}" is part of a reference the scope cannot check in this form`);
    }
    return { ResTarget: { ...res, val: checkedReference(res?.val, ref, table, state) } };
  });
}

/** Checks the reference columns of an INSERT's rows (VALUES) or select list. */
export function checkInsertSource(
  cols: readonly unknown[],
  selectStmt: unknown,
  table: string,
  state: State,
): unknown {
  const refs = referenceColumns(table, state);
  const src = bodyIfType(selectStmt, "SelectStmt");
  if (refs.size === 0 || !src) return selectStmt;
  const positions = cols.flatMap((c, i) => {
    const name = text(bodyIfType(c, "ResTarget")?.name);
    const ref = name === undefined ? undefined : refs.get(name);
    return ref ? [{ i, ref, name }] : [];
  });
  if (positions.length === 0) return selectStmt;
  for (const p of positions) {
    if (p.ref.columns.length === 0)
      refuse(`"${table}.${p.name}" is part of a composite reference the scope cannot check`);
  }
  const checkRow = (items: readonly unknown[]): unknown[] => {
    if (items.some(isExpansion) || items.length < cols.length) {
      refuse(`an INSERT into "${table}" with a row expansion cannot have its references checked`);
    }
    return items.map((item, i) => {
      const p = positions.find((q) => q.i === i);
      return p ? checkedReference(item, p.ref, table, state) : item;
    });
  };
  if (src.valuesLists !== undefined) {
    const rows = list(src.valuesLists).map((row) => ({
      List: { items: checkRow(list(bodyIfType(row, "List")?.items)) },
    }));
    return { SelectStmt: { ...src, valuesLists: rows } };
  }
  if (src.op !== undefined && src.op !== "SETOP_NONE") {
    refuse(
      `INSERT ... SELECT with a set operation into "${table}" cannot have its references checked`,
    );
  }
  const targets = list(src.targetList);
  const values = checkRow(targets.map((t) => bodyIfType(t, "ResTarget")?.val));
  const targetList = targets.map((t, i) => ({
    ResTarget: { ...bodyIfType(t, "ResTarget"), val: values[i] },
  }));
  return { SelectStmt: { ...src, targetList } };
}
