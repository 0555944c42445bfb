import type { ColumnDef } from "@pgsql/types";
import { typeNameOf } from "../sql/ast.js";

export const COLUMN_STATEMENTS = ["CreateStmt", "AlterTableStmt"] as const;

/** Column types DSQL accepts (its documented supported data types), as the parser names them. */
export const DSQL_TYPES = new Set([
  "int2",
  "int4",
  "int8",
  "float4",
  "float8",
  "numeric",
  "decimal",
  "bpchar",
  "char",
  "varchar",
  "text",
  "bool",
  "bytea",
  "uuid",
  "date",
  "time",
  "timetz",
  "timestamp",
  "timestamptz",
  "interval",
  "json",
  "jsonb",
]);

export function isArray(column: ColumnDef): boolean {
  return (
    (column.typeName?.arrayBounds?.length ?? 0) > 0 || typeNameOf(column.typeName).startsWith("_")
  );
}
