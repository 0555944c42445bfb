import type { ColumnDef } from "@pgsql/types";
import { typeNameOf } from "../sql/ast.js";
import { COLUMN_STATEMENTS, isArray } from "./column-type-sets.js";
import { newColumns } from "./columns.js";
import { defineRule } from "./define.js";

function displayType(column: ColumnDef): string {
  const name = typeNameOf(column.typeName).replace(/^_/, "");
  return isArray(column) ? `${name}[]` : name;
}

/** Array column types: arrays exist at query time only. */
export const noArrayColumn = defineRule({
  id: "no-array-column",
  description: "array column types, e.g. `text[]` (`datatype text[] not supported`)",
  instead: "a `text` column holding JSON (`textArray()` from drizzle-dsql), or a child table",
  message: "array column types are not supported by DSQL: store a JSON text column (textArray())",
  sqlstate: "0A000",
  on: COLUMN_STATEMENTS,
  find(stmt) {
    return newColumns(stmt)
      .filter(isArray)
      .map((column) => ({
        location: column.typeName?.location,
        message: `datatype ${displayType(column)} not supported (column "${column.colname}"): store a JSON text column instead (textArray())`,
      }));
  },
});
