import type { CreateStmt, DropStmt, IndexStmt, Node } from "@pgsql/types";
import type { ParsedStatement } from "../sql/parser.js";
import { bodyOf, relationKey, stringOf } from "./ast.js";
import { indexesCreatedBy } from "./index-limits.js";
import type { RuleContext } from "./types.js";

/** A fresh context: nothing seen yet. */
export function newRuleContext(): RuleContext {
  return { indexesPerTable: new Map() };
}

function dropKey(object: Node): string {
  const parts = ((object as { List?: { items?: Node[] } }).List?.items ?? []).map(
    (n) => stringOf(n) ?? "",
  );
  const name = (parts[parts.length - 1] ?? "").toLowerCase();
  const schema = parts.length > 1 ? parts[parts.length - 2]?.toLowerCase() : undefined;
  return schema && schema !== "public" ? `${schema}.${name}` : name;
}

/**
 * Records what an accepted statement changes in the context: CREATE TABLE
 * starts counting a table's indexes, CREATE INDEX adds one, DROP TABLE forgets it.
 */
export function recordStatement(stmt: ParsedStatement, ctx: RuleContext): void {
  const counts = ctx.indexesPerTable;
  if (stmt.type === "CreateStmt") {
    const create = bodyOf<CreateStmt>(stmt);
    const key = relationKey(create.relation);
    if (create.if_not_exists && counts.has(key)) return;
    counts.set(key, indexesCreatedBy(stmt));
  } else if (stmt.type === "IndexStmt") {
    const key = relationKey(bodyOf<IndexStmt>(stmt).relation);
    const seen = counts.get(key);
    if (seen !== undefined) counts.set(key, seen + 1);
  } else if (stmt.type === "DropStmt") {
    const drop = bodyOf<DropStmt>(stmt);
    if (drop.removeType !== "OBJECT_TABLE") return;
    for (const object of drop.objects ?? []) counts.delete(dropKey(object));
  }
}
