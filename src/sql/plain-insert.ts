import type { ParsedStatement } from "./parser.js";

type Node = Record<string, unknown>;

function body(node: unknown, type: string): Node | undefined {
  return (node as Record<string, Node | undefined> | undefined)?.[type];
}

/** A parameter, a constant, `DEFAULT`, or a cast of one: a value the client sent as is. */
function isSentValue(node: unknown): boolean {
  if (body(node, "ParamRef") || body(node, "A_Const") || body(node, "SetToDefault")) return true;
  const cast = body(node, "TypeCast");
  return cast !== undefined && isSentValue(cast.arg);
}

/**
 * Whether the statement is `INSERT ... VALUES` of parameters and constants
 * only (no CTE, no `ON CONFLICT DO UPDATE`): it writes exactly its rows, with
 * exactly the values the client sent, so their sizes are known before it runs.
 */
export function isPlainInsert(stmt: ParsedStatement): boolean {
  if (stmt.type !== "InsertStmt") return false;
  const insert = body(stmt.node, "InsertStmt") as Node;
  if (insert.withClause) return false;
  const conflict = insert.onConflictClause as { action?: string } | undefined;
  if (conflict && conflict.action !== "ONCONFLICT_NOTHING") return false;
  const select = body(insert.selectStmt, "SelectStmt");
  const lists = select?.valuesLists as unknown[] | undefined;
  if (!select || !lists || (select.op && select.op !== "SETOP_NONE")) return false;
  return lists.every((list) => {
    const items = (body(list, "List")?.items ?? []) as unknown[];
    return items.every(isSentValue);
  });
}
