import type { ParsedStatement } from "./parser.js";

/** What a statement does, as far as DSQL's transaction rules care. */
export type StatementKind = "select" | "dml" | "ddl" | "txn" | "other";

const DML = new Set(["InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "CopyStmt"]);
const OTHER = new Set([
  "VariableSetStmt",
  "VariableShowStmt",
  "CallStmt",
  "ExplainStmt",
  "PrepareStmt",
  "ExecuteStmt",
  "DeallocateStmt",
  "DoStmt",
  "ListenStmt",
  "NotifyStmt",
  "UnlistenStmt",
  "LockStmt",
  "CheckPointStmt",
  "DiscardStmt",
  "VacuumStmt",
]);

function hasWritingCte(node: unknown): boolean {
  const ctes = (node as { withClause?: { ctes?: unknown[] } }).withClause?.ctes ?? [];
  return ctes.some((cte) => {
    const query = (cte as { CommonTableExpr?: { ctequery?: Record<string, unknown> } })
      .CommonTableExpr?.ctequery;
    if (!query) return false;
    const type = Object.keys(query)[0] ?? "";
    return DML.has(type) || (type === "SelectStmt" && hasWritingCte(query[type]));
  });
}

/** Classifies a parsed statement: SELECT, DML, DDL, transaction control or other. */
export function classifyStatement(stmt: ParsedStatement): StatementKind {
  const { type } = stmt;
  if (type === "SelectStmt") {
    const select = (stmt.node as { SelectStmt: { intoClause?: unknown } }).SelectStmt;
    if (select.intoClause) return "ddl";
    return hasWritingCte(select) ? "dml" : "select";
  }
  if (DML.has(type)) return "dml";
  if (type === "TransactionStmt") return "txn";
  if (OTHER.has(type)) return "other";
  return "ddl";
}
