import type { Node } from "@pgsql/types";
import type { Diagnostic } from "../diagnostic.js";

/** Options of {@link transformSql}. */
export interface TransformOptions {
  /**
   * What json/jsonb columns become: `"text"` (default; read them with the
   * `jsonText` helper) or `"native"` (kept as json/jsonb, which DSQL accepts).
   */
  json?: "text" | "native";
  /**
   * Foreign keys added to existing tables: `"validate"` (default) adds them
   * `NOT VALID` and validates them with `ALTER TABLE ASYNC ... VALIDATE
   * CONSTRAINT`; `"drop"` removes them (integrity kept by the application).
   */
  foreignKeys?: "validate" | "drop";
  /**
   * Enum types known from elsewhere (e.g. the drizzle snapshot), by name
   * (`"mood"` or `"public.mood"`) → allowed values. Enums created in the
   * same input are known without this.
   */
  enums?: Record<string, string[]>;
  /**
   * Indexes whose keys mix ASC and DESC (`on(t.tenantId, t.createdAt.desc())`):
   * `"ascending"` (default) drops the directions, with a warning naming the
   * orderings the index no longer serves; `"refuse"` refuses the statement.
   */
  mixedIndexOrder?: "ascending" | "refuse";
  /**
   * What guards an enum column: `"check"` (default) adds `CHECK (col IN
   * (...))`, which DSQL can never drop, so the enum can never gain a value;
   * `"none"` leaves plain text (the application keeps values in the set), so
   * adding a value needs no migration at all.
   */
  enumCheck?: "check" | "none";
}

/** How noteworthy a rewrite is: `warning` when behaviour differs from PostgreSQL. */
export type ChangeSeverity = "info" | "warning";

/** One rewrite applied to one input statement. */
export interface TransformChange {
  /** The rewrite's id, e.g. `index-async`. */
  rule: string;
  /** 0-based index of the input statement. */
  statement: number;
  /** The input statement's text. */
  before: string;
  /** What the input statement became (statements joined by `;\n`, "" when removed). */
  after: string;
  /** Why DSQL needs it. */
  reason: string;
  severity: ChangeSeverity;
}

/**
 * A statement transformSql could not (or would not) rewrite safely: the same
 * shape as `lintSql`'s diagnostics, plus the input statement's index.
 */
export interface TransformDiagnostic extends Diagnostic {
  /** 0-based index of the input statement (as in {@link TransformChange.statement}). */
  index: number;
}

/** What {@link transformSql} returns. */
export interface TransformResult {
  /** The rewritten text, in drizzle-kit's `--> statement-breakpoint` layout. */
  sql: string;
  /** The output statements, without their trailing semicolons. */
  statements: string[];
  changes: TransformChange[];
  /** Errors (statements left as written, marked with a SQL comment) and warnings. */
  diagnostics: TransformDiagnostic[];
}

/** One statement a rewrite emits: a node to deparse, or finished text. */
export interface Emitted {
  node?: Node;
  text?: string;
  /** Render with DSQL's ASYNC keyword (`CREATE INDEX ASYNC`, `ALTER TABLE ASYNC`). */
  async?: boolean;
}

/** Shared by the statements of one input. */
export interface TransformContext {
  options: Required<
    Pick<TransformOptions, "json" | "foreignKeys" | "mixedIndexOrder" | "enumCheck">
  >;
  /** Known enums by lower-cased `schema.name` and bare name. */
  enums: Map<string, string[]>;
}

/** Collects what rewriting one statement did. */
export interface StatementLog {
  change(rule: string, reason: string, severity?: ChangeSeverity): void;
  refuse(rule: string, message: string): void;
  warn(rule: string, message: string): void;
}
