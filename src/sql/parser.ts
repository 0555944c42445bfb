import type { Node } from "@pgsql/types";

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

/** Text that PostgreSQL's parser could not read. */
export class SqlSyntaxError extends Error {
  /** 0-based offset into the parsed text, when the parser gave one. */
  readonly position: number | undefined;

  constructor(message: string, position: number | undefined) {
    super(message);
    this.name = "SqlSyntaxError";
    this.position = position;
  }
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

// DSQL-only syntax PostgreSQL's grammar lacks. The keyword is blanked with
// spaces of the same length so offsets (and so line numbers) stay true.
const ASYNC_FORMS = [
  /\b(CREATE\s+(?:UNIQUE\s+)?INDEX\s+)(ASYNC)\b/gi,
  /\b(ALTER\s+TABLE\s+)(ASYNC)\b/gi,
];

function blankAsync(text: string): { text: string; asyncAt: number[] } {
  const asyncAt: number[] = [];
  let out = text;
  if (!/async/i.test(text)) return { text, asyncAt };
  for (const form of ASYNC_FORMS) {
    out = out.replace(form, (_m, head: string, kw: string, offset: number) => {
      asyncAt.push(offset);
      return head + " ".repeat(kw.length);
    });
  }
  return { text: out, asyncAt };
}

function loadedParser(): PgsqlParser {
  if (!parser)
    throw new Error("drizzle-dsql: the SQL parser is not loaded; await loadParser() first");
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

/** Renders a statement node back to SQL on one line. */
export function deparse(node: Node): string {
  return loadedParser().deparseSync([node] as never, { pretty: false });
}
