import type { ColumnDef } from "@pgsql/types";
import { numberOf, typeNameOf } from "./ast.js";
import { newColumns } from "./columns.js";
import { defineRule, type Hit } from "./define.js";

const COLUMN_STATEMENTS = ["CreateStmt", "AlterTableStmt"] as const;

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

const SERIALS = new Set(["serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"]);

function isArray(column: ColumnDef): boolean {
  return (
    (column.typeName?.arrayBounds?.length ?? 0) > 0 || typeNameOf(column.typeName).startsWith("_")
  );
}

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

const LENGTH_LIMITS: Record<string, { max: number; label: string }> = {
  varchar: { max: 65535, label: "varchar(n) allows n up to 65535" },
  bpchar: { max: 4096, label: "char(n) allows n up to 4096" },
  numeric: { max: 1000, label: "numeric precision goes up to 1000" },
};

/** varchar(n > 65535), char(n > 4096), numeric(p > 1000). */
export const columnTypeLimits = defineRule({
  id: "column-type-limits",
  description: "`varchar(n)` with n > 65535, `char(n)` with n > 4096, `numeric(p)` with p > 1000",
  instead: "`text` for long strings; numeric precision up to 1000",
  message: "column type size exceeds DSQL's limit",
  sqlstate: "0A000",
  on: COLUMN_STATEMENTS,
  find(stmt) {
    const hits: Hit[] = [];
    for (const column of newColumns(stmt)) {
      const limit = LENGTH_LIMITS[typeNameOf(column.typeName)];
      const size = numberOf(column.typeName?.typmods?.[0]);
      if (!limit || size === undefined || size <= limit.max) continue;
      hits.push({
        location: column.typeName?.location,
        message: `column "${column.colname}": ${limit.label} on DSQL, got ${size}; use text or a smaller size`,
      });
    }
    return hits;
  },
});

/** Per-column COLLATE: DSQL's collation is always C. */
export const noCollate = defineRule({
  id: "no-collate",
  description: "per-column `COLLATE` (DSQL's collation is always C)",
  instead: "drop the COLLATE clause (text compares and sorts in C collation)",
  message: "per-column COLLATE is not supported by DSQL (collation is C): drop the COLLATE clause",
  sqlstate: "0A000",
  on: COLUMN_STATEMENTS,
  find(stmt) {
    return newColumns(stmt)
      .filter((column) => column.collClause)
      .map((column) => ({
        location: column.collClause?.location,
        message: `COLLATE on column "${column.colname}" is not supported by DSQL (collation is C): drop the COLLATE clause`,
      }));
  },
});

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
