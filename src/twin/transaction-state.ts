import { TransactionMix } from "../rules/transaction-state.js";
import type { StatementKind } from "../sql/classify.js";
import type { TwinLimits } from "./limits.js";
import { transactionRefusal as refusal } from "./refusal.js";
import type { StatementPart } from "./text-parts.js";

const HELPERS: Record<string, string> = {
  insert: "batchInsert",
  update: "updateInBatches",
  delete: "deleteInBatches",
};

/** The drizzle-dsql helper that splits a statement like `text` into transactions DSQL accepts. */
export function splittingHelper(text: string): string {
  const verb = /^\s*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete)\b/i.exec(text)?.[1];
  return verb
    ? (HELPERS[verb.toLowerCase()] as string)
    : "batchInsert, updateInBatches or deleteInBatches";
}

/**
 * What one transaction has done so far, for DSQL's transaction rules: one DDL
 * statement, DDL never with DML, row, byte and age limits. A single statement
 * outside a transaction gets a state of its own.
 */
export class TwinTransactionState {
  readonly startedAt = Date.now();
  /** DDL / DML mix of this transaction (the rules' state machine). */
  readonly mix = new TransactionMix();
  rows = 0;
  bytes = 0;

  constructor(readonly limits: TwinLimits) {}

  /** Checks a statement before it is sent; throws when DSQL would refuse it. `text` names the helper to suggest. */
  beforeStatement(
    kind: StatementKind,
    writeBytes: number,
    knownRows: number | undefined,
    text = "",
  ): void {
    this.checkAge();
    const broken = this.mix.violation(kind);
    if (broken) throw refusal(broken.rule, broken.detail);
    if (kind === "dml") {
      const bytes = this.bytes + writeBytes;
      if (bytes > this.limits.maxBytes) {
        throw refusal(
          "transaction-size-limit",
          `about ${bytes} bytes; the limit is ${this.limits.maxBytes}`,
        );
      }
      if (knownRows !== undefined) this.checkRows(this.rows + knownRows, text);
    }
  }

  /**
   * Checks every statement of a multi-statement text before it is sent, as
   * if each were sent alone, and records them. Inside `db.transaction` they
   * all count in this transaction. Outside, the text runs as one implicit
   * transaction (this state); a written COMMIT / ROLLBACK starts a new one,
   * and statements before a written BEGIN stay in the transaction it opens,
   * as in PostgreSQL.
   */
  beforeText(parts: readonly StatementPart[]): void {
    let current: TwinTransactionState = this;
    for (const part of parts) {
      if (part.control === "end") current = new TwinTransactionState(this.limits);
      if (part.control) continue;
      current.beforeStatement(part.kind, 0, part.knownRows);
      current.afterStatement(part.kind, 0, part.knownRows ?? 0);
    }
  }

  /** Records a statement that ran; throws when its row count crosses the limit. */
  afterStatement(
    kind: StatementKind,
    writeBytes: number,
    rowCount: number | null | undefined,
    text = "",
  ): void {
    this.mix.record(kind);
    if (kind !== "dml") return;
    this.bytes += writeBytes;
    this.rows += rowCount ?? 0;
    this.checkRows(this.rows, text);
  }

  /** Checks the age limit (also before COMMIT). */
  checkAge(): void {
    const age = Date.now() - this.startedAt;
    if (age > this.limits.maxAgeMs) {
      throw refusal(
        "transaction-age-limit",
        `${Math.round(age / 1000)} s old; the limit is ${this.limits.maxAgeMs / 1000} s`,
      );
    }
  }

  private checkRows(rows: number, text: string): void {
    if (rows > this.limits.maxRows) {
      throw refusal(
        "transaction-row-limit",
        `${rows} rows modified; the limit is ${this.limits.maxRows}; ${splittingHelper(text)} splits the work`,
      );
    }
  }
}
