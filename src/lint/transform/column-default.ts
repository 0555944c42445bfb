import type { AlterTableCmd, Node, RangeVar, TypeName } from "@pgsql/types";
import { alterTable } from "./alter.js";
import { clone } from "./ast.js";
import { arrayDefaultAsText, isArrayType, stripCast } from "./defaults.js";
import { enumValues } from "./enum-column.js";
import { isJsonType } from "./json-column.js";
import type { Emitted, StatementLog, TransformContext } from "./types.js";

/**
 * `ALTER COLUMN c SET DEFAULT <literal>::<type>` where the type no longer
 * exists on DSQL (array, json in text mode, enum): the default becomes the
 * text the column now holds (`'{}'::text[]` → `'{}'`, `'ok'::mood` → `'ok'`).
 */
export function rewriteColumnDefault(
  relation: RangeVar,
  cmd: AlterTableCmd,
  ctx: TransformContext,
  log: StatementLog,
): Emitted[] {
  const copy = clone(cmd);
  const expr = copy.def;
  const cast = (expr as { TypeCast?: { typeName?: TypeName } } | undefined)?.TypeCast?.typeName;
  let replaced: Node | undefined;
  if (expr && cast && isArrayType(cast)) {
    replaced = arrayDefaultAsText(expr);
  } else if (expr && ctx.options.json === "text") {
    replaced = stripCast(expr, isJsonType);
  }
  replaced ??= stripCast(expr, (t) => enumValues(t, ctx) !== undefined);
  if (!replaced) return [{ node: alterTable(relation, cmd) }];
  copy.def = replaced;
  log.change(
    "default-as-text",
    `column "${cmd.name}": the default is cast to a type DSQL columns cannot have; written as the text the column stores`,
  );
  return [{ node: alterTable(relation, copy) }];
}
