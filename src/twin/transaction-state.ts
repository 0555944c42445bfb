import { DsqlLimitError, DsqlUnsupportedError } from "../driver/errors.js";
import type { StatementKind } from "../sql/classify.js";
import type { TwinLimits } from "./limits.js";

/**
 * What one transaction has done so far, for DSQL's transaction rules: one DDL
 * statement, DDL never with DML, row, byte and age limits. A single statement
 * outside a transaction gets a state of its own.
 */
export class TwinTransactionState {
  readonly startedAt = Date.now();
  ddl = 0;
  dml = 0;
  rows = 0;
  bytes = 0;

  constructor(readonly limits: TwinLimits) {}

  /** Checks a statement before it is sent; throws when DSQL would refuse it. */
  beforeStatement(kind: StatementKind, writeBytes: number, knownRows: number | undefined): void {
    this.checkAge();
    if (kind === "ddl") {
      if (this.ddl > 0) {
        throw new DsqlUnsupportedError(
          "DSQL allows one DDL statement per transaction: run each DDL statement in its own transaction",
          { rule: "one-ddl-per-transaction", code: "0A000" },
        );
      }
      if (this.dml > 0) {
        throw new DsqlUnsupportedError(
          "DSQL does not mix DDL and DML in one transaction: commit the writes, then run the DDL on its own",
          { rule: "no-ddl-with-dml", code: "0A000" },
        );
      }
    }
    if (kind === "dml") {
      if (this.ddl > 0) {
        throw new DsqlUnsupportedError(
          "DSQL does not mix DDL and DML in one transaction: commit the DDL, then write in a new transaction",
          { rule: "no-ddl-with-dml", code: "0A000" },
        );
      }
      if (this.bytes + writeBytes > this.limits.maxBytes) {
        throw new DsqlLimitError(
          `transaction size limit ${Math.round(this.limits.maxBytes / 1048576)}mb exceeded (about ${this.bytes + writeBytes} bytes): split the writes into smaller transactions`,
          { rule: "transaction-size-limit", code: "54000" },
        );
      }
      if (knownRows !== undefined) this.checkRows(this.rows + knownRows);
    }
  }

  /** Records a statement that ran; throws when its row count crosses the limit. */
  afterStatement(
    kind: StatementKind,
    writeBytes: number,
    rowCount: number | null | undefined,
  ): void {
    if (kind === "ddl") this.ddl++;
    if (kind !== "dml") return;
    this.dml++;
    this.bytes += writeBytes;
    this.rows += rowCount ?? 0;
    this.checkRows(this.rows);
  }

  /** Checks the age limit (also before COMMIT). */
  checkAge(): void {
    const age = Date.now() - this.startedAt;
    if (age > this.limits.maxAgeMs) {
      throw new DsqlLimitError(
        `transaction age limit of ${Math.round(this.limits.maxAgeMs / 1000)}s exceeded: keep transactions short`,
        { rule: "transaction-age-limit", code: "54000" },
      );
    }
  }

  private checkRows(rows: number): void {
    if (rows > this.limits.maxRows) {
      throw new DsqlLimitError(
        `transaction row limit exceeded: ${rows} rows modified, DSQL allows ${this.limits.maxRows} per transaction; split the work (batchInsert does)`,
        { rule: "transaction-row-limit", code: "54000" },
      );
    }
  }
}
