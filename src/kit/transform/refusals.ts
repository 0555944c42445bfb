/** Why DSQL refuses a statement or ALTER TABLE action, and the DSQL-safe way instead. */
export const REFUSALS = {
  "alter-column-type":
    "DSQL cannot change a column's type (ALTER COLUMN ... SET DATA TYPE). Expand/contract instead: add a new column of the new type, backfill it in batches, switch the application to it, then drop the old column",
  "drop-constraint":
    "DSQL cannot drop constraints (DROP CONSTRAINT). For a unique index use DROP INDEX; otherwise expand/contract: add a new column (or table) without the constraint, backfill it, switch over, drop the old one",
  "add-identity":
    "DSQL cannot turn an existing column into an identity column; add a new column (uuid with DEFAULT gen_random_uuid()) or create a new table with the identity and copy the rows",
  truncate:
    "DSQL has no TRUNCATE; delete the rows in batches, e.g. DELETE FROM t WHERE id IN (SELECT id FROM t LIMIT 1000) repeated until no rows remain, one transaction each",
  "alter-enum":
    "DSQL has no enum types; enum columns are text with a CHECK (col IN (...)) constraint, which DSQL cannot drop or alter. Expand/contract: add a new text column with the new CHECK, backfill it, switch over, drop the old column",
  "set-expression":
    "DSQL cannot change a generated column's expression; expand/contract with a new column",
} as const;

/** Statements DSQL does not support at all, by parser node type. */
export const UNSUPPORTED_STATEMENTS: Record<string, string> = {
  CreateExtensionStmt: "DSQL has no extensions",
  CreateTrigStmt: "DSQL has no triggers; do the work in the application",
  CreateEventTrigStmt: "DSQL has no event triggers",
  CreateDomainStmt: "DSQL has no CREATE DOMAIN; use a base type with a CHECK constraint",
  CompositeTypeStmt: "DSQL has no composite types",
  CreateRangeStmt: "DSQL has no range types",
  CreatePolicyStmt: "DSQL has no row-level security policies",
  LockStmt: "DSQL has no LOCK TABLE (concurrency is optimistic)",
  VacuumStmt: "DSQL has no VACUUM",
  CreatedbStmt: "DSQL has no CREATE DATABASE",
  CreateTableAsStmt:
    "DSQL has no CREATE TABLE AS / materialized views; create the table, then INSERT ... SELECT in batches",
  RefreshMatViewStmt: "DSQL has no materialized views",
  ListenStmt: "DSQL has no LISTEN/NOTIFY",
  NotifyStmt: "DSQL has no LISTEN/NOTIFY",
  TruncateStmt: REFUSALS.truncate,
  AlterEnumStmt: REFUSALS["alter-enum"],
};
