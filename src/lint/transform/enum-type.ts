import type { CreateEnumStmt, Node } from "@pgsql/types";
import { stringsOf } from "../../sql/ast.js";
import type { Emitted, StatementLog, TransformContext } from "./types.js";

/** The lower-cased keys (`schema.name` and bare `name`) an enum is known by. */
export function enumKeys(typeNames: string[]): string[] {
  const parts = typeNames.map((p) => p.toLowerCase());
  const name = parts[parts.length - 1] ?? "";
  const schema = parts.length > 1 ? parts[parts.length - 2] : "public";
  return [`${schema}.${name}`];
}

/** Records the values of `CREATE TYPE ... AS ENUM` statements in the input. */
export function collectEnum(node: Node, ctx: TransformContext): void {
  const create = (node as { CreateEnumStmt?: CreateEnumStmt }).CreateEnumStmt;
  if (!create) return;
  for (const key of enumKeys(stringsOf(create.typeName)))
    ctx.enums.set(key, stringsOf(create.vals));
}

/**
 * `CREATE TYPE ... AS ENUM` → removed: DSQL has no CREATE TYPE; columns of
 * the enum become text with a CHECK constraint.
 */
export function rewriteCreateEnum(
  stmt: { node: Node },
  _ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const create = (stmt.node as { CreateEnumStmt: CreateEnumStmt }).CreateEnumStmt;
  log.change(
    "enum-to-check",
    `type ${stringsOf(create.typeName).join(".")}: DSQL has no CREATE TYPE; the enum is removed and its columns become text with CHECK (col IN (...))`,
  );
  return [];
}

/** `DROP TYPE` → removed: DSQL has no user-defined types, so there is nothing to drop. */
export function rewriteDropType(
  _stmt: { node: Node },
  _ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  log.change(
    "enum-to-check",
    "DSQL has no user-defined types (enums are text + CHECK); DROP TYPE removed",
  );
  return [];
}
