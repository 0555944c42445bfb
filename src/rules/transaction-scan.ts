import type { TransactionStmt } from "@pgsql/types";
import { statementBody } from "../sql/ast.js";
import { classifyStatement } from "../sql/classify.js";
import type { ParsedStatement } from "../sql/parser.js";
import type { DsqlRule } from "./define.js";
import { noDdlWithDml } from "./no-ddl-with-dml.js";
import { oneDdlPerTransaction } from "./one-ddl-per-transaction.js";
import { TransactionMix } from "./transaction-state.js";
import type { Finding } from "./types.js";

const OPENS = new Set(["TRANS_STMT_BEGIN", "TRANS_STMT_START"]);
const CLOSES = new Set([
  "TRANS_STMT_COMMIT",
  "TRANS_STMT_ROLLBACK",
  "TRANS_STMT_PREPARE",
  "TRANS_STMT_COMMIT_PREPARED",
  "TRANS_STMT_ROLLBACK_PREPARED",
]);

/**
 * Follows explicit transactions (`BEGIN ... COMMIT`) through a sequence of
 * statements and reports the transaction rules visible in text: a second DDL
 * statement in one transaction, and DDL mixed with DML (once per transaction).
 * The rules themselves are {@link TransactionMix}, the state machine the twin
 * enforces too.
 */
export class TransactionScan {
  #mix: TransactionMix | undefined;
  #mixReported = false;

  /** Feeds the next statement; returns the transaction-rule findings it causes. */
  next(stmt: ParsedStatement): Finding[] {
    const kind = classifyStatement(stmt);
    if (kind === "txn") {
      const txn = statementBody<TransactionStmt>(stmt).kind ?? "";
      if (OPENS.has(txn)) this.#reset(new TransactionMix());
      else if (CLOSES.has(txn)) this.#reset(undefined);
      return [];
    }
    const mix = this.#mix;
    if (!mix) return [];
    const broken = mix.violation(kind);
    mix.record(kind);
    if (!broken) return [];
    if (broken.rule === noDdlWithDml.id) {
      if (this.#mixReported) return [];
      this.#mixReported = true;
      return [finding(noDdlWithDml)];
    }
    return [finding(oneDdlPerTransaction)];
  }

  #reset(mix: TransactionMix | undefined): void {
    this.#mix = mix;
    this.#mixReported = false;
  }
}

function finding(rule: DsqlRule): Finding {
  return {
    rule: rule.id,
    severity: rule.severity,
    message: rule.message,
    sqlstate: rule.sqlstate,
    limit: rule.limit,
    offset: 0,
  };
}
