import type { ParsedStatement } from "../sql/parser.js";

/** How bad a finding is: errors are what DSQL refuses; warnings are advice. */
export type Severity = "error" | "warning";

/** One problem a rule found in one statement. */
export interface Finding {
  /** The rule's id, e.g. `index-async`. */
  rule: string;
  severity: Severity;
  /** What is wrong and what to write instead. */
  message: string;
  /** The SQLSTATE DSQL answers with, e.g. `0A000`, `42704`, `54011`. */
  sqlstate: string;
  /** True for limits (raised as `DsqlLimitError`), false for unsupported features. */
  limit: boolean;
  /** 0-based offset of the offending part inside the statement text, when known. */
  offset?: number;
  /** A DSQL-safe replacement statement, when the rule can offer one. */
  fix?: string;
}

/**
 * State shared by the statements of one input (a migration file, or one
 * database's life for the twin): lets rules see table definitions made earlier,
 * e.g. to count indexes per table.
 */
export interface RuleContext {
  /** Index count per table (lower-cased, schema-qualified when given), as far as seen. */
  indexesPerTable: Map<string, number>;
  /**
   * The shape of tables whose CREATE TABLE was seen (same keys). Optional:
   * rules that need it skip when it is absent.
   */
  tables?: Map<string, TableShape>;
}

/** What the rules know of a table whose definition they saw. */
export interface TableShape {
  /** Column name (as stored) → type name: `jsonb`, `int8`, `text[]`, ... */
  columns: Map<string, string>;
  /** The primary key's columns. */
  primaryKey: Set<string>;
}

/** One DSQL rule: a named check over a single parsed statement. */
export interface Rule {
  /** Stable id, kebab-case, e.g. `no-serial`. */
  id: string;
  /** One line for docs and the README's compatibility table. */
  description: string;
  severity: Severity;
  /** SQLSTATE DSQL uses for this refusal. */
  sqlstate: string;
  /** `statement` rules look at one statement; `transaction` rules are enforced by the twin per transaction. */
  scope: "statement" | "transaction";
  /** Finds violations in one statement (absent for transaction-scope rules). */
  check?(stmt: ParsedStatement, ctx: RuleContext): Finding[];
}
