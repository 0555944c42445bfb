import { SqlSyntaxError } from "../errors.js";
import { ruleById } from "../rules/index.js";
import { type ParsedStatement, parseStatements } from "../sql/parser.js";
import { blankMarkers, splitAtBreakpoints } from "../sql/split.js";
import { LineIndex } from "./diagnostic.js";
import { lintSql } from "./lint.js";
import { type Assembled, assemble, type Outcome, type ParsedChunk } from "./transform/assemble.js";
import { collectEnum, enumKeys } from "./transform/enum-type.js";
import { unwrapGuardedDdl } from "./transform/guarded-ddl.js";
import { render } from "./transform/render.js";
import { rewriteStatement } from "./transform/statement.js";
import type {
  TransformChange,
  TransformContext,
  TransformDiagnostic,
  TransformOptions,
  TransformResult,
} from "./transform/types.js";

export type {
  ChangeSeverity,
  TransformChange,
  TransformDiagnostic,
  TransformOptions,
  TransformResult,
} from "./transform/types.js";

/**
 * A refusal's message with the "what to do instead" of its rule in the one
 * rule list, so generate, check and the twin give the same advice.
 */
function withInstead(rule: string, message: string): string {
  const instead = ruleById(rule)?.instead;
  return instead && !message.includes(instead) ? `${message}. Instead: ${instead}` : message;
}

function contextFor(options: TransformOptions): TransformContext {
  const ctx: TransformContext = {
    options: {
      json: options.json ?? "text",
      foreignKeys: options.foreignKeys ?? "validate",
      mixedIndexOrder: options.mixedIndexOrder ?? "ascending",
      enumCheck: options.enumCheck ?? "check",
    },
    enums: new Map(),
  };
  for (const [name, values] of Object.entries(options.enums ?? {})) {
    for (const key of enumKeys(name.split("."))) ctx.enums.set(key, values);
  }
  return ctx;
}

function rewriteOne(
  stmt: ParsedStatement,
  index: number,
  offset: number,
  ctx: TransformContext,
  warnings: TransformDiagnostic[],
  where: { line: number; column: number },
): Outcome {
  const outcome: Outcome = { stmt, index, offset, pieces: [stmt.text], refusals: [], changes: [] };
  const emitted = rewriteStatement(stmt, ctx, {
    change: (rule, reason, severity = "info") => outcome.changes.push({ rule, reason, severity }),
    refuse: (rule, message) => outcome.refusals.push({ rule, message: withInstead(rule, message) }),
    warn: (rule, message) =>
      warnings.push({ rule, severity: "warning", message, ...where, statement: stmt.text, index }),
  });
  if (outcome.refusals.length === 0 && outcome.changes.length > 0)
    outcome.pieces = emitted.map(render);
  return outcome;
}

/** 0-based offset of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at + column - 1;
}

/**
 * Lints the assembled output with the DSQL rule engine (the twin's rules) and
 * refuses every input statement whose output still breaks a rule, so what is
 * emitted is always DSQL-safe or marked.
 */
function verify(assembled: Assembled, byIndex: Map<number, Outcome>): boolean {
  const refusedBefore = new Set([...byIndex.values()].filter((o) => o.refusals.length > 0));
  let refusedMore = false;
  for (const d of lintSql(assembled.sql)) {
    if (d.severity !== "error") continue;
    const at = offsetOf(assembled.sql, d.line, d.column);
    const span = assembled.spans.find((s) => at >= s.start && at <= s.end);
    const outcome = span ? byIndex.get(span.index) : undefined;
    if (!outcome || refusedBefore.has(outcome)) continue;
    if (outcome.refusals.some((r) => r.rule === d.rule)) continue;
    outcome.refusals.push({ rule: d.rule, message: withInstead(d.rule, d.message) });
    outcome.pieces = [outcome.stmt.text];
    refusedMore = true;
  }
  return refusedMore;
}

/**
 * Rewrites migration SQL (drizzle-kit's output or hand-written) into
 * statements Aurora DSQL accepts, keeping drizzle-kit's `--> statement-breakpoint`
 * layout with one statement per breakpoint. What cannot be rewritten safely is
 * left as written, marked with a `-- drizzle-dsql: error ...` comment, and
 * reported as an error diagnostic; the output is checked with the same rules
 * `lintSql` and the local twin use. Statements that are already DSQL-safe
 * pass through unchanged, so transforming the output again changes nothing.
 *
 * Synchronous: it needs PostgreSQL's parser, which importing `drizzle-dsql/kit` loads.
 *
 * @example
 * ```ts
 * import { transformSql } from "drizzle-dsql/kit";
 * const out = transformSql('CREATE INDEX "i" ON "t" USING btree ("c");');
 * out.sql;         // 'CREATE INDEX ASYNC IF NOT EXISTS i ON t (c);'
 * out.changes;     // [{ rule: "index-async", statement: 0, before, after, reason, severity }, ...]
 * out.diagnostics; // [] (errors name what could not be rewritten)
 * ```
 */
export function transformSql(input: string, options: TransformOptions = {}): TransformResult {
  const ctx = contextFor(options);
  const diagnostics: TransformDiagnostic[] = [];
  const lines = new LineIndex(input);
  const parsed = splitAtBreakpoints(input).map((chunk) => {
    try {
      return { chunk, statements: parseStatements(blankMarkers(chunk.text)) };
    } catch (error) {
      return { chunk, statements: undefined, error };
    }
  });
  for (const p of parsed) {
    for (const s of p.statements ?? []) collectEnum((unwrapGuardedDdl(s) ?? s).node, ctx);
  }

  let index = 0;
  const byIndex = new Map<number, Outcome>();
  const chunks: ParsedChunk[] = parsed.map(({ chunk, statements, error }) => {
    if (!statements) {
      const position = error instanceof SqlSyntaxError ? (error.position ?? 0) : 0;
      const message = error instanceof Error ? error.message : String(error);
      diagnostics.push({
        rule: "syntax",
        severity: "error",
        message,
        ...lines.position(chunk.offset + position),
        statement: chunk.text.trim(),
        index: index++,
      });
      return { ...chunk, statements: undefined };
    }
    const outcomes = statements.map((stmt, i) => {
      const offset = chunk.offset + stmt.start;
      const outcome = rewriteOne(stmt, index++, offset, ctx, diagnostics, lines.position(offset));
      if (i > 0) {
        outcome.changes.push({
          rule: "statement-breakpoint",
          reason:
            "one statement per breakpoint: DSQL runs each DDL statement in its own transaction",
          severity: "info",
        });
      }
      byIndex.set(outcome.index, outcome);
      return outcome;
    });
    return { ...chunk, statements: outcomes };
  });

  let assembled = assemble(chunks);
  if (verify(assembled, byIndex)) assembled = assemble(chunks);

  const changes: TransformChange[] = [];
  for (const outcome of byIndex.values()) {
    const where = lines.position(outcome.offset);
    for (const r of outcome.refusals) {
      diagnostics.push({
        rule: r.rule,
        severity: "error",
        message: r.message,
        ...where,
        statement: outcome.stmt.text,
        index: outcome.index,
      });
    }
    if (outcome.refusals.length > 0) continue;
    for (const c of outcome.changes) {
      changes.push({
        ...c,
        statement: outcome.index,
        before: outcome.stmt.text,
        after: outcome.pieces.join(";\n"),
      });
    }
  }
  diagnostics.sort((a, b) => a.index - b.index);
  return { sql: assembled.sql, statements: assembled.statements, changes, diagnostics };
}
