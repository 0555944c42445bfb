import { typeNameOf } from "../sql/ast.js";
import { COLUMN_STATEMENTS, DSQL_TYPES, isArray } from "./column-type-sets.js";
import { newColumns } from "./columns.js";
import { defineRule, type Hit } from "./define.js";

const SERIALS = new Set(["serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"]);

/** Column types DSQL does not store (arrays, serial and json have rules of their own). */
export const noUnsupportedColumnType = defineRule({
  id: "no-unsupported-column-type",
  description:
    "columns of types DSQL does not store: `inet`, `money`, `xml`, geometric types, enums and other user-defined types",
  instead:
    "a supported type: `text` (with `CHECK (col IN (...))` for an enum), `numeric` for money, `text` for addresses",
  message: "this column type is not supported by DSQL",
  sqlstate: "0A000",
  on: COLUMN_STATEMENTS,
  find(stmt) {
    const hits: Hit[] = [];
    for (const column of newColumns(stmt)) {
      const type = typeNameOf(column.typeName);
      if (isArray(column) || SERIALS.has(type) || DSQL_TYPES.has(type)) continue;
      hits.push({
        location: column.typeName?.location,
        message: `column "${column.colname}": type ${type} is not a DSQL column type`,
      });
    }
    return hits;
  },
});
