import type { AlterTableStmt, Node } from "@pgsql/types";
import type { ParsedStatement } from "../sql/parser.js";
import { deparse } from "../sql/parser.js";
import { bodyOf } from "./ast.js";

/** The statement type ALTER TABLE rules look at. */
export const ON_ALTER = ["AlterTableStmt"] as const;

/** The altered table's name, as written. */
export function tableName(stmt: ParsedStatement): string {
  return bodyOf<AlterTableStmt>(stmt).relation?.relname ?? "?";
}

/** Parser location of the altered table's name. */
export function relationLocation(stmt: ParsedStatement): number | undefined {
  return bodyOf<AlterTableStmt>(stmt).relation?.location;
}

/** A node rendered back to SQL, or undefined when the deparser cannot. */
export function deparsed(node: Node): string | undefined {
  try {
    return deparse(node);
  } catch {
    return undefined;
  }
}
