import type { CreateStmt, IndexStmt } from "@pgsql/types";
import { columnConstraints, contextTableKey, statementBody, stringOf } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";
import { newColumns } from "./columns.js";
import { columnType, tableShape } from "./context.js";
import { defineRule, type Hit } from "./define.js";
import { indexKeys } from "./index-shape.js";
import type { RuleContext } from "./types.js";

const KEY_CONSTRAINTS = new Set(["CONSTR_PRIMARY", "CONSTR_UNIQUE"]);
function message(column: string): string {
  return `jsonb cannot be an index key on DSQL (column "${column}"): index an expression instead, e.g. ((${column}->>'field'))`;
}

function createTableHits(stmt: ParsedStatement): Hit[] {
  const types = tableShape(stmt).columns;
  const hits: Hit[] = [];
  for (const column of newColumns(stmt)) {
    if (columnType(column) !== "jsonb") continue;
    for (const constraint of columnConstraints(column)) {
      if (KEY_CONSTRAINTS.has(constraint.contype ?? "")) {
        hits.push({ location: constraint.location, message: message(column.colname ?? "") });
      }
    }
  }
  const create = statementBody<CreateStmt>(stmt);
  for (const elt of create.tableElts ?? []) {
    const constraint = (
      elt as { Constraint?: { contype?: string; keys?: never[]; location?: number } }
    ).Constraint;
    if (!constraint || !KEY_CONSTRAINTS.has(constraint.contype ?? "")) continue;
    for (const key of constraint.keys ?? []) {
      const name = stringOf(key) ?? "";
      if (types.get(name) === "jsonb")
        hits.push({ location: constraint.location, message: message(name) });
    }
  }
  return hits;
}

function indexHits(stmt: ParsedStatement, ctx: RuleContext): Hit[] {
  const index = statementBody<IndexStmt>(stmt);
  const columns = ctx.tables?.get(contextTableKey(index.relation))?.columns;
  if (!columns) return [];
  return indexKeys(index)
    .filter((key) => key.name !== undefined && columns.get(key.name) === "jsonb")
    .map((key) => ({ location: index.relation?.location, message: message(key.name ?? "") }));
}

/** jsonb columns as index keys (plain, primary key or unique). */
export const indexJsonbKey = defineRule({
  id: "index-jsonb-key",
  description:
    "a `jsonb` column as an index key (CREATE INDEX, PRIMARY KEY, UNIQUE); checked where the column's table is in view",
  instead: "index an expression on it, e.g. `CREATE INDEX ASYNC i ON t ((doc->>'field'))`",
  message: "jsonb cannot be an index key on DSQL: index an expression on it instead",
  sqlstate: "0A000",
  on: ["CreateStmt", "IndexStmt"],
  find: (stmt, ctx) => (stmt.type === "CreateStmt" ? createTableHits(stmt) : indexHits(stmt, ctx)),
});
