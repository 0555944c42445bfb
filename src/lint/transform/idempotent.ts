import type { CreateSchemaStmt, DropStmt, Node } from "@pgsql/types";
import { clone } from "./ast.js";
import type { Emitted, StatementLog, TransformContext } from "./types.js";

/**
 * `DROP TABLE|INDEX|VIEW|SEQUENCE|SCHEMA x` → `DROP ... IF EXISTS x`, so an
 * interrupted migration can be run again.
 */
export function rewriteDrop(
  stmt: { node: Node },
  _ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const node = clone(stmt.node) as { DropStmt: DropStmt };
  if (!node.DropStmt.missing_ok) {
    node.DropStmt.missing_ok = true;
    log.change("idempotent-ddl", "DROP ... IF EXISTS lets an interrupted migration resume");
  }
  return [{ node }];
}

/** `CREATE SCHEMA x` → `CREATE SCHEMA IF NOT EXISTS x`. */
export function rewriteCreateSchema(
  stmt: { node: Node },
  _ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const node = clone(stmt.node) as { CreateSchemaStmt: CreateSchemaStmt };
  if (!node.CreateSchemaStmt.if_not_exists) {
    node.CreateSchemaStmt.if_not_exists = true;
    log.change(
      "idempotent-ddl",
      "CREATE SCHEMA IF NOT EXISTS lets an interrupted migration resume",
    );
  }
  return [{ node }];
}
