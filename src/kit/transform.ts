import { type ParsedStatement, parseStatements, SqlSyntaxError } from "../sql/parser.js";
import { collectEnum, enumKeys } from "./transform/enum-type.js";
import { render } from "./transform/render.js";
import { BREAKPOINT, lineColumn, MARKER, splitChunks, stripMarkers } from "./transform/split.js";
import { rewriteStatement } from "./transform/statement.js";
import type {
  ChangeSeverity,
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

interface Unit {
  lead: string;
  body: string;
  tail: string;
}

interface StatementOutcome {
  /** Output statements; for a refused statement, the statement as written. */
  pieces: string[];
  /** Marker comment lines above a refused statement. */
  marker: string;
}

function blankMarkers(text: string): string {
  return text
    .split("\n")
    .map((line) => (line.trimStart().startsWith(MARKER) ? " ".repeat(line.length) : line))
    .join("\n");
}

function contextFor(options: TransformOptions): TransformContext {
  const ctx: TransformContext = {
    options: { json: options.json ?? "text", foreignKeys: options.foreignKeys ?? "validate" },
    enums: new Map(),
  };
  for (const [name, values] of Object.entries(options.enums ?? {})) {
    for (const key of enumKeys(name.split("."))) ctx.enums.set(key, values);
  }
  return ctx;
}

/**
 * Rewrites migration SQL (drizzle-kit's output or hand-written) into
 * statements Aurora DSQL accepts, keeping drizzle-kit's `--> statement-breakpoint`
 * layout with one statement per breakpoint. What cannot be rewritten safely is
 * left as written, marked with a `-- drizzle-dsql: error ...` comment, and
 * reported as an error diagnostic. Statements that are already DSQL-safe pass
 * through unchanged, so transforming the output again changes nothing.
 *
 * Needs the SQL parser: `await loadParser()` once first.
 *
 * @example
 * ```ts
 * import { transformSql } from "drizzle-dsql/kit";
 * const out = transformSql('CREATE INDEX "i" ON "t" USING btree ("c");');
 * out.sql;        // 'CREATE INDEX ASYNC IF NOT EXISTS i ON t (c);'
 * out.changes;    // [{ rule: "index-async", statement: 0, ... }, ...]
 * out.diagnostics // [] (errors name what could not be rewritten)
 * ```
 */
export function transformSql(input: string, options: TransformOptions = {}): TransformResult {
  const ctx = contextFor(options);
  const chunks = splitChunks(input).map((chunk) => {
    const text = blankMarkers(chunk.text);
    try {
      return { ...chunk, clean: stripMarkers(chunk.text), statements: parseStatements(text) };
    } catch (error) {
      const position = error instanceof SqlSyntaxError ? (error.position ?? 0) : 0;
      return { ...chunk, clean: stripMarkers(chunk.text), statements: undefined, error, position };
    }
  });
  for (const chunk of chunks) for (const s of chunk.statements ?? []) collectEnum(s.node, ctx);

  const units: Unit[] = [];
  const statements: string[] = [];
  const changes: TransformChange[] = [];
  const diagnostics: TransformDiagnostic[] = [];
  let index = 0;

  const rewriteOne = (stmt: ParsedStatement, at: number, own: number): StatementOutcome => {
    const logged: { rule: string; reason: string; severity: ChangeSeverity }[] = [];
    const refusals: { rule: string; message: string }[] = [];
    const where = lineColumn(input, at);
    const emitted = rewriteStatement(stmt, ctx, {
      change: (rule, reason, severity = "info") => logged.push({ rule, reason, severity }),
      refuse: (rule, message) => refusals.push({ rule, message }),
      warn: (rule, message) =>
        diagnostics.push({ rule, severity: "warning", message, ...where, statement: own }),
    });
    if (refusals.length > 0) {
      for (const r of refusals) {
        diagnostics.push({
          rule: r.rule,
          severity: "error",
          message: r.message,
          ...where,
          statement: own,
        });
      }
      const marker = refusals
        .map((r) => `${MARKER} error [${r.rule}] ${r.message.replace(/\s*\n\s*/g, " ")}`)
        .join("\n");
      return { pieces: [stmt.text], marker };
    }
    if (logged.length === 0) return { pieces: [stmt.text], marker: "" };
    const pieces = emitted.map(render);
    for (const c of logged) {
      changes.push({ ...c, statement: own, before: stmt.text, after: pieces.join(";\n") });
    }
    return { pieces, marker: "" };
  };

  for (const chunk of chunks) {
    if (!chunk.statements) {
      const message = chunk.error instanceof Error ? chunk.error.message : String(chunk.error);
      const where = lineColumn(input, chunk.offset + (chunk.position ?? 0));
      diagnostics.push({
        rule: "syntax",
        severity: "error",
        message,
        ...where,
        statement: index++,
      });
      units.push({ lead: chunk.clean, body: "", tail: "" });
      continue;
    }
    if (chunk.statements.length === 0) {
      units.push({ lead: chunk.clean, body: "", tail: "" });
      continue;
    }
    const first = chunk.statements[0] as ParsedStatement;
    const last = chunk.statements[chunk.statements.length - 1] as ParsedStatement;
    const lead = stripMarkers(chunk.text.slice(0, first.start));
    const end = chunk.text.indexOf(";", last.start + last.text.length);
    const tail =
      end < 0 ? chunk.text.slice(last.start + last.text.length) : chunk.text.slice(end + 1);
    const outcomes = chunk.statements.map((stmt, i) => {
      const own = index++;
      const outcome = rewriteOne(stmt, chunk.offset + stmt.start, own);
      if (i > 0) {
        changes.push({
          rule: "statement-breakpoint",
          statement: own,
          before: stmt.text,
          after: outcome.pieces.join(";\n"),
          reason:
            "one statement per breakpoint: DSQL runs each DDL statement in its own transaction",
          severity: "info",
        });
      }
      return outcome;
    });
    const untouched =
      outcomes.length === 1 &&
      outcomes[0]?.marker === "" &&
      outcomes[0]?.pieces.length === 1 &&
      outcomes[0]?.pieces[0] === first.text;
    if (untouched) {
      units.push({ lead: chunk.clean, body: "", tail: "" });
      statements.push(first.text);
      continue;
    }
    const pieces: { body: string; marker: string }[] = [];
    for (const o of outcomes) {
      for (const body of o.pieces) pieces.push({ body, marker: o.marker });
    }
    pieces.forEach((piece, i) => {
      statements.push(piece.body);
      const marked = piece.marker ? `${piece.marker}\n${piece.body}` : piece.body;
      units.push({
        lead: i === 0 ? lead : "\n",
        body: `${marked};`,
        tail: i === pieces.length - 1 ? tail : "",
      });
    });
  }
  const sql = units
    .map((u) => u.lead + u.body + u.tail)
    .join(BREAKPOINT)
    .replace(/^\n+/, "");
  return { sql, statements, changes, diagnostics };
}
