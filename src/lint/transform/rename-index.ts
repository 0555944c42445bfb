import type { Node, RenameStmt } from "@pgsql/types";
import { clone } from "./ast.js";
import type { Emitted, StatementLog, TransformContext } from "./types.js";

/**
 * `ALTER INDEX i RENAME TO j` → `ALTER TABLE i RENAME TO j`. DSQL documents
 * ALTER TABLE's `RENAME TO` and no ALTER INDEX (AWS's linter refuses ALTER
 * INDEX); PostgreSQL renames any relation, indexes included, through ALTER
 * TABLE ... RENAME TO. Other renames pass through.
 */
export function rewriteRenameIndex(
  stmt: { node: Node },
  _ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const rename = (stmt.node as { RenameStmt: RenameStmt }).RenameStmt;
  if (rename.renameType !== "OBJECT_INDEX") return [{ node: stmt.node }];
  const copy = clone(rename);
  copy.renameType = "OBJECT_TABLE";
  copy.relationType = "OBJECT_TABLE";
  log.change(
    "rename-index",
    `index ${rename.relation?.relname}: DSQL documents ALTER TABLE ... RENAME TO, not ALTER INDEX; the index is renamed through ALTER TABLE (as PostgreSQL allows for any relation)`,
  );
  return [{ node: { RenameStmt: copy } as Node }];
}
