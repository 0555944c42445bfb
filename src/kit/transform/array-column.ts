import type { ColumnDef } from "@pgsql/types";
import { columnConstraints, names, typeName } from "./ast.js";
import { arrayDefaultAsJson, isArrayType } from "./defaults.js";
import type { StatementLog, TransformContext } from "./types.js";

/**
 * `type[]` columns → `text`: arrays are runtime-only on DSQL ("datatype text[]
 * not supported"). The value is stored as JSON text (the `textArray` helper);
 * a literal default becomes its JSON text (`'{}'` → `'[]'`).
 */
export function rewriteArrayColumn(
  col: ColumnDef,
  _ctx: TransformContext,
  log: StatementLog,
): void {
  if (!isArrayType(col.typeName)) return;
  const parts = names(col.typeName?.names);
  const element =
    col.typeName?.arrayBounds?.length || parts.length !== 1
      ? { ...col.typeName, arrayBounds: undefined }
      : typeName((parts[0] ?? "").slice(1));
  col.typeName = typeName("text");
  for (const c of columnConstraints(col)) {
    if (c.contype !== "CONSTR_DEFAULT" || !c.raw_expr) continue;
    const json = arrayDefaultAsJson(c.raw_expr, element);
    if (!json) {
      log.refuse(
        "array-default",
        `column "${col.colname}": its array default is not a literal drizzle-dsql can turn into JSON text; write the default as a JSON string literal`,
      );
      return;
    }
    c.raw_expr = json;
  }
  log.change(
    "array-to-text",
    `column "${col.colname}": DSQL has no array columns (arrays are runtime-only); stored as JSON text (use textArray() in the schema)`,
    "warning",
  );
}
