import type { AlterTableStmt } from "@pgsql/types";
import { contextTableKey, statementBody } from "../sql/ast.js";
import type { ParsedStatement } from "../sql/parser.js";
import { addedConstraints, alterCommands } from "./columns.js";
import type { Finding } from "./types.js";

/** Id of the lint-only warning about NOT VALID constraints never validated. */
export const UNVALIDATED_RULE = "unvalidated-constraint";

interface Pending {
  key: string;
  table: string;
  name: string;
  stmt: ParsedStatement;
  offset: number;
}

/**
 * Follows a file's statements and warns about constraints added `NOT VALID`
 * that no later `ALTER TABLE ASYNC ... VALIDATE CONSTRAINT` validates: DSQL
 * accepts them, but existing rows stay unchecked. Lint-only; the twin never
 * refuses anything for it.
 */
export class NotValidScan {
  readonly #pending = new Map<string, Pending>();

  /** Feeds the next statement (in file order). */
  next(stmt: ParsedStatement): void {
    if (stmt.type !== "AlterTableStmt") return;
    const relation = statementBody<AlterTableStmt>(stmt).relation;
    const table = contextTableKey(relation);
    for (const constraint of addedConstraints(stmt)) {
      if (!constraint.skip_validation || !constraint.conname) continue;
      const key = `${table}\u0000${constraint.conname}`;
      const offset = Math.max(0, (constraint.location ?? stmt.start) - stmt.start);
      this.#pending.set(key, {
        key,
        table: relation?.relname ?? table,
        name: constraint.conname,
        stmt,
        offset,
      });
    }
    if (!stmt.async) return;
    for (const cmd of alterCommands(stmt)) {
      if (cmd.subtype === "AT_ValidateConstraint")
        this.#pending.delete(`${table}\u0000${cmd.name}`);
    }
  }

  /** Warnings for what is still unvalidated, with the statement that added it. */
  finish(): { stmt: ParsedStatement; finding: Finding }[] {
    return [...this.#pending.values()].map((p) => ({
      stmt: p.stmt,
      finding: {
        rule: UNVALIDATED_RULE,
        severity: "warning",
        message: `constraint "${p.name}" is added NOT VALID but never validated in this file: existing rows stay unchecked; add ALTER TABLE ASYNC ${p.table} VALIDATE CONSTRAINT ${p.name}`,
        sqlstate: "",
        limit: false,
        offset: p.offset,
        fix: `ALTER TABLE ASYNC ${p.table} VALIDATE CONSTRAINT ${p.name}`,
      },
    }));
  }
}
