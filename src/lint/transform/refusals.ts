/**
 * What the transform says when it refuses an ALTER it cannot rewrite, keyed by
 * the id of the rule in the one rule list (src/rules/list.ts) it breaks; the
 * rule's "instead" is added to every refusal (see `withInstead`).
 */
export const REFUSALS = {
  "no-alter-column-type":
    "DSQL cannot change a column's type (ALTER COLUMN ... SET DATA TYPE) or a generated column's expression. Expand/contract instead: add a new column of the new type, backfill it in batches, switch the application to it, then drop the old column",
  "no-drop-constraint":
    "DSQL cannot drop constraints (DROP CONSTRAINT). For a unique index use DROP INDEX; otherwise expand/contract: add a new column (or table) without the constraint, backfill it, switch over, drop the old one",
  "no-create-type":
    "DSQL has no enum types; enum columns are text with a CHECK (col IN (...)) constraint, which DSQL cannot drop or alter, so ALTER TYPE ... ADD VALUE has no in-place equivalent. If the column was made with enumCheck: 'none' (plain text), just remove this statement: the new value needs no migration. Otherwise expand/contract: add a new text column with the new CHECK, backfill it, switch over, drop the old column",
} as const;
