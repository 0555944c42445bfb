import type { ColumnDef, TypeName } from "@pgsql/types";
import { columnConstraints, typeNameOf } from "../../sql/ast.js";
import { typeName } from "./ast.js";
import { isArrayType, stripCast } from "./defaults.js";
import type { StatementLog, TransformContext } from "./types.js";

/** Whether a type is json or jsonb. */
export function isJsonType(type: TypeName | undefined): boolean {
  const base = typeNameOf(type);
  return (base === "json" || base === "jsonb") && !isArrayType(type);
}

/**
 * `json` / `jsonb` columns → `text` (the default; option `json: "native"`
 * keeps them): JSON stored as text is read by the `jsonText` helper and cast
 * at query time. `DEFAULT '{}'::jsonb` → `DEFAULT '{}'`.
 */
export function rewriteJsonColumn(col: ColumnDef, ctx: TransformContext, log: StatementLog): void {
  if (ctx.options.json === "native" || !isJsonType(col.typeName)) return;
  const type = typeNameOf(col.typeName);
  col.typeName = typeName("text");
  for (const c of columnConstraints(col)) {
    if (c.contype !== "CONSTR_DEFAULT") continue;
    c.raw_expr = stripCast(c.raw_expr, isJsonType) ?? c.raw_expr;
  }
  log.change(
    "json-to-text",
    `column "${col.colname}": ${type} stored as text (read it with jsonText(); pass { json: "native" } or the CLI flag --dsql-json native to keep ${type})`,
    "info",
  );
}
