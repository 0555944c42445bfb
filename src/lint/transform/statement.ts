import type { AlterEnumStmt, DropStmt, Node } from "@pgsql/types";
import type { ParsedStatement } from "../../sql/parser.js";
import { rewriteAlterTable } from "./alter-table.js";
import { rewriteCreateTable } from "./create-table.js";
import { rewriteCreateEnum, rewriteDropType } from "./enum-type.js";
import { unwrapGuardedDdl } from "./guarded-ddl.js";
import { rewriteCreateSchema, rewriteDrop } from "./idempotent.js";
import { rewriteIndex } from "./index-async.js";
import { REFUSALS } from "./refusals.js";
import { rewriteRenameIndex } from "./rename-index.js";
import { rewriteCreateSequence } from "./sequence.js";
import type { Emitted, StatementLog, TransformContext } from "./types.js";

type Rewrite = (stmt: ParsedStatement, ctx: TransformContext, log: StatementLog) => Emitted[];

const BY_TYPE: Partial<Record<string, Rewrite>> = {
  IndexStmt: rewriteIndex,
  CreateStmt: rewriteCreateTable,
  AlterTableStmt: rewriteAlterTable,
  CreateEnumStmt: rewriteCreateEnum,
  CreateSchemaStmt: rewriteCreateSchema,
  CreateSeqStmt: rewriteCreateSequence,
  RenameStmt: rewriteRenameIndex,
  DropStmt: (stmt, ctx, log) => {
    const drop = (stmt.node as { DropStmt: DropStmt }).DropStmt;
    if (drop.removeType === "OBJECT_TYPE" || drop.removeType === "OBJECT_DOMAIN") {
      return rewriteDropType(stmt, ctx, log);
    }
    return rewriteDrop(stmt, ctx, log);
  },
};

/**
 * Rewrites one parsed statement for DSQL; statements no rewrite knows pass
 * through (what DSQL does not support at all is then refused by the rule
 * list's own check of the output, with the rule's id).
 */
export function rewriteStatement(
  stmt: ParsedStatement,
  ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const guarded = unwrapGuardedDdl(stmt);
  if (guarded) {
    log.change(
      "guarded-ddl",
      "DSQL has no DO blocks; the guarded statement runs on its own (the migrator skips it when the catalog shows it already in effect, as the EXCEPTION WHEN duplicate_object guard did)",
    );
    const inner = rewriteStatement(guarded, ctx, log);
    // An inner statement that needed no rewrite is emitted as written.
    return inner.length === 1 && inner[0]?.node === guarded.node ? [{ text: guarded.text }] : inner;
  }
  if (stmt.type === "AlterEnumStmt") {
    const renames = (stmt.node as { AlterEnumStmt: AlterEnumStmt }).AlterEnumStmt.oldVal;
    if (ctx.options.enumCheck === "none" && !renames) {
      // Enum columns are plain text: a new value is already allowed.
      log.change(
        "enum-to-text",
        'ALTER TYPE ... ADD VALUE removed: with enumCheck: "none" enum columns are plain text, so the new value needs no schema change',
      );
      return [];
    }
    log.refuse("no-create-type", REFUSALS["no-create-type"]);
    return [{ node: stmt.node }];
  }
  const rewrite = BY_TYPE[stmt.type];
  return rewrite ? rewrite(stmt, ctx, log) : [{ node: stmt.node as Node, async: stmt.async }];
}
