import type { Severity } from "../rules/types.js";

/** One problem `lintSql` found, placed in the whole input. */
export interface Diagnostic {
  /** Rule id (`index-async`, ...), `syntax` for unparsable text, or a lint-only rule. */
  rule: string;
  severity: Severity;
  message: string;
  /** 1-based line in the whole input. */
  line: number;
  /** 1-based column in the whole input. */
  column: number;
  /** The statement's text (or the unparsable piece). */
  statement: string;
  /** A DSQL-safe replacement statement, when the rule offers one. */
  fix?: string;
  /** The SQLSTATE DSQL answers with, for rule findings. */
  sqlstate?: string;
}

/** Maps 0-based offsets of a text to 1-based line and column. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.#starts.push(i + 1);
  }

  /** The 1-based line and column of `offset`. */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.#starts[low] ?? 0) + 1 };
  }
}

/** One ESLint-style output line: `path:line:col  error  message  rule`. */
export function formatDiagnostic(path: string, d: Diagnostic): string {
  return `${path}:${d.line}:${d.column}  ${d.severity}  ${d.message}  ${d.rule}`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The closing summary: `✖ 3 problems (2 errors, 1 warning)` or `✔ 12 statements checked, no problems`. */
export function formatSummary(errors: number, warnings: number, statements: number): string {
  const problems = errors + warnings;
  if (problems === 0) return `✔ ${plural(statements, "statement")} checked, no problems`;
  return `✖ ${plural(problems, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")})`;
}
