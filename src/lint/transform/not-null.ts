import type { AlterTableCmd, RangeVar } from "@pgsql/types";
import { notNullCheck } from "./alter.js";
import type { Emitted, StatementLog, TransformContext } from "./types.js";

/**
 * `ALTER COLUMN c SET NOT NULL` → `ADD CONSTRAINT t_c_not_null CHECK (c IS NOT
 * NULL) NOT VALID` + `ALTER TABLE ASYNC t VALIDATE CONSTRAINT t_c_not_null`:
 * DSQL has no SET NOT NULL.
 */
export function rewriteSetNotNull(
  relation: RangeVar,
  cmd: AlterTableCmd,
  _ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const column = cmd.name ?? "";
  log.change(
    "not-null-check",
    `column "${column}": DSQL has no SET NOT NULL; enforced by a CHECK (${column} IS NOT NULL) constraint validated asynchronously (fails on existing NULLs, as SET NOT NULL would; the catalog still shows the column as nullable)`,
    "warning",
  );
  return notNullCheck(relation, column);
}
