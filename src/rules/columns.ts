import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
} from "@pgsql/types";
import type { ParsedStatement } from "../sql/parser.js";
import { bodyOf, nodeOf } from "./ast.js";

/** The `AlterTableCmd`s of an ALTER TABLE statement (empty for other statements). */
export function alterCommands(stmt: ParsedStatement): AlterTableCmd[] {
  if (stmt.type !== "AlterTableStmt") return [];
  const out: AlterTableCmd[] = [];
  for (const cmd of bodyOf<AlterTableStmt>(stmt).cmds ?? []) {
    const body = nodeOf<AlterTableCmd>(cmd, "AlterTableCmd");
    if (body) out.push(body);
  }
  return out;
}

/** Columns a statement creates: CREATE TABLE's column list and ALTER TABLE ... ADD COLUMN. */
export function newColumns(stmt: ParsedStatement): ColumnDef[] {
  const out: ColumnDef[] = [];
  if (stmt.type === "CreateStmt") {
    for (const elt of bodyOf<CreateStmt>(stmt).tableElts ?? []) {
      const column = nodeOf<ColumnDef>(elt, "ColumnDef");
      if (column) out.push(column);
    }
  } else {
    for (const cmd of alterCommands(stmt)) {
      if (cmd.subtype !== "AT_AddColumn") continue;
      const column = nodeOf<ColumnDef>(cmd.def, "ColumnDef");
      if (column) out.push(column);
    }
  }
  return out;
}

/** The constraints written inline on a column. */
export function columnConstraints(column: ColumnDef): Constraint[] {
  const out: Constraint[] = [];
  for (const node of column.constraints ?? []) {
    const constraint = nodeOf<Constraint>(node, "Constraint");
    if (constraint) out.push(constraint);
  }
  return out;
}

/** Table-level constraints of CREATE TABLE plus every column's inline constraints. */
export function tableConstraints(stmt: ParsedStatement): Constraint[] {
  if (stmt.type !== "CreateStmt") return [];
  const out: Constraint[] = [];
  for (const elt of bodyOf<CreateStmt>(stmt).tableElts ?? []) {
    const constraint = nodeOf<Constraint>(elt, "Constraint");
    if (constraint) out.push(constraint);
    const column = nodeOf<ColumnDef>(elt, "ColumnDef");
    if (column) out.push(...columnConstraints(column));
  }
  return out;
}

/** Constraints added by ALTER TABLE ... ADD [CONSTRAINT]. */
export function addedConstraints(stmt: ParsedStatement): Constraint[] {
  const out: Constraint[] = [];
  for (const cmd of alterCommands(stmt)) {
    if (cmd.subtype !== "AT_AddConstraint") continue;
    const constraint = nodeOf<Constraint>(cmd.def, "Constraint");
    if (constraint) out.push(constraint);
  }
  return out;
}
