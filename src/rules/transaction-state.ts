import type { StatementKind } from "../sql/classify.js";

/** A transaction rule a statement would break, and the detail the twin's error names. */
export interface TransactionViolation {
  rule: "one-ddl-per-transaction" | "no-ddl-with-dml";
  detail: string;
}

/**
 * The state machine behind DSQL's statement-mix rules for one transaction:
 * at most one DDL statement, and DDL never together with DML. The linter
 * (`TransactionScan`) reports what it returns; the twin throws it.
 */
export class TransactionMix {
  /** DDL statements recorded so far. */
  ddl = 0;
  /** DML statements recorded so far. */
  dml = 0;

  /** The rule a statement of this kind breaks now, or undefined when it may run. */
  violation(kind: StatementKind): TransactionViolation | undefined {
    if (kind === "ddl") {
      if (this.ddl > 0)
        return { rule: "one-ddl-per-transaction", detail: "a second DDL statement" };
      if (this.dml > 0) return { rule: "no-ddl-with-dml", detail: "DDL after writes" };
    }
    if (kind === "dml" && this.ddl > 0)
      return { rule: "no-ddl-with-dml", detail: "writes after DDL" };
    return undefined;
  }

  /** Counts a statement of this kind as part of the transaction. */
  record(kind: StatementKind): void {
    if (kind === "ddl") this.ddl++;
    else if (kind === "dml") this.dml++;
  }
}
