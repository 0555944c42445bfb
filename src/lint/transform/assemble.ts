import type { ParsedStatement } from "../../sql/parser.js";
import { BREAKPOINT, type Chunk, refusalLine, stripMarkers } from "../../sql/split.js";
import type { TransformChange } from "./types.js";

/** What became of one input statement. */
export interface Outcome {
  /** The input statement. */
  stmt: ParsedStatement;
  /** 0-based index among all input statements. */
  index: number;
  /** Offset of the statement in the whole input. */
  offset: number;
  /** Output statements; for a refused statement, the statement as written. */
  pieces: string[];
  /** Why it was refused (empty when it was not). */
  refusals: { rule: string; message: string }[];
  /** The rewrites applied (dropped when refused). */
  changes: Omit<TransformChange, "statement" | "before" | "after">[];
}

/** A chunk of input with its parsed statements (undefined when it did not parse). */
export interface ParsedChunk extends Chunk {
  statements: Outcome[] | undefined;
}

/** One output statement's place in the assembled text. */
export interface Span {
  /** Index of the input statement it came from. */
  index: number;
  start: number;
  end: number;
}

/** The assembled output. */
export interface Assembled {
  sql: string;
  statements: string[];
  spans: Span[];
}

/** The comment line drizzle-dsql writes above a refused statement. */
export function markerLines(outcome: Outcome): string {
  return outcome.refusals.map((r) => refusalLine(r.rule, r.message)).join("\n");
}

/**
 * Joins the outcomes back into drizzle-kit's layout: untouched chunks as
 * written, rewritten statements one per breakpoint, refused ones as written
 * under a marker comment.
 */
export function assemble(chunks: ParsedChunk[]): Assembled {
  const units: { lead: string; body: string; tail: string; index?: number }[] = [];
  const statements: string[] = [];
  for (const chunk of chunks) {
    const outcomes = chunk.statements;
    if (!outcomes || outcomes.length === 0) {
      units.push({ lead: stripMarkers(chunk.text), body: "", tail: "" });
      continue;
    }
    const first = outcomes[0] as Outcome;
    const last = outcomes[outcomes.length - 1] as Outcome;
    const only = outcomes.length === 1 ? first : undefined;
    if (
      only &&
      only.refusals.length === 0 &&
      only.pieces.length === 1 &&
      only.pieces[0] === only.stmt.text
    ) {
      const lead = stripMarkers(chunk.text.slice(0, only.stmt.start));
      units.push({
        lead,
        body: only.stmt.text,
        tail: chunk.text.slice(only.stmt.start + only.stmt.text.length),
        index: only.index,
      });
      statements.push(only.stmt.text);
      continue;
    }
    const lead = stripMarkers(chunk.text.slice(0, first.stmt.start));
    const endOfLast = last.stmt.start + last.stmt.text.length;
    const semicolon = chunk.text.indexOf(";", endOfLast);
    const tail = semicolon < 0 ? chunk.text.slice(endOfLast) : chunk.text.slice(semicolon + 1);
    const pieces: { body: string; marker: string; index: number }[] = [];
    for (const o of outcomes) {
      const marker = markerLines(o);
      for (const body of o.pieces) pieces.push({ body, marker, index: o.index });
    }
    pieces.forEach((piece, i) => {
      statements.push(piece.body);
      units.push({
        lead: `${i === 0 ? lead : "\n"}${piece.marker ? `${piece.marker}\n` : ""}`,
        body: `${piece.body};`,
        tail: i === pieces.length - 1 ? tail : "",
        index: piece.index,
      });
    });
  }
  let sql = "";
  const spans: Span[] = [];
  units.forEach((u, i) => {
    if (i > 0) sql += BREAKPOINT;
    sql += u.lead;
    if (u.index !== undefined)
      spans.push({ index: u.index, start: sql.length, end: sql.length + u.body.length });
    sql += u.body + u.tail;
  });
  const leading = sql.length - sql.replace(/^\n+/, "").length;
  return {
    sql: sql.slice(leading),
    statements,
    spans: spans.map((s) => ({ ...s, start: s.start - leading, end: s.end - leading })),
  };
}
