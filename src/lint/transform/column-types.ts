import type { ColumnDef } from "@pgsql/types";
import { DSQL_TYPES } from "../../rules/column-type-sets.js";
import { stringsOf, typeNameOf } from "../../sql/ast.js";
import { rewriteArrayColumn } from "./array-column.js";
import { rewriteEnumColumn } from "./enum-column.js";
import { rewriteIdentity } from "./identity.js";
import { rewriteJsonColumn } from "./json-column.js";
import { rewriteSerial } from "./serial.js";
import type { StatementLog, TransformContext } from "./types.js";

/** Rewrites a column definition's type for DSQL (serial, identity, arrays, json, enums). */
export function rewriteColumnType(col: ColumnDef, ctx: TransformContext, log: StatementLog): void {
  rewriteSerial(col, ctx, log);
  rewriteIdentity(col, ctx, log);
  rewriteArrayColumn(col, ctx, log);
  rewriteJsonColumn(col, ctx, log);
  rewriteEnumColumn(col, ctx, log);
  if (col.collClause) {
    log.refuse(
      "no-collate",
      `column "${col.colname}": DSQL has no per-column COLLATE (collation is C)`,
    );
  }
  const type = typeNameOf(col.typeName);
  if (!DSQL_TYPES.has(type)) {
    log.refuse(
      "no-unsupported-column-type",
      `column "${col.colname}": type ${stringsOf(col.typeName?.names).join(".")} is not a DSQL column type` +
        " (if it is an enum, define it in the same migration or pass its values in options.enums)",
    );
  }
}
