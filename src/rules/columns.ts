import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
} from "@pgsql/types";
import { columnConstraints, nodeOf, statementBody } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";

/** The `AlterTableCmd`s of an ALTER TABLE statement (empty for other statements). */
export function alterCommands(stmt: ParsedStatement): AlterTableCmd[] {
  if (stmt.type !== "AlterTableStmt") return [];
  const out: AlterTableCmd[] = [];
  for (const cmd of statementBody<AlterTableStmt>(stmt).cmds ?? []) {
    const body = nodeOf<AlterTableCmd>(cmd, "AlterTableCmd");
    if (body) out.push(body);
  }
  return out;
}

// Many rules ask for the same lists of one statement; compute them once.
const columnsMemo = new WeakMap<ParsedStatement, ColumnDef[]>();
const constraintsMemo = new WeakMap<ParsedStatement, Constraint[]>();

/** Columns a statement creates: CREATE TABLE's column list and ALTER TABLE ... ADD COLUMN. */
export function newColumns(stmt: ParsedStatement): ColumnDef[] {
  let out = columnsMemo.get(stmt);
  if (!out) {
    out = collectColumns(stmt);
    columnsMemo.set(stmt, out);
  }
  return out;
}

function collectColumns(stmt: ParsedStatement): ColumnDef[] {
  const out: ColumnDef[] = [];
  if (stmt.type === "CreateStmt") {
    for (const elt of statementBody<CreateStmt>(stmt).tableElts ?? []) {
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

/** Table-level constraints of CREATE TABLE plus every column's inline constraints. */
export function tableConstraints(stmt: ParsedStatement): Constraint[] {
  if (stmt.type !== "CreateStmt") return [];
  let out = constraintsMemo.get(stmt);
  if (!out) {
    out = collectTableConstraints(stmt);
    constraintsMemo.set(stmt, out);
  }
  return out;
}

function collectTableConstraints(stmt: ParsedStatement): Constraint[] {
  const out: Constraint[] = [];
  for (const elt of statementBody<CreateStmt>(stmt).tableElts ?? []) {
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
