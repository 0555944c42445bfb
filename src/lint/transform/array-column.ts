import type { ColumnDef } from "@pgsql/types";
import { columnConstraints } from "../../sql/ast.js";
import { typeName } from "./ast.js";
import { arrayDefaultAsText, isArrayType } from "./defaults.js";
import type { StatementLog, TransformContext } from "./types.js";

/**
 * `type[]` columns → `text`: arrays are runtime-only on DSQL ("datatype text[]
 * not supported"). The column holds text:
 * a literal default becomes its array literal text (`'{}'::text[]` → `'{}'`),
 * the form drizzle's `.array()` columns write, so rows that took the default
 * read back like rows the application wrote.
 */
export function rewriteArrayColumn(
  col: ColumnDef,
  _ctx: TransformContext,
  log: StatementLog,
): void {
  if (!isArrayType(col.typeName)) return;
  col.typeName = typeName("text");
  for (const c of columnConstraints(col)) {
    if (c.contype !== "CONSTR_DEFAULT" || !c.raw_expr) continue;
    const text = arrayDefaultAsText(c.raw_expr);
    if (!text) {
      log.refuse(
        "no-array-column",
        `column "${col.colname}": its array default is not a literal drizzle-dsql can turn into JSON text; write the default as an array literal string ('{"a","b"}')`,
      );
      return;
    }
    c.raw_expr = text;
  }
  log.change(
    "array-to-text",
    `column "${col.colname}": DSQL has no array columns (arrays are runtime-only); it becomes text holding PostgreSQL's array literal ('{"a","b"}'), which drizzle's .array() columns write and read; textArray() reads it too, and arrayContains / arrayOverlaps query either form`,
    "warning",
  );
}
