import type { ColumnDef, Node, TypeName } from "@pgsql/types";
import { columnConstraints } from "../../sql/ast.js";
import { columnRef, setColumnConstraints, stringConst, typeName } from "./ast.js";
import { isArrayType, qualifiedTypeName, stripCast } from "./defaults.js";
import type { StatementLog, TransformContext } from "./types.js";

/** The values of a known enum type, or undefined. */
export function enumValues(
  type: TypeName | undefined,
  ctx: TransformContext,
): string[] | undefined {
  if (!type || isArrayType(type)) return undefined;
  return ctx.enums.get(qualifiedTypeName(type));
}

/** `col IN ('a', 'b')`. */
export function inListCheck(column: string, values: string[]): Node {
  return {
    A_Expr: {
      kind: "AEXPR_IN",
      name: [{ String: { sval: "=" } }],
      lexpr: columnRef(column),
      rexpr: { List: { items: values.map(stringConst) } },
    },
  } as Node;
}

/**
 * Enum-typed columns → `text` with `CHECK (col IN (...))` (or plain `text`
 * with `enumCheck: "none"`): DSQL has no CREATE TYPE. Needs the enum's values
 * (from the same input or `options.enums`).
 */
export function rewriteEnumColumn(col: ColumnDef, ctx: TransformContext, log: StatementLog): void {
  const values = enumValues(col.typeName, ctx);
  if (!values) return;
  const enumName = qualifiedTypeName(col.typeName);
  const isEnum = (t: TypeName) => enumValues(t, ctx) !== undefined;
  col.typeName = typeName("text");
  const constraints = columnConstraints(col);
  for (const c of constraints) {
    if (c.contype === "CONSTR_DEFAULT") c.raw_expr = stripCast(c.raw_expr, isEnum) ?? c.raw_expr;
  }
  if (ctx.options.enumCheck === "none") {
    setColumnConstraints(col, constraints);
    log.change(
      "enum-to-text",
      `column "${col.colname}": DSQL has no enum types; ${enumName} becomes plain text (enumCheck: "none"): the application (drizzle's text({ enum: [...] }) or pgEnum typing) keeps values in the set, and adding a value later needs no migration`,
      "warning",
    );
    return;
  }
  constraints.push({
    contype: "CONSTR_CHECK",
    raw_expr: inListCheck(col.colname ?? "", values),
    is_enforced: true,
    initially_valid: true,
  });
  setColumnConstraints(col, constraints);
  log.change(
    "enum-to-check",
    `column "${col.colname}": DSQL has no enum types; ${enumName} becomes text with CHECK (${col.colname} IN (...)). DSQL cannot drop or alter that CHECK, so a value can never be added to this column in place (ALTER TYPE ... ADD VALUE is refused): if the enum will grow, transform with enumCheck: "none" (plain text, values kept by the application), or plan an expand/contract to a new column`,
    "warning",
  );
}
