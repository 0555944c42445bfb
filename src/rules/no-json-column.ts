import { typeNameOf } from "../sql/ast.js";
import { COLUMN_STATEMENTS, isArray } from "./column-type-sets.js";
import { newColumns } from "./columns.js";
import { defineRule } from "./define.js";

/** json / jsonb columns, only under `{ json: "forbid" }`. */
export const noJsonColumn = defineRule({
  id: "no-json-column",
  description:
    'json / jsonb column types; off by default (DSQL has them since mid-2026), on with `{ json: "forbid" }` / `--forbid-json`',
  instead: "a `text` column holding JSON (`jsonText()` from drizzle-dsql)",
  message: "json/jsonb columns are forbidden by your options: use a text column (jsonText())",
  sqlstate: "0A000",
  on: COLUMN_STATEMENTS,
  enabled: (options) => options.json === "forbid",
  find(stmt) {
    return newColumns(stmt)
      .filter((column) => !isArray(column) && /^jsonb?$/.test(typeNameOf(column.typeName)))
      .map((column) => ({
        location: column.typeName?.location,
        message: `datatype ${typeNameOf(column.typeName)} is forbidden by your options (column "${column.colname}"): use a text column (jsonText())`,
      }));
  },
});
