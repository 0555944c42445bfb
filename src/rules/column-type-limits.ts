import { numberOf, typeNameOf } from "../sql/ast.js";
import { COLUMN_STATEMENTS } from "./column-type-sets.js";
import { newColumns } from "./columns.js";
import { defineRule, type Hit } from "./define.js";

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
