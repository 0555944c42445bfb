import type {
  AlterTableStmt,
  ColumnDef,
  CreateStmt,
  DropStmt,
  IndexStmt,
  Node,
} from "@pgsql/types";
import type { ParsedStatement } from "../sql/parser.js";
import { bodyOf, relationKey, stringOf, typeNameOf } from "./ast.js";
import { alterCommands, newColumns } from "./columns.js";
import { indexesCreatedBy } from "./index-limits.js";
import type { RuleContext } from "./types.js";

/** A fresh context: nothing seen yet. */
export function newRuleContext(): RuleContext {
  return { indexesPerTable: new Map(), columns: new Map() };
}

/** The type name a column is recorded under: `jsonb`, `int8`, `text[]`. */
export function columnType(column: ColumnDef): string {
  const array = (column.typeName?.arrayBounds?.length ?? 0) > 0;
  return `${typeNameOf(column.typeName)}${array ? "[]" : ""}`;
}

function dropKey(object: Node): string {
  const parts = ((object as { List?: { items?: Node[] } }).List?.items ?? []).map(
    (n) => stringOf(n) ?? "",
  );
  const name = (parts[parts.length - 1] ?? "").toLowerCase();
  const schema = parts.length > 1 ? parts[parts.length - 2]?.toLowerCase() : undefined;
  return schema && schema !== "public" ? `${schema}.${name}` : name;
}

function recordColumns(stmt: ParsedStatement, ctx: RuleContext, key: string, fresh: boolean): void {
  if (!ctx.columns) return;
  let table = ctx.columns.get(key);
  if (fresh || !table) {
    if (!fresh) return; // ALTER TABLE on a table not in view: nothing known to extend
    table = new Map();
    ctx.columns.set(key, table);
  }
  for (const column of newColumns(stmt)) table.set(column.colname ?? "", columnType(column));
  for (const cmd of alterCommands(stmt)) {
    if (cmd.subtype === "AT_DropColumn") table.delete(cmd.name ?? "");
  }
}

/**
 * Records what an accepted statement changes in the context: CREATE TABLE
 * starts counting a table's indexes and columns, CREATE INDEX adds an index,
 * ADD / DROP COLUMN change the columns, DROP TABLE forgets the table.
 */
export function recordStatement(stmt: ParsedStatement, ctx: RuleContext): void {
  const counts = ctx.indexesPerTable;
  if (stmt.type === "CreateStmt") {
    const create = bodyOf<CreateStmt>(stmt);
    const key = relationKey(create.relation);
    if (create.if_not_exists && counts.has(key)) return;
    counts.set(key, indexesCreatedBy(stmt));
    recordColumns(stmt, ctx, key, true);
  } else if (stmt.type === "AlterTableStmt") {
    recordColumns(stmt, ctx, relationKey(bodyOf<AlterTableStmt>(stmt).relation), false);
  } else if (stmt.type === "IndexStmt") {
    const key = relationKey(bodyOf<IndexStmt>(stmt).relation);
    const seen = counts.get(key);
    if (seen !== undefined) counts.set(key, seen + 1);
  } else if (stmt.type === "DropStmt") {
    const drop = bodyOf<DropStmt>(stmt);
    if (drop.removeType !== "OBJECT_TABLE") return;
    for (const object of drop.objects ?? []) {
      counts.delete(dropKey(object));
      ctx.columns?.delete(dropKey(object));
    }
  }
}
