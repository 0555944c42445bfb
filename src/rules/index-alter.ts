import type { AlterTableStmt, Node, RenameStmt } from "@pgsql/types";

/** Whether an ALTER / RENAME / SET SCHEMA statement targets an index rather than a table. */
export function isIndexAlter(stmt: { type: string; node: Node }): boolean {
  if (stmt.type === "AlterTableStmt")
    return (
      (stmt.node as { AlterTableStmt: AlterTableStmt }).AlterTableStmt.objtype === "OBJECT_INDEX"
    );
  if (stmt.type === "RenameStmt")
    return (stmt.node as { RenameStmt: RenameStmt }).RenameStmt.renameType === "OBJECT_INDEX";
  if (stmt.type === "AlterObjectSchemaStmt")
    return (
      (stmt.node as { AlterObjectSchemaStmt: { objectType?: string } }).AlterObjectSchemaStmt
        .objectType === "OBJECT_INDEX"
    );
  return false;
}
