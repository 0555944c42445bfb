import type {
  AlterTableStmt,
  ColumnDef,
  CreateStmt,
  DropStmt,
  IndexStmt,
  Node,
} from "@pgsql/types";
import { contextTableKey, statementBody, stringOf, typeNameOf } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";
import { alterCommands, newColumns, tableConstraints } from "./columns.js";
import { indexesCreatedBy } from "./index-limit-values.js";
import type { RuleContext, TableShape } from "./types.js";

/** A fresh context: nothing seen yet. */
export function newRuleContext(): RuleContext {
  return { indexesPerTable: new Map(), tables: new Map() };
}

/** The type name a column is recorded under: `jsonb`, `int8`, `text[]`. */
export function columnType(column: ColumnDef): string {
  const array = (column.typeName?.arrayBounds?.length ?? 0) > 0;
  return `${typeNameOf(column.typeName)}${array ? "[]" : ""}`;
}

/** The table a CREATE TABLE defines: its columns and primary key. */
export function tableShape(stmt: ParsedStatement): TableShape {
  const columns = new Map(newColumns(stmt).map((c) => [c.colname ?? "", columnType(c)]));
  const primaryKey = new Set<string>();
  for (const elt of statementBody<CreateStmt>(stmt).tableElts ?? []) {
    const column = (elt as { ColumnDef?: ColumnDef }).ColumnDef;
    const inline = column?.constraints?.some(
      (c) => (c as { Constraint?: { contype?: string } }).Constraint?.contype === "CONSTR_PRIMARY",
    );
    if (column && inline) primaryKey.add(column.colname ?? "");
  }
  for (const constraint of tableConstraints(stmt)) {
    if (constraint.contype !== "CONSTR_PRIMARY") continue;
    for (const key of constraint.keys ?? []) primaryKey.add(stringOf(key) ?? "");
  }
  return { columns, primaryKey };
}

function dropKey(object: Node): string {
  const parts = ((object as { List?: { items?: Node[] } }).List?.items ?? []).map(
    (n) => stringOf(n) ?? "",
  );
  const name = (parts[parts.length - 1] ?? "").toLowerCase();
  const schema = parts.length > 1 ? parts[parts.length - 2]?.toLowerCase() : undefined;
  return schema && schema !== "public" ? `${schema}.${name}` : name;
}

function alterShape(stmt: ParsedStatement, shape: TableShape | undefined): void {
  if (!shape) return;
  for (const column of newColumns(stmt))
    shape.columns.set(column.colname ?? "", columnType(column));
  for (const cmd of alterCommands(stmt)) {
    if (cmd.subtype !== "AT_DropColumn") continue;
    shape.columns.delete(cmd.name ?? "");
    shape.primaryKey.delete(cmd.name ?? "");
  }
}

/**
 * Records what an accepted statement changes in the context: CREATE TABLE
 * starts counting a table's indexes and records its shape, CREATE INDEX adds
 * an index, ADD / DROP COLUMN change the shape, DROP TABLE forgets the table.
 */
export function recordStatement(stmt: ParsedStatement, ctx: RuleContext): void {
  const counts = ctx.indexesPerTable;
  if (stmt.type === "CreateStmt") {
    const create = statementBody<CreateStmt>(stmt);
    const key = contextTableKey(create.relation);
    if (create.if_not_exists && counts.has(key)) return;
    counts.set(key, indexesCreatedBy(stmt));
    ctx.tables?.set(key, tableShape(stmt));
  } else if (stmt.type === "AlterTableStmt") {
    alterShape(
      stmt,
      ctx.tables?.get(contextTableKey(statementBody<AlterTableStmt>(stmt).relation)),
    );
  } else if (stmt.type === "IndexStmt") {
    const key = contextTableKey(statementBody<IndexStmt>(stmt).relation);
    const seen = counts.get(key);
    if (seen !== undefined) counts.set(key, seen + 1);
  } else if (stmt.type === "DropStmt") {
    const drop = statementBody<DropStmt>(stmt);
    if (drop.removeType !== "OBJECT_TABLE") return;
    for (const object of drop.objects ?? []) {
      counts.delete(dropKey(object));
      ctx.tables?.delete(dropKey(object));
    }
  }
}
