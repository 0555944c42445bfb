import type { StatementKind } from "../sql/classify.js";

/** Transaction control written into a text: where a transaction starts or ends. */
export type TransactionControl = "begin" | "end";

/** One statement of a multi-statement text, as DSQL's transaction rules see it. */
export interface StatementPart {
  kind: StatementKind;
  /** Rows it writes at most, when the text says. */
  knownRows: number | undefined;
  /** BEGIN / START TRANSACTION, or COMMIT / ROLLBACK / END / ABORT. */
  control: TransactionControl | undefined;
}

const ENDS = new Set(["TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE"]);

/** Whether a TransactionStmt's kind begins or ends a transaction (savepoints do neither). */
export function transactionControl(kind: string | undefined): TransactionControl | undefined {
  if (kind === "TRANS_STMT_BEGIN" || kind === "TRANS_STMT_START") return "begin";
  if (kind && ENDS.has(kind)) return "end";
  return undefined;
}

/** The kind that stands for a whole text: DML if it writes, else DDL if it has any, else other. */
export function textKind(parts: readonly StatementPart[]): StatementKind {
  if (parts.some((p) => p.kind === "dml")) return "dml";
  if (parts.some((p) => p.kind === "ddl")) return "ddl";
  return parts.every((p) => p.kind === "select") ? "select" : "other";
}

/** Whether the text writes its own BEGIN / COMMIT. */
export function hasTransactionControl(parts: readonly StatementPart[]): boolean {
  return parts.some((p) => p.control !== undefined);
}
