import type { Constraint } from "@pgsql/types";
import type { ParsedStatement } from "../sql/parser.js";
import { tableConstraints } from "./columns.js";

/** Key columns DSQL allows in one index. */
export const MAX_INDEX_KEYS = 8;

/** Indexes DSQL allows on one table (primary key and unique constraints count). */
export const MAX_INDEXES_PER_TABLE = 24;

export function isIndexConstraint(constraint: Constraint): boolean {
  return constraint.contype === "CONSTR_PRIMARY" || constraint.contype === "CONSTR_UNIQUE";
}

/** How many indexes CREATE TABLE makes (inline PRIMARY KEY and UNIQUE). */
export function indexesCreatedBy(stmt: ParsedStatement): number {
  return tableConstraints(stmt).filter(isIndexConstraint).length;
}
