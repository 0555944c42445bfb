import type { TransactionStmt } from "@pgsql/types";
import { classifyStatement } from "../sql/classify.js";
import type { ParsedStatement } from "../sql/parser.js";
import { bodyOf } from "./ast.js";
import { noDdlWithDml } from "./no-ddl-with-dml.js";
import { oneDdlPerTransaction } from "./one-ddl-per-transaction.js";
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
 * statement in one transaction, and DDL mixed with DML.
 */
export class TransactionScan {
  #open = false;
  #ddl = 0;
  #dml = false;
  #mixReported = false;

  /** Feeds the next statement; returns the transaction-rule findings it causes. */
  next(stmt: ParsedStatement): Finding[] {
    const kind = classifyStatement(stmt);
    if (kind === "txn") {
      const txn = bodyOf<TransactionStmt>(stmt).kind ?? "";
      if (OPENS.has(txn)) this.#reset(true);
      else if (CLOSES.has(txn)) this.#reset(false);
      return [];
    }
    if (!this.#open) return [];
    const out: Finding[] = [];
    if (kind === "ddl") {
      this.#ddl++;
      if (this.#ddl > 1) out.push(finding(oneDdlPerTransaction.id));
    } else if (kind === "dml") {
      this.#dml = true;
    }
    if (this.#ddl > 0 && this.#dml && !this.#mixReported) {
      this.#mixReported = true;
      out.push(finding(noDdlWithDml.id));
    }
    return out;
  }

  #reset(open: boolean): void {
    this.#open = open;
    this.#ddl = 0;
    this.#dml = false;
    this.#mixReported = false;
  }
}

function finding(id: string): Finding {
  const rule = id === oneDdlPerTransaction.id ? oneDdlPerTransaction : noDdlWithDml;
  return {
    rule: rule.id,
    severity: rule.severity,
    message: rule.message,
    sqlstate: rule.sqlstate,
    limit: rule.limit,
    offset: 0,
  };
}
