import type { Node } from "@pgsql/types";
import { SqlSyntaxError } from "../errors.js";
import { type SqlWord, sqlWords } from "./words.js";

type PgsqlParser = typeof import("pgsql-parser");

let loading: Promise<void> | undefined;
// Set once the WASM module is ready. pgsql-parser is imported here, not at the
// top, so that importing drizzle-dsql (e.g. a schema file for drizzle-kit)
// does not load it.
let parser: PgsqlParser | undefined;

/**
 * Loads PostgreSQL's parser (WASM) once per process. Every synchronous
 * function in this module needs it to have resolved.
 */
export function loadParser(): Promise<void> {
  loading ??= import("pgsql-parser").then(async (module) => {
    await module.loadModule();
    parser = module;
  });
  return loading;
}

/** Whether {@link loadParser} has finished. */
export function parserLoaded(): boolean {
  return parser !== undefined;
}

/** One statement of a parsed text. */
export interface ParsedStatement {
  /** The statement node, e.g. `{ SelectStmt: {...} }`. */
  node: Node;
  /** The node's type name, e.g. `SelectStmt`. */
  type: string;
  /** The statement's own text, as written (with ASYNC, if it had it). */
  text: string;
  /** 0-based offset of the statement in the input. */
  start: number;
  /** Whether the statement used DSQL's `ASYNC` keyword (stripped for parsing). */
  async: boolean;
}

// DSQL-only syntax PostgreSQL's grammar lacks: the ASYNC keyword right after
// CREATE [UNIQUE] INDEX or ALTER TABLE. Found among the text's bare words
// (never inside strings, quoted names or comments) and blanked with spaces of
// the same length, so offsets (and so line numbers) stay true.
function asyncKeywords(text: string): number[] {
  const words = sqlWords(text);
  const at: number[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i]?.word !== "async") continue;
    const before = words[i - 1]?.word;
    const head = words[i - 2]?.word;
    const create =
      before === "index" &&
      (head === "create" || (head === "unique" && words[i - 3]?.word === "create"));
    const alter = before === "table" && head === "alter";
    if (create || alter) at.push((words[i] as SqlWord).at);
  }
  return at;
}

function blankAsync(text: string): { text: string; asyncAt: number[] } {
  if (!/async/i.test(text)) return { text, asyncAt: [] };
  const asyncAt = asyncKeywords(text);
  let out = text;
  for (const at of asyncAt) out = `${out.slice(0, at)}     ${out.slice(at + 5)}`;
  return { text: out, asyncAt };
}

function loadedParser(): PgsqlParser {
  if (!parser)
    throw new Error(
      "drizzle-dsql: the SQL parser is not loaded yet (importing drizzle-dsql/kit, or a drizzle-dsql db's first statement, loads it)",
    );
  return parser;
}

/**
 * Parses SQL text into statements with their offsets. `CREATE INDEX ASYNC`
 * and `ALTER TABLE ASYNC` are accepted and flagged `async`.
 *
 * @throws SqlSyntaxError when the text is not valid PostgreSQL.
 */
export function parseStatements(sql: string): ParsedStatement[] {
  const { parseSync } = loadedParser();
  const { text, asyncAt } = blankAsync(sql);
  let tree: { stmts?: { stmt?: Node; stmt_location?: number; stmt_len?: number }[] };
  try {
    tree = parseSync(text) as typeof tree;
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    throw new SqlSyntaxError((error as Error).message, details?.cursorPosition);
  }
  const out: ParsedStatement[] = [];
  for (const raw of tree.stmts ?? []) {
    if (!raw.stmt) continue;
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : sql.length;
    const type = Object.keys(raw.stmt)[0] ?? "unknown";
    // stmt_location may point at leading whitespace/comments; trim for display.
    const slice = sql.slice(start, end);
    const lead = slice.length - slice.trimStart().length;
    out.push({
      node: raw.stmt,
      type,
      text: slice.trim(),
      start: start + lead,
      async: asyncAt.some((at) => at >= start && at < end),
    });
  }
  return out;
}

/**
 * The text PostgreSQL can run: DSQL's ASYNC keywords (and only those, never
 * a string or comment that happens to contain the words) blanked.
 */
export function withoutAsyncKeywords(sql: string): string {
  return blankAsync(sql).text;
}

/** Renders a statement node back to SQL on one line. */
export function deparse(node: Node): string {
  return loadedParser().deparseSync([node] as never, { pretty: false });
}
