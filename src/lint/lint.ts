import { SqlSyntaxError } from "../errors.js";
import type { RuleOptions } from "../rules/define.js";
import { checkStatement, newRuleContext } from "../rules/index.js";
import { ONE_STATEMENT_PER_BREAKPOINT } from "../rules/lint-only.js";
import { NotValidScan } from "../rules/not-valid-scan.js";
import { TransactionScan } from "../rules/transaction-scan.js";
import type { Finding, RuleContext } from "../rules/types.js";
import { type ParsedStatement, parseStatements } from "../sql/parser.js";
import { type Chunk, splitAtBreakpoints, splitAtSemicolons } from "../sql/split.js";
import { type Diagnostic, LineIndex } from "./diagnostic.js";

export type { Diagnostic } from "./diagnostic.js";

/** Options of {@link lintSql}: the rule options (e.g. `{ json: "forbid" }`). */
export type LintOptions = RuleOptions;

/** What {@link lintSqlDetailed} returns. */
export interface LintResult {
  diagnostics: Diagnostic[];
  /** How many statements were parsed and checked. */
  statements: number;
}

/** A parsed statement with its offset in the whole input. */
interface Located {
  stmt: ParsedStatement;
  /** Offset of the statement's text in the whole input. */
  offset: number;
}

/** Parses one piece into `located`; returns the syntax error instead of throwing it. */
function parsePiece(piece: Chunk, located: Located[]): SqlSyntaxError | undefined {
  try {
    for (const stmt of parseStatements(piece.text)) {
      located.push({ stmt, offset: piece.offset + stmt.start });
    }
    return undefined;
  } catch (error) {
    if (error instanceof SqlSyntaxError) return error;
    throw error;
  }
}

function leadingSpace(text: string): number {
  return text.length - text.trimStart().length;
}

function syntaxDiagnostic(piece: Chunk, error: SqlSyntaxError, lines: LineIndex): Diagnostic {
  const at = piece.offset + (error.position ?? leadingSpace(piece.text));
  return {
    rule: "syntax",
    severity: "error",
    message: error.message,
    ...lines.position(at),
    statement: piece.text.trim(),
  };
}

function toDiagnostic(found: Finding, where: Located, lines: LineIndex): Diagnostic {
  const diagnostic: Diagnostic = {
    rule: found.rule,
    severity: found.severity,
    message: found.message,
    ...lines.position(where.offset + (found.offset ?? 0)),
    statement: where.stmt.text,
  };
  if (found.sqlstate) diagnostic.sqlstate = found.sqlstate;
  if (found.fix !== undefined) diagnostic.fix = found.fix;
  return diagnostic;
}

/**
 * Lints SQL text against DSQL's rules, like {@link lintSql}, and also says how
 * many statements were checked.
 */
export function lintSqlDetailed(input: string, options: LintOptions = {}): LintResult {
  // A byte-order mark is not SQL, and editors do not count it as a column.
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const located: Located[] = [];
  const chunks = splitAtBreakpoints(text, { loose: true });
  /** Where each statement (parsed or not) of each chunk starts, for one-statement-per-breakpoint. */
  const starts: { offset: number; text: string }[][] = [];
  for (const chunk of chunks) {
    const before = located.length;
    if (!parsePiece(chunk, located)) {
      starts.push(located.slice(before).map((l) => ({ offset: l.offset, text: l.stmt.text })));
      continue;
    }
    // One bad statement must not hide the others: parse statement by statement.
    const pieces = splitAtSemicolons(chunk);
    for (const piece of pieces) {
      const error = parsePiece(piece, located);
      if (error) diagnostics.push(syntaxDiagnostic(piece, error, lines));
    }
    starts.push(
      pieces.map((p) => ({ offset: p.offset + leadingSpace(p.text), text: p.text.trim() })),
    );
  }
  located.sort((a, b) => a.offset - b.offset);
  if (chunks.length > 1) {
    for (const list of starts) {
      const second = list[1];
      if (!second) continue;
      diagnostics.push({
        rule: "one-statement-per-breakpoint",
        severity: "error",
        message: ONE_STATEMENT_PER_BREAKPOINT,
        ...lines.position(second.offset),
        statement: second.text,
      });
    }
  }

  const ctx: RuleContext = newRuleContext();
  const scan = new TransactionScan();
  const notValid = new NotValidScan();
  for (const where of located) {
    for (const found of checkStatement(where.stmt, ctx, options)) {
      diagnostics.push(toDiagnostic(found, where, lines));
    }
    for (const found of scan.next(where.stmt)) diagnostics.push(toDiagnostic(found, where, lines));
    notValid.next(where.stmt);
  }
  const where = new Map(located.map((l) => [l.stmt, l]));
  for (const { stmt, finding } of notValid.finish()) {
    const at = where.get(stmt);
    if (at) diagnostics.push(toDiagnostic(finding, at, lines));
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { diagnostics, statements: located.length };
}

/**
 * Lints SQL text (a drizzle-kit migration, a script) against DSQL's rules.
 * Splits on `--> statement-breakpoint` markers and statement boundaries;
 * unparsable text becomes a `syntax` diagnostic, never an exception. Line and
 * column are 1-based in the whole input. Synchronous: it needs PostgreSQL's
 * parser, which importing `drizzle-dsql/kit` loads.
 *
 * @example
 * ```ts
 * lintSql('CREATE INDEX "i" ON "t" ("c");'); // [{ rule: "index-async", line: 1, column: 1, ... }]
 * ```
 */
export function lintSql(text: string, options: LintOptions = {}): Diagnostic[] {
  return lintSqlDetailed(text, options).diagnostics;
}
