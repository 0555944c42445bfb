import type { Constraint, CreateStmt, IndexStmt } from "@pgsql/types";
import type { ParsedStatement } from "../sql/parser.js";
import { bodyOf, relationKey } from "./ast.js";
import { tableConstraints } from "./columns.js";
import { defineRule, type Hit } from "./define.js";
import { indexKeys } from "./index-shape.js";

/** Key columns DSQL allows in one index. */
export const MAX_INDEX_KEYS = 8;
/** Indexes DSQL allows on one table (primary key and unique constraints count). */
export const MAX_INDEXES_PER_TABLE = 24;

function isIndexConstraint(constraint: Constraint): boolean {
  return constraint.contype === "CONSTR_PRIMARY" || constraint.contype === "CONSTR_UNIQUE";
}

/** How many indexes CREATE TABLE makes (inline PRIMARY KEY and UNIQUE). */
export function indexesCreatedBy(stmt: ParsedStatement): number {
  return tableConstraints(stmt).filter(isIndexConstraint).length;
}

/** More than 8 key columns in an index (54011). */
export const indexKeyLimit = defineRule({
  id: "index-key-limit",
  description: "more than 8 key columns in one index, primary key or unique constraint",
  instead: "at most 8 key columns; move the rest to `INCLUDE (...)`",
  message: "more than 8 column keys in an index are not supported",
  sqlstate: "54011",
  limit: true,
  on: ["IndexStmt", "CreateStmt"],
  find(stmt) {
    const hits: Hit[] = [];
    if (stmt.type === "IndexStmt") {
      const index = bodyOf<IndexStmt>(stmt);
      const count = indexKeys(index).length;
      if (count > MAX_INDEX_KEYS) {
        hits.push({
          location: index.relation?.location,
          message: `more than 8 column keys in an index are not supported (${count} keys): move the rest to INCLUDE (...)`,
        });
      }
      return hits;
    }
    for (const constraint of tableConstraints(stmt)) {
      const count = constraint.keys?.length ?? 0;
      if (!isIndexConstraint(constraint) || count <= MAX_INDEX_KEYS) continue;
      hits.push({
        location: constraint.location,
        message: `more than 8 column keys in an index are not supported (${count} keys in a ${constraint.contype === "CONSTR_PRIMARY" ? "primary key" : "unique constraint"})`,
      });
    }
    return hits;
  },
});

/** More than 24 indexes on one table whose definition is in view. */
export const indexCountLimit = defineRule({
  id: "index-count-limit",
  description:
    "more than 24 indexes on one table (primary key and unique constraints count); checked where the CREATE TABLE is in view",
  instead: "drop indexes you do not need; at most 24 per table",
  message: "more than 24 indexes on one table are not supported",
  sqlstate: "54000",
  limit: true,
  on: ["IndexStmt", "CreateStmt"],
  find(stmt, ctx) {
    let table: string;
    let count: number;
    let location: number | undefined;
    if (stmt.type === "CreateStmt") {
      const create = bodyOf<CreateStmt>(stmt);
      table = relationKey(create.relation);
      count = indexesCreatedBy(stmt);
      location = create.relation?.location;
    } else {
      const index = bodyOf<IndexStmt>(stmt);
      table = relationKey(index.relation);
      const seen = ctx.indexesPerTable.get(table);
      if (seen === undefined) return [];
      count = seen + 1;
      location = index.relation?.location;
    }
    if (count <= MAX_INDEXES_PER_TABLE) return [];
    return [
      {
        location,
        message: `table "${table}" would have ${count} indexes; DSQL allows at most ${MAX_INDEXES_PER_TABLE} (primary key and unique constraints count)`,
      },
    ];
  },
});
