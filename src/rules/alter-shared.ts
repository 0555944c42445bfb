import type { AlterTableStmt, Node } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";
import { deparse } from "../sql/parser.js";

/** The statement type ALTER TABLE rules look at. */
export const ON_ALTER = ["AlterTableStmt"] as const;

/** The altered table's name, as written. */
export function tableName(stmt: ParsedStatement): string {
  return statementBody<AlterTableStmt>(stmt).relation?.relname ?? "?";
}

/** Parser location of the altered table's name. */
export function relationLocation(stmt: ParsedStatement): number | undefined {
  return statementBody<AlterTableStmt>(stmt).relation?.location;
}

/** A node rendered back to SQL, or undefined when the deparser cannot. */
export function deparsed(node: Node): string | undefined {
  try {
    return deparse(node);
  } catch {
    return undefined;
  }
}
